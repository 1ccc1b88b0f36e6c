"""``--format gitlab``: a GitLab Code Quality report (``artifacts:reports:codequality``).

A JSON array of issues in the subset of the Code Climate format that GitLab reads:
``description``, ``check_name``, ``fingerprint``, ``severity`` and ``location`` (``path``
relative to the repository root, ``lines.begin``/``end``). GitLab shows the issues in the
merge request widget and diff, and compares the branch's fingerprints with the target
branch's to tell new issues from fixed ones.

* ``fingerprint`` is the MD5 hex digest of the finding's line-independent fingerprint, so an
  issue survives edits above it; it is unique within the report (GitLab shows only the first
  of several issues sharing one).
* Severity: GitLab knows ``info``, ``minor``, ``major``, ``critical`` and ``blocker``.
  pdlint maps error → ``critical``, warning → ``major``, info → ``info``: ``blocker`` is left
  for nothing pdlint can see statically, and ``minor`` would understate a warning about
  personal data.
"""

from __future__ import annotations

import hashlib

from pdlint.discover import path_bytes
from pdlint.engine import ScanResult
from pdlint.findings import Finding
from pdlint.report.sarif import ReportPaths
from pdlint.visible import dumps

SEVERITIES: dict[str, str] = {"error": "critical", "warning": "major", "info": "info"}


def _md5(text: str) -> str:
    return hashlib.md5(path_bytes(text), usedforsecurity=False).hexdigest()


def issue(finding: Finding, path: str, fingerprint: str) -> dict[str, object]:
    begin = max(finding.line, 1)
    end = finding.end_line if finding.end_line is not None and finding.end_line >= begin else begin
    return {
        "description": f"{finding.rule} {finding.name}: {finding.message}",
        "check_name": finding.rule,
        "fingerprint": fingerprint,
        "severity": SEVERITIES.get(finding.severity, "major"),
        "location": {"path": path, "lines": {"begin": begin, "end": end}},
    }


def render_gitlab(result: ScanResult) -> str:
    paths = ReportPaths(result)
    seen: set[str] = set()
    issues = []
    for finding in result.findings:
        path = paths.of(finding)
        key = finding.fingerprint or "\x1f".join(
            (finding.rule, path, str(finding.line), str(finding.column), finding.message))
        fingerprint = _md5(key)
        counter = 1
        while fingerprint in seen:  # identical findings without a fingerprint (hand-built)
            fingerprint = _md5(f"{key}\x1f{counter}")
            counter += 1
        seen.add(fingerprint)
        issues.append(issue(finding, path, fingerprint))
    return dumps(issues, indent=2) + "\n"
