"""Decoding and parsing one file safely.

Bad input must never crash a scan: undecodable bytes, NUL bytes, syntax errors and
pathologically nested code all become a :class:`ParseErrorFact` (reported as PDL001).
libcst's native parser overflows its stack (a segmentation fault, which no ``except``
catches) or runs for minutes on some inputs that CPython's own parser refuses cleanly with
a ``RecursionError`` or "too many nested parentheses". So the stdlib parser always goes
first: it is ten times cheaper, its tree gives us statement positions anyway, and libcst
only sees sources that CPython could parse or that failed for an ordinary syntax reason
(new syntax this interpreter does not know yet, which libcst may).
"""

from __future__ import annotations

import ast
import codecs
import io
import re
import tokenize
from dataclasses import dataclass

import libcst as cst

from pdlint.facts import ParseErrorFact

_NESTING_MESSAGES = ("too many nested", "too many levels", "too many statically nested")


@dataclass
class ParsedSource:
    """A successfully parsed file: the decoded text and both trees."""

    text: str
    module: cst.Module
    tree: ast.Module | None  # None when only libcst could parse it (newer syntax)


def decode(data: bytes) -> str | ParseErrorFact:
    """Decode source bytes per PEP 263 (BOM, coding cookie, default UTF-8)."""
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        return ParseErrorFact("source contains NUL bytes", line, 1)
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        return ParseErrorFact(f"cannot determine the encoding: {_short(exc)}")
    try:
        codecs.lookup(encoding)
        text = data.decode(encoding)
    except (LookupError, UnicodeDecodeError) as exc:
        reason = exc.reason if isinstance(exc, UnicodeDecodeError) else "unknown encoding"
        line = 1
        if isinstance(exc, UnicodeDecodeError):
            line = data[: exc.start].count(b"\n") + 1
        return ParseErrorFact(f"cannot decode as {encoding}: {reason}", line, 1)
    if text.startswith("\ufeff"):
        text = text[1:]
    return text


def _short(exc: BaseException) -> str:
    text = str(exc.args[0]) if exc.args else type(exc).__name__
    # Never echo source text (it may contain personal data): keep only the message head.
    return re.sub(r"\s+", " ", text).split("(", 1)[0].strip()[:120] or type(exc).__name__


_NODE_BASE = getattr(getattr(cst, "_nodes", None), "base", None)
_MAX_DEPTH = 3000


def _may_be_deep(text: str) -> bool:
    """Cheap pre-check: nesting thousands of levels deep needs thousands of lines or a line
    of thousands of characters, so only such files pay for measuring the tree's depth."""
    if text.count("\n") > _MAX_DEPTH:
        return True
    return any(len(line) > 2 * _MAX_DEPTH for line in text.splitlines())


def _depth(tree: ast.AST) -> int:
    """The depth of an ``ast`` tree, measured without recursion."""
    deepest = 0
    stack: list[tuple[ast.AST, int]] = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > deepest:
            deepest = depth
            if deepest > _MAX_DEPTH:
                return deepest
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return deepest


def _parse_without_validation(text: str) -> cst.Module:
    """``libcst.parse_module`` without re-validating every node the parser builds.

    libcst validates each node in ``CSTNode.__post_init__`` as it is constructed — about
    half the cost of a parse (measured on real projects) — although nodes built by its own
    parser are valid by construction (its source says as much: "It might make more sense to
    move validation work into the visitor, which would allow us to avoid validating the
    tree when parsing a file"). pdlint never builds or edits nodes, so validation is switched
    off for the duration of the parse and restored afterwards (the process is
    single-threaded). If libcst's internals ever change shape, this falls back to a normal
    parse.
    """
    node_class = getattr(_NODE_BASE, "CSTNode", None)
    original = getattr(node_class, "__post_init__", None) if node_class else None
    if node_class is None or original is None:
        return cst.parse_module(text)
    node_class.__post_init__ = _no_validation  # type: ignore[method-assign]
    try:
        return cst.parse_module(text)
    finally:
        node_class.__post_init__ = original  # type: ignore[method-assign]


def _no_validation(self: object) -> None:
    return None


def parse(text: str) -> ParsedSource | ParseErrorFact:
    """Parse with ``ast`` first (safe against pathological nesting), then with libcst."""
    tree: ast.Module | None
    try:
        tree = ast.parse(text)
    except SyntaxError as exc:
        message = _short(exc)
        if any(marker in message for marker in _NESTING_MESSAGES):
            return ParseErrorFact(f"too deeply nested to analyse: {message}", exc.lineno or 1, 1)
        tree = None
        syntax_error = ParseErrorFact(f"syntax error: {message}", exc.lineno or 1,
                                      exc.offset or 1)
    except (RecursionError, MemoryError):
        return ParseErrorFact("too deeply nested to analyse (recursion limit)")
    except ValueError as exc:
        return ParseErrorFact(f"cannot parse: {_short(exc)}")
    if tree is not None and _may_be_deep(text) and _depth(tree) > _MAX_DEPTH:
        # CPython's own limits differ between versions (3.10 accepts chains that 3.11
        # refuses), but libcst's native parser overflows its stack beyond a few thousand
        # levels whatever the interpreter: refuse such files before libcst sees them.
        return ParseErrorFact("too deeply nested to analyse (expression depth)")
    try:
        module = _parse_without_validation(text)
    except cst.ParserSyntaxError as exc:
        if tree is None:
            return syntax_error
        return ParseErrorFact(f"syntax error: {_short(exc)}", exc.raw_line or 1, exc.raw_column + 1)
    except (RecursionError, MemoryError):
        return ParseErrorFact("too deeply nested to analyse (recursion limit)")
    except Exception as exc:  # libcst raises assorted errors on odd input
        if tree is None:
            return syntax_error
        return ParseErrorFact(f"cannot parse: {type(exc).__name__}")
    return ParsedSource(text, module, tree)
