"""Name resolution from imports, without libcst's scope providers.

``QualifiedNameProvider`` costs about six times a parse. What pdlint needs is much less: the
dotted origin of names used as base classes, decorators, field types and callees
(``models.EmailField`` → ``django.db.models.EmailField``). Module-level imports give that
directly; names defined in the module resolve to ``<module>.<name>``.
"""

from __future__ import annotations

from collections.abc import Mapping

import libcst as cst


def dotted(expr: cst.BaseExpression) -> str | None:
    """``a.b.c`` for a Name/Attribute chain, else None."""
    parts: list[str] = []
    node: cst.BaseExpression = expr
    while isinstance(node, cst.Attribute):
        parts.append(node.attr.value)
        node = node.value
    if isinstance(node, cst.Name):
        parts.append(node.value)
        return ".".join(reversed(parts))
    return None


def callee(expr: cst.BaseExpression) -> str | None:
    """The dotted name called by ``expr`` when it is a call (``a.b(...)`` → ``a.b``)."""
    if isinstance(expr, cst.Call):
        return dotted(expr.func)
    return None


def module_base(module: str, is_package: bool, level: int) -> str:
    """The package a relative import of ``level`` dots starts from."""
    parts = module.split(".") if module else []
    if not is_package:
        parts = parts[:-1]
    if level > 1:
        parts = parts[: max(0, len(parts) - (level - 1))]
    return ".".join(parts)


def import_bindings(
    stmt: cst.Import | cst.ImportFrom, module: str, is_package: bool
) -> list[tuple[str, str]]:
    """(local name, dotted target) pairs bound by one import statement."""
    bindings: list[tuple[str, str]] = []
    if isinstance(stmt, cst.Import):
        for alias in stmt.names:
            target = dotted(alias.name)
            if target is None:
                continue
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                bindings.append((alias.asname.name.value, target))
            else:
                head = target.split(".", 1)[0]
                bindings.append((head, head))
        return bindings
    level = len(stmt.relative)
    source = dotted(stmt.module) if stmt.module is not None else ""
    if source is None:
        return bindings
    if level:
        base = module_base(module, is_package, level)
        source = f"{base}.{source}" if base and source else (base or source)
    if isinstance(stmt.names, cst.ImportStar):
        return bindings
    for alias in stmt.names:
        name = dotted(alias.name)
        if name is None:
            continue
        local = name
        if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
            local = alias.asname.name.value
        bindings.append((local, f"{source}.{name}" if source else name))
    return bindings


_PREFIX_CHARS = frozenset("rRuUbBfF")


def string_value(node: cst.SimpleString) -> str | None:
    """The value of a plain string literal, cheaply.

    libcst's ``evaluated_value`` runs ``ast.literal_eval`` (a full compile) on every call;
    most literals have no escapes, so strip the prefix and quotes directly and only fall
    back to the slow path when a backslash needs interpreting. Bytes give None.
    """
    raw = node.value
    index = 0
    while index < len(raw) and raw[index] in _PREFIX_CHARS:
        index += 1
    prefix = raw[:index].lower()
    if "b" in prefix:
        return None
    body = raw[index:]
    quote = body[:3] if body[:3] in ('"""', "'''") else body[:1]
    inner = body[len(quote): len(body) - len(quote)]
    if "\\" in inner and "r" not in prefix:
        try:
            value = node.evaluated_value
        except Exception:
            return None
        return value if isinstance(value, str) else None
    return inner


def resolve(name: str | None, scope: Mapping[str, str]) -> str | None:
    """Replace the head of a dotted name by what it is bound to in ``scope``."""
    if not name:
        return name
    head, _, rest = name.partition(".")
    target = scope.get(head)
    if target is None:
        return name
    return f"{target}.{rest}" if rest else target


def annotation_text(expr: cst.BaseExpression, scope: Mapping[str, str]) -> str | None:
    """A compact rendering of a type annotation with imported names resolved.

    ``Optional[EmailStr]`` → ``typing.Optional[pydantic.EmailStr]``; string forward
    references are read as the names they contain. Unknown shapes give None.
    """
    if isinstance(expr, (cst.Name, cst.Attribute)):
        return resolve(dotted(expr), scope)
    if isinstance(expr, cst.Subscript):
        head = annotation_text(expr.value, scope)
        inner: list[str] = []
        for element in expr.slice:
            if isinstance(element.slice, cst.Index):
                text = annotation_text(element.slice.value, scope)
                inner.append(text if text is not None else "?")
        return f"{head}[{', '.join(inner)}]" if head else None
    if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.BitOr):
        left = annotation_text(expr.left, scope)
        right = annotation_text(expr.right, scope)
        return f"{left} | {right}"
    if isinstance(expr, cst.SimpleString):
        raw = string_value(expr)
        if isinstance(raw, str) and raw.replace(".", "").replace("_", "").isalnum():
            return resolve(raw, scope)
        return None
    if isinstance(expr, cst.Name) or expr is None:
        return None
    return None
