"""Decoding and parsing one file safely.

Bad input must never crash a scan: undecodable bytes, NUL bytes, syntax errors and
pathologically nested code all become a :class:`ParseErrorFact` (reported as PDL001).
libcst's native parser overflows its stack (a segmentation fault, which no ``except``
catches) or runs for minutes on some inputs that CPython's own parser refuses cleanly with
a ``RecursionError`` or "too many nested parentheses". So the stdlib parser always goes
first: it is ten times cheaper, its tree gives us statement positions anyway, and libcst
only sees sources that CPython could parse or that failed for an ordinary syntax reason
(new syntax this interpreter does not know yet, which libcst may).

A file that CPython accepts is valid Python, so it is never a PDL001, even where pdlint's
stricter tools refuse it (what was done is summarised in ``ParsedSource.note``):

* ``tokenize.detect_encoding`` refuses bytes that are not valid UTF-8 on the first two lines
  of a file without a coding declaration, and ``bytes.decode`` refuses them anywhere; CPython
  accepts them in comments (and only there: it rejects them in strings, identifiers and
  code, and any undecodable byte in a file that declares another encoding). So when the
  strict decode fails, CPython itself decides (:func:`_python_accepts`); if it accepts the
  bytes, they are decoded with ``errors="replace"``: one U+FFFD per bad sequence, inside a
  comment, so no line number changes and no column outside that comment does either.
* libcst refuses some code CPython accepts (a line holding only a backslash before
  ``else:``/``except``, thousands of implicitly concatenated strings); :func:`parse` repairs
  the text for libcst without changing line numbers and says which lines it did not read.
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
    """A successfully parsed file: the decoded text and both trees.

    ``text`` is what both trees were parsed from; when the file had to be read in a repaired
    form, ``note`` says which lines and why (never quoting them: source text may hold
    personal data), and the text differs from the file only on those lines.
    """

    text: str
    module: cst.Module
    tree: ast.Module | None  # None when only libcst could parse it (newer syntax)
    note: str | None = None


_BOM = b"\xef\xbb\xbf"
# PEP 263, applied to bytes as CPython's tokenizer does (tokenize.cookie_re, for bytes)
_COOKIE = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")
_BLANK_OR_COMMENT = re.compile(rb"^[ \t\f]*(?:[#\r\n]|$)")
_UTF8_NAMES = frozenset({"utf-8", "utf-8-sig"})


def decode(data: bytes) -> str | ParseErrorFact:
    """Decode source bytes per PEP 263 (BOM, coding cookie, default UTF-8), as leniently as
    CPython and no more: see the module docstring."""
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        return ParseErrorFact("source contains NUL bytes", line, 1)
    strict = _decode_strictly(data)
    if isinstance(strict, str):
        return strict
    lenient = _decode_as_python_does(data)
    return strict if lenient is None else lenient


def _decode_strictly(data: bytes) -> str | ParseErrorFact:
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


def _python_accepts(data: bytes) -> bool:
    """Whether CPython compiles these bytes: the judge of what a lenient decode may accept.

    Only asked after a strict decode failed (rare), so the extra parse costs nothing on
    ordinary files. CPython's parser refuses pathological input cleanly (no crash)."""
    try:
        compile(data, "<pdlint>", "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError):
        return False
    return True


def _declared_encoding(data: bytes) -> str | None:
    """The PEP 263 declaration on line 1, or on line 2 below a blank or comment line 1,
    normalised by ``codecs``; found on bytes, as CPython does, so a first line that is not
    valid UTF-8 does not hide a declaration on the second."""
    lines = data.split(b"\n", 2)[:2]
    for index, line in enumerate(lines):
        match = _COOKIE.match(line)
        if match:
            try:
                return codecs.lookup(match.group(1).decode("ascii")).name
            except (LookupError, UnicodeDecodeError):
                return None
        if index == 0 and not _BLANK_OR_COMMENT.match(line):
            break
    return None


def _decode_as_python_does(data: bytes) -> str | None:
    """The text CPython reads from bytes a strict decode refused, or None if CPython refuses
    them too. Undecodable UTF-8 (only ever in comments, since CPython accepted the file)
    becomes U+FFFD; any other declared encoding must decode strictly, as in CPython."""
    if not _python_accepts(data):
        return None
    encoding = _declared_encoding(data) or "utf-8"
    if data.startswith(_BOM):
        data = data[len(_BOM):]
    try:
        text = data.decode(encoding, "replace" if encoding in _UTF8_NAMES else "strict")
    except (LookupError, UnicodeDecodeError):
        return None
    return text[1:] if text.startswith("\ufeff") else text


def undecodable_lines(data: bytes) -> list[int]:
    """The lines holding bytes that a lenient UTF-8 decode replaced (1-based)."""
    if (_declared_encoding(data) or "utf-8") not in _UTF8_NAMES:
        return []
    found = []
    for number, line in enumerate(data.split(b"\n"), start=1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            found.append(number)
    return found


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


def parse(text: str, data: bytes | None = None) -> ParsedSource | ParseErrorFact:
    """Parse with ``ast`` first (safe against pathological nesting), then with libcst.

    ``data``, the bytes ``text`` was decoded from, lets the note name the lines whose
    undecodable bytes :func:`decode` replaced. When libcst refuses code that CPython accepts,
    the text is repaired for libcst (:func:`_repair`) rather than reported as PDL001.
    """
    notes: list[str] = []
    if data is not None and "\ufffd" in text:
        replaced = undecodable_lines(data)
        if replaced:
            notes.append(f"{_line_list(replaced)} {'has' if len(replaced) == 1 else 'have'} "
                         "bytes that are not valid UTF-8 in a comment (Python accepts them "
                         "there), read as U+FFFD")
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
    except (RecursionError, MemoryError):  # CPython's parser says MemoryError for depth
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
        repaired = _repair(text, tree)
        if repaired is None:
            return ParseErrorFact(f"syntax error: {_short(exc)}", exc.raw_line or 1,
                                  exc.raw_column + 1)
        text, module, tree, note = repaired
        notes.append(note)
    except RecursionError:
        # (a MemoryError goes up: depth was refused above, so here it is the memory limit
        # of the worker, which the engine reports as such)
        return ParseErrorFact("too deeply nested to analyse (recursion limit)")
    except Exception as exc:  # libcst raises assorted errors on odd input
        if tree is None:
            return syntax_error
        return ParseErrorFact(f"cannot parse: {type(exc).__name__}")
    return ParsedSource(text, module, tree, "; ".join(notes) or None)


# -- reading for libcst what only CPython accepts -------------------------------------------
#
# The text is repaired without changing any line number, so every fact keeps its position:
#
# 1. Lossless: a line holding only a backslash (outside strings, not continuing a line) is
#    read as a blank line; kept only if CPython's tree stays the same (ast.dump equality).
#    libcst refuses such a line before ``else:``, ``except``, ``finally`` and at the end of a
#    file with CRLF endings; CPython joins it to the next line, to the same effect.
# 2. Lossy, bounded (:func:`_reduce`): the top-level statements libcst refuses are found by
#    bisection; inside each, libcst's error position (the furthest token its parser reached,
#    often the one after the culprit) names a statement it cannot read, whose lines are
#    replaced by a placeholder of the same height and indentation that keeps the names it
#    defines (``X = (...)``, ``def f(): (...)``, ``class C: (...)``) and the comments on its
#    first and last lines (a tag trailing it stays attached). A replacement that leaves the
#    error where it was is undone and the next candidate is tried (the statement before,
#    then the enclosing ones).
#
# Whatever the outcome, the note lists the lines read differently and never quotes them.

_REPAIR_BUDGET = 12  # lines libcst may parse while repairing, per line of the file
_PHYSICAL_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
_BACKSLASH_ONLY = re.compile(r"[ \t\f]*\\(?:\r\n|\r|\n)?\Z")
_LINE_END = re.compile(r"(?:\r\n|\r|\n)\Z")


@dataclass(frozen=True)
class _Unit:
    """The statements of one body that share lines (almost always one statement): the
    smallest run of whole lines that can be swapped for a placeholder on its own."""

    start: int  # first line (the first decorator's, for a decorated def or class)
    end: int
    stmts: tuple[ast.stmt, ...]
    depth: int
    parent: int | None  # index of the enclosing unit
    owned: bool  # begins its first line and only a comment or ``;`` follows it on its last


def _physical_lines(text: str) -> list[str]:
    """Lines with their endings, split where CPython splits them (not on ``\\f`` and the
    other separators ``str.splitlines`` knows)."""
    return [match.group(0) for match in _PHYSICAL_LINE.finditer(text)]


def _ending(line: str) -> str:
    match = _LINE_END.search(line)
    return match.group(0) if match else ""


def _repair(text: str, tree: ast.Module) -> tuple[str, cst.Module, ast.Module, str] | None:
    """Text libcst can parse, its libcst and ast trees, and a note; None if not found."""
    try:
        lines = _physical_lines(text)
        notes: list[str] = []
        blanked = _blank_backslash_lines(lines, tree)
        if blanked:
            lines = blanked[0]
            count = len(blanked[1])
            notes.append(f"{_line_list(blanked[1])}, which "
                         f"{'holds' if count == 1 else 'hold'} only a backslash, "
                         f"{'was' if count == 1 else 'were'} read as "
                         f"{'a blank line' if count == 1 else 'blank lines'} "
                         f"(libcst cannot parse {'it' if count == 1 else 'them'} there, "
                         "Python reads both the same)")
            candidate = "".join(lines)
            try:
                return candidate, _parse_without_validation(candidate), tree, notes[0]
            except cst.ParserSyntaxError:
                pass  # something else libcst refuses too: go on from the blanked lines
        reduced = _reduce(lines, tree)
        if reduced is None:
            return None
        candidate, module, replaced = reduced
        new_tree = ast.parse(candidate)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    except Exception:  # libcst raises assorted errors on odd input: give up, as before
        return None
    one = len(replaced) == 1
    notes.append(f"{_line_list(replaced)} {'was' if one else 'were'} read in a reduced form "
                 f"(libcst cannot parse {'it' if one else 'them'}, Python can): personal data "
                 "there was not checked")
    return candidate, module, new_tree, "; ".join(notes)


def _string_interiors(tree: ast.Module) -> set[int]:
    """Lines strictly inside a string literal spanning several lines (their text is data)."""
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Constant, ast.JoinedStr)):
            end = getattr(node, "end_lineno", None) or node.lineno
            if end > node.lineno and (isinstance(node, ast.JoinedStr)
                                      or isinstance(node.value, (str, bytes))):
                inside.update(range(node.lineno + 1, end))
    return inside


