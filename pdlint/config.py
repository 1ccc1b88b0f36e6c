"""Find, parse and strictly validate pdlint's configuration (``[tool.pdlint]``).

Model (documented for users in the configuration docs):

* **One table name everywhere.**  ``.pdlint.toml``, ``pdlint.toml`` and ``pyproject.toml`` all
  keep their settings under ``[tool.pdlint]`` (Fixit's choice): a block can be moved between
  files without rewriting it, and there is a single schema to document.  In the dedicated files
  any other top-level key is an error, so ``select = [...]`` written at the top of
  ``pdlint.toml`` is reported instead of being silently ignored.
* **Closest file wins, no merging** (ruff's model).  Discovery walks up from the start directory
  and, in each directory, prefers ``.pdlint.toml`` > ``pdlint.toml`` > ``pyproject.toml``
  (the latter only if it has a ``[tool.pdlint]`` table).  The walk stops after the directory that
  holds ``.git``/``.hg`` so a monorepo's parent checkout is never picked up by accident (mypy).
* **Ruff vocabulary and semantics** for selection (``select``/``extend-select``/``ignore``, with
  codes, prefixes, kebab names and ``ALL``), excludes and per-file ignores, because that is what
  Python developers already know.
* **Strict validation** (flake8 >= 6): unknown keys, wrong types, unknown rules and bad values are
  a :class:`ConfigError` with a "did you mean" suggestion; the CLI prints it and exits with 2.
  A typo in a privacy linter's configuration must never silently disable a check.
"""

from __future__ import annotations

import dataclasses
import difflib
import errno
import functools
import json
import os
import re
import reprlib
import stat
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pathspec

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

__all__ = [
    "CONFIG_FILENAMES",
    "DEFAULT_EXCLUDES",
    "DEFAULT_TEST_PATHS",
    "FAIL_ON_LEVELS",
    "SEVERITIES",
    "Config",
    "ConfigError",
    "apply_overrides",
    "compile_gitignore",
    "find_config_file",
    "load_config",
]


class ConfigError(Exception):
    """A user-facing configuration problem.

    ``str(err)`` is the complete message the CLI prints before exiting with code 2, e.g.
    ``pyproject.toml: unknown key 'selct' in [tool.pdlint] (did you mean 'select'?)``.  It is a
    separate type so the CLI can tell "the user must fix their config" from a pdlint bug, and
    never show a traceback for the former.
    """


DEFAULT_EXCLUDES: tuple[str, ...] = (
    ".git", ".hg", ".svn", ".venv", "venv", "env", "node_modules", "__pycache__",
    "build", "dist", ".tox", ".nox", "site-packages", ".eggs", ".mypy_cache", ".pytest_cache",
    ".ruff_cache", ".pdlint_cache",
)  # fmt: skip
DEFAULT_TEST_PATHS: tuple[str, ...] = ("tests/", "test/", "test_*.py", "*_test.py", "conftest.py")

#: Config file names looked for in each directory, highest priority first (ruff's order).
CONFIG_FILENAMES: tuple[str, ...] = (".pdlint.toml", "pdlint.toml", "pyproject.toml")
#: Stop discovery after a directory containing one of these (the VCS root).
_VCS_MARKERS: tuple[str, ...] = (".git", ".hg")

SEVERITIES: tuple[str, ...] = ("error", "warning", "info")
FAIL_ON_LEVELS: tuple[str, ...] = ("error", "warning", "info", "never")

_TABLE = "[tool.pdlint]"
_CATEGORY_RE = re.compile(r"[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*")
_CODE_RE = re.compile(r"([A-Z]+)([0-9]*)")
# A sanitizer is a dotted path whose segments are identifier characters plus glob wildcards.
_SANITIZER_RE = re.compile(r"[\w*?\[\]!]+(?:\.[\w*?\[\]!]+)*")
# Specificity of a selector (ruff): ALL < "PDL" < "PDL1" < "PDL10" < a single rule.
_SPEC_RULE = 100

# Keys people carry over from other tools; a targeted hint beats a fuzzy match.
_KEY_HINTS: dict[str, str] = {
    "extend-ignore": "use 'ignore': it already adds to the rules removed from 'select'",
    "enable": "did you mean 'select'?",
    "disable": "did you mean 'ignore'?",
    "lint": "pdlint options go directly under [tool.pdlint], there is no 'lint' sub-table",
    "include": "pdlint always checks *.py and *.pyi files; narrow the scan with 'exclude'",
}


@functools.lru_cache(maxsize=256)
def compile_gitignore(patterns: tuple[str, ...]) -> pathspec.GitIgnoreSpec:
    """Compile gitignore-style patterns once.

    Cached because the same pattern tuples (excludes, per-file-ignore globs) are matched against
    every file of a scan; a frozen :class:`Config` cannot hold the compiled spec itself without
    losing cheap equality and pickling (it is shipped to worker processes).
    """
    return pathspec.GitIgnoreSpec.from_lines(patterns)


#: Default ``max-file-size``: 2 MiB, in the range other linters skip above. Larger files are
#: nearly always generated, and a parse costs about 14 KB of memory per line.
DEFAULT_MAX_FILE_SIZE = 2 * 1024 * 1024
# (at most 30 digits: int() refuses strings of more than 4,300 digits with a ValueError)
_SIZE_RE = re.compile(r"(\d{1,30})\s*([kKmMgG]i?[bB]|[bB]|)")
_SIZE_UNITS = {"": 1, "b": 1, "kb": 1000, "mb": 1000**2, "gb": 1000**3,
               "kib": 1024, "mib": 1024**2, "gib": 1024**3}


