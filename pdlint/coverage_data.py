"""Reading ``--coverage FILE``: which lines the test suite executed, and which tests did.

pdlint never runs the code it scans, but a project's own test run can tell it more than
static references can: with coverage data, PDL301 counts a tagged function as tested only
when its body was executed.  Two inputs are accepted:

* a ``.coverage`` SQLite data file, read through coverage.py's own public API
  (:class:`coverage.CoverageData`) rather than SQL, because the schema is private and has
  changed between releases;
* the JSON report written by ``coverage json`` (optionally ``--show-contexts``), which needs
  no coverage package at all, so CI jobs can hand pdlint an artifact from another job.

coverage.py is an optional dependency (``pdlint[coverage]``), imported only when a SQLite
data file is actually given.

Measured paths are usually absolute paths on the machine that ran the tests (often a CI
runner with another checkout directory), or paths relative to where ``coverage json`` ran,
while pdlint knows project-relative posix paths; :meth:`CoverageInfo.executed` matches them
by trailing path components.

Every failure to read the file becomes a :class:`CoverageError` with a message meant for the
user (the CLI turns it into exit code 2): a linter must not guess when told to use data.
"""

from __future__ import annotations

import inspect
import json
import os
import re
import sqlite3
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

__all__ = ["CoverageError", "CoverageInfo", "load_coverage"]

_SQLITE_MAGIC = b"SQLite format 3\x00"
_WINDOWS_ABS = re.compile(r"^(?:[A-Za-z]:[\\/]|\\\\)")
# pytest-cov's test contexts end in the phase: "tests/test_x.py::test_a|run"
_PHASE = re.compile(r"\|(?:run|setup|teardown)$")
_INSTALL_HINT = (
    "reading a .coverage data file needs coverage.py: install pdlint[coverage] "
    "(or `pip install coverage`), or pass a JSON report made with `coverage json`"
)

LinesLoader = Callable[[str], "frozenset[int] | None"]
ContextsLoader = Callable[[str], "dict[int, tuple[str, ...]]"]


class CoverageError(Exception):
    """The coverage file cannot be used; the message says why and what to do."""


class CoverageInfo:
    """Executed lines (and the tests that executed them) per measured file.

    Built by :func:`load_coverage`, or directly from mappings (tests, other front ends):
    ``CoverageInfo({"/ci/app/svc.py": {3, 4}}, {"/ci/app/svc.py": {3: ("test_a",)}})``.
    Per-file data of a SQLite file is read on first use, since pdlint only asks about the
    few files that hold tagged functions.
    """

    def __init__(
        self,
        lines: Mapping[str, Iterable[int]] | None = None,
        contexts: Mapping[str, Mapping[int, Iterable[str]]] | None = None,
        *,
        source: str = "",
        root: Path | None = None,
        measured: Iterable[str] | None = None,
        lines_loader: LinesLoader | None = None,
        contexts_loader: ContextsLoader | None = None,
        has_contexts: bool | None = None,
    ) -> None:
        self.source = source
        self._lines: dict[str, frozenset[int] | None] = {
            key: frozenset(value) for key, value in (lines or {}).items()}
        self._contexts: dict[str, dict[int, tuple[str, ...]]] = {
            key: {int(line): _clean_contexts(names) for line, names in value.items()}
            for key, value in (contexts or {}).items()}
        self._lines_loader = lines_loader
        self._contexts_loader = contexts_loader
        keys = set(measured) if measured is not None else set(self._lines)
        self.measured: tuple[str, ...] = tuple(sorted(keys))
        if has_contexts is None:
            has_contexts = any(names for value in self._contexts.values()
                               for names in value.values())
        self.has_contexts = has_contexts
        self._root = root
        self._by_name: dict[str, list[tuple[str, tuple[str, ...], bool]]] = {}
        self._exact: dict[str, str] = {}
        for key in self.measured:
            parts, absolute = _parts(key)
            if parts:
                self._by_name.setdefault(parts[-1].lower(), []).append((key, parts, absolute))
            if absolute:
                self._exact["/".join(parts).lower() if _is_windows(key) else "/".join(parts)] = key
        self._resolved: dict[str, str | None] = {}

    # -- queries -------------------------------------------------------------------------

    def resolve(self, path: str) -> str | None:
        """The measured file that is the project file ``path`` (root-relative posix path)."""
        if path in self._resolved:
            return self._resolved[path]
        found = self._resolve(path)
        self._resolved[path] = found
        return found

    def executed(self, path: str) -> frozenset[int] | None:
        """Lines of ``path`` that ran, or ``None`` when coverage never measured the file."""
        key = self.resolve(path)
        if key is None:
            return None
        if key not in self._lines:
            loaded = self._lines_loader(key) if self._lines_loader else None
            self._lines[key] = loaded
        return self._lines[key]

    def contexts(self, path: str, line: int) -> tuple[str, ...]:
        """The tests (coverage contexts) that executed ``line``; empty without contexts."""
        by_line = self._contexts_of(path)
        return by_line.get(line, ()) if by_line else ()

    def tests_for(self, path: str, lines: Iterable[int]) -> tuple[str, ...]:
        """The tests that executed any of ``lines``, sorted: who covers a function."""
        by_line = self._contexts_of(path)
        if not by_line:
            return ()
        found: set[str] = set()
        for line in lines:
            found.update(by_line.get(line, ()))
        return tuple(sorted(found))

    # -- internals ----------------------------------------------------------------------

    def _contexts_of(self, path: str) -> dict[int, tuple[str, ...]] | None:
        if not self.has_contexts:
            return None
        key = self.resolve(path)
        if key is None:
            return None
        if key not in self._contexts:
            self._contexts[key] = self._contexts_loader(key) if self._contexts_loader else {}
        return self._contexts[key]

    def _resolve(self, path: str) -> str | None:
        wanted, _ = _parts(path)
        if not wanted:
            return None
        if self._root is not None:
            full = "/".join(_parts(str(self._root))[0] + wanted)
            exact = self._exact.get(full) or self._exact.get(full.lower())
            if exact is not None:
                return exact
        best: tuple[int, int, str] | None = None
        for key, parts, absolute in self._by_name.get(wanted[-1].lower(), ()):
            score = _suffix_score(parts, wanted, absolute, folded=_is_windows(key))
            if score == 0:
                continue
            rank = (-score, len(parts), key)  # most shared components, then the shortest
            if best is None or rank < best:
                best = rank
        return best[2] if best else None


