"""A cheap read of test modules, and URL-pattern matching for PDL301.

Test modules are often half of a codebase's lines, yet PDL301 (untested-tagged-function)
only needs two things from them: which identifiers they refer to *as code* and which routes
they request through a test client.  Neither needs libcst's concrete syntax tree (comments,
whitespace, positions), so :func:`read_test_module` uses the stdlib :mod:`ast`, which is an
order of magnitude cheaper, and returns plain tuples that fit into
:class:`~pdlint.facts.FileFacts` (``test_refs``, ``test_routes``).

Strings and comments are deliberately *not* references: ``mock.patch("app.svc.register")``
replaces the function rather than testing it, and a name in a comment proves nothing.

:func:`route_matches` decides whether a requested URL (as found in a test) hits a route
pattern as declared by Flask, FastAPI/Starlette or Django.  Everything here is pure string
processing; its only pdlint import is the knowledge registry (what test clients look like),
so extraction workers and rules can both use it.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

from pdlint import knowledge

__all__ = ["HTTP_METHODS", "parse_test_module", "read_test_module", "read_test_tree",
           "route_matches"]

HTTP_METHODS: frozenset[str] = frozenset(
    {"get", "post", "put", "patch", "delete", "head", "options"}
)
"""Client methods whose first argument is the requested URL."""

# What test clients look like is declared per framework in pdlint.knowledge:
# receivers whose name does not contain "client" but that conventionally are one
# (``with app.test_client() as c``) or that send real requests (``requests.get(url)``),
# whose literal must therefore look like a URL ("/…" or "http…"); methods taking the HTTP
# method first and the URL second (``client.request("POST", "/x")``, Django's
# ``client.generic``); URL reversal functions (``reverse``, ``url_for``, ``url_path_for``).
_WEAK_RECEIVERS = knowledge.TEST_CLIENTS.weak_receivers
_METHOD_FIRST = knowledge.TEST_CLIENTS.method_first
_REVERSE = knowledge.TEST_CLIENTS.reverse

Routes = tuple[tuple[str, str], ...]


def read_test_module(text: str) -> tuple[tuple[str, ...], Routes] | None:
    """The identifiers a test module refers to as code, and the routes it requests.

    Returns ``(refs, routes)`` — both sorted and free of duplicates — or ``None`` when the
    text does not parse (the caller reports that as it reports any parse error).

    ``refs`` holds loaded names, loaded attribute names and every part of imported names
    (``from app.svc import register as reg`` gives ``app``, ``svc`` and ``register``).
    ``routes`` holds ``(method, url)`` pairs for test-client requests — an f-string or a
    concatenation keeps its literal prefix followed by ``*`` — plus ``("reverse", name)``
    and ``("url_for", endpoint)`` for URL reversal.
    """
    tree = parse_test_module(text)
    return None if tree is None else read_test_tree(tree)


def parse_test_module(text: str) -> ast.Module | None:
    """The ``ast`` tree of a test module, or ``None`` when the text does not parse.

    Separate from :func:`read_test_tree` so that extraction can read other things from the
    same tree (the anchors of the module's suppressions) without parsing it twice."""
    try:
        return ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def read_test_tree(tree: ast.Module) -> tuple[tuple[str, ...], Routes] | None:
    """:func:`read_test_module` for a module already parsed by :func:`parse_test_module`."""
    try:
        return _read(tree)
    except RecursionError:  # a pathologically nested expression: give up like a parse error
        return None


def _read(tree: ast.AST) -> tuple[tuple[str, ...], Routes]:
    nodes = list(ast.walk(tree))
    refs: set[str] = set()
    aliases: set[str] = set()  # names bound to a test client: `c = Client()`, `as ac`
    constants: dict[str, set[str]] = {}  # `URL = "/profile/"`: names bound to a literal
    for node in nodes:
        if isinstance(node, ast.Name):
            if not isinstance(node.ctx, ast.Store):
                refs.add(node.id)
        elif isinstance(node, ast.Attribute):
            if not isinstance(node.ctx, ast.Store):
                refs.add(node.attr)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                refs.update(p for p in alias.name.split(".") if p)
        elif isinstance(node, ast.ImportFrom):
            if node.module:
                refs.update(p for p in node.module.split(".") if p)
            refs.update(a.name for a in node.names if a.name != "*")
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                if isinstance(item.optional_vars, ast.Name) and _is_client(item.context_expr):
                    aliases.add(item.optional_vars.id)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            _note_binding(node, aliases, constants)
        elif isinstance(node, ast.arg):
            if node.annotation is not None and "client" in _name_of(node.annotation).lower():
                aliases.add(node.arg)
    routes: set[tuple[str, str]] = set()
    for node in nodes:
        if isinstance(node, ast.Call):
            routes.update(_routes_of(node, aliases, constants))
    return tuple(sorted(refs)), tuple(sorted(routes))


def _note_binding(node: ast.Assign | ast.AnnAssign, aliases: set[str],
                  constants: dict[str, set[str]]) -> None:
    """Remember client aliases and names bound to URL-ish literals (not scope-aware: cheap)."""
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    value = node.value
    if value is None or len(targets) != 1:
        return
    target = targets[0]
    name = target.id if isinstance(target, ast.Name) else (
        target.attr if isinstance(target, ast.Attribute) else None)
    if name is None:
        return
    if _is_client(value):
        aliases.add(name)
    literal = _literal(value, {})
    if literal is not None:
        constants.setdefault(name, set()).add(literal)


def _name_of(node: ast.AST) -> str:
    """The last identifier of a receiver: ``self.client`` → client, ``TestClient(app)`` →
    TestClient, ``app.test_client()`` → test_client."""
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Subscript):  # annotations such as Generator[FlaskClient, …]
        return _name_of(node.value) + " " + _name_of(node.slice)
    if isinstance(node, ast.Tuple):
        return " ".join(_name_of(elt) for elt in node.elts)
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value  # string annotations: "FlaskClient"
    return ""