def _blank_backslash_lines(lines: list[str],
                           tree: ast.Module) -> tuple[list[str], list[int]] | None:
    """Lines holding only a backslash, read as blank lines, if that leaves CPython's tree
    unchanged: the new lines and the numbers of the blanked ones."""
    numbers = [n for n, line in enumerate(lines, start=1) if _BACKSLASH_ONLY.match(line)]
    if not numbers:
        return None
    inside = _string_interiors(tree)
    candidates = set(numbers) - inside
    chosen: list[int] = []
    for number in sorted(candidates):
        previous = lines[number - 2].rstrip("\r\n") if number > 1 else ""
        continued = previous.endswith("\\") and not previous.lstrip().startswith("#")
        if continued and number - 1 not in candidates:
            continue  # it ends a continued line: blanking it would cut that line short
        chosen.append(number)
    if not chosen:
        return None
    new = list(lines)
    for number in chosen:
        new[number - 1] = _ending(lines[number - 1])
    try:
        same = ast.dump(ast.parse("".join(new))) == ast.dump(tree)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    return (new, chosen) if same else None


def _units(tree: ast.Module, lines: list[str]) -> list[_Unit]:
    """Every statement unit of the tree, parents before children."""
    units: list[_Unit] = []
    stack: list[tuple[list[ast.stmt], int, int | None]] = [(tree.body, 0, None)]
    while stack:
        body, depth, parent = stack.pop()
        groups: list[list[ast.stmt]] = []
        for stmt in body:
            if groups and _first_line(stmt) <= (groups[-1][-1].end_lineno or 0):
                groups[-1].append(stmt)
            else:
                groups.append([stmt])
        for group in groups:
            index = len(units)
            start = _first_line(group[0])
            last = group[-1]
            end = last.end_lineno or last.lineno
            units.append(_Unit(start, end, tuple(group), depth, parent,
                               _owns_lines(group[0], last, start, end, lines)))
            for stmt in group:
                for child in _bodies(stmt):
                    stack.append((child, depth + 1, index))
    return units


