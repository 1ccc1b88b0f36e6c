"""``--format json``: one object with the findings and a summary (a documented, stable shape)."""

from __future__ import annotations

from pdlint import __version__
from pdlint.engine import ScanResult
from pdlint.visible import dumps


def render_json(result: ScanResult) -> str:
    document = {
        "version": __version__,
        "findings": [finding.to_dict() for finding in result.findings],
        "summary": {
            "files": result.files,
            "parse_errors": result.parse_errors,
            "skipped": result.skipped,
            "findings": len(result.findings),
            "by_rule": result.by_rule(),
            "by_severity": result.by_severity(),
            "suppressed": result.suppressed,
            "baselined": result.baselined,
            "stale_baseline": result.stale,
            "outside_changed_lines": result.outside_changes,
            "outside_named_files": result.outside_files,
        },
    }
    return dumps(document, indent=2) + "\n"
