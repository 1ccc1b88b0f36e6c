"""Source positions for libcst statements without libcst's PositionProvider.

libcst nodes carry no positions; its ``PositionProvider`` re-runs code generation over the
whole tree and costs about twice the parse itself. The stdlib ``ast`` parser is ten times
cheaper than libcst and records line and column for every statement, and both parsers see
the same statements in the same source order. So we parse with ``ast`` too and pair the two
statement sequences one to one (checking node kinds as we go). When the pairing fails (a
file that only the newer libcst grammar accepts, say), we fall back to ``PositionProvider``
for that file alone, so the answer is the same either way, only slower.

Columns are 1-based characters (``ast`` reports UTF-8 byte offsets; we convert).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Sequence
from typing import Any

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from pdlint.facts import Span

# Characters that ``str.splitlines`` breaks at but Python's tokenizer does not.
_NOT_PYTHON_NEWLINES = re.compile("[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_PYTHON_NEWLINE = re.compile(r"\r\n|\r|\n")


def source_lines(text: str) -> list[str]:
    """The lines of ``text`` as Python numbers them (``str.splitlines`` also breaks at form
    feeds and Unicode line separators, which would shift every later line number)."""
    if _NOT_PYTHON_NEWLINES.search(text) is None:
        return text.splitlines()
    lines = _PYTHON_NEWLINE.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


# libcst statement class -> the ast class names it corresponds to.
_KINDS: dict[type[cst.CSTNode], tuple[str, ...]] = {
    cst.FunctionDef: ("FunctionDef", "AsyncFunctionDef"),
    cst.ClassDef: ("ClassDef",),
    cst.If: ("If",),
    cst.For: ("For", "AsyncFor"),
    cst.While: ("While",),
    cst.Try: ("Try",),
    cst.With: ("With", "AsyncWith"),
    cst.Match: ("Match",),
    cst.Pass: ("Pass",),
    cst.Break: ("Break",),
    cst.Continue: ("Continue",),
    cst.Return: ("Return",),
    cst.Expr: ("Expr",),
    cst.Assign: ("Assign",),
    cst.AnnAssign: ("AnnAssign",),
    cst.AugAssign: ("AugAssign",),
    cst.Raise: ("Raise",),
    cst.Assert: ("Assert",),
    cst.Import: ("Import",),
    cst.ImportFrom: ("ImportFrom",),
    cst.Global: ("Global",),
    cst.Nonlocal: ("Nonlocal",),
    cst.Del: ("Delete",),
}
_TRY_STAR = getattr(cst, "TryStar", None)
if _TRY_STAR is not None:
    _KINDS[_TRY_STAR] = ("TryStar",)
_TYPE_ALIAS = getattr(cst, "TypeAlias", None)
if _TYPE_ALIAS is not None:
    _KINDS[_TYPE_ALIAS] = ("TypeAlias",)


def iter_cst_statements(body: Sequence[cst.CSTNode]) -> Iterator[cst.CSTNode]:
    """Small and compound statements in source order (pre-order), as ``ast`` sees them."""
    for stmt in body:
        if isinstance(stmt, cst.SimpleStatementLine):
            yield from stmt.body
            continue
        yield stmt
        yield from _cst_children(stmt)


def _cst_block(block: cst.BaseSuite) -> Iterator[cst.CSTNode]:
    if isinstance(block, cst.SimpleStatementSuite):
        yield from block.body
    elif isinstance(block, cst.IndentedBlock):
        yield from iter_cst_statements(block.body)


def _cst_children(stmt: cst.CSTNode) -> Iterator[cst.CSTNode]:
    if isinstance(stmt, (cst.FunctionDef, cst.ClassDef, cst.With)):
        yield from _cst_block(stmt.body)
    elif isinstance(stmt, cst.If):
        yield from _cst_block(stmt.body)
        orelse = stmt.orelse
        if isinstance(orelse, cst.If):
            yield orelse
            yield from _cst_children(orelse)
        elif isinstance(orelse, cst.Else):
            yield from _cst_block(orelse.body)
    elif isinstance(stmt, (cst.For, cst.While)):
        yield from _cst_block(stmt.body)
        if stmt.orelse is not None:
            yield from _cst_block(stmt.orelse.body)
    elif isinstance(stmt, cst.Try) or (_TRY_STAR is not None and isinstance(stmt, _TRY_STAR)):
        yield from _cst_block(stmt.body)
        for handler in stmt.handlers:
            yield from _cst_block(handler.body)
        if stmt.orelse is not None:
            yield from _cst_block(stmt.orelse.body)
        if stmt.finalbody is not None:
            yield from _cst_block(stmt.finalbody.body)
    elif isinstance(stmt, cst.Match):
        for case in stmt.cases:
            yield from _cst_block(case.body)


def _iter_ast_statements(body: Sequence[ast.stmt]) -> Iterator[ast.stmt]:
    for stmt in body:
        yield stmt
        for name in ("body", "handlers", "orelse", "finalbody", "cases"):
            children = getattr(stmt, name, None)
            if not children:
                continue
            if name in ("handlers", "cases"):
                for child in children:
                    yield from _iter_ast_statements(child.body)
            else:
                yield from _iter_ast_statements(children)


class Positions:
    """Line/column lookups for statements (and decorators) of one parsed module."""

    def __init__(self, source_lines: Sequence[str], line_offset: int = 0) -> None:
        self._lines = source_lines
        self._offset = line_offset  # lines of the file above the parsed text (a segment)
        self._stmt: dict[int, tuple[int, int, int, int]] = {}
        self._first: dict[int, int] = {}
        self._decorator_end: dict[int, int] = {}
        self._decorator_start: dict[int, int] = {}
        self._ast: dict[int, ast.stmt] = {}
        self._ranges: Any = None  # libcst PositionProvider results, in fallback mode

    # -- construction -------------------------------------------------------------------
    @classmethod
    def build(cls, module: cst.Module, source: str, tree: ast.Module | None, *,
              line_offset: int = 0, lines: Sequence[str] | None = None) -> Positions:
        """Pair ``module`` with the ``ast`` tree of the same source.

        ``tree`` None (only libcst could parse the source): use libcst's own provider.
        A segment of a larger file (:mod:`pdlint.extract`) is parsed on its own:
        ``line_offset`` is the number of file lines above it, added to every line number,
        and ``lines`` are the file's lines (default: those of ``source``).
        """
        if lines is None:
            lines = source_lines(source)
        positions = cls(lines, line_offset)
        if tree is None or not positions._pair(module, tree):
            positions = cls(lines, line_offset)
            positions._from_provider(module)
        return positions

    def _char_col(self, line: int, byte_col: int) -> int:
        if 0 < line <= len(self._lines):
            text = self._lines[line - 1]
            if not text.isascii():
                return len(text.encode("utf-8")[:byte_col].decode("utf-8", errors="replace"))
        return byte_col

    def _pair(self, module: cst.Module, tree: ast.Module) -> bool:
        cst_nodes = list(iter_cst_statements(module.body))
        ast_nodes = list(_iter_ast_statements(tree.body))
        if len(cst_nodes) != len(ast_nodes):
            return False
        offset = self._offset
        for cnode, anode in zip(cst_nodes, ast_nodes, strict=False):
            if type(anode).__name__ not in _KINDS.get(type(cnode), ()):
                return False
            line = anode.lineno + offset
            end_line = (anode.end_lineno or anode.lineno) + offset
            end_col = anode.end_col_offset if anode.end_col_offset is not None else anode.col_offset
            self._ast[id(cnode)] = anode
            self._stmt[id(cnode)] = (
                line,
                self._char_col(line, anode.col_offset) + 1,
                end_line,
                self._char_col(end_line, end_col) + 1,
            )
            decorators = getattr(cnode, "decorators", ())
            if decorators:
                ast_decorators: list[Any] = getattr(anode, "decorator_list", [])
                if len(ast_decorators) != len(decorators):
                    return False
                self._first[id(cnode)] = ast_decorators[0].lineno + offset
                for cdec, adec in zip(decorators, ast_decorators, strict=False):
                    self._decorator_end[id(cdec)] = (adec.end_lineno or adec.lineno) + offset
                    self._decorator_start[id(cdec)] = adec.lineno + offset
        return True

    def _from_provider(self, module: cst.Module) -> None:
        wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
        ranges = wrapper.resolve(PositionProvider)
        self._ranges = ranges
        offset = self._offset
        for node in iter_cst_statements(module.body):
            code_range = ranges.get(node)
            if code_range is None:
                continue
            self._stmt[id(node)] = (
                code_range.start.line + offset,
                code_range.start.column + 1,
                code_range.end.line + offset,
                code_range.end.column + 1,
            )
            for decorator in getattr(node, "decorators", ()):
                dec_range = ranges.get(decorator)
                if dec_range is not None:
                    self._decorator_end[id(decorator)] = dec_range.end.line + offset
                    self._decorator_start[id(decorator)] = dec_range.start.line + offset
            decorators = getattr(node, "decorators", ())
            if decorators and decorators[0] in ranges:
                self._first[id(node)] = ranges[decorators[0]].start.line + offset

    # -- queries ------------------------------------------------------------------------
    def span(self, node: cst.CSTNode) -> Span:
        """The statement's range; for ``def``/``class`` it starts at the keyword line."""
        line, col, end_line, end_col = self._stmt.get(id(node), (1, 1, 1, 1))
        return Span(line, col, end_line, end_col)

    def line(self, node: cst.CSTNode) -> int:
        return self._stmt.get(id(node), (1, 1, 1, 1))[0]

    def end_line(self, node: cst.CSTNode) -> int:
        return self._stmt.get(id(node), (1, 1, 1, 1))[2]

    def first_line(self, node: cst.CSTNode) -> int:
        """First line of the statement including its decorators (where leading comments end)."""
        return self._first.get(id(node), self.line(node))

    def decorator_end_line(self, decorator: cst.Decorator) -> int:
        return self._decorator_end.get(id(decorator), 1)

    def decorator_start_line(self, decorator: cst.Decorator) -> int:
        """The line of the decorator's ``@``."""
        return self._decorator_start.get(id(decorator), 1)

    def call_span(self, stmt: cst.CSTNode, call: cst.Call) -> Span | None:
        """The exact range of ``call`` inside the small statement ``stmt``, computed on demand.

        Only reported calls need this (sinks), so instead of positions for every node we
        pair the statement's calls in source order with ``ast``'s. None when that fails or
        ``stmt`` is a compound statement (the caller keeps the statement's own range).
        """
        if self._ranges is not None:
            found = self._ranges.get(call)
            if found is None:
                return None
            return Span(found.start.line + self._offset, found.start.column + 1,
                        found.end.line + self._offset, found.end.column + 1)
        anode = self._ast.get(id(stmt))
        if anode is None or isinstance(stmt, cst.BaseCompoundStatement):
            return None
        ast_calls = sorted(
            (n for n in ast.walk(anode) if isinstance(n, ast.Call)),
            key=lambda n: (n.lineno, n.col_offset, -(n.end_lineno or 0), -(n.end_col_offset or 0)),
        )
        cst_calls: list[cst.Call] = []
        _collect_calls(stmt, cst_calls)
        if len(ast_calls) != len(cst_calls):
            return None
        for cnode, anode_call in zip(cst_calls, ast_calls, strict=False):
            if cnode is call:
                line = anode_call.lineno + self._offset
                end_line = (anode_call.end_lineno or anode_call.lineno) + self._offset
                end_col = anode_call.end_col_offset or anode_call.col_offset
                return Span(line, self._char_col(line, anode_call.col_offset) + 1,
                            end_line, self._char_col(end_line, end_col) + 1)
        return None

    def line_text(self, line: int) -> str:
        if 0 < line <= len(self._lines):
            return self._lines[line - 1]
        return ""


def _collect_calls(node: cst.CSTNode, out: list[cst.Call]) -> None:
    """Calls under ``node`` in source pre-order (slow ``children``; used for few statements)."""
    if isinstance(node, cst.Call):
        out.append(node)
    for child in node.children:
        _collect_calls(child, out)