def _first_line(stmt: ast.stmt) -> int:
    decorators = getattr(stmt, "decorator_list", None) or ()
    return min([stmt.lineno, *(d.lineno for d in decorators)])


def _bodies(stmt: ast.stmt) -> list[list[ast.stmt]]:
    bodies = [getattr(stmt, name) for name in ("body", "orelse", "finalbody")
              if isinstance(getattr(stmt, name, None), list)]
    bodies += [handler.body for handler in getattr(stmt, "handlers", ())]
    bodies += [case.body for case in getattr(stmt, "cases", ())]
    return bodies


def _owns_lines(first: ast.stmt, last: ast.stmt, start: int, end: int,
                lines: list[str]) -> bool:
    if start > len(lines) or end > len(lines):
        return False
    head = lines[start - 1]
    if start < first.lineno:  # a decorator line
        if not head.lstrip().startswith("@"):
            return False
    elif head.encode("utf-8")[: first.col_offset].strip(b" \t\f"):
        return False
    tail_bytes = lines[end - 1].encode("utf-8")[last.end_col_offset or 0:]
    tail = tail_bytes.decode("utf-8", "replace").strip()
    if tail.startswith(";"):
        tail = tail[1:].strip()
    return not tail or tail.startswith("#")


def _comments(text: str) -> dict[int, list[tuple[int, str]]]:
    """Comment tokens by line: (0-based character column, text); empty if tokenizing fails
    (a line regex could mistake a ``#`` inside a string for a comment)."""
    found: dict[int, list[tuple[int, str]]] = {}
    try:
        readline = io.StringIO(text, newline="").readline
        for token in tokenize.generate_tokens(readline):
            if token.type == tokenize.COMMENT:
                found.setdefault(token.start[0], []).append((token.start[1], token.string))
    except (tokenize.TokenError, SyntaxError, ValueError, RecursionError, MemoryError):
        return {}
    return found


