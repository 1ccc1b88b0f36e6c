"""Findings: what pdlint reports, as plain data with a stable order and fingerprint."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace

from pdlint.discover import path_bytes

SEVERITIES: tuple[str, ...] = ("error", "warning", "info")
SEVERITY_RANK: dict[str, int] = {"info": 0, "warning": 1, "error": 2}


@dataclass(frozen=True)
class Finding:
    """One reported problem. ``path`` is relative to the current directory, ``/``-separated."""

    rule: str
    name: str
    severity: str
    path: str
    line: int
    column: int
    end_line: int | None
    end_column: int | None
    message: str
    symbol: str | None = None
    categories: tuple[str, ...] = ()
    fingerprint: str = ""
    # Path relative to the project root: what the fingerprint is computed from, so a
    # baseline written in one directory still matches when pdlint runs from another.
    root_path: str = ""
    # For findings about data that travelled: the functions it went through, origin first,
    # as (path relative to the current directory, line, qualified symbol). SARIF code flows.
    trace: tuple[tuple[str, int, str], ...] = ()

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line, self.column, self.rule, self.message)

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        data.pop("root_path")
        data.pop("trace")
        data["categories"] = list(self.categories)
        return data


def at_least(severity: str, threshold: str) -> bool:
    """True when ``severity`` is at or above ``threshold`` ("never" matches nothing)."""
    if threshold == "never":
        return False
    return SEVERITY_RANK[severity] >= SEVERITY_RANK[threshold]


def finalize(findings: Iterable[Finding]) -> list[Finding]:
    """Sort findings and give each a fingerprint that survives unrelated line shifts.

    The fingerprint hashes the rule, the root-relative path, the symbol and the message
    (which names identifiers and categories, never line numbers), plus the index of the
    finding among identical keys in source order, so a second identical problem in the same
    function is a new fingerprint while moving code around keeps the old ones.

    Paths (and the symbols and messages built from them) may hold lone surrogates, from
    file names that are not UTF-8: they are hashed as the name's bytes
    (:func:`~pdlint.discover.path_bytes`), so such a file gets a stable fingerprint instead
    of a crash, and every other fingerprint is unchanged (plain UTF-8).
    """
    ordered = sorted(findings, key=Finding.sort_key)
    seen: dict[str, int] = {}
    result: list[Finding] = []
    for finding in ordered:
        key = "\x1f".join(
            (finding.rule, finding.root_path or finding.path, finding.symbol or "", finding.message)
        )
        index = seen.get(key, 0)
        seen[key] = index + 1
        digest = hashlib.sha256(path_bytes(f"{key}\x1f{index}")).hexdigest()[:20]
        result.append(replace(finding, fingerprint=digest))
    return result
