"""Suppression anchors of a module read with the stdlib :mod:`ast` instead of libcst.

Which lines a suppression comment covers depends on the statements around it
(:func:`pdlint.extract._suppression`): an own-line comment covers the next statement, a
trailing one the statement it ends, and a ``file-ignore`` only works in the module's leading
comment block. For a module walked with libcst, :class:`~pdlint.extract.walker.ModuleWalker`
records that as it walks (``anchors``, ``header_end``). Test modules are not walked: they are
read with ``ast`` only, an order of magnitude cheaper (:mod:`pdlint.testrefs`), so that their
suppressions can still be read this module computes the same anchors from the ``ast`` tree
that the cheap read already made, and the same ``header_end``.

The walker's rules, restated for ``ast`` nodes:

* a simple statement (one per ``;``-separated part) anchors ``(first line, last line)``;
* a ``def``/``class`` anchors ``(first decorator's line or the keyword's line, the line of the
  ``:`` ending its header)``, or through its last line when the body follows the ``:`` on the
  same line (``def f(): return (...)``);
* any other compound statement anchors its first line only (``(line, line)``); an ``elif``
  anchors nothing of its own (libcst makes it part of the ``if``), a nested ``if`` under
  ``else:`` does;
* ``header_end`` is the line above the first statement (its first decorator), or the last line
  of a module without statements.

libcst does not say where a header's ``:`` is either: the walker takes the line above the
comment and blank lines that open the body (the first statement's ``leading_lines``), and so
does :func:`_header_line`, from the source lines. ``tests/test_test_file_suppressions.py``
checks that both give the same anchors.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from dataclasses import dataclass

Anchor = tuple[int, int]  # (first line, line the statement's suppressions cover through)

_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_TRY_STAR: tuple[type[ast.stmt], ...] = tuple(
    kind for kind in (getattr(ast, "TryStar", None),) if kind is not None)  # Python 3.11+
_COMPOUND: tuple[type[ast.stmt], ...] = (
    ast.If, ast.For, ast.AsyncFor, ast.While, ast.With, ast.AsyncWith, ast.Try, ast.Match,
    *_TRY_STAR,
)


@dataclass(frozen=True)
class ModuleAnchors:
    """What :func:`pdlint.extract._suppression` needs to place a module's suppressions."""

    anchors: tuple[Anchor, ...]  # sorted
    header_end: int  # last line of the module's leading comment block (0: none)


def module_anchors(tree: ast.Module, lines: Sequence[str]) -> ModuleAnchors:
    """The anchors and ``header_end`` of the module parsed as ``tree``, whose source lines
    (numbered as Python numbers them: ``pdlint.extract.positions.source_lines``) are
    ``lines``."""
    found: list[Anchor] = []
    # An explicit stack, not recursion: the walk must not fail where ast.parse succeeded.
    pending: list[Sequence[ast.stmt]] = [tree.body]
    while pending:
        for stmt in pending.pop():
            if isinstance(stmt, _DEFINITIONS):
                def_line = stmt.lineno
                found.append((_first_line(stmt), max(def_line, _header_line(stmt, lines))))
                pending.append(stmt.body)
            elif isinstance(stmt, _COMPOUND):
                found.append((stmt.lineno, stmt.lineno))
                pending.extend(_blocks(stmt, lines))
            else:
                found.append((stmt.lineno, stmt.end_lineno or stmt.lineno))
    found.sort()
    header_end = _first_line(tree.body[0]) - 1 if tree.body else len(lines)
    return ModuleAnchors(tuple(found), header_end)


def _first_line(stmt: ast.stmt) -> int:
    """The statement's first line, decorators included."""
    decorators: list[ast.expr] = getattr(stmt, "decorator_list", [])
    return decorators[0].lineno if decorators else stmt.lineno


def _header_line(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef,
                 lines: Sequence[str]) -> int:
    """The line of the ``:`` ending a def/class header (ModuleWalker._header_line)."""
    first = node.body[0]
    if _same_line_body(first, lines):
        return node.end_lineno or node.lineno
    line = _first_line(first) - 1
    while line > node.lineno and _blank_or_comment(lines, line):
        line -= 1
    return line


def _same_line_body(first: ast.stmt, lines: Sequence[str]) -> bool:
    """Whether a def/class body follows the ``:`` on its line (libcst's
    SimpleStatementSuite) rather than an indented block, judged by its first statement:
    only simple statements can be there, after code on the same line or after a line that
    a backslash continues."""
    if isinstance(first, (*_DEFINITIONS, *_COMPOUND)):
        return False
    line = first.lineno
    if not 0 < line <= len(lines):
        return False
    text = lines[line - 1]
    before = text[:first.col_offset] if text.isascii() else (
        text.encode("utf-8")[:first.col_offset].decode("utf-8", errors="replace"))
    if before.strip():
        return True
    above = lines[line - 2] if line >= 2 else ""
    return above.rstrip().endswith("\\") and "#" not in above


def _blank_or_comment(lines: Sequence[str], line: int) -> bool:
    if not 0 < line <= len(lines):
        return False
    stripped = lines[line - 1].strip()
    return not stripped or stripped.startswith("#")


def _blocks(stmt: ast.stmt, lines: Sequence[str]) -> list[Sequence[ast.stmt]]:
    """The statement lists of a compound statement other than def/class; an ``elif`` is
    opened here, as libcst keeps it inside its ``if``."""
    blocks: list[Sequence[ast.stmt]] = []
    if isinstance(stmt, ast.If):
        current: ast.If = stmt
        while True:
            blocks.append(current.body)
            orelse = current.orelse
            if len(orelse) == 1 and isinstance(orelse[0], ast.If) and _is_elif(orelse[0], lines):
                current = orelse[0]
                continue
            blocks.append(orelse)
            break
    elif isinstance(stmt, (ast.For, ast.AsyncFor, ast.While)):
        blocks.extend((stmt.body, stmt.orelse))
    elif isinstance(stmt, (ast.With, ast.AsyncWith)):
        blocks.append(stmt.body)
    elif isinstance(stmt, ast.Match):
        blocks.extend(case.body for case in stmt.cases)
    elif isinstance(stmt, (ast.Try, *_TRY_STAR)):
        # ast.TryStar (``except*``) has the fields of ast.Try
        handlers: list[ast.ExceptHandler] = getattr(stmt, "handlers", [])
        blocks.append(getattr(stmt, "body", []))
        blocks.extend(handler.body for handler in handlers)
        blocks.extend((getattr(stmt, "orelse", []), getattr(stmt, "finalbody", [])))
    return blocks


def _is_elif(node: ast.If, lines: Sequence[str]) -> bool:
    """``elif`` (the node starts at that keyword) rather than an ``if`` under ``else:``."""
    if not 0 < node.lineno <= len(lines):
        return False
    text = lines[node.lineno - 1]
    start = text[:node.col_offset] if text.isascii() else (
        text.encode("utf-8")[:node.col_offset].decode("utf-8", errors="replace"))
    return text[len(start):].startswith("elif")
