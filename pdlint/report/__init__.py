"""Reporters: turn a scan result into text for people or documents for machines.

Machine formats are registered in :data:`RENDERERS` (format name → function of the scan
result returning the whole document); ``text`` is rendered through rich by the CLI.
"""

from __future__ import annotations

from collections.abc import Callable

from pdlint.engine import ScanResult
from pdlint.report.github import render_github
from pdlint.report.gitlab import render_gitlab
from pdlint.report.json_report import render_json
from pdlint.report.junit import render_junit
from pdlint.report.sarif import render_sarif
from pdlint.report.text import render_statistics, render_summary, render_text

Renderer = Callable[[ScanResult], str]

RENDERERS: dict[str, Renderer] = {
    "json": render_json,
    "sarif": render_sarif,
    "github": render_github,
    "gitlab": render_gitlab,
    "junit": render_junit,
}

FORMATS: tuple[str, ...] = ("text", *RENDERERS)

__all__ = ["FORMATS", "RENDERERS", "render_github", "render_gitlab", "render_json",
           "render_junit", "render_sarif", "render_statistics", "render_summary", "render_text"]
