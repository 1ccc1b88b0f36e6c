"""What PDL105 reports, what the graph marks undeclared and what the inventory lists as
"detected, undeclared" are one answer (Project.field_declared), on every fixture.

The three once disagreed: a class tagged `# gdpr: none` scanned clean while the inventory
listed its e-mail field as "detected, undeclared".
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from pdlint.commands.common import category_known
from pdlint.config import load_config
from pdlint.engine import scan
from pdlint.export import export_graph
from pdlint.inventory import build_inventory
from pdlint.project import Project
from pdlint.rules import KNOWN
from pdlint.rules.fields import UntaggedPiiField
from pdlint.testing import scan_sources

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
PROJECTS = sorted(p.name for p in FIXTURES.iterdir() if (p / "pyproject.toml").exists())


def _three_answers(project: Project) -> tuple[set[str], set[str], set[str]]:
    reported = {report.symbol for report in UntaggedPiiField().check(project)
                if report.symbol is not None}
    graph = export_graph(project)
    drawn = {node.partition(":")[2] for node, data in graph.nodes(data=True)
             if data.get("kind") == "field" and data.get("declared") is False}
    inventory = build_inventory(project, "fixture")
    listed = {f"{storage.model}.{storage.field}" for entry in inventory.categories
              for storage in entry.storage if storage.detected and not storage.declared}
    return reported, drawn, listed


@pytest.mark.parametrize("name", PROJECTS)
def test_rule_graph_and_inventory_agree_on_undeclared_fields(
        name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    root = FIXTURES / name
    monkeypatch.chdir(root)
    config = load_config(root, None, known_rules=KNOWN, category_known=category_known)
    project = scan([root], config, root).project
    assert project is not None
    reported, drawn, listed = _three_answers(project)
    assert reported == drawn == listed


def test_a_class_reviewed_none_is_clean_everywhere() -> None:
    result = scan_sources({"app/models.py": textwrap.dedent("""
        from django.db import models

        class Newsletter(models.Model):  # gdpr: none
            sender_email = models.EmailField()

        class Customer(models.Model):
            email = models.EmailField()
    """).lstrip()})
    assert result.project is not None
    reported, drawn, listed = _three_answers(result.project)
    assert reported == drawn == listed == {"app.models.Customer.email"}
