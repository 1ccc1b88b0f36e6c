"""Gating a scan: baselines, changed-lines mode and "report only these files" (pre-commit).

None of this changes what the rules find: the whole project is always analysed (project-level
rules need it) and the findings are *filtered* afterwards, so a filtered run reports exactly
what a full scan reports for the findings it keeps.

* **Baseline** -- ``--write-baseline FILE`` records the current findings by fingerprint (see
  :func:`pdlint.findings.finalize`: rule, root-relative path, symbol, message and occurrence
  index, never line numbers); ``--baseline FILE`` then hides every finding whose fingerprint is
  recorded. Entries no current finding has any more are *stale* (the problem was fixed, or its
  message changed) and are counted so the baseline can be refreshed.
* **Changed lines** -- ``--changed-since REF`` keeps the findings whose lines were added or
  modified since REF, according to ``git diff --merge-base REF`` (the working tree, staged or
  not, against the point where the branch left REF), plus every finding in untracked files.
* **Given files** -- when files are named on the command line, findings in other files are
  dropped (:func:`in_files`).
"""

from __future__ import annotations

import json
import os
import re
import reprlib
import subprocess
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pdlint import __version__
from pdlint.findings import Finding

__all__ = [
    "BASELINE_FORMAT",
    "Baseline",
    "BaselineEntry",
    "BaselineMatch",
    "ChangedLines",
    "GateError",
    "apply_baseline",
    "baseline_document",
    "changed_lines",
    "in_files",
    "load_baseline",
    "parse_diff",
    "write_baseline",
]

#: Version of the baseline document layout (bumped only on incompatible changes).
BASELINE_FORMAT = 1
_TOOL = "pdlint"
_ENTRY_KEYS = ("fingerprint", "rule", "path", "symbol", "message")


class GateError(Exception):
    """A baseline or git problem the user must fix (the CLI exits 2 with the message)."""


# --------------------------------------------------------------------------------------------
# Baselines
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class BaselineEntry:
    """One recorded finding. ``path`` is relative to the project root (``/`` separators)."""

    path: str
    rule: str
    symbol: str
    message: str
    fingerprint: str

    @classmethod
    def of(cls, finding: Finding) -> BaselineEntry:
        return cls(
            path=finding.root_path or finding.path,
            rule=finding.rule,
            symbol=finding.symbol or "",
            message=finding.message,
            fingerprint=finding.fingerprint,
        )

    def to_dict(self) -> dict[str, str]:
        return {key: getattr(self, key) for key in _ENTRY_KEYS}


@dataclass(frozen=True)
class Baseline:
    """The findings recorded by ``--write-baseline``."""

    entries: tuple[BaselineEntry, ...]
    version: str = ""  # pdlint version that wrote it (informational)

    @property
    def fingerprints(self) -> frozenset[str]:
        return frozenset(entry.fingerprint for entry in self.entries)


def _entries(findings: Iterable[Finding]) -> list[BaselineEntry]:
    return sorted({BaselineEntry.of(finding) for finding in findings})


def baseline_document(findings: Iterable[Finding]) -> str:
    """The baseline file's text: sorted, de-duplicated, stable across runs and machines."""
    return _document(_entries(findings))


def _document(entries: Sequence[BaselineEntry]) -> str:
    document = {
        "tool": _TOOL,
        "format": BASELINE_FORMAT,
        "version": __version__,
        "findings": [entry.to_dict() for entry in entries],
    }
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    # A path that is not UTF-8 (surrogateescape) is kept exact as JSON \\u escapes, which read
    # back to the same path; everything else stays readable.
    return _SURROGATE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


_SURROGATE = re.compile("[\ud800-\udfff]")


def write_baseline(path: Path, findings: Sequence[Finding]) -> int:
    """Write the baseline for ``findings`` to ``path`` (atomically); returns the entry count."""
    entries = _entries(findings)
    text = _document(entries)
    target = Path(path)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        if target.parent != Path(""):
            target.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(text, encoding="utf-8", newline="\n")
        os.replace(temporary, target)
    except OSError as exc:
        try:
            temporary.unlink()
        except OSError:
            pass
        raise GateError(f"cannot write baseline {path}: {exc.strerror or exc}") from exc
    return len(entries)


def load_baseline(path: Path) -> Baseline:
    """Read a baseline written by :func:`write_baseline`; anything else is a :class:`GateError`."""
    where = os.fspath(path)
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise GateError(
            f"baseline {where} not found; create it with `pdlint scan --write-baseline {where}`"
        ) from None
    except IsADirectoryError:
        raise GateError(f"baseline {where} is a directory, expected a file") from None
    except OSError as exc:
        raise GateError(f"cannot read baseline {where}: {exc.strerror or exc}") from exc
    try:
        document = json.loads(raw.decode("utf-8"))
    except ValueError as exc:  # a decode error, bad JSON, or an int of 4,300+ digits
        raise GateError(f"baseline {where} is not valid JSON ({exc}); "
                        f"write it again with --write-baseline") from None
    except (RecursionError, MemoryError):
        # json's decoder recurses once per array/object level, so ``[[[…`` 100,000 deep
        # exhausts the stack before the missing brackets are noticed. A real baseline is
        # three levels deep.
        raise GateError(f"baseline {where} is nested too deeply to be a pdlint baseline; "
                        f"write it again with --write-baseline") from None
    return _parse_baseline(document, where)