def _parts(path: str) -> tuple[tuple[str, ...], bool]:
    """Path components (``.`` dropped, either separator) and whether the path is absolute."""
    absolute = path.startswith("/") or _WINDOWS_ABS.match(path) is not None
    parts = tuple(part for part in re.split(r"[\\/]+", path) if part not in ("", "."))
    return parts, absolute


def _is_windows(path: str) -> bool:
    """Windows paths (drive, UNC or backslashes only) compare case-insensitively."""
    return _WINDOWS_ABS.match(path) is not None or ("\\" in path and "/" not in path)


def _suffix_score(measured: tuple[str, ...], wanted: tuple[str, ...], absolute: bool,
                  folded: bool) -> int:
    """How many trailing components identify the same file (0: not the same file).

    An absolute measured path must end with the whole project path. A relative one (a
    JSON report made from a subdirectory, ``relative_files = true``) may also be a suffix
    of the project path.
    """
    if folded:
        measured = tuple(p.lower() for p in measured)
        wanted = tuple(p.lower() for p in wanted)
    shared = min(len(measured), len(wanted))
    if measured[-shared:] != wanted[-shared:]:
        return 0
    if absolute and len(measured) < len(wanted):
        return 0
    return shared


def _clean_contexts(names: Iterable[str]) -> tuple[str, ...]:
    """Test names from coverage contexts: no empty (outside any test) context, no phase."""
    return tuple(sorted({_PHASE.sub("", name) for name in names if name}))


# -- loading --------------------------------------------------------------------------


def load_coverage(path: str | os.PathLike[str], root: Path | None = None) -> CoverageInfo:
    """Read a ``.coverage`` data file or a ``coverage json`` report.

    ``root`` (the project root) lets measured absolute paths match exactly before falling
    back to matching trailing components. Raises :class:`CoverageError`.
    """
    file = Path(path)
    if not file.exists():
        hint = ""
        siblings = sorted(file.parent.glob(file.name + ".*")) if file.name else []
        if siblings:
            hint = (f"; found {len(siblings)} parallel data file(s) such as "
                    f"{siblings[0].name}: run `coverage combine` first")
        raise CoverageError(f"coverage file {file} does not exist{hint}")
    if not file.is_file():
        raise CoverageError(f"coverage file {file} is not a file")
    try:
        with file.open("rb") as handle:
            head = handle.read(len(_SQLITE_MAGIC))
    except OSError as exc:
        raise CoverageError(f"cannot read coverage file {file}: {exc.strerror or exc}") from exc
    if head == _SQLITE_MAGIC:
        return _load_sqlite(file, root)
    if not head.strip():
        raise CoverageError(f"coverage file {file} is empty")
    if head.startswith(b"!coverage.py"):
        raise CoverageError(
            f"{file} is a coverage.py < 5 data file; re-run the tests with coverage >= 7.4 "
            "or pass a `coverage json` report")
    return _load_json(file, root)


