"""What the rules report, what the graph draws and what the inventory lists are one
answer, on every fixture:

- undeclared fields: PDL105, the graph's ``declared=False`` fields and the inventory's
  "detected, undeclared" storage (Project.field_declared). They once disagreed: a class
  tagged ``# gdpr: none`` scanned clean while the inventory listed its e-mail field;
- leaks: the link model's log-like flows, PDL201/PDL202 and the graph's leak edges
  (Project.flows). They once disagreed: a logged photo (a pointer) was no finding but a
  leak edge in the graph;
- disclosures: the link model's third-party flows, the graph's recipients and the
  inventory's detected recipients.
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


def _fixture_project(name: str, monkeypatch: pytest.MonkeyPatch) -> Project:
    """The linked project of a fixture, with its own configuration (no rule is run)."""
    root = FIXTURES / name
    monkeypatch.chdir(root)
    config = load_config(root, None, known_rules=KNOWN, category_known=category_known)
    project = scan([root], config, root, rules=False).project
    assert project is not None
    return project


@pytest.mark.parametrize("name", PROJECTS)
def test_rule_graph_and_inventory_agree_on_undeclared_fields(
        name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    reported, drawn, listed = _three_answers(_fixture_project(name, monkeypatch))
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


# -- flows: the link model, the rules, the graph and the inventory --------------------------


def _leak_answers(project: Project) -> tuple[set[tuple[str, str, str]], set[tuple[str, str, str]],
                                              set[tuple[str, str, str]]]:
    """(symbol, sink kind, category) of every leak: in the link model, in what PDL201 and
    PDL202 report (before suppressions), and in the graph's ``sends`` edges to log sinks."""
    from pdlint.rules.leaks import PiiInException, PiiInLog

    model = {(flow.source, flow.kind.value, key) for flow in project.flows.leaks()
             for key in flow.categories}
    kind_at = {(flow.path, flow.span): flow.kind.value for flow in project.flows.leaks()}
    reported = {(report.symbol or "", kind_at[(report.path, report.span)], key)
                for rule in (PiiInLog(), PiiInException()) for report in rule.check(project)
                for key in report.categories}
    graph = export_graph(project)
    drawn = {(source.partition(":")[2], graph.nodes[target]["sink_kind"], key)
             for source, target, data in graph.edges(data=True) if data.get("leak")
             for key in data["categories"]}
    return model, reported, drawn


def _recipient_answers(project: Project) -> tuple[set[tuple[str, str, str]],
                                                  set[tuple[str, str, str]],
                                                  set[tuple[str, str, str]]]:
    """(function, recipient, category) of every detected disclosure to a third party: in the
    link model, in the graph, in the inventory (for the categories it has an entry for)."""
    from pdlint.knowledge import SinkKind

    model = {(flow.source, flow.target or "", key)
             for flow in project.flows.of(SinkKind.THIRD_PARTY) if not flow.declared
             for key in flow.categories}
    graph = export_graph(project)
    drawn = {(source.partition(":")[2], graph.nodes[target]["recipient"], key)
             for source, target, data in graph.edges(data=True)
             if graph.nodes[target].get("sink_kind") == "third_party" and data["detected"]
             for key in data["categories"]}
    inventory = build_inventory(project, "fixture")
    listed = {(symbol, name, entry.key) for entry in inventory.categories
              for name, recipient in entry.recipients.items() if recipient.detected
              for symbol in recipient.via}
    known = {entry.key for entry in inventory.categories}
    return {m for m in model if m[2] in known}, {d for d in drawn if d[2] in known}, listed


@pytest.mark.parametrize("name", PROJECTS)
def test_rules_graph_and_inventory_render_the_same_flows(
        name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    project = _fixture_project(name, monkeypatch)
    model, reported, drawn = _leak_answers(project)
    assert model == reported == drawn
    model, drawn, listed = _recipient_answers(project)
    assert model == drawn == listed


def test_a_photo_in_a_log_is_a_pointer_for_the_rule_and_the_graph() -> None:
    """A logged photo is its storage name: PDL201 does not report it, and the graph once
    drew the leak edge all the same."""
    result = scan_sources({"app/thumbs.py": textwrap.dedent("""
        import logging

        log = logging.getLogger(__name__)

        def thumbnail(user):
            log.info("thumb for %s", user.profile_photo)
            log.info("mail for %s", user.email)
    """).lstrip()})
    assert result.project is not None
    model, reported, drawn = _leak_answers(result.project)
    assert model == reported == drawn == {("app.thumbs.thumbnail", "log", "contact.email")}