def _is_client(node: ast.AST) -> bool:
    name = _name_of(node)
    return "client" in name.lower() and not isinstance(node, ast.Constant)


def _routes_of(call: ast.Call, aliases: set[str],
               constants: dict[str, set[str]]) -> Iterator[tuple[str, str]]:
    func = call.func
    if isinstance(func, ast.Name) and func.id in _REVERSE:
        kind = _REVERSE[func.id]
        for value in _values(_arg(call, 0, ("viewname", "endpoint", "name")), constants):
            if not value.endswith("*"):
                yield kind, value
        return
    if not isinstance(func, ast.Attribute):
        return
    method = func.attr.lower()
    if method in _REVERSE:  # urls.reverse("x"), flask.url_for("x"), app.url_path_for("x")
        for value in _values(_arg(call, 0, ("viewname", "endpoint", "name")), constants):
            if not value.endswith("*"):
                yield _REVERSE[method], value
        return
    receiver = _name_of(func.value)
    strong = "client" in receiver.lower() or receiver in aliases
    if not strong and receiver not in _WEAK_RECEIVERS:
        return
    if method in HTTP_METHODS:
        url_node = _arg(call, 0, ("path", "url"))
    elif method in _METHOD_FIRST:
        verbs = _values(_arg(call, 0, ("method",)), constants)
        method = next((v.lower() for v in verbs if v.lower() in HTTP_METHODS), "")
        url_node = _arg(call, 1, ("path", "url"))
    elif method == "open":  # werkzeug: client.open("/x", method="POST")
        verbs = _values(_kwarg(call, "method"), constants)
        method = next((v.lower() for v in verbs if v.lower() in HTTP_METHODS), "get")
        url_node = _arg(call, 0, ("path", "url"))
    else:
        return
    if not method:
        return
    for url in _values(url_node, constants):
        if strong or url.startswith(("/", "http://", "https://")):
            yield method, url


def _arg(call: ast.Call, index: int, keywords: Iterable[str]) -> ast.expr | None:
    leading = call.args[: index + 1]
    if len(leading) > index and not any(isinstance(a, ast.Starred) for a in leading):
        return leading[index]
    for name in keywords:
        found = _kwarg(call, name)
        if found is not None:
            return found
    return None


def _kwarg(call: ast.Call, name: str) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    return None


def _values(node: ast.expr | None, constants: dict[str, set[str]]) -> list[str]:
    """The literal(s) an argument stands for: a string, an f-string prefix, a named literal."""
    if node is None:
        return []
    literal = _literal(node, constants)
    if literal is not None:
        return [literal]
    name = node.id if isinstance(node, ast.Name) else (
        node.attr if isinstance(node, ast.Attribute) else None)
    if name is not None:
        return sorted(constants.get(name, ()))
    return []