def _shorten(text: str, limit: int = 80) -> str:
    """A user's value as shown in a message: control characters escaped, at most ``limit``
    characters (plus the original length when cut).

    Every value echoed into a :class:`ConfigError` goes through here: the message is one line
    on a terminal, so a 1 MB key must not flood it, and a key holding ESC or a newline must
    neither drive the terminal nor split the line.  Escaping comes first and the cut is made on
    the escaped text, so a value made of control characters is bounded too.
    """
    shown: list[str] = []
    size = 0
    for char in text:
        piece = char if char.isprintable() else repr(char)[1:-1]
        if size + len(piece) > limit:
            return "".join(shown) + f"… ({len(text)} characters)"
        shown.append(piece)
        size += len(piece)
    return "".join(shown)


_REPR = reprlib.Repr()
_REPR.maxlevel = 3
_REPR.maxstring = 60
_REPR.maxother = 60


def _show(value: object) -> str:
    """``repr`` of an arbitrary TOML value for a message, bounded in depth and length.

    ``reprlib`` stops at a few levels, so a 900-deep list (which the TOML parser accepts) is
    neither a RecursionError nor a megabyte of brackets.
    """
    return _shorten(_REPR.repr(value))


class _RuleIndex:
    """Known rules prepared for selector resolution (codes, names, valid prefixes)."""

    def __init__(self, known: tuple[tuple[str, str], ...]) -> None:
        self.codes: tuple[str, ...] = tuple(code for code, _ in known)
        self.by_name: dict[str, str] = {name: code for code, name in known}
        self.code_set = frozenset(self.codes)
        self.split: dict[str, tuple[str, str]] = {}
        prefixes: set[str] = set()
        for code in self.codes:
            m = _CODE_RE.fullmatch(code)
            if m:
                alpha, digits = m.groups()
                self.split[code] = (alpha, digits)
                prefixes.update(alpha + digits[:i] for i in range(len(digits)))
        self.candidates: tuple[str, ...] = tuple(
            sorted({"ALL", *self.codes, *self.by_name, *prefixes})
        )

    def expand(self, selector: str) -> tuple[frozenset[str], int] | None:
        """Return (codes matched, specificity) for a selector, or None if it selects nothing.

        Specificity implements ruff's rule that the more specific selector wins when a rule is
        both selected and ignored (``select = ["PDL105"]`` + ``ignore = ["PDL1"]`` keeps PDL105).
        """
        if selector == "ALL":
            return self.code_set, 0
        if selector in self.code_set:
            return frozenset((selector,)), _SPEC_RULE
        if selector in self.by_name:
            return frozenset((self.by_name[selector],)), _SPEC_RULE
        m = _CODE_RE.fullmatch(selector)
        if not m:
            return None
        alpha, digits = m.groups()
        matched = frozenset(
            code
            for code, (c_alpha, c_digits) in self.split.items()
            if c_alpha == alpha and c_digits.startswith(digits)
        )
        if not matched:
            return None
        return matched, 1 + len(digits)

    def suggest(self, selector: str) -> str | None:
        """Best guess for a mistyped selector (case and ``_`` slips first, then difflib)."""
        for variant in (selector.upper(), selector.lower().replace("_", "-")):
            if variant != selector and self.expand(variant) is not None:
                return variant
        return _closest(selector, self.candidates)


@functools.lru_cache(maxsize=32)
def _rule_index_cached(known: tuple[tuple[str, str], ...]) -> _RuleIndex:
    return _RuleIndex(known)


def _rule_index(known: Mapping[str, str] | Iterable[tuple[str, str]]) -> _RuleIndex:
    items = known.items() if isinstance(known, Mapping) else known
    return _rule_index_cached(tuple(sorted(items)))


def _closest(word: str, candidates: Iterable[str]) -> str | None:
    """The most similar candidate (difflib ratio >= 0.6), or None.

    Candidates of the same length get a small bonus: a mistyped code (``PDL999``) is more
    likely another code (``PDL901``) than a prefix (``PDL9``) that happens to share more of
    its characters.
    """
    best: tuple[float, str] | None = None
    matcher = difflib.SequenceMatcher(b=word)
    for candidate in sorted(set(candidates)):
        matcher.set_seq1(candidate)
        if matcher.real_quick_ratio() < 0.6:  # length alone rules it out (a 1 MB word)
            continue
        ratio = matcher.ratio()
        if ratio < 0.6:
            continue
        score = ratio + (0.15 if len(candidate) == len(word) else 0.0)
        if best is None or score > best[0]:
            best = (score, candidate)
    return best[1] if best else None


def _did_you_mean(suggestion: str | None) -> str:
    return f" (did you mean '{_shorten(suggestion)}'?)" if suggestion else ""


