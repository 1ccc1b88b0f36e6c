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
from dataclasses import asdict
from pathlib import Path

import pytest

from pdlint.cli import _console
from pdlint.commands.common import category_known
from pdlint.config import Config, load_config
from pdlint.engine import RunOptions, ScanResult, scan
from pdlint.findings import Finding
from pdlint.report import RENDERERS, render_summary, render_text
from pdlint.rules import KNOWN

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
GOLDEN = Path(__file__).resolve().parent / "golden" / "pipeline"
PROJECTS = sorted(path.name for path in FIXTURES.iterdir() if (path / "pyproject.toml").is_file())
UPDATE = os.environ.get("PDLINT_UPDATE_GOLDEN") == "1"


def fixture_config(root: Path) -> Config:
    """The configuration ``pdlint scan`` loads when run in ``root``."""
    return load_config(root, None, known_rules=KNOWN, category_known=category_known)


def scan_fixture(name: str, monkeypatch: pytest.MonkeyPatch, **kwargs: bool) -> ScanResult:
    """Scan a fixture from its own directory, as ``cd fixtures/NAME && pdlint scan`` does."""
    root = FIXTURES / name
    monkeypatch.chdir(root)
    return scan([root], fixture_config(root), cwd=root, run=RunOptions(jobs=1), **kwargs)


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