def _load_sqlite(file: Path, root: Path | None) -> CoverageInfo:
    try:
        from coverage import CoverageData
    except ImportError as exc:
        raise CoverageError(_INSTALL_HINT) from exc
    _check_coverage_schema(file)
    options: dict[str, Any] = {}
    if "read_only" in inspect.signature(CoverageData).parameters:  # coverage >= 7.10
        options["read_only"] = True
    data = CoverageData(basename=str(file.resolve()), **options)
    try:
        data.read()
        measured = sorted(data.measured_files())
        contexts = data.measured_contexts()
    except Exception as exc:  # coverage's DataError, sqlite3 errors: all mean "unusable"
        raise CoverageError(f"cannot read coverage data file {file}: {_reason(exc)}") from exc
    if not measured:
        raise CoverageError(
            f"coverage data file {file} has no measured files; record a test run first "
            "(`coverage run -m pytest` or `pytest --cov`)")

    def lines(key: str) -> frozenset[int] | None:
        try:
            found = data.lines(key)
        except Exception as exc:  # the file changed under us
            raise CoverageError(f"cannot read coverage data file {file}: {_reason(exc)}") from exc
        return frozenset(found) if found is not None else None

    def by_line(key: str) -> dict[int, tuple[str, ...]]:
        try:
            found = data.contexts_by_lineno(key)
        except Exception as exc:
            raise CoverageError(f"cannot read coverage data file {file}: {_reason(exc)}") from exc
        return {line: cleaned for line, names in found.items()
                if (cleaned := _clean_contexts(names))}

    return CoverageInfo(
        source=str(file),
        root=root,
        measured=measured,
        lines_loader=lines,
        contexts_loader=by_line,
        has_contexts=any(name for name in contexts),
    )


def _check_coverage_schema(file: Path) -> None:
    """Refuse SQLite files that are not coverage data *before* coverage.py opens them.

    coverage.py treats a database without its schema as a new data file and creates its
    tables in it (unless the installed version supports ``read_only``); pdlint must never
    modify a file it was only asked to read.
    """
    try:
        uri = file.resolve().as_uri() + "?mode=ro"
        connection = sqlite3.connect(uri, uri=True)
        try:
            row = connection.execute(
                "select 1 from sqlite_master where type = 'table' and name = 'coverage_schema'"
            ).fetchone()
        finally:
            connection.close()
    except sqlite3.Error as exc:
        raise CoverageError(f"cannot read coverage data file {file}: {_reason(exc)}") from exc
    if row is None:
        raise CoverageError(f"{file} is an SQLite database but not a coverage data file")


def _load_json(file: Path, root: Path | None) -> CoverageInfo:
    try:
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CoverageError(
            f"{file} is neither a coverage data file nor a `coverage json` report") from exc
    except OSError as exc:
        raise CoverageError(f"cannot read coverage file {file}: {exc.strerror or exc}") from exc
    stripped = text.lstrip()
    if stripped.startswith("<"):
        raise CoverageError(
            f"{file} looks like an XML report; pdlint reads the .coverage data file or a "
            "`coverage json` report")
    if stripped.startswith(("TN:", "SF:")):
        raise CoverageError(
            f"{file} looks like an LCOV report; pdlint reads the .coverage data file or a "
            "`coverage json` report")
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as exc:  # ValueError: also an int of 4,300+ digits
        raise CoverageError(
            f"{file} is neither a coverage data file nor valid JSON: {_reason(exc)}") from exc
    files = document.get("files") if isinstance(document, dict) else None
    if not isinstance(files, dict):
        raise CoverageError(
            f"{file} is JSON but not a `coverage json` report (no \"files\" object)")
    lines: dict[str, frozenset[int]] = {}
    contexts: dict[str, dict[int, tuple[str, ...]]] = {}
    for key, entry in files.items():
        executed = entry.get("executed_lines") if isinstance(entry, dict) else None
        if not isinstance(executed, list) or not all(_is_line(n) for n in executed):
            raise CoverageError(
                f"{file} is not a valid `coverage json` report: no executed_lines list "
                f"for a measured file")
        lines[str(key)] = frozenset(executed)
        contexts[str(key)] = _json_contexts(entry.get("contexts"), file)
    return CoverageInfo(lines, contexts, source=str(file), root=root)


def _json_contexts(raw: Any, file: Path) -> dict[int, tuple[str, ...]]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise CoverageError(f"{file} is not a valid `coverage json` report: bad contexts")
    found: dict[int, tuple[str, ...]] = {}
    for line, names in raw.items():
        if not (isinstance(line, str) and line.isdigit()) or not isinstance(names, list):
            raise CoverageError(f"{file} is not a valid `coverage json` report: bad contexts")
        cleaned = _clean_contexts(str(name) for name in names)
        if cleaned:
            found[int(line)] = cleaned
    return found


def _is_line(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _reason(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__