def _literal(node: ast.expr, constants: dict[str, set[str]]) -> str | None:
    """A string literal as written; a formatted string's literal prefix followed by ``*``.

    ``f"/profile/{uid}"``, ``"/profile/" + str(uid)``, ``"/profile/%d" % uid`` and
    ``"/profile/{}".format(uid)`` all give ``"/profile/*"``.  An f-string that starts with
    a placeholder followed by a path (``f"{live_server.url}/profile/"``) drops the base URL.
    ``None`` when no literal prefix is known.
    """
    if isinstance(node, ast.Constant):
        return node.value if isinstance(node.value, str) else None
    if isinstance(node, ast.JoinedStr):
        return _fstring_prefix(node.values)
    if isinstance(node, ast.BinOp):
        left = node.left
        if isinstance(node.op, ast.Add):
            head = _literal(left, constants)
            if head is None and isinstance(left, ast.Name) and len(constants.get(left.id, ())) == 1:
                head = next(iter(constants[left.id]))
            if head is None:
                return None
            tail = _literal(node.right, constants)
            if tail is not None and not head.endswith("*"):
                return head + tail
            return _star(head)
        if isinstance(node.op, ast.Mod) and isinstance(left, ast.Constant) and isinstance(
                left.value, str):
            return _cut(left.value, "%")
        return None
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr == "format" and isinstance(node.func.value, ast.Constant)
            and isinstance(node.func.value.value, str)):
        return _cut(node.func.value.value, "{")
    return None


def _fstring_prefix(values: list[ast.expr]) -> str | None:
    parts: list[str] = []
    start = 0
    if (len(values) >= 2 and isinstance(values[0], ast.FormattedValue)
            and isinstance(values[1], ast.Constant) and isinstance(values[1].value, str)
            and values[1].value.startswith("/")):
        start = 1  # f"{base_url}/profile/{uid}": the base URL is not part of the route
    for value in values[start:]:
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            parts.append(value.value)
            continue
        prefix = "".join(parts)
        return prefix + "*" if prefix else None
    return "".join(parts)


def _cut(template: str, marker: str) -> str | None:
    """``"/p/%d"`` → ``"/p/*"``; a template without placeholders stays as it is."""
    index = template.find(marker)
    if index < 0:
        return template
    return template[:index] + "*" if index else None


def _star(text: str) -> str:
    return text if text.endswith("*") else text + "*"


# -- route matching -------------------------------------------------------------------

# Converter → regex for one placeholder (Flask/werkzeug, Django path(), Starlette).
_CONVERTERS = {
    "": r"[^/]+",
    "default": r"[^/]+",
    "string": r"[^/]+",
    "str": r"[^/]+",
    "int": r"-?\d+",
    "float": r"-?\d+(?:\.\d+)?",
    "slug": r"[-a-zA-Z0-9_]+",
    "uuid": r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}",
    "path": r".+",
}
# Same classes with `*`: what a *prefix* of a placeholder's value may look like.
_PARTIAL = {
    r"[^/]+": r"[^/]*",
    r"-?\d+": r"-?\d*",
    r"-?\d+(?:\.\d+)?": r"[-\d.]*",
    r"[-a-zA-Z0-9_]+": r"[-a-zA-Z0-9_]*",
    r".+": r".*",
}
_PLACEHOLDER = re.compile(
    r"<(?:(?P<conv>[A-Za-z_]\w*)(?:\([^)>]*\))?:)?(?P<name>[A-Za-z_]\w*)>"  # <int:id>, <id>
    r"|\{(?P<bname>[A-Za-z_]\w*)(?::(?P<bconv>[A-Za-z_]\w*))?\}"  # {item_id}, {p:path}
)
_REGEX_HINT = re.compile(r"^\^|\$$|\(\?P<|\\[dwsDWS]|\[[^\]]*\]|\(\?:")
_ORIGIN = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://[^/]*|^//[^/]*")


def route_matches(pattern: str, url: str, *, mounted: bool = False) -> bool:
    """Whether a request for ``url`` (found in a test) reaches a route declared as ``pattern``.

    ``pattern`` may be a Flask/werkzeug rule (``/profile/<int:id>``, ``<path:p>``), a
    FastAPI/Starlette path (``/items/{item_id}``, ``{p:path}``), a Django ``path()`` route
    (``profile/<int:pk>/``, converters str/int/slug/uuid/path) or a Django ``re_path()``
    regex.  Scheme, host, query string and fragment of ``url`` are ignored, and so is a
    missing or extra leading/trailing slash on either side.  A ``url`` ending in ``*`` is a
    literal prefix (from an f-string): it matches when *some* URL starting with it would.

    ``mounted=True`` allows the pattern to sit under an unknown prefix (a blueprint's
    ``url_prefix``, an ``include()``, an ``APIRouter(prefix=…)``): it then matches any
    trailing run of whole path segments, provided the pattern has a literal part, so that a
    bare ``/<id>`` or ``/`` never matches everything.
    """
    path, prefix = _clean_url(url)
    regex = _compile(pattern, prefix)
    if regex is None:
        return False
    candidates = [path]
    if mounted and _has_literal(pattern):
        segments = path.split("/")
        candidates += [rest for i in range(1, len(segments))
                       if (rest := "/".join(segments[i:]))]
    return any(regex.fullmatch(candidate) is not None
               or (not prefix and regex.fullmatch(candidate + "/") is not None)
               for candidate in candidates)