def _type_name(value: object) -> str:
    """TOML-flavoured type names: users write TOML, not Python."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "string"
    if isinstance(value, Mapping):
        return "table"
    if isinstance(value, (list, tuple)):
        return "list"
    return type(value).__name__


@dataclass(frozen=True)
class Config:
    """The resolved settings for one scan.

    Immutable and made only of tuples/strings so it can be compared, hashed into cache keys and
    pickled to worker processes.  Selectors are stored as written (not expanded) so that
    ``pdlint config --show`` can echo what the user wrote and so the same config resolves
    correctly against a newer rule set.
    """

    root: Path
    config_file: Path | None
    select: tuple[str, ...] = ("ALL",)
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = DEFAULT_EXCLUDES
    extend_exclude: tuple[str, ...] = ()
    force_exclude: bool = False
    respect_gitignore: bool = True
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    severity: tuple[tuple[str, str], ...] = ()
    test_paths: tuple[str, ...] = DEFAULT_TEST_PATHS
    # custom category key -> (description, fides key or "", severity or "")
    categories: tuple[tuple[str, str, str, str], ...] = ()
    extend_pii_names: tuple[tuple[str, str], ...] = ()
    ignore_pii_names: tuple[str, ...] = ()
    sanitizers: tuple[str, ...] = ()
    fail_on: str = "info"
    # files larger than this many bytes are skipped and reported (PDL001); 0: no limit
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    # Command-line --extend-select/--ignore given *without* --select.  Kept apart from the file's
    # lists because ruff applies them as a later layer: `--ignore PDL1` must switch off a
    # PDL105 that the file enabled with the more specific `extend-select = ["PDL105"]`.
    cli_extend_select: tuple[str, ...] = ()
    cli_ignore: tuple[str, ...] = ()
    # The rule table used when the config was loaded, so apply_overrides() can validate CLI
    # selectors with the same messages as the file.  Not part of equality.
    known_rules: tuple[tuple[str, str], ...] = field(default=(), repr=False, compare=False)
    # Problems met while looking for the config file that did not stop the run (a
    # pyproject.toml that is a directory, an unreadable pdlint.toml...), one message each,
    # without the "pdlint: warning: " prefix.  The loader cannot print (it is a library
    # function), so the caller shows them.  Not part of equality.
    warnings: tuple[str, ...] = field(default=(), repr=False, compare=False)

    def enabled_rules(self, known: Mapping[str, str]) -> frozenset[str]:
        """Codes enabled by select/extend-select/ignore (ruff semantics).

        ``select`` is the base, ``extend-select`` adds and ``ignore`` removes; when one rule is
        both selected and ignored the more specific selector wins (a code beats ``PDL1`` beats
        ``PDL`` beats ``ALL``), and at equal specificity ``ignore`` wins.  Command-line
        ``--extend-select``/``--ignore`` are then applied on top.  Unknown selectors select
        nothing (they were already rejected by validation when the config was loaded).
        """
        index = _rule_index(known)
        updates = _resolve_layer(index, self.select + self.extend_select, self.ignore)
        enabled = {code for code, on in updates.items() if on}
        for code, on in _resolve_layer(index, self.cli_extend_select, self.cli_ignore).items():
            if on:
                enabled.add(code)
            else:
                enabled.discard(code)
        return frozenset(enabled)

    def named_rules(self, known: Mapping[str, str]) -> frozenset[str]:
        """Enabled codes that the configuration asks for by name, code or narrow prefix
        (``select``/``extend-select``, on either layer, and ``severity``): what the user
        believes is checked. ``ALL`` and the bare ``PDL`` prefix name nothing in particular."""
        index = _rule_index(known)
        named: set[str] = set()
        for selector in (*self.select, *self.extend_select, *self.cli_extend_select):
            expanded = index.expand(selector)
            if expanded is not None and expanded[1] > 1:
                named |= expanded[0]
        named.update(code for code, _ in self.severity)
        return frozenset(named) & self.enabled_rules(known)

    def rules_for_path(
        self, rel_path: str, enabled: frozenset[str], known: Mapping[str, str]
    ) -> frozenset[str]:
        """``enabled`` minus the rules that per-file-ignores switch off for ``rel_path``.

        ``rel_path`` is the posix path relative to :attr:`root` (``SourceFile.rel``).  Globs use
        gitignore semantics: a pattern without a slash (``__init__.py``) matches at any depth, one
        with a slash is anchored at the root (``tests/*``), ``**`` crosses directories.
        """
        if not self.per_file_ignores:
            return enabled
        index = _rule_index(known)
        off: set[str] = set()
        for glob, selectors in self.per_file_ignores:
            if compile_gitignore((glob,)).match_file(rel_path):
                for selector in selectors:
                    expanded = index.expand(selector)
                    if expanded:
                        off |= expanded[0]
        return enabled - off if off else enabled

    def severity_for(self, code: str, default: str) -> str:
        """The configured severity of ``code``, else the rule's ``default``."""
        for rule, level in self.severity:
            if rule == code:
                return level
        return default

    def extraction_fingerprint(self) -> str:
        """Stable digest of every setting that changes per-file extraction results: the
        fingerprint of the extraction options this configuration gives (part of the
        facts-cache key). Change a sanitizer or a custom PII name and every cached file
        is re-extracted; change ``select`` or a category's description and nothing is.
        Which files are tests is part of each entry's own key, not of this digest."""
        from pdlint.inputs import ExtractOptions

        return ExtractOptions.from_config(self).fingerprint()

    @property
    def all_excludes(self) -> tuple[str, ...]:
        """``exclude`` + ``extend-exclude``, the patterns discovery prunes with."""
        return self.exclude + self.extend_exclude


def _resolve_layer(
    index: _RuleIndex, select: Iterable[str], ignore: Iterable[str]
) -> dict[str, bool]:
    """One ruff selection layer: code -> enabled, resolved from least to most specific."""
    steps: list[tuple[int, bool, frozenset[str]]] = []
    for is_ignore, selectors in ((False, select), (True, ignore)):
        for selector in selectors:
            expanded = index.expand(selector)
            if expanded is not None:
                codes, spec = expanded
                steps.append((spec, is_ignore, codes))
    updates: dict[str, bool] = {}
    # Least specific first, and at equal specificity selects before ignores, so that the
    # later (more specific, or ignoring) write wins.
    for _spec, is_ignore, codes in sorted(steps, key=lambda step: (step[0], step[1])):
        for code in codes:
            updates[code] = not is_ignore
    return updates


# --------------------------------------------------------------------------------------------
# Discovery
# --------------------------------------------------------------------------------------------


def _display(path: Path) -> str:
    """Path as shown in messages: relative to the cwd when below it, else absolute, with
    control characters escaped (a directory name holding a newline must not split the line)
    and cut beyond 1,000 characters (a ``--config`` argument is the user's value too)."""
    try:
        text = path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        text = str(path)
    return _shorten(text, 1000)


_O_NONBLOCK: int = getattr(os, "O_NONBLOCK", 0)
_O_BINARY: int = getattr(os, "O_BINARY", 0)


class _Unusable(Exception):
    """A config file name that exists but cannot be read as a file.

    ``str()`` is a predicate about the path (``"is a directory, not a file"``), so the same
    text serves a search warning (``X is a directory, not a file; ignored``) and a
    ``--config`` error.
    """


def _not_a_file(mode: int) -> str | None:
    """Why a ``stat`` mode is not a regular file (a predicate), or None when it is one."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "is a directory, not a file"
    if stat.S_ISFIFO(mode):
        return "is a named pipe (FIFO), not a file"
    if stat.S_ISSOCK(mode):
        return "is a socket, not a file"
    if stat.S_ISCHR(mode):
        return "is a character device, not a file"
    if stat.S_ISBLK(mode):
        return "is a block device, not a file"
    return "is not a regular file"


def _read_file(path: Path) -> bytes | None:
    """The bytes of the config file ``path``, or None when nothing is there.

    Raises :class:`_Unusable` for a directory, a FIFO, a device, a symbolic link loop, a
    broken link or a read error.  The kind is checked with ``stat`` *before* opening,
    because opening a FIFO blocks until someone writes to it; ``O_NONBLOCK`` also covers a
    file swapped for a FIFO between the two calls.
    """
    try:
        info = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        if os.path.islink(path):
            raise _Unusable("is a broken symbolic link") from None
        return None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise _Unusable("is a symbolic link loop") from None
        raise _Unusable(f"cannot be read ({exc.strerror or exc})") from None
    problem = _not_a_file(info.st_mode)
    if problem:
        raise _Unusable(problem)
    try:
        fd = os.open(path, os.O_RDONLY | _O_NONBLOCK | _O_BINARY)
    except OSError as exc:
        raise _Unusable(f"cannot be read ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise _Unusable(f"cannot be read ({exc.strerror or exc})") from None


def _parse_toml(raw: bytes, path: Path) -> dict[str, Any]:
    """Parse a config file's bytes, turning every failure into a ConfigError naming the file.

    A leading UTF-8 byte order mark is dropped: TOML does not allow one, but Windows editors
    write it and it carries no meaning, so refusing it ("Invalid statement" at line 1) would
    only puzzle the user.  Arrays or inline tables nested hundreds of levels deep exhaust the
    parser's recursion (``tomllib`` recurses per level), which is reported as such instead of
    escaping as a RecursionError traceback; pdlint's own settings nest a few levels at most.
    """
    display = _display(path)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{display}: config file is not valid UTF-8 ({exc.reason})") from None
    text = text.removeprefix("\ufeff")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{display}: {_toml_error(exc, text)}") from None
    except ValueError as exc:  # not a TOMLDecodeError: an integer of over 4,300 digits
        raise ConfigError(f"{display}: invalid TOML: {_shorten(str(exc))}") from None
    except RecursionError:
        raise ConfigError(
            f"{display}: too deeply nested: arrays or inline tables nested hundreds of levels "
            f"deep cannot be read"
        ) from None
    except MemoryError:
        raise ConfigError(
            f"{display}: too large or too deeply nested to read (out of memory)"
        ) from None


def _toml_error(exc: tomllib.TOMLDecodeError, text: str) -> str:
    """'invalid TOML at line 3, column 7: <reason>' on every Python/tomli version."""
    message = str(exc)
    lineno = getattr(exc, "lineno", None)
    colno = getattr(exc, "colno", None)
    m = re.search(r"\s*\(at line (\d+), column (\d+)\)\s*$", message)
    if m:
        message = message[: m.start()]
        lineno = lineno or int(m.group(1))
        colno = colno or int(m.group(2))
    elif message.endswith("(at end of document)"):
        message = message[: -len("(at end of document)")].rstrip()
        return f"invalid TOML at end of file (line {max(1, len(text.splitlines()))}): {message}"
    if lineno:
        return f"invalid TOML at line {lineno}, column {colno}: {message}"
    return f"invalid TOML: {message}"


def _has_pdlint_table(pyproject: Path, raw: bytes) -> bool:
    """Does this pyproject.toml (whose bytes are ``raw``) configure pdlint?

    A file whose bytes never mention ``pdlint`` cannot define ``[tool.pdlint]``, so it is
    skipped without parsing: that is faster, and a broken or pathological pyproject.toml that
    is not ours (a cookiecutter template, a generated file nested thousands of levels deep)
    does not stop the scan.  One that mentions pdlint anywhere *may* be ours, so it is parsed
    and any failure -- a syntax error, nesting too deep for the parser -- raises
    :class:`ConfigError`: skipping it would silently pick up a parent directory's settings
    (or the defaults) instead of the user's own, and a half-typed ``[tool.pdlint`` header is
    exactly the file that must not be skipped.  Guessing more finely from the raw text (is
    ``pdlint`` a key or a dependency string?) would misjudge precisely the broken files.
    """
    if b"pdlint" not in raw:
        return False
    tool = _parse_toml(raw, pyproject).get("tool")
    return isinstance(tool, dict) and "pdlint" in tool


def find_config_file(start: Path, warnings: list[str] | None = None) -> Path | None:
    """The closest config file at or above ``start``, or None.

    In each directory, nearest first: ``.pdlint.toml``, ``pdlint.toml`` (always a config file for
    pdlint, settings under ``[tool.pdlint]``), then ``pyproject.toml`` only if it has a
    ``[tool.pdlint]`` table (ruff skips pyproject files without its table too).  The walk stops
    after the directory that contains ``.git`` or ``.hg`` -- the project root -- or at the
    filesystem root, so a checkout nested in another project never inherits its settings.

    A pyproject.toml that may configure pdlint (it mentions ``pdlint``) but cannot be parsed
    (invalid TOML, nested too deeply) raises :class:`ConfigError`; one that never mentions
    pdlint is skipped unparsed, whatever it holds.  A config file name that is a directory,
    a FIFO, a device, a broken link or a link loop, or that cannot be read (permissions), is
    skipped with a message appended to ``warnings``: the user meant something by it, but it
    cannot hold settings, and the files further up may still be the intended ones.  Nothing
    but regular files is ever opened.
    """
    return _search(start, [] if warnings is None else warnings)[0]


def _search(start: Path, warnings: list[str]) -> tuple[Path | None, bytes]:
    """:func:`find_config_file`, also returning the file's bytes, so the file is read once
    (no window for it to change between the search and the parse)."""
    current = Path(os.path.abspath(start))
    if current.is_file():
        current = current.parent
    while True:
        for name in CONFIG_FILENAMES:
            candidate = current / name
            try:
                raw = _read_file(candidate)
            except _Unusable as exc:
                warnings.append(f"{_display(candidate)} {exc}; ignored")
                continue
            if raw is None:
                continue
            if name != "pyproject.toml" or _has_pdlint_table(candidate, raw):
                return candidate, raw
        if any((current / marker).exists() for marker in _VCS_MARKERS):
            return None, b""
        parent = current.parent
        if parent == current:
            return None, b""
        current = parent


# --------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------


class _Validator:
    """Turns raw values (TOML or CLI) into Config field values, or raises ConfigError.

    ``prefix`` is prepended to every message (``"pyproject.toml: "``, or ``""`` for the command
    line) and ``label`` renders an option name as the user wrote it (``'select'`` in a file,
    ``--select`` on the command line), so both sources share one set of messages.
    """

    def __init__(
        self,
        prefix: str,
        label: Callable[[str], str],
        index: _RuleIndex | None,
        category_known: Callable[[str], bool],
    ) -> None:
        self.prefix = prefix
        self.label = label
        self.index = index
        self.category_known = category_known

    def fail(self, message: str) -> ConfigError:
        return ConfigError(self.prefix + message)

    # -- primitive shapes ---------------------------------------------------------------------

    def strings(self, key: str, value: object, name: str | None = None) -> tuple[str, ...]:
        name = name or self.label(key)
        if isinstance(value, str):
            raise self.fail(
                f"{name} must be a list of strings, got string "
                f"(write {key} = [{_shorten(json.dumps(value))}])"
            )
        if not isinstance(value, (list, tuple)):
            raise self.fail(f"{name} must be a list of strings, got {_type_name(value)}")
        for position, item in enumerate(value, start=1):
            if not isinstance(item, str):
                raise self.fail(
                    f"{name} must be a list of strings, but item {position} is "
                    f"{_type_name(item)} ({_show(item)})"
                )
            if not item.strip():
                raise self.fail(f"{name} contains an empty string (item {position})")
        return tuple(value)

    def boolean(self, key: str, value: object) -> bool:
        if not isinstance(value, bool):
            raise self.fail(
                f"{self.label(key)} must be true or false, got {_type_name(value)} "
                f"({_show(value)})"
            )
        return value

    def table(self, key: str, value: object) -> Mapping[str, object]:
        if not isinstance(value, Mapping):
            raise self.fail(f"{self.label(key)} must be a table, got {_type_name(value)}")
        return value

    def choice(self, key: str, value: object, allowed: tuple[str, ...], what: str) -> str:
        quoted = ", ".join(f"'{a}'" for a in allowed)
        if not isinstance(value, str):
            raise self.fail(f"{what} must be one of {quoted}, got {_type_name(value)}")
        if value not in allowed:
            hint = value.lower() if value.lower() in allowed else _closest(value, allowed)
            raise self.fail(
                f"{what} must be one of {quoted}, got '{_shorten(value)}'{_did_you_mean(hint)}"
            )
        return value

    def size(self, key: str, value: object) -> int:
        """A size in bytes: an integer, or a string with a unit (``"2MB"``, ``"512 KiB"``);
        0 means no limit."""
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise self.fail(f"{self.label(key)} must be a size such as 2097152 or \"2MB\", "
                            f"got {_type_name(value)}")
        if isinstance(value, int):
            number, unit = value, ""
        else:
            match = _SIZE_RE.fullmatch(value.strip())
            if match is None:
                raise self.fail(f"{self.label(key)} must be a size such as 2097152 or \"2MB\", "
                                f"got '{_shorten(value)}'")
            number, unit = int(match.group(1)), match.group(2).lower()
        if number < 0:
            raise self.fail(f"{self.label(key)} must not be negative (0 means no limit)")
        return number * _SIZE_UNITS[unit]

    # -- domain values ------------------------------------------------------------------------

    def selector(self, selector: str, where: str) -> None:
        if self.index is None or self.index.expand(selector) is not None:
            return
        suggestion = self.index.suggest(selector)
        raise self.fail(
            f"unknown rule selector '{_shorten(selector)}' in {where}{_did_you_mean(suggestion)}"
        )

    def selectors(self, key: str, value: object) -> tuple[str, ...]:
        items = self.strings(key, value)
        for item in items:
            self.selector(item, self.label(key))
        return items

    def pattern(self, pattern: str, where: str) -> None:
        try:
            compile_gitignore((pattern,))
        except ValueError as exc:
            raise self.fail(
                f"invalid pattern '{_shorten(pattern)}' in {where}: {_shorten(str(exc))}"
            ) from None

    def patterns(self, key: str, value: object) -> tuple[str, ...]:
        items = self.strings(key, value)
        for item in items:
            self.pattern(item, self.label(key))
        return items

    def test_paths(self, key: str, value: object) -> tuple[str, ...]:
        items = self.strings(key, value)
        for item in items:
            if "/" in item.rstrip("/"):  # only path patterns go through pathspec
                self.pattern(item, self.label(key))
        return items

    def category_key(self, key: str, where: str) -> None:
        if _CATEGORY_RE.fullmatch(key):
            return
        guess = re.sub(r"[^a-z0-9_.]+", "_", key.strip().lower()).strip("._")
        # A suggestion helps only if it can be read at a glance: none for a 1 MB key.
        hint = guess if guess != key and len(guess) <= 80 and _CATEGORY_RE.fullmatch(guess) \
            else None
        raise self.fail(
            f"invalid category key '{_shorten(key)}' in {where}: keys are lower-case dotted paths "
            f"such as 'hr.badge_id'{_did_you_mean(hint)}"
        )

    def identifier(self, name: str, where: str) -> None:
        if not name.isidentifier():
            raise self.fail(f"'{_shorten(name)}' in {where} is not a Python identifier")

    def per_file_ignores(self, key: str, value: object) -> tuple[tuple[str, tuple[str, ...]], ...]:
        result = []
        for glob, selectors in self.table(key, value).items():
            where = f"{self.label(key)} entry '{_shorten(glob)}'"
            if not glob.strip():
                raise self.fail(f"{self.label(key)} has an empty glob")
            self.pattern(glob, where)
            if isinstance(selectors, str) or not isinstance(selectors, (list, tuple)):
                raise self.fail(
                    f"{where} must be a list of rule selectors, got {_type_name(selectors)}"
                )
            items = self.strings(key, selectors, name=where)
            for item in items:
                self.selector(item, where)
            result.append((glob, items))
        return tuple(result)

    def severity(self, key: str, value: object) -> tuple[tuple[str, str], ...]:
        """Rule -> level.  Keys may be codes, names, prefixes or ALL; stored per code.

        Prefixes/ALL expand to every matching code and the most specific key wins, so
        ``{"PDL2" = "error", "PDL205" = "info"}`` does what it reads like.
        """
        chosen: dict[str, tuple[int, str, str]] = {}  # code -> (specificity, level, key)
        for rule, level in self.table(key, value).items():
            level = self.choice(key, level, SEVERITIES,
                                f"{self.label(key)} of '{_shorten(rule)}'")
            if self.index is None:
                chosen[rule] = (_SPEC_RULE, level, rule)
                continue
            expanded = self.index.expand(rule)
            if expanded is None:
                suggestion = self.index.suggest(rule)
                raise self.fail(
                    f"unknown rule '{_shorten(rule)}' in {self.label(key)}"
                    f"{_did_you_mean(suggestion)}"
                )
            codes, spec = expanded
            for code in codes:
                previous = chosen.get(code)
                if previous and previous[0] == spec and previous[1] != level:
                    raise self.fail(
                        f"{self.label(key)} of {code} is given twice: '{_shorten(previous[2])}'"
                        f" = '{previous[1]}' and '{_shorten(rule)}' = '{level}'"
                    )
                if previous is None or spec >= previous[0]:
                    chosen[code] = (spec, level, rule)
        return tuple(sorted((code, level) for code, (_s, level, _k) in chosen.items()))

    def categories(self, key: str, value: object) -> tuple[tuple[str, str, str, str], ...]:
        """``"key" = "description"`` or ``"key" = {description, fides, severity}``."""
        result = []
        for category, entry in self.table(key, value).items():
            self.category_key(category, self.label(key))
            shown = _shorten(category)
            fides = severity = ""
            if isinstance(entry, dict):
                unknown = sorted(set(entry) - {"description", "fides", "severity"})
                if unknown:
                    hint = _did_you_mean(_closest(unknown[0], ("description", "fides", "severity")))
                    raise self.fail(
                        f"{self.label(key)} entry '{shown}' has unknown key "
                        f"'{_shorten(unknown[0])}'"
                        f"{hint}; allowed: description, fides, severity"
                    )
                description = entry.get("description", "")
                fides = entry.get("fides", "")
                severity = entry.get("severity", "")
                for name, item in (("description", description), ("fides", fides),
                                   ("severity", severity)):
                    if not isinstance(item, str):
                        raise self.fail(
                            f"{self.label(key)} entry '{shown}': '{name}' must be a string, "
                            f"got {_type_name(item)}"
                        )
                allowed = ("special", "high", "medium", "low", "pseudonymous", "secret")
                if severity and severity not in allowed:
                    hint = _did_you_mean(_closest(severity, allowed))
                    raise self.fail(
                        f"{self.label(key)} entry '{shown}': unknown severity "
                        f"'{_shorten(severity)}'"
                        f"{hint}; one of {', '.join(allowed)}"
                    )
            elif isinstance(entry, str):
                description = entry
            else:
                raise self.fail(
                    f"{self.label(key)} entry '{shown}' must be a description string or a "
                    f"table with description/fides/severity, got {_type_name(entry)}"
                )
            result.append((category, str(description), str(fides), str(severity)))
        return tuple(result)

    def extend_pii_names(
        self, key: str, value: object, custom: tuple[tuple[str, str, str, str], ...]
    ) -> tuple[tuple[str, str], ...]:
        custom_keys = [c[0] for c in custom]
        result = []
        for name, category in self.table(key, value).items():
            self.identifier(name, self.label(key))
            if not isinstance(category, str):
                raise self.fail(
                    f"{self.label(key)} entry '{_shorten(name)}' must be a category key string, "
                    f"got {_type_name(category)}"
                )
            self.category_key(category, f"{self.label(key)} entry '{_shorten(name)}'")
            if category not in custom_keys and not self.category_known(category):
                hint = _did_you_mean(_closest(category, custom_keys))
                raise self.fail(
                    f"{self.label(key)} maps '{_shorten(name)}' to unknown category "
                    f"'{_shorten(category)}'{hint}; "
                    f"use a built-in category or declare it under [tool.pdlint.categories]"
                )
            result.append((name, category))
        return tuple(result)

    def identifiers(self, key: str, value: object) -> tuple[str, ...]:
        items = self.strings(key, value)
        for item in items:
            self.identifier(item, self.label(key))
        return items

    def sanitizers(self, key: str, value: object) -> tuple[str, ...]:
        items = self.strings(key, value)
        for item in items:
            if not _SANITIZER_RE.fullmatch(item):
                raise self.fail(
                    f"'{_shorten(item)}' in {self.label(key)} is not a function name or "
                    f"dotted path (globs allowed, e.g. 'myapp.privacy.*' or 'mask_*')"
                )
        return items


#: TOML key -> Config field name.
_KEYS: dict[str, str] = {
    "select": "select",
    "extend-select": "extend_select",
    "ignore": "ignore",
    "exclude": "exclude",
    "extend-exclude": "extend_exclude",
    "force-exclude": "force_exclude",
    "respect-gitignore": "respect_gitignore",
    "per-file-ignores": "per_file_ignores",
    "severity": "severity",
    "test-paths": "test_paths",
    "categories": "categories",
    "extend-pii-names": "extend_pii_names",
    "ignore-pii-names": "ignore_pii_names",
    "sanitizers": "sanitizers",
    "fail-on": "fail_on",
    "max-file-size": "max_file_size",
}
_FIELD_TO_KEY: dict[str, str] = {f: k for k, f in _KEYS.items()}


def _convert(
    v: _Validator, key: str, value: object, custom: tuple[tuple[str, str, str, str], ...]
) -> object:
    """Validate one option (TOML key spelling) and return the Config field value."""
    if key in ("select", "extend-select", "ignore"):
        return v.selectors(key, value)
    if key in ("exclude", "extend-exclude"):
        return v.patterns(key, value)
    if key in ("force-exclude", "respect-gitignore"):
        return v.boolean(key, value)
    if key == "per-file-ignores":
        return v.per_file_ignores(key, value)
    if key == "severity":
        return v.severity(key, value)
    if key == "test-paths":
        return v.test_paths(key, value)
    if key == "categories":
        return v.categories(key, value)
    if key == "extend-pii-names":
        return v.extend_pii_names(key, value, custom)
    if key == "ignore-pii-names":
        return v.identifiers(key, value)
    if key == "sanitizers":
        return v.sanitizers(key, value)
    if key == "fail-on":
        return v.choice(key, value, FAIL_ON_LEVELS, v.label(key))
    if key == "max-file-size":
        return v.size(key, value)
    raise AssertionError(key)  # pragma: no cover - _KEYS and this function are kept in sync


def _unknown_key_message(key: str) -> str:
    if key in _KEY_HINTS:
        hint = _KEY_HINTS[key]
        return f" ({hint})"
    kebab = key.replace("_", "-").lower()
    if kebab in _KEYS:
        return f" (did you mean '{kebab}'? keys are kebab-case)"
    return _did_you_mean(_closest(key, _KEYS))


def _pdlint_table(data: dict[str, Any], path: Path, display: str) -> dict[str, Any]:
    """Extract ``[tool.pdlint]``, rejecting stray content in the dedicated files."""
    dedicated = path.name != "pyproject.toml"
    tool = data.get("tool", {})
    if dedicated:
        stray = [k for k in data if k != "tool"]
        if stray:
            raise ConfigError(
                f"{display}: unexpected top-level key '{_shorten(stray[0])}': settings go under "
                f"[tool.pdlint], as in pyproject.toml"
            )
    if not isinstance(tool, dict):
        if dedicated:
            raise ConfigError(f"{display}: 'tool' must be a table, got {_type_name(tool)}")
        return {}
    if dedicated:
        stray = [k for k in tool if k != "pdlint"]
        if stray:
            raise ConfigError(
                f"{display}: unexpected table [tool.{_shorten(stray[0])}]: only [tool.pdlint] "
                f"is read from this file"
            )
    table = tool.get("pdlint", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{display}: {_TABLE} must be a table, got {_type_name(table)}")
    return table


def load_config(
    start: Path,
    explicit: Path | None = None,
    *,
    known_rules: Mapping[str, str],
    category_known: Callable[[str], bool] = lambda key: True,
) -> Config:
    """Find (or take ``explicit``), read and validate the configuration.

    ``explicit`` (``--config FILE``, relative to the cwd) replaces discovery; it must exist and
    be valid.  Without any config file the result is ``Config(root=start, config_file=None)``.
    ``known_rules`` (code -> kebab name) validates selectors; ``category_known`` tells whether a
    category key exists in the built-in taxonomy (the taxonomy module lives above this one).
    Config file names skipped during the search (a directory, an unreadable file...) are
    described in :attr:`Config.warnings`, for the caller to print.
    """
    path: Path | None
    warnings: list[str] = []
    if explicit is not None:
        path = Path(os.path.abspath(explicit))
        try:
            found = _read_file(path)
        except _Unusable as exc:
            if os.path.isdir(path):
                raise ConfigError(
                    f"{_display(path)}: --config expects a file, got a directory") from None
            raise ConfigError(f"{_display(path)}: config file {exc} (given with --config)") \
                from None
        if found is None:
            raise ConfigError(f"{_display(path)}: config file not found (given with --config)")
        raw = found
    else:
        path, raw = _search(start, warnings)
    index = _rule_index(known_rules)
    if path is None:
        root = Path(os.path.abspath(start))
        if root.is_file():
            root = root.parent
        return Config(root=root, config_file=None, known_rules=_known_tuple(known_rules),
                      warnings=tuple(warnings))

    path = Path(os.path.abspath(path))
    display = _display(path)
    table = _pdlint_table(_parse_toml(raw, path), path, display)
    validator = _Validator(f"{display}: ", lambda k: f"'{k}'", index, category_known)

    for key in table:
        if key not in _KEYS:
            raise ConfigError(
                f"{display}: unknown key '{_shorten(key)}' in {_TABLE}{_unknown_key_message(key)}"
            )
    values: dict[str, object] = {}
    custom: tuple[tuple[str, str, str, str], ...] = ()
    if "categories" in table:  # first: extend-pii-names may point at custom categories
        custom = validator.categories("categories", table["categories"])
    for key, raw in table.items():
        values[_KEYS[key]] = (
            custom if key == "categories" else _convert(validator, key, raw, custom)
        )
    return Config(
        root=path.parent,
        config_file=path,
        known_rules=_known_tuple(known_rules),
        warnings=tuple(warnings),
        **values,  # type: ignore[arg-type]
    )


def _known_tuple(known: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(known.items()))


# --------------------------------------------------------------------------------------------
# Command-line overrides
# --------------------------------------------------------------------------------------------


def _cli_list(value: object) -> object:
    """CLI lists arrive as "A,B" or repeated options; flatten both (ruff accepts both)."""
    if isinstance(value, str):
        value = [value]
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return [part.strip() for v in value for part in v.split(",") if part.strip()]
    return value


def _cli_table(value: object, separator: str) -> object:
    """CLI tables: a mapping, (key, value) pairs, or "key<sep>value" strings."""
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, str):
        value = [value]
    if isinstance(value, (list, tuple)):
        table: dict[str, object] = {}
        for item in value:
            if isinstance(item, str):
                k, sep, v = item.rpartition(separator)
                if not sep or not k.strip():
                    raise ConfigError(f"expected KEY{separator}VALUE, got '{_shorten(item)}'")
                table[k.strip()] = v.strip()
            elif isinstance(item, (list, tuple)) and len(item) == 2:
                table[str(item[0])] = item[1]
            else:
                return value
        return table
    return value


def apply_overrides(
    config: Config,
    *,
    known_rules: Mapping[str, str] | None = None,
    category_known: Callable[[str], bool] | None = None,
    **cli: object,
) -> Config:
    """Apply command-line options on top of ``config``; ``None`` means "not given".

    Field names are Config's (``extend_select``, ``fail_on``...).  Precedence follows ruff:
    ``--select`` replaces the file's select *and* its extend-select/ignore (the command line
    states the whole selection); without ``--select``, ``--extend-select``/``--ignore`` are a
    later layer that beats the file even against a more specific file selector;
    ``--extend-exclude`` adds to the file's list; every other option replaces the file's
    value.  Lists may be given as ``"A,B"`` or repeated values; ``per_file_ignores`` as
    ``"glob:CODES"`` strings and ``severity`` as ``"CODE=level"`` strings.  Values are validated
    exactly like the file and a problem raises :class:`ConfigError` naming the flag.
    Unknown option names are a programming error (TypeError).
    """
    given = {name: value for name, value in cli.items() if value is not None}
    for name in given:
        if name not in _FIELD_TO_KEY:
            raise TypeError(f"apply_overrides() got an unexpected option {name!r}")
    if not given:
        return config
    known = config.known_rules if known_rules is None else _known_tuple(known_rules)
    index = _rule_index(known) if known else None
    validator = _Validator(
        "",
        lambda key: "--" + key,
        index,
        category_known or (lambda key: True),
    )
    changes: dict[str, object] = {}
    custom = config.categories
    if "categories" in given:
        custom = validator.categories("categories", _cli_table(given["categories"], "="))
        changes["categories"] = custom
    for name, raw in given.items():
        key = _FIELD_TO_KEY[name]
        if name == "categories":
            continue
        if name == "per_file_ignores":
            raw = _cli_table(raw, ":")
            if isinstance(raw, dict):
                raw = {g: _cli_list(s) for g, s in raw.items()}
        elif name in ("severity", "extend_pii_names"):
            raw = _cli_table(raw, "=")
        elif key in ("force-exclude", "respect-gitignore", "fail-on", "max-file-size"):
            pass
        else:
            raw = _cli_list(raw)
        changes[name] = _convert(validator, key, raw, custom)

    if "select" in changes:
        changes.setdefault("extend_select", ())
        changes.setdefault("ignore", ())
        changes["cli_extend_select"] = ()
        changes["cli_ignore"] = ()
    else:
        if "extend_select" in changes:
            value = changes.pop("extend_select")
            assert isinstance(value, tuple)
            changes["cli_extend_select"] = config.cli_extend_select + value
        if "ignore" in changes:
            value = changes.pop("ignore")
            assert isinstance(value, tuple)
            changes["cli_ignore"] = config.cli_ignore + value
    if "extend_exclude" in changes:
        value = changes["extend_exclude"]
        assert isinstance(value, tuple)
        changes["extend_exclude"] = config.extend_exclude + value
    if known_rules is not None:
        changes["known_rules"] = known
    return dataclasses.replace(config, **changes)  # type: ignore[arg-type]
