"""The scan pipeline, phase by phase, and the proof that splitting it changed no output.

The engine runs discover → extract → link → check → post-process → report. These tests
drive the phases one at a time (a rule's raw reports, then each post-processor), check that
``graph`` and ``inventory`` stop after the link phase, and compare every fixture's scan with
a frozen copy of its :class:`~pdlint.engine.ScanResult` taken before the pipeline was split
(tests/golden/pipeline/NAME.json).

The frozen copy holds the result, not the rendered documents: SARIF embeds every rule's
documentation and the JSON report pdlint's version, so a golden SARIF file would break on
every docs edit. The documents are instead rendered twice, from the live result and from the
frozen one, and compared byte for byte: any difference in findings, counts, paths, traces or
fingerprints shows in at least one format. After an intended change of findings, regenerate
with ``PDLINT_UPDATE_GOLDEN=1 python -m pytest tests/test_pipeline.py`` and review the diff.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path

import pytest
from click.testing import CliRunner

from pdlint.cli import _console, main
from pdlint.commands.common import category_known
from pdlint.commands.graph import packages_of
from pdlint.config import Config, load_config
from pdlint.engine import RunOptions, ScanResult, check, link, scan
from pdlint.extract import FileInput, extract_file
from pdlint.facts import Span
from pdlint.findings import Finding
from pdlint.postprocess import (
    POSTPROCESSOR_RULES,
    Context,
    DisplayPaths,
    Raw,
    findings,
    per_file_ignores,
    postprocess,
    suppressions,
    tag_ignores,
    unused_suppressions,
)
from pdlint.project import Project
from pdlint.report import RENDERERS, render_summary, render_text
from pdlint.rules import ALL_RULES, KNOWN, RULES, Report, Rule
from pdlint.rules.fields import UntaggedPiiField
from pdlint.rules.leaks import PiiInLog
from pdlint.rules.suppressions import UnusedSuppression

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
GOLDEN = Path(__file__).resolve().parent / "golden" / "pipeline"
PROJECTS = sorted(path.name for path in FIXTURES.iterdir() if (path / "pyproject.toml").is_file())
UPDATE = os.environ.get("PDLINT_UPDATE_GOLDEN") == "1"


def fixture_config(root: Path) -> Config:
    """The configuration ``pdlint scan`` loads when run in ``root``."""
    return load_config(root, None, known_rules=KNOWN, category_known=category_known)


def scan_fixture(name: str, monkeypatch: pytest.MonkeyPatch, rules: bool = True) -> ScanResult:
    """Scan a fixture from its own directory, as ``cd fixtures/NAME && pdlint scan`` does."""
    root = FIXTURES / name
    monkeypatch.chdir(root)
    return scan([root], fixture_config(root), cwd=root, run=RunOptions(jobs=1), rules=rules)


def frozen(result: ScanResult) -> str:
    """Everything of a result that reaches a report, as stable JSON text (not the project)."""
    document = {
        "files": result.files,
        "parse_errors": result.parse_errors,
        "suppressed": result.suppressed,
        "skipped": result.skipped,
        "baselined": result.baselined,
        "stale": result.stale,
        "outside_changes": result.outside_changes,
        "outside_files": result.outside_files,
        "problems": [list(problem) for problem in result.problems],
        "findings": [asdict(finding) for finding in result.findings],
    }
    return json.dumps(document, indent=1, ensure_ascii=True) + "\n"


def thawed(text: str, like: ScanResult) -> ScanResult:
    """The result ``text`` (from :func:`frozen`) describes, with ``like``'s project (SARIF
    reads the project root from it)."""
    document = json.loads(text)
    findings = [
        Finding(**{**entry, "categories": tuple(entry["categories"]),
                   "trace": tuple(tuple(step) for step in entry["trace"])})
        for entry in document.pop("findings")
    ]
    problems = [(where, problem) for where, problem in document.pop("problems")]
    return ScanResult(findings, problems=problems, project=like.project, **document)


def rendered(result: ScanResult, fmt: str) -> str:
    """A report as ``pdlint scan --format FMT`` writes it (text: stdout, then the summary)."""
    if fmt in RENDERERS:
        return RENDERERS[fmt](result)
    out, err = io.StringIO(), io.StringIO()
    render_text(result, _console(out, "never"))
    render_summary(result, _console(err, "never"))
    return out.getvalue() + "\x00" + err.getvalue()


@pytest.mark.parametrize("name", PROJECTS)
def test_scan_result_matches_the_frozen_copy(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    golden = GOLDEN / f"{name}.json"
    text = frozen(scan_fixture(name, monkeypatch))
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["json", "sarif", "text", "github", "gitlab", "junit"])
@pytest.mark.parametrize("name", PROJECTS)
def test_reports_are_byte_identical(name: str, fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    live = scan_fixture(name, monkeypatch)
    expected = thawed((GOLDEN / f"{name}.json").read_text(encoding="utf-8"), live)
    assert rendered(live, fmt) == rendered(expected, fmt)


# -- the phases in isolation -------------------------------------------------------------------

MODELS = '''\
from django.db import models


class Customer(models.Model):
    email = models.EmailField()  # pdlint: ignore[PDL105]
    phone = models.CharField(max_length=20)
    # pdlint: ignore[PDL105]
    price = models.DecimalField(max_digits=8, decimal_places=2)
'''
PATH = "app/models.py"
SUPPRESSION_LINE = 5  # the comment on email's line: used
STALE_LINE = 7  # the comment above price, which holds no personal data: unused


def linked(sources: dict[str, str], **settings: object) -> Project:
    """The link phase on in-memory sources (no discovery, no cache)."""
    config = Config(root=Path("/proj"), config_file=None, **settings)  # type: ignore[arg-type]
    files = [extract_file(FileInput(rel, rel.removesuffix(".py").replace("/", "."), False),
                          text.encode()) for rel, text in sources.items()]
    return link(files, config)


def context_of(project: Project) -> Context:
    codes = project.config.enabled_rules(KNOWN) & set(RULES)
    return Context(project, project.config, frozenset(codes))


def pdl105(project: Project) -> list[Raw]:
    return check(project, [UntaggedPiiField()])


def lines(raw: list[Raw]) -> list[tuple[str, int]]:
    return [(rule.code, report.span.line) for rule, report in raw]


def test_check_returns_every_report_unfiltered() -> None:
    """Rules only query the project: the suppressed field is still reported by check."""
    assert lines(pdl105(linked({PATH: MODELS}))) == [("PDL105", 5), ("PDL105", 6)]


def test_a_suppressed_report_is_removed_and_its_suppression_counted_as_used() -> None:
    project = linked({PATH: MODELS})
    context = context_of(project)
    kept = suppressions(pdl105(project), context)
    assert lines(kept) == [("PDL105", 6)]
    assert context.suppressed == 1
    assert context.used == {(PATH, SUPPRESSION_LINE): {"PDL105"}}


def test_an_unused_suppression_becomes_pdl901() -> None:
    project = linked({PATH: MODELS})
    context = context_of(project)
    raw = unused_suppressions(suppressions(pdl105(project), context), context)
    assert lines(raw) == [("PDL105", 6), ("PDL901", STALE_LINE)]
    rule, report = raw[-1]
    assert isinstance(rule, UnusedSuppression)
    assert report.message == "unused suppression for PDL105: nothing to suppress here"


def test_pdl901_is_not_reported_when_disabled() -> None:
    project = linked({PATH: MODELS}, ignore=("PDL901",))
    context = context_of(project)
    raw = unused_suppressions(suppressions(pdl105(project), context), context)
    assert lines(raw) == [("PDL105", 6)]


def test_a_tag_ignore_removes_the_report_without_using_a_comment() -> None:
    """``# gdpr: ignore=CODE reason=…`` on a symbol silences that code's reports on it (a
    tag without a reason does not); the raw reports are made up, the tags are linked."""
    source = MODELS.replace("max_length=20)", 'max_length=20)  # gdpr: ignore=PDL201 reason="ok"')
    source += "\n\ndef audit(user):  # gdpr: ignore=PDL201\n    pass\n"
    project = linked({PATH: source})
    context = context_of(project)
    span = Span(6, 5, 6, 44)
    raw: list[Raw] = [(PiiInLog(), Report(PATH, span, "m", symbol="app.models.Customer.phone")),
                      (PiiInLog(), Report(PATH, span, "m", symbol="app.models.audit")),
                      (UntaggedPiiField(), Report(PATH, span, "m",
                                                  symbol="app.models.Customer.phone"))]
    kept = tag_ignores(raw, context)
    assert [(rule.code, report.symbol) for rule, report in kept] == [
        ("PDL201", "app.models.audit"), ("PDL105", "app.models.Customer.phone")]
    assert context.suppressed == 1 and context.used == {}


def test_per_file_ignores_drop_reports_and_pdl901_alike() -> None:
    project = linked({PATH: MODELS}, per_file_ignores=(("app/*", ("PDL105", "PDL901")),))
    context = context_of(project)
    raw = unused_suppressions(suppressions(pdl105(project), context), context)
    assert per_file_ignores(raw, context) == []
    other = linked({PATH: MODELS}, per_file_ignores=(("lib/*", ("PDL105", "PDL901")),))
    assert lines(postprocess(pdl105(other), context_of(other))) == [("PDL105", 6),
                                                                   ("PDL901", STALE_LINE)]


def test_a_suppression_of_a_per_file_ignored_code_still_counts_as_used() -> None:
    """Suppressions run before per-file-ignores: email's comment is used, not stale."""
    project = linked({PATH: MODELS}, per_file_ignores=(("app/*", ("PDL105",)),))
    context = context_of(project)
    assert lines(postprocess(pdl105(project), context)) == [("PDL901", STALE_LINE)]
    assert context.used == {(PATH, SUPPRESSION_LINE): {"PDL105"}}


