"""Reporters: turn a scan result into text for people or documents for machines."""

from __future__ import annotations

from pdlint.report.json_report import render_json
from pdlint.report.text import render_statistics, render_summary, render_text

FORMATS: tuple[str, ...] = ("text", "json")

__all__ = ["FORMATS", "render_json", "render_statistics", "render_summary", "render_text"]
