"""The command line: options, output formats, exit codes, configuration errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from pdlint import __version__
from pdlint.cli import main

MODELS = """\
from django.db import models


class Customer(models.Model):
    email = models.EmailField()
    phone_number = models.CharField(max_length=32)
    notes = models.TextField()  # gdpr: content.private purpse=support
"""

CLEAN = """\
from django.db import models


class Product(models.Model):
    name = models.CharField(max_length=100)
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "shop").mkdir()
    (tmp_path / "shop" / "__init__.py").write_text("")
    (tmp_path / "shop" / "models.py").write_text(MODELS)
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return tmp_path


def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, list(args), env=env)


def test_version() -> None:
    result = invoke("--version")
    assert result.exit_code == 0 and __version__ in result.output


def test_python_dash_m(project: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "pdlint", "scan", "--format", "json"],
                          capture_output=True, text=True, cwd=project)
    assert proc.returncode == 1
    assert json.loads(proc.stdout)["summary"]["findings"] == 3


@pytest.mark.parametrize(
    ("args", "code", "stream", "expected"),
    [
        (["--version"], 0, "stdout", "pdlint, version"),
        (["scan", "--no-such-option"], 2, "stderr", "No such option"),
        (["scan", "--exit-zero"], 0, "stdout", "PDL105"),
        (["scan", "--config", "missing.toml"], 2, "stderr", "config file not found"),
    ],
)
def test_the_console_entry_point_keeps_exit_codes_and_output(
        project: Path, args: list[str], code: int, stream: str, expected: str) -> None:
    """``pdlint`` ends with ``os._exit`` after flushing: nothing printed may be lost."""
    proc = subprocess.run([sys.executable, "-m", "pdlint", *args], capture_output=True,
                          text=True, cwd=project)
    assert proc.returncode == code
    assert expected in getattr(proc, stream)
    assert "Traceback" not in proc.stderr