def test_severity_from_config_overrides_the_default_pdl901_included() -> None:
    project = linked({PATH: MODELS}, severity=(("PDL105", "error"), ("PDL901", "warning")))
    raw = postprocess(pdl105(project), context_of(project))
    assert [(rule.code, report.severity) for rule, report in raw] == [
        ("PDL105", "error"), ("PDL901", "warning")]
    plain = linked({PATH: MODELS})
    raw = postprocess(pdl105(plain), context_of(plain))
    assert [(rule.code, report.severity) for rule, report in raw] == [
        ("PDL105", "warning"), ("PDL901", "info")]


def test_pdl901_is_no_project_query() -> None:
    """Its metadata is a rule (explain, docs, SARIF); its reports come from post-processing."""
    assert UnusedSuppression.code in POSTPROCESSOR_RULES
    with pytest.raises(TypeError):
        UnusedSuppression().check(linked({PATH: MODELS}))


def test_findings_carry_root_relative_and_display_paths() -> None:
    project = linked({PATH: MODELS})
    context = context_of(project)
    raw = postprocess(pdl105(project), context)
    display = DisplayPaths(project, project.config, Path("/proj/app"), ())
    found = findings(raw, display)
    assert {(f.path, f.root_path) for f in found} == {("models.py", PATH)}


