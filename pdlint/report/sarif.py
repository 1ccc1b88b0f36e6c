"""``--format sarif``: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

The document validates against the OASIS schema and stays inside GitHub's documented upload
limits ("SARIF support for code scanning", "SARIF results exceed limits"):

* one ``reportingDescriptor`` per pdlint rule (every rule, so ``ruleIndex`` is stable from
  run to run), with both descriptions, help text and Markdown, ``helpUri`` and the default
  level (error → ``error``, warning → ``warning``, info → ``note``);
* result locations are *relative* URIs with ``uriBaseId: "%SRCROOT%"``. ``%SRCROOT%`` is the
  repository containing the project (the nearest directory at or above the project root
  with ``.git`` or ``.hg``), or the project root outside a repository: GitHub resolves
  relative URIs against the repository root, so a project in a sub-directory of a monorepo
  is reported with its sub-directory prefix. No absolute path is written
  (``originalUriBaseIds`` is left out on purpose: it would put the CI machine's or a
  developer's home directory into an uploaded artifact, and it makes the output differ
  between machines);
* ``partialFingerprints.primaryLocationLineHash`` is the finding's fingerprint, which hashes
  the rule, path, symbol and message but no line number: alerts survive unrelated edits
  above them instead of being closed and reopened;
* a finding about data that travelled between functions (PDL201 …) carries its path as a
  ``codeFlows`` thread flow and as ``relatedLocations``;
* the file stays at most :data:`MAX_SARIF_BYTES` (10 MB) and :data:`MAX_RESULTS` (25,000
  results per run). It is indented JSON when that fits, else compact JSON; if even that is
  over a limit, the highest-severity results are kept, and the run says so in
  ``properties.pdlint.truncated`` and in an invocation notification, instead of producing a
  file that the upload rejects.
"""

from __future__ import annotations

import posixpath
import re
import textwrap
from pathlib import Path
from typing import Any
from urllib.parse import quote

from pdlint import __version__
from pdlint.discover import path_bytes
from pdlint.engine import ScanResult
from pdlint.findings import SEVERITY_RANK, Finding
from pdlint.rules import ALL_RULES, KNOWN, Rule
from pdlint.visible import dumps

#: The project's home page: ``informationUri`` and the base of every rule's ``helpUri``.
PROJECT_URL = "https://github.com/pdlint/pdlint"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
SRCROOT = "%SRCROOT%"

#: GitHub rejects larger uploads ("SARIF file is too large"); counted on the uncompressed text.
MAX_SARIF_BYTES = 10 * 1000 * 1000
#: GitHub's hard limit of results per run.
MAX_RESULTS = 25_000
#: GitHub's hard limits per result: locations (related locations included) and thread-flow
#: locations.
MAX_RELATED_LOCATIONS = 999
MAX_FLOW_LOCATIONS = 10_000
#: GitHub keeps at most 20 tags per rule and shows 10.
MAX_TAGS = 10

LEVELS: dict[str, str] = {"error": "error", "warning": "warning", "info": "note"}
#: CodeQL's ``problem.severity`` vocabulary, which some SARIF consumers read.
PROBLEM_SEVERITY: dict[str, str] = {"error": "error", "warning": "warning",
                                    "info": "recommendation"}
#: A tag per rule family (the hundreds digit of the code).
FAMILY_TAGS: dict[str, str] = {
    "0": "tooling",
    "1": "data-inventory",
    "2": "data-flow",
    "3": "testing",
    "4": "consent",
    "5": "data-subject-rights",
    "6": "safeguards",
    "9": "tooling",
}
_VCS_MARKERS = (".git", ".hg")
_ARTICLE_RE = re.compile(r"\bArts?\.\s*(\d+)")


# --------------------------------------------------------------------------------------------
# Paths shared by the CI formats (sarif, github, gitlab)


def _vcs_root(start: Path) -> Path | None:
    current = start
    while True:
        if any((current / marker).exists() for marker in _VCS_MARKERS):
            return current
        if current.parent == current:
            return None
        current = current.parent