def test_a_large_report_is_flushed_whole_before_the_quick_exit(tmp_path: Path) -> None:
    for index in range(60):
        (tmp_path / f"m{index}.py").write_text(
            "from django.db import models\n\n\n"
            "class Customer(models.Model):\n"
            "    email = models.EmailField()\n"
            "    phone_number = models.CharField(max_length=20)\n")
    proc = subprocess.run([sys.executable, "-m", "pdlint", "scan", "--format", "json",
                           "--no-cache", "--isolated", "."],
                          capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 1
    assert len(json.loads(proc.stdout)["findings"]) == 120


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_failed_write_is_not_a_success(project: Path) -> None:
    """A full disk under ``--format json > report.json`` must fail the CI job."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    with open("/dev/full", "w") as full:
        proc = subprocess.run([sys.executable, "-m", "pdlint", "scan", "--format", "json",
                               "--exit-zero"], stdout=full, stderr=subprocess.PIPE, text=True,
                              cwd=project, env=env)
    assert proc.returncode == 2
    assert "cannot write the output" in proc.stderr and "Traceback" not in proc.stderr


def test_missing_console_streams_are_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    from pdlint.cli import _flush_streams

    monkeypatch.setattr(sys, "stdout", None)
    assert _flush_streams(1) == 1


def test_a_closed_pipe_is_not_a_traceback(project: Path) -> None:
    proc = subprocess.Popen([sys.executable, "-m", "pdlint", "scan", "--format", "json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=project)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader went away (`pdlint scan | head -0`)
    stderr = proc.stderr.read().decode()
    proc.wait(timeout=60)
    assert "Traceback" not in stderr


def test_text_output_grouped_by_file_with_summary(project: Path) -> None:
    result = invoke("scan")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == "shop/models.py"
    assert any("5:5" in line and "PDL105 untagged-pii-field" in line and "Customer.email" in line
               for line in lines)
    assert "Found 3 findings (1 error, 2 warnings) in 1 file of 2 files scanned." in result.stderr
    assert "\x1b[" not in result.stdout  # not a terminal: no colour


def test_colour_only_when_forced_and_never_with_no_color(project: Path) -> None:
    assert "\x1b[" in invoke("scan", "--color", "always").stdout
    assert "\x1b[" not in invoke("scan", "--color", "never").stdout
    assert "\x1b[" not in invoke("scan", env={"NO_COLOR": "1"}).stdout


def test_clean_project_is_one_calm_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "models.py").write_text(CLEAN)
    monkeypatch.chdir(tmp_path)
    result = invoke("scan")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr.strip() == "No findings in 1 file."


def test_quiet_prints_findings_only(project: Path) -> None:
    result = invoke("scan", "--quiet")
    assert result.stderr == ""
    assert "PDL105" in result.stdout


def test_statistics(project: Path) -> None:
    result = invoke("scan", "--statistics", "--quiet")
    rows = [line.split() for line in result.stdout.splitlines()]
    assert ["2", "PDL105", "untagged-pii-field", "warning"] in rows
    assert ["1", "PDL102", "malformed-tag", "error"] in rows


def test_output_file(project: Path) -> None:
    result = invoke("scan", "--format", "json", "--output", "report.json")
    assert result.stdout == ""
    report = json.loads((project / "report.json").read_text())
    assert report["summary"]["by_rule"] == {"PDL102": 1, "PDL105": 2}


@pytest.mark.parametrize(
    ("args", "code"),
    [
        ((), 1),
        (("--fail-on", "error"), 1),
        (("--fail-on", "error", "--ignore", "PDL102"), 0),
        (("--fail-on", "warning", "--ignore", "PDL102"), 1),
        (("--fail-on", "never"), 0),
        (("--exit-zero",), 0),
        (("--select", "PDL107"), 0),
        (("--select", "PDL1", "--ignore", "untagged-pii-field,malformed-tag"), 0),
    ],
)
def test_exit_codes(project: Path, args: tuple[str, ...], code: int) -> None:
    assert invoke("scan", *args).exit_code == code


def test_fail_on_from_config(project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.pdlint]\nfail-on = "error"\nignore = ["PDL102"]\n')
    assert invoke("scan").exit_code == 0


def test_severity_override_from_config(project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.pdlint.severity]\nPDL105 = "error"\n')
    report = json.loads(invoke("scan", "--format", "json").stdout)
    assert {f["severity"] for f in report["findings"] if f["rule"] == "PDL105"} == {"error"}


def test_per_file_ignores(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        '[tool.pdlint.per-file-ignores]\n"shop/*.py" = ["PDL105"]\n')
    report = json.loads(invoke("scan", "--format", "json").stdout)
    assert report["summary"]["by_rule"] == {"PDL102": 1}


def test_config_found_by_walking_up(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (project / "pyproject.toml").write_text('[tool.pdlint]\nignore = ["PDL105"]\n')
    monkeypatch.chdir(project / "shop")
    report = json.loads(invoke("scan", "--format", "json").stdout)
    assert report["summary"]["by_rule"] == {"PDL102": 1}
    assert report["findings"][0]["path"] == "models.py"


def test_explicit_config_overrides_discovery(project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.pdlint]\nignore = ["PDL105"]\n')
    (project / "other.toml").write_text('[tool.pdlint]\nignore = ["PDL102"]\n')
    report = json.loads(invoke("scan", "--format", "json", "--config", "other.toml").stdout)
    assert report["summary"]["by_rule"] == {"PDL105": 2}


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[tool.pdlint]\nselct = ["PDL1"]\n', "did you mean 'select'?"),
        ('[tool.pdlint]\nselect = "PDL1"\n', "must be a list"),
        ('[tool.pdlint]\nignore = ["PDL105x"]\n', "PDL105x"),
        ('[tool.pdlint]\nselect = ["PDL10S"]\n', "did you mean"),
        ('[tool.pdlint]\nfail-on = "critical"\n', "fail-on"),
        ("[tool.pdlint\nselect = 1\n", "invalid TOML"),
    ],
)
def test_config_errors_exit_2_without_traceback(project: Path, toml: str, message: str) -> None:
    (project / "pyproject.toml").write_text(toml)
    result = invoke("scan")
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert result.stderr.startswith("pdlint: error: ")


def test_unknown_cli_rule_code_exits_2(project: Path) -> None:
    result = invoke("scan", "--select", "PDL999")
    assert result.exit_code == 2 and "PDL999" in result.stderr


def test_usage_error_exits_2(project: Path) -> None:
    assert invoke("scan", "--format", "xml").exit_code == 2


def test_missing_path_is_a_usage_error_even_beside_good_ones(project: Path) -> None:
    """A typo in a CI path must not give a green (or any) gate: exit 2, nothing scanned."""
    result = invoke("scan", "shop", "nowhere")
    assert result.stderr == "pdlint: error: nowhere: no such file or directory\n"
    assert result.exit_code == 2 and result.stdout == ""


def test_rules_lists_every_rule() -> None:
    result = invoke("rules")
    assert result.exit_code == 0
    assert "PDL105  untagged-pii-field" in result.stdout
    rows = json.loads(invoke("rules", "--format", "json").stdout)
    assert {row["code"] for row in rows} >= {"PDL001", "PDL102", "PDL103", "PDL105", "PDL107"}


@pytest.mark.parametrize("name", ["PDL105", "pdl105", "untagged-pii-field"])
def test_explain(name: str) -> None:
    result = invoke("explain", name)
    assert result.exit_code == 0
    text = result.stdout
    assert text.startswith("# PDL105 untagged-pii-field")
    assert "## Why is this bad?" in text and "Use instead:" in text
    assert text.count("```python") == 2


def test_explain_unknown_rule_suggests() -> None:
    result = invoke("explain", "PDL15")
    assert result.exit_code == 2 and "did you mean 'PDL105'?" in result.stderr


def test_explain_planned_rule() -> None:
    result = invoke("explain", "PDL604")
    assert result.exit_code == 2 and "not implemented" in result.stderr


def test_relative_paths_use_forward_slashes(project: Path) -> None:
    report = json.loads(invoke("scan", "--format", "json", str(project / "shop")).stdout)
    assert all("\\" not in f["path"] and not os.path.isabs(f["path"]) for f in report["findings"])