def _clean_url(url: str) -> tuple[str, bool]:
    """The path of ``url`` without origin, query, fragment and outer slashes, and whether
    it is only a prefix (a trailing ``*`` that no query string follows)."""
    url = url.strip()
    prefix = url.endswith("*")
    if prefix:
        url = url[:-1]
    url = _ORIGIN.sub("", url)
    for mark in ("#", "?"):
        if mark in url:
            url = url.split(mark, 1)[0]
            prefix = False  # the path ended before the placeholder: it is complete
    url = url.lstrip("/")
    return (url if prefix else url.rstrip("/")), prefix


@lru_cache(maxsize=4096)
def _compile(pattern: str, prefix: bool) -> re.Pattern[str] | None:
    """The pattern as a regex over a path without leading slash; with ``prefix``, a regex
    that matches the *prefixes* of the paths the pattern matches."""
    if _is_regex(pattern):
        if prefix:
            return _regex_prefix_matcher(pattern)
        body = pattern.removeprefix("^").removeprefix("/")
        if body.endswith("\\Z"):
            body = body[:-2]
        elif body.endswith("$") and not body.endswith("\\$"):
            body = body[:-1]
        else:
            body += ".*"  # no end anchor: Django's search() accepts anything after it
        try:
            return re.compile(f"(?:{body})/?", re.DOTALL)
        except re.error:
            return None
    tokens = _tokens(pattern.strip().strip("/"))
    full = "".join(_full(token) for token in tokens) + "/?"
    if not prefix:
        return re.compile(full, re.DOTALL)
    alternatives = [full]
    for index, (kind, text) in enumerate(tokens):
        head = "".join(_full(token) for token in tokens[:index])
        if kind == "lit":
            partial = "|".join(re.escape(text[:cut]) for cut in range(len(text) + 1))
            alternatives.append(f"{head}(?:{partial})")
        else:
            alternatives.append(head + _PARTIAL.get(text, r".*"))
    return re.compile("|".join(f"(?:{alt})" for alt in alternatives), re.DOTALL)


def _full(token: tuple[str, str]) -> str:
    kind, text = token
    return re.escape(text) if kind == "lit" else f"(?:{text})"


def _tokens(pattern: str) -> list[tuple[str, str]]:
    """Literal chunks and placeholder regexes, in order."""
    tokens: list[tuple[str, str]] = []
    position = 0
    for match in _PLACEHOLDER.finditer(pattern):
        if match.start() > position:
            tokens.append(("lit", pattern[position:match.start()]))
        converter = (match.group("conv") or match.group("bconv") or "").lower()
        tokens.append(("var", _CONVERTERS.get(converter, r"[^/]+")))
        position = match.end()
    if position < len(pattern):
        tokens.append(("lit", pattern[position:]))
    return tokens


def _is_regex(pattern: str) -> bool:
    return _REGEX_HINT.search(pattern) is not None


def _regex_prefix_matcher(pattern: str) -> re.Pattern[str] | None:
    """For a ``re_path`` regex and an f-string prefix: compare the regex's leading literal
    text (up to its first group or metacharacter) with the prefix, whichever is shorter."""
    body = pattern.removeprefix("^").removeprefix("/")
    literal = []
    index = 0
    while index < len(body):
        char = body[index]
        if char == "\\" and index + 1 < len(body) and not body[index + 1].isalnum():
            literal.append(body[index + 1])
            index += 2
            continue
        if char in ".^$*+?{}[]()|\\":
            if char in "?*{" and literal:
                literal.pop()  # `profiles?/`: the quantified character is optional
            break
        literal.append(char)
        index += 1
    text = "".join(literal)
    if body[index:] in ("$", "\\Z"):  # a fully literal, anchored regex
        partial = "|".join(re.escape(text[:cut]) for cut in range(len(text) + 1))
        return re.compile(f"(?:{partial})")
    return re.compile(
        "|".join([re.escape(text[:cut]) for cut in range(len(text))] + [re.escape(text) + ".*"]),
        re.DOTALL)


def _has_literal(pattern: str) -> bool:
    """Whether a pattern has some fixed text besides slashes (and regex syntax)."""
    if _is_regex(pattern):
        stripped = re.sub(r"\(\?P<\w+>|\\.|\[[^\]]*\]|[()^$*+?{}|.]", "", pattern)
    else:
        stripped = _PLACEHOLDER.sub("", pattern)
    return any(char.isalnum() for char in stripped)