class ReportPaths:
    """Paths for CI systems: relative to the repository root, ``/``-separated.

    Findings carry a project-root-relative ``root_path``; a project nested in a repository
    gets the project's own directory as a prefix. Trace entries carry paths relative to the
    current directory; they are mapped back to the project root with the offset between a
    finding's ``path`` and its ``root_path``.
    """

    def __init__(self, result: ScanResult) -> None:
        self.prefix = ""
        project = result.project
        if project is not None:
            root = Path(project.config.root)
            vcs = _vcs_root(root)
            if vcs is not None and vcs != root:
                rel = Path(root).relative_to(vcs).as_posix()
                self.prefix = "" if rel == "." else rel
        self._known: dict[str, str] = {}
        self._offsets: list[tuple[str, str]] = []  # (cwd-side prefix, root-side prefix)
        for finding in result.findings:
            if not finding.root_path:
                continue
            self._known.setdefault(finding.path, finding.root_path)
            offset = _offset(finding.path, finding.root_path)
            if offset is not None and offset not in self._offsets:
                self._offsets.append(offset)

    def _in_repo(self, root_path: str) -> str:
        if not self.prefix:
            return root_path
        joined = posixpath.normpath(posixpath.join(self.prefix, root_path))
        return root_path if joined.startswith("../") else joined

    def of(self, finding: Finding) -> str:
        """The repository-relative path of a finding's file."""
        return self._in_repo(finding.root_path or finding.path)

    def of_display(self, path: str) -> str:
        """The repository-relative path of a path relative to the current directory."""
        known = self._known.get(path)
        if known is not None:
            return self._in_repo(known)
        for cwd_side, root_side in self._offsets:
            if cwd_side and not path.startswith(cwd_side + "/"):
                continue
            rest = path[len(cwd_side) + 1:] if cwd_side else path
            mapped = posixpath.normpath(posixpath.join(root_side, rest)) if root_side else rest
            if not mapped.startswith("../"):
                return self._in_repo(mapped)
        return self._in_repo(path)


def _offset(path: str, root_path: str) -> tuple[str, str] | None:
    """(cwd-side, root-side) prefixes such that ``cwd/cwd-side`` is ``root/root-side``."""
    display = path.split("/")
    rooted = root_path.split("/")
    while display and rooted and display[-1] == rooted[-1] and display[-1] != "..":
        display.pop()
        rooted.pop()
    if ".." in rooted:
        return None
    if display and rooted:
        return None  # not a simple prefix relation (symlinks?): do not guess
    return "/".join(display), "/".join(rooted)


def uri(path: str) -> str:
    """A relative URI reference for a ``/``-separated path."""
    # bytes that are not UTF-8 (surrogateescape) are percent-encoded as the bytes they are
    return quote(path_bytes(path), safe="/-._~!$&'()*+,;=@")


# --------------------------------------------------------------------------------------------
# Rule descriptors


def plain(text: str) -> str:
    """Rule prose as plain text: dedented, paragraphs unwrapped, blank line between them."""
    paragraphs = textwrap.dedent(text).strip().split("\n\n")
    return "\n\n".join(" ".join(line.strip() for line in p.splitlines() if line.strip())
                       for p in paragraphs if p.strip())


def help_uri(code: str) -> str:
    return f"{PROJECT_URL}/blob/main/docs/rules/{code}.md"


def rule_tags(rule: type[Rule]) -> list[str]:
    tags = ["privacy", "gdpr"]
    family = FAMILY_TAGS.get(rule.code[3:4])
    if family:
        tags.append(family)
    articles = sorted({int(n) for n in _ARTICLE_RE.findall(f"{rule.summary} {rule.what} "
                                                            f"{rule.why}")})
    tags += [f"gdpr/art-{n}" for n in articles]
    return tags[:MAX_TAGS]


