"""``--format text``: findings grouped by file, for a person at a terminal.

Rendering goes through rich ``Text`` objects built piece by piece (never markup strings),
so brackets in messages or paths are printed as they are. Colour is rich's decision: on a
TTY only, never with ``NO_COLOR``; ``--color`` overrides.
"""

from __future__ import annotations

from itertools import groupby

from rich.console import Console
from rich.text import Text

from pdlint.engine import ScanResult
from pdlint.findings import Finding
from pdlint.visible import visible

_SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def render_text(result: ScanResult, console: Console) -> None:
    for path, group in groupby(result.findings, key=lambda f: f.path):
        console.print(Text(_header(path), style="bold underline"))
        for finding in group:
            console.print(_line(finding))
        console.print()


def _header(path: str) -> str:
    """The file's heading line. A name starting with ``::`` (a file may be called
    ``::error::x.py``) would be a workflow command in a GitHub Actions log: it gets the
    ``./`` that names the same file. The runner trims leading white space first (.NET
    ``TrimStart``: spaces, no-break and ideographic spaces...), so ``" ::error::x.py"`` gets
    it too."""
    shown = visible(path)
    return f"./{shown}" if shown.lstrip().startswith("::") else shown


def _line(finding: Finding) -> Text:
    text = Text("  ")
    text.append(f"{finding.line}:{finding.column}".ljust(8), style="dim")
    text.append(finding.severity.ljust(8), style=_SEVERITY_STYLE.get(finding.severity, ""))
    text.append(finding.rule, style="bold")
    text.append(" ")
    text.append(finding.name, style="magenta")
    text.append("  ")
    text.append(visible(finding.message))
    return text


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def render_summary(result: ScanResult, console: Console) -> None:
    files = _plural(result.files, "file")
    extras: list[str] = []
    if result.suppressed:
        extras.append(f"{result.suppressed} suppressed")
    if result.baselined:
        extras.append(f"{_plural(result.baselined, 'finding')} in the baseline not shown")
    if result.outside_changes:
        extras.append(f"{_plural(result.outside_changes, 'finding')} outside the changed lines "
                      "not shown")
    if result.outside_files:
        extras.append(f"{_plural(result.outside_files, 'finding')} in files not named on the "
                      "command line not shown")
    if result.stale:
        extras.append(f"{result.stale} stale baseline entr{'y' if result.stale == 1 else 'ies'}")
    if result.parse_errors:
        extras.append(_plural(result.parse_errors, "file") + " could not be parsed")
    if result.skipped:
        extras.append(_plural(result.skipped, "file") + " skipped (above max-file-size)")
    tail = f" ({'; '.join(extras)})" if extras else ""
    if not result.findings:
        console.print(Text(f"No findings in {files}.{tail}", style="green"))
        return
    counts = result.by_severity()
    parts = [_plural(counts[sev], sev) for sev in ("error", "warning", "info") if counts[sev]]
    with_findings = len({f.path for f in result.findings})
    console.print(
        Text(
            f"Found {_plural(len(result.findings), 'finding')} ({', '.join(parts)}) in "
            f"{_plural(with_findings, 'file')} of {files} scanned.{tail}",
            style="bold",
        )
    )


def render_statistics(result: ScanResult, console: Console) -> None:
    by_code: dict[str, tuple[int, str, str]] = {}
    for finding in result.findings:
        count, _, _ = by_code.get(finding.rule, (0, "", ""))
        by_code[finding.rule] = (count + 1, finding.name, finding.severity)
    for code in sorted(by_code, key=lambda c: (-by_code[c][0], c)):
        count, name, severity = by_code[code]
        line = Text(f"{count:>5}  ")
        line.append(code, style="bold")
        line.append(f"  {name:<40} ")
        line.append(severity, style=_SEVERITY_STYLE.get(severity, ""))
        console.print(line)