def _head(unit: _Unit) -> str:
    """The start of a placeholder: the names the unit defines, nothing else of its text."""
    if len(unit.stmts) != 1:
        return ""
    stmt = unit.stmts[0]
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
        prefix = "async def" if isinstance(stmt, ast.AsyncFunctionDef) else "def"
        return f"{prefix} {stmt.name}(): "
    if isinstance(stmt, ast.ClassDef):
        return f"class {stmt.name}: "
    if isinstance(stmt, ast.Assign):
        targets = [t for t in (_target(target) for target in stmt.targets) if t]
        return "".join(f"{target} = " for target in targets)
    if isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
        target = _target(stmt.target)
        return f"{target} = " if target else ""
    return ""


def _target(node: ast.expr) -> str | None:
    """An assignment target made of names only (``x``, ``a, *b``, ``self.x``), written
    back; None for anything holding other expressions (subscripts, literals)."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _target(node.value)
        return f"{base}.{node.attr}" if base and isinstance(node.value, (ast.Name,
                                                                         ast.Attribute)) else None
    if isinstance(node, ast.Starred):
        inner = _target(node.value)
        return f"*{inner}" if inner and isinstance(node.value, ast.Name) else None
    if isinstance(node, (ast.Tuple, ast.List)) and node.elts:
        parts = [_target(element) for element in node.elts]
        if all(parts) and not any(isinstance(e, (ast.Tuple, ast.List)) for e in node.elts):
            return "(" + ", ".join(p for p in parts if p) + ("," if len(parts) == 1 else "") + ")"
    return None


def _placeholder(unit: _Unit, lines: list[str], comments: dict[int, list[tuple[int, str]]],
                 offset: int = 0) -> list[str]:
    """The unit's lines as a placeholder: same height, same indentation, same line endings,
    the comments of its first and last lines at their columns."""
    first = lines[unit.start - 1 - offset]
    indent = first[: len(first) - len(first.lstrip(" \t\f"))]
    height = unit.end - unit.start + 1
    head = indent + _head(unit)
    if height == 1:
        body = [head + "(...)"]
    else:
        body = [head + "(..."] + [""] * (height - 2) + [")"]
    for row in {0, height - 1}:
        for column, comment in comments.get(unit.start + row, ()):
            line = body[row]
            body[row] = (line.ljust(column) if len(line) < column else line + "  ") + comment
    return [line + _ending(lines[unit.start - 1 - offset + i])
            for i, line in enumerate(body)]


class _Budget:
    """How much more libcst may parse while repairing one file, counted in lines: a small
    multiple of the file, so a repair never costs more than a few ordinary parses."""

    def __init__(self, lines: int) -> None:
        self.left = _REPAIR_BUDGET * max(lines, 1)

    def parse(self, text: str) -> cst.Module | tuple[int, int] | None:
        """The module, the error position (1-based line, 0-based column), or None when the
        budget is spent or libcst failed in some other way."""
        cost = text.count("\n") + 1
        if cost > self.left:
            return None
        self.left -= cost
        try:
            return _parse_without_validation(text)
        except cst.ParserSyntaxError as exc:
            return (exc.raw_line, exc.raw_column)
        except Exception:  # RecursionError and libcst's assorted errors: no position
            return None


def _reduce(lines: list[str], tree: ast.Module) -> tuple[str, cst.Module, list[int]] | None:
    """Replace as few statements as it takes for libcst: the text, its module and the
    replaced lines, or None within the budget.

    Top-level statements parse independently, so bisecting them (each with the comments
    and blank lines above it) finds every one libcst refuses in O(k log n) parses of
    sub-texts; inside each, libcst's error position guides the search (:func:`_candidates`).
    libcst reports the furthest position its parser reached, which stays put while the
    culprit is still there: a replacement that leaves it unchanged is undone.
    """
    units = _units(tree, lines)
    comments = _comments("".join(lines))
    budget = _Budget(len(lines))
    tops = [i for i, unit in enumerate(units) if unit.parent is None]
    if not tops:
        return None
    top_of: list[int] = []  # units come parents first
    for index, unit in enumerate(units):
        top_of.append(index if unit.parent is None else top_of[unit.parent])
    starts = [1] + [units[i].end + 1 for i in tops[:-1]]
    ends = [units[i].end for i in tops[:-1]] + [len(lines)]
    failing = _failing_chunks(lines, starts, ends, 0, len(tops), budget)
    if failing is None:
        return None
    accepted: list[int] = []
    for chunk in failing:
        inside = [i for i in range(len(units)) if top_of[i] == tops[chunk]]
        fixed = _repair_chunk(lines, units, inside, starts[chunk], ends[chunk], comments,
                              budget)
        if fixed is None:
            return None
        accepted += fixed
    if not accepted:
        return None
    text = _apply(lines, units, accepted, comments)
    module = budget.parse(text)
    if not isinstance(module, cst.Module):
        return None
    replaced = sorted({n for i in accepted for n in range(units[i].start, units[i].end + 1)})
    return text, module, replaced


def _failing_chunks(lines: list[str], starts: list[int], ends: list[int], low: int,
                    high: int, budget: _Budget) -> list[int] | None:
    """Indexes of the top-level chunks in ``[low, high)`` that libcst refuses."""
    text = "".join(lines[starts[low] - 1: ends[high - 1]])
    result = budget.parse(text)
    if isinstance(result, cst.Module):
        return []
    if result is None:
        return None
    if high - low == 1:
        return [low]
    middle = (low + high) // 2
    first = _failing_chunks(lines, starts, ends, low, middle, budget)
    second = _failing_chunks(lines, starts, ends, middle, high, budget)
    return None if first is None or second is None else first + second


def _repair_chunk(lines: list[str], units: list[_Unit], inside: list[int], start: int,
                  end: int, comments: dict[int, list[tuple[int, str]]],
                  budget: _Budget) -> list[int] | None:
    """The units to replace (among ``inside``, one top-level statement and what it holds)
    so that its chunk of the file, lines ``start``–``end``, parses."""
    chunk = lines[start - 1: end]

    def attempt(chosen: list[int]) -> cst.Module | tuple[int, int] | None:
        text = _apply(chunk, units, chosen, comments, offset=start - 1)
        result = budget.parse(text)
        if isinstance(result, tuple):
            return (result[0] + start - 1, result[1])  # back to file lines
        return result

    error = attempt([])
    if not isinstance(error, tuple):
        return [] if isinstance(error, cst.Module) else None
    accepted: list[int] = []
    tried: set[tuple[int, ...]] = set()
    while True:
        for candidate in _candidates(units, inside, error, accepted):
            trial = [a for a in accepted if not _within(units, a, candidate)] + [candidate]
            key = tuple(sorted(trial))
            if key in tried:
                continue
            tried.add(key)
            result = attempt(trial)
            if result is None:
                return None
            if isinstance(result, cst.Module):
                return trial
            if result != error:  # the reported culprit is gone: keep it, look further
                accepted, error = trial, result
                break
        else:
            return None


def _candidates(units: list[_Unit], inside: list[int], error: tuple[int, int],
                accepted: list[int]) -> list[int]:
    """Units to try replacing for an error at ``error``, most likely first: the innermost
    unit holding the error line and the innermost one ending just before it (first when
    the error is on the first line of its unit: libcst often reports the token after the
    culprit), then their enclosing units. Units already replaced are left out."""
    line = error[0]
    holding = [i for i in inside if units[i].start <= line <= units[i].end]
    holding.sort(key=lambda i: -units[i].depth)
    ends = [units[i].end for i in inside if units[i].end < line]
    before_end = max(ends) if ends else None
    before = [i for i in inside if units[i].end == before_end]
    before.sort(key=lambda i: -units[i].depth)
    order = holding + before
    if holding and units[holding[0]].start == line:
        order = before + holding
    seen: list[int] = []
    for index in order:
        if units[index].owned and index not in seen and not any(
                _within(units, index, a) for a in accepted):
            seen.append(index)
    return seen


def _within(units: list[_Unit], inner: int, outer: int) -> bool:
    """Whether unit ``inner`` is ``outer`` or lies inside it."""
    current: int | None = inner
    while current is not None:
        if current == outer:
            return True
        current = units[current].parent
    return False


def _apply(lines: list[str], units: list[_Unit], chosen: list[int],
           comments: dict[int, list[tuple[int, str]]], offset: int = 0) -> str:
    """``lines`` (which start at file line ``offset + 1``) with the chosen units replaced."""
    new = list(lines)
    for index in chosen:
        unit = units[index]
        new[unit.start - 1 - offset: unit.end - offset] = _placeholder(unit, lines, comments,
                                                                       offset)
    return "".join(new)


def _line_list(numbers: list[int]) -> str:
    """``line 3``, ``lines 3–5004``, ``lines 2, 7–9 and 12`` (at most five ranges named)."""
    ranges: list[list[int]] = []
    for number in sorted(set(numbers)):
        if ranges and number == ranges[-1][1] + 1:
            ranges[-1][1] = number
        else:
            ranges.append([number, number])
    parts = [str(a) if a == b else f"{a}\u2013{b}" for a, b in ranges]
    if len(parts) > 5:
        parts = parts[:5] + [f"{len(parts) - 5} more"]
    plural = len(numbers) > 1
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"{'lines' if plural else 'line'} {listed}"