def _shown(value: object, limit: int = 60) -> str:
    """A value read from the baseline, for a message: ``repr`` bounded in depth and length
    (the ``format`` of a hand-edited file could be a megabyte string or a nested list)."""
    text = reprlib.repr(value)
    return text if len(text) <= limit else text[:limit] + "…"


def _parse_baseline(document: object, where: str) -> Baseline:
    hint = f"; write a new one with `pdlint scan --write-baseline {where}`"
    if not isinstance(document, dict) or document.get("tool") != _TOOL:
        if isinstance(document, dict) and "summary" in document and "findings" in document:
            raise GateError(f"{where} is a `--format json` report, not a baseline{hint}")
        raise GateError(f"{where} is not a pdlint baseline{hint}")
    layout = document.get("format")
    if layout != BASELINE_FORMAT:
        raise GateError(
            f"baseline {where} has format {_shown(layout)}; pdlint {__version__} reads format "
            f"{BASELINE_FORMAT}{hint}"
        )
    rows = document.get("findings")
    if not isinstance(rows, list):
        raise GateError(f"baseline {where}: 'findings' must be a list{hint}")
    entries: list[BaselineEntry] = []
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict) or not isinstance(row.get("fingerprint"), str) \
                or not row["fingerprint"]:
            raise GateError(f"baseline {where}: entry {number} has no fingerprint{hint}")
        values = {key: row.get(key) or "" for key in _ENTRY_KEYS}
        if not all(isinstance(value, str) for value in values.values()):
            raise GateError(f"baseline {where}: entry {number} is malformed{hint}")
        entries.append(BaselineEntry(**values))
    version = document.get("version")
    return Baseline(tuple(entries), version if isinstance(version, str) else "")


@dataclass(frozen=True)
class BaselineMatch:
    """Findings split by a baseline, and the baseline entries nothing matched any more."""

    new: list[Finding]
    baselined: list[Finding]
    stale: list[BaselineEntry]


def apply_baseline(
    findings: Sequence[Finding],
    baseline: Baseline,
    stale_scope: Callable[[BaselineEntry], bool] | None = None,
) -> BaselineMatch:
    """Split ``findings`` into new and baselined ones.

    An entry is stale when no finding has its fingerprint; ``stale_scope`` limits that verdict
    to entries the scan could have reproduced (a scan of one directory, or with fewer rules,
    cannot tell whether an entry elsewhere still holds).
    """
    known = baseline.fingerprints
    new = [finding for finding in findings if finding.fingerprint not in known]
    baselined = [finding for finding in findings if finding.fingerprint in known]
    current = {finding.fingerprint for finding in findings}
    stale = [
        entry
        for entry in baseline.entries
        if entry.fingerprint not in current and (stale_scope is None or stale_scope(entry))
    ]
    return BaselineMatch(new, baselined, stale)


# --------------------------------------------------------------------------------------------
# Given files
# --------------------------------------------------------------------------------------------


def in_files(findings: Iterable[Finding], paths: Collection[str]) -> list[Finding]:
    """The findings located in one of ``paths`` (root-relative, as ``Finding.root_path``)."""
    return [finding for finding in findings if (finding.root_path or finding.path) in paths]


# --------------------------------------------------------------------------------------------
# Changed lines
# --------------------------------------------------------------------------------------------


@dataclass
class ChangedLines:
    """Lines added or modified since a git revision, by real absolute path.

    ``None`` instead of a set of lines means the whole file is new (untracked).
    """

    files: dict[str, set[int] | None] = field(default_factory=dict)

    def add(self, path: str, lines: Iterable[int] | None) -> None:
        key = os.path.realpath(path)
        if lines is None:
            self.files[key] = None
            return
        known = self.files.setdefault(key, set())
        if known is not None:
            known.update(lines)

    def touches(self, path: str, first: int, last: int | None = None) -> bool:
        """True when any line ``first..last`` of ``path`` changed."""
        lines = self.files.get(os.path.realpath(path), set())
        if lines is None:
            return True
        last = max(first, last or first)
        if last - first > len(lines):
            return any(first <= line <= last for line in lines)
        return any(line in lines for line in range(first, last + 1))

    def select(self, findings: Iterable[Finding], cwd: Path) -> list[Finding]:
        """The findings on changed lines (``Finding.path`` is relative to ``cwd``)."""
        return [
            finding
            for finding in findings
            if self.touches(os.path.join(cwd, finding.path), finding.line, finding.end_line)
        ]