def rule_descriptor(rule: type[Rule]) -> dict[str, Any]:
    what = plain(rule.what)
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": what},
        "help": {
            "text": f"{what}\n\nWhy is this bad?\n\n{plain(rule.why)}\n\n"
                    f"Documentation: {help_uri(rule.code)}",
            "markdown": rule.explain(),
        },
        "helpUri": help_uri(rule.code),
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {
            "tags": rule_tags(rule),
            "precision": "high",
            "problem.severity": PROBLEM_SEVERITY[rule.severity],
        },
    }


def _unknown_descriptor(code: str) -> dict[str, Any]:
    """A minimal descriptor for a finding whose rule is not in ALL_RULES (defensive)."""
    name = KNOWN.get(code, code.lower())
    return {
        "id": code,
        "name": name,
        "shortDescription": {"text": f"{code} {name}"},
        "helpUri": help_uri(code),
        "properties": {"tags": ["privacy", "gdpr"]},
    }


# --------------------------------------------------------------------------------------------
# Results


def region(line: int, column: int, end_line: int | None = None,
           end_column: int | None = None) -> dict[str, int] | None:
    """A SARIF region with only valid (≥ 1, ordered) values; None without a line."""
    if line < 1:
        return None
    out: dict[str, int] = {"startLine": line}
    if column >= 1:
        out["startColumn"] = column
    if end_line is not None and end_line >= line:
        out["endLine"] = end_line
        if (end_column is not None and end_column >= 1 and column >= 1
                and (end_line > line or end_column >= column)):
            out["endColumn"] = end_column
    return out


def _physical(path: str, reg: dict[str, int] | None) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": uri(path), "uriBaseId": SRCROOT}}
    if reg is not None:
        physical["region"] = reg
    return physical


def _logical(symbol: str | None) -> list[dict[str, str]]:
    if not symbol:
        return []
    return [{"name": symbol.rsplit(".", 1)[-1], "fullyQualifiedName": symbol}]


def _location(path: str, reg: dict[str, int] | None, symbol: str | None = None,
              message: str | None = None, ident: int | None = None) -> dict[str, Any]:
    location: dict[str, Any] = {}
    if ident is not None:
        location["id"] = ident
    location["physicalLocation"] = _physical(path, reg)
    logical = _logical(symbol)
    if logical:
        location["logicalLocations"] = logical
    if message:
        location["message"] = {"text": message}
    return location


def _step_message(index: int, symbol: str) -> str:
    return f"personal data starts in {symbol}" if index == 0 else f"passed to {symbol}"


def result_object(finding: Finding, rule_index: int, paths: ReportPaths) -> dict[str, Any]:
    path = paths.of(finding)
    primary_region = region(finding.line, finding.column, finding.end_line, finding.end_column)
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": LEVELS.get(finding.severity, "warning"),
        "message": {"text": finding.message},
        "locations": [_location(path, primary_region, finding.symbol)],
    }
    if finding.fingerprint:
        result["partialFingerprints"] = {"primaryLocationLineHash": finding.fingerprint}
    if finding.trace:
        steps = finding.trace[:MAX_RELATED_LOCATIONS]
        related = []
        flow = []
        for index, (step_path, line, symbol) in enumerate(steps):
            text = _step_message(index, symbol)
            step_region = region(line, 0)
            related.append(_location(paths.of_display(step_path), step_region, symbol, text,
                                     ident=index + 1))
            flow.append({"location": _location(paths.of_display(step_path), step_region,
                                               symbol, text)})
        flow = flow[:MAX_FLOW_LOCATIONS - 1]
        flow.append({"location": _location(path, primary_region, finding.symbol,
                                           finding.message)})
        result["relatedLocations"] = related
        result["codeFlows"] = [{
            "message": {"text": " → ".join(symbol for _, _, symbol in steps)},
            "threadFlows": [{"locations": flow}],
        }]
    properties: dict[str, Any] = {"severity": finding.severity}
    if finding.categories:
        properties["categories"] = list(finding.categories)
    result["properties"] = properties
    return result


# --------------------------------------------------------------------------------------------
# The document