# -- graph and inventory stop after link -------------------------------------------------------


def graph_and_inventory(project: Project) -> tuple[str, str]:
    from pdlint.export import Focus, apply, export_graph, write
    from pdlint.inventory import build_inventory, render

    graph = write(apply(export_graph(project), Focus(), packages_of(project)), "json")
    return graph, render(build_inventory(project, "fixture"), "json")


@pytest.mark.parametrize("name", PROJECTS)
def test_a_scan_without_rules_links_the_same_project(name: str,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    full = scan_fixture(name, monkeypatch)
    linked_only = scan_fixture(name, monkeypatch, rules=False)
    assert linked_only.findings == [] and linked_only.suppressed == 0
    assert (linked_only.files, linked_only.parse_errors, linked_only.skipped,
            linked_only.problems) == (full.files, full.parse_errors, full.skipped, full.problems)
    assert full.project is not None and linked_only.project is not None
    assert graph_and_inventory(linked_only.project) == graph_and_inventory(full.project)


@pytest.mark.parametrize("command", ["graph", "inventory"])
def test_graph_and_inventory_run_no_rule(command: str, monkeypatch: pytest.MonkeyPatch) -> None:
    root = FIXTURES / "django_app"
    monkeypatch.chdir(root)
    expected = CliRunner().invoke(main, [command, "--format", "json", "--no-cache"])
    assert expected.exit_code == 0, expected.output

    def refuse(self: Rule, project: Project) -> Iterator[Report]:
        raise AssertionError(f"{self.code} ran")

    for rule in ALL_RULES:
        monkeypatch.setattr(rule, "check", refuse)
    result = CliRunner().invoke(main, [command, "--format", "json", "--no-cache"])
    assert result.exit_code == 0, result.output
    assert result.stdout == expected.stdout
    scan_run = CliRunner().invoke(main, ["scan", "--no-cache"])
    assert isinstance(scan_run.exception, AssertionError)  # the patch does bite a scan
