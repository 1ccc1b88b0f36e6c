"""``--format github``: GitHub Actions workflow commands, one per finding.

Printed in a workflow step, each line becomes an annotation on the pull request's diff
without any action or token::

    ::error file=app/views.py,line=7,col=5,endLine=7,endColumn=41,title=PDL201 pii-in-log::…

error → ``::error``, warning → ``::warning``, info → ``::notice``. Paths are relative to
the repository root (see :class:`pdlint.report.sarif.ReportPaths`), which is what GitHub
matches annotations against, even when pdlint runs in a sub-directory. Values are escaped
as ``@actions/core`` does: ``%``, CR and LF in the message; also ``:`` and ``,`` in
properties, so a message or path cannot end a command early or inject another one.
"""

from __future__ import annotations

from pdlint.engine import ScanResult
from pdlint.findings import Finding
from pdlint.report.sarif import ReportPaths
from pdlint.visible import visible

COMMANDS: dict[str, str] = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding, path: str) -> str:
    properties: list[tuple[str, object]] = [("file", visible(path))]
    if finding.line >= 1:
        properties.append(("line", finding.line))
        if finding.column >= 1:
            properties.append(("col", finding.column))
        if finding.end_line is not None and finding.end_line >= finding.line:
            properties.append(("endLine", finding.end_line))
            if finding.end_column is not None and finding.end_column >= 1 and (
                    finding.end_line > finding.line or finding.end_column >= finding.column):
                properties.append(("endColumn", finding.end_column))
    properties.append(("title", f"{finding.rule} {finding.name}"))
    rendered = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties)
    command = COMMANDS.get(finding.severity, "warning")
    return f"::{command} {rendered}::{escape_data(visible(finding.message))}"


def render_github(result: ScanResult) -> str:
    """One workflow command per finding (no output at all without findings)."""
    paths = ReportPaths(result)
    return "".join(annotation(finding, paths.of(finding)) + "\n" for finding in result.findings)