def build_sarif(result: ScanResult) -> dict[str, Any]:
    """The complete SARIF log as a dict, before any size guard."""
    rules = [rule_descriptor(rule) for rule in ALL_RULES]
    index = {rule.code: i for i, rule in enumerate(ALL_RULES)}
    for finding in result.findings:
        if finding.rule not in index:
            index[finding.rule] = len(rules)
            rules.append(_unknown_descriptor(finding.rule))
    paths = ReportPaths(result)
    results = [result_object(f, index[f.rule], paths) for f in result.findings]

    notifications: list[dict[str, Any]] = [
        {"level": "warning", "message": {"text": f"{where}: {problem}"}}
        for where, problem in result.problems
    ]
    invocation: dict[str, Any] = {"executionSuccessful": True}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    run: dict[str, Any] = {
        "tool": {"driver": {
            "name": "pdlint",
            "version": __version__,
            "semanticVersion": __version__,
            "informationUri": PROJECT_URL,
            "rules": rules,
        }},
        "invocations": [invocation],
        "columnKind": "unicodeCodePoints",
        "results": results,
        "properties": {"pdlint": {
            "files": result.files,
            "parseErrors": result.parse_errors,
            "suppressed": result.suppressed,
        }},
    }
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def _pretty(document: object) -> str:
    return dumps(document, indent=2) + "\n"


def _compact(document: object) -> str:
    return dumps(document, separators=(",", ":")) + "\n"


def _size(text: str) -> int:
    return len(text.encode("utf-8"))


def sarif_text(result: ScanResult, *, max_bytes: int = MAX_SARIF_BYTES,
               max_results: int = MAX_RESULTS) -> str:
    """The SARIF log as text, within ``max_bytes`` and ``max_results``.

    Indented JSON when it fits; else the same document without whitespace (code scanning
    does not care); else, still compact, only the highest-severity results that fit, with
    the truncation recorded in the run.
    """
    document = build_sarif(result)
    if len(result.findings) <= max_results:
        for dump in (_pretty, _compact):
            text = dump(document)
            if _size(text) <= max_bytes:
                return text
    _fit(document, result.findings, max_bytes, max_results)
    return _compact(document)


def _fit(document: dict[str, Any], findings: list[Finding], max_bytes: int,
         max_results: int) -> None:
    """Drop the lowest-severity results until the compact document fits; say so."""
    run = document["runs"][0]
    results: list[dict[str, Any]] = run["results"]
    total = len(results)
    # Highest severity first, then the report order; the survivors keep the report order.
    order = sorted(range(total),
                   key=lambda i: (-SEVERITY_RANK.get(findings[i].severity, 0), i))
    costs = [_size(_compact(results[i])) for i in order]  # its text, plus one comma
    keep = min(total, max_results)
    while True:
        _truncate(document, [results[i] for i in sorted(order[:keep])], total)
        size = _size(_compact(document))
        if size <= max_bytes or keep == 0:
            return
        # Drop results worth the excess (at least one), then measure again.
        excess = size - max_bytes
        dropped = 0
        while keep > 0 and dropped < excess:
            keep -= 1
            dropped += costs[keep]


def _truncate(document: dict[str, Any], kept: list[dict[str, Any]], total: int) -> None:
    run = document["runs"][0]
    run["results"] = kept
    text = (f"pdlint: the SARIF output was truncated to {len(kept)} of {total} results "
            f"(highest severity first) to stay within GitHub code scanning's upload limits "
            f"({MAX_SARIF_BYTES // 1_000_000} MB, {MAX_RESULTS:,} results per run); "
            f"use --format json for every finding.")
    invocation = run["invocations"][0]
    notes = [n for n in invocation.get("toolExecutionNotifications", ())
             if n.get("descriptor", {}).get("id") != "truncated"]
    notes.append({"descriptor": {"id": "truncated"}, "level": "warning",
                  "message": {"text": text}})
    invocation["toolExecutionNotifications"] = notes
    run["properties"]["pdlint"]["truncated"] = {
        "totalResults": total,
        "includedResults": len(kept),
        "reason": text,
    }


def render_sarif(result: ScanResult) -> str:
    """``--format sarif``: the SARIF 2.1.0 log, within GitHub's upload limits."""
    return sarif_text(result)
