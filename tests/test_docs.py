"""The committed rule reference matches the rule metadata (run `python -m pdlint.docs`)."""

from __future__ import annotations

from pathlib import Path

from pdlint.docs import rule_pages

DOCS = Path(__file__).resolve().parent.parent / "docs" / "rules"


def test_rule_docs_are_up_to_date() -> None:
    for name, text in rule_pages().items():
        page = DOCS / name
        assert page.exists(), f"missing {page}: run `python -m pdlint.docs`"
        assert page.read_text(encoding="utf-8") == text, f"{page} is stale: run `python -m pdlint.docs`"