def _git(args: Sequence[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    command = ["git", "-c", "core.quotepath=off", *args]
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"}
    try:
        return subprocess.run(command, cwd=cwd, capture_output=True, env=env, check=False)
    except FileNotFoundError:
        raise GateError("--changed-since needs git, which was not found on PATH") from None
    except OSError as exc:
        raise GateError(f"cannot run git: {exc.strerror or exc}") from exc


def _stderr(proc: subprocess.CompletedProcess[bytes]) -> str:
    text = os.fsdecode(proc.stderr).strip()
    return text.splitlines()[-1] if text else f"git exited with status {proc.returncode}"


_DIFF_OPTIONS = (
    "diff", "--unified=0", "--no-color", "--no-ext-diff", "--no-textconv", "--find-renames",
    "--ignore-submodules", "--src-prefix=a/", "--dst-prefix=b/",
)


def changed_lines(root: Path, ref: str) -> ChangedLines:
    """Lines changed in the working tree since ``ref`` (its merge base with HEAD, when any).

    Runs git from ``root``; untracked files (not ignored) count as entirely new. Raises
    :class:`GateError` for a missing git, a directory outside a repository or an unknown ref.
    """
    if not ref or ref.startswith("-"):
        raise GateError(f"--changed-since: invalid revision {ref!r}")
    top = _git(["rev-parse", "--show-toplevel"], root)
    if top.returncode != 0:
        raise GateError(f"--changed-since: {root} is not inside a git repository")
    toplevel = Path(os.fsdecode(top.stdout).strip())
    verify = _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"],
                  root)
    if verify.returncode != 0:
        raise GateError(f"--changed-since: unknown revision {ref!r} (fetch it first, e.g. "
                        f"`git fetch origin` in CI, with enough history)")
    diff = _git([*_DIFF_OPTIONS, "--merge-base", ref, "--"], toplevel)
    if diff.returncode != 0:  # no merge base (unrelated history, shallow clone) or an old git
        diff = _git([*_DIFF_OPTIONS, ref, "--"], toplevel)
        if diff.returncode != 0:
            raise GateError(f"--changed-since: git diff {ref} failed: {_stderr(diff)}")
    changed = ChangedLines()
    for path, lines in parse_diff(diff.stdout).items():
        changed.add(os.path.join(toplevel, path), lines)
    untracked = _git(["ls-files", "--others", "--exclude-standard", "-z"], toplevel)
    if untracked.returncode != 0:
        raise GateError(f"--changed-since: git ls-files failed: {_stderr(untracked)}")
    for raw in untracked.stdout.split(b"\0"):
        if raw:
            changed.add(os.path.join(toplevel, os.fsdecode(raw)), None)
    return changed


def parse_diff(output: bytes) -> dict[str, set[int]]:
    """Added or modified lines per new path from ``git diff --unified=0`` output.

    Paths are relative to the repository top, as git prints them after ``+++ b/``; deleted
    files (``+++ /dev/null``) are skipped, renamed files appear under their new name.
    """
    result: dict[str, set[int]] = {}
    current: set[int] | None = None
    for line in output.split(b"\n"):
        if line.startswith(b"+++ "):
            path = _diff_path(line[4:])
            current = None if path is None else result.setdefault(path, set())
        elif line.startswith(b"@@ ") and current is not None:
            new = _new_range(line)
            if new is not None:
                start, count = new
                current.update(range(start, start + count))
        elif line.startswith(b"diff --git "):
            current = None
    return result


def _new_range(header: bytes) -> tuple[int, int] | None:
    """``(start, count)`` of the new side of a hunk header ``@@ -a,b +c,d @@``."""
    parts = header.split(b" ")
    for part in parts[1:]:
        if part.startswith(b"+"):
            start, _, count = part[1:].partition(b",")
            try:
                return int(start), int(count) if count else 1
            except ValueError:
                return None
    return None


def _diff_path(raw: bytes) -> str | None:
    if raw.startswith(b'"'):
        path = _unquote(raw)
    else:
        path = raw[:-1] if raw.endswith(b"\t") else raw  # git ends names with spaces by TAB
    if path == b"/dev/null" or not path.startswith(b"b/"):
        return None
    return os.fsdecode(path[2:])


_ESCAPES = {ord("a"): 7, ord("b"): 8, ord("t"): 9, ord("n"): 10, ord("v"): 11, ord("f"): 12,
            ord("r"): 13, ord('"'): 34, ord("\\"): 92}


def _unquote(raw: bytes) -> bytes:
    """Undo git's C-style quoting of a path (``"b/\\303\\251.py"``)."""
    body = raw.strip()
    if body.endswith(b'"'):
        body = body[1:-1]
    else:
        body = body[1:]
    out = bytearray()
    index = 0
    while index < len(body):
        byte = body[index]
        if byte != ord("\\") or index + 1 >= len(body):
            out.append(byte)
            index += 1
            continue
        following = body[index + 1]
        octal = body[index + 1:index + 4]
        if len(octal) == 3 and all(ord("0") <= digit <= ord("7") for digit in octal):
            out.append(int(octal, 8) & 0xFF)
            index += 4
            continue
        out.append(_ESCAPES.get(following, following))
        index += 2
    return bytes(out)
