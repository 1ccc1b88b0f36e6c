"""The gate cannot pass by mistake: what a new user hit in the first hour.

Missing paths are usage errors, empty directories are warned about, graph outputs are what
their suffix says, reserved rule codes are named as unchecked, and the summary goes to
stderr for every format (with what the changed-lines and baseline filters left out).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from pdlint.cli import main
from pdlint.report import FORMATS
from pdlint.rules import RESERVED, RULES

LEAK = "import logging\n\n\ndef notify(user):\n    logging.info('to %s', user.email)\n"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, [*args])


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "pdlint.toml").write_text("[tool.pdlint]\n", encoding="utf-8")
    (tmp_path / "app.py").write_text(LEAK, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return tmp_path


# -- paths ------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["scan", "graph", "inventory"])
def test_a_missing_path_is_a_usage_error(command: str, project: Path) -> None:
    result = run(command, "--no-cache", "no/such/path")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "pdlint: error: no/such/path: no such file or directory"]
    assert result.stdout == ""


@pytest.mark.parametrize("command", ["scan", "graph", "inventory"])
def test_a_missing_path_among_good_ones_still_fails(command: str, project: Path) -> None:
    result = run(command, "--no-cache", "app.py", "typo.py")
    assert result.exit_code == 2 and "typo.py: no such file or directory" in result.stderr


def test_a_broken_symlink_is_named_as_such(project: Path) -> None:
    os.symlink(project / "gone.py", project / "link.py")
    result = run("scan", "--no-cache", "link.py")
    assert result.exit_code == 2 and "link.py: a broken symbolic link" in result.stderr


@pytest.mark.parametrize("command", ["scan", "graph", "inventory"])
def test_a_directory_without_python_files_warns_and_passes(command: str, project: Path) -> None:
    (project / "docs").mkdir()
    (project / "docs" / "index.md").write_text("# docs\n", encoding="utf-8")
    result = run(command, "--no-cache", "docs")
    assert result.exit_code == 0
    assert "pdlint: warning: no Python files found under docs" in result.stderr


def test_a_missing_path_fails_through_the_console_script(project: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "pdlint", "scan", "--no-cache", "nope"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == "pdlint: error: nope: no such file or directory\n"


# -- graph outputs ----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["map.jpg", "map.txt", "map.html", "map.JPEG"])
def test_graph_refuses_an_output_suffix_it_cannot_produce(name: str, project: Path) -> None:
    result = run("graph", "--no-cache", "-o", name)
    assert result.exit_code == 2
    assert "cannot write" in result.stderr and ".svg" in result.stderr and ".mmd" in result.stderr
    assert not (project / name).exists()


@pytest.mark.parametrize(("name", "fmt"), [("map.json", "dot"), ("map.dot", "json"),
                                           ("map.mmd", "dot")])
def test_graph_refuses_a_format_its_suffix_contradicts(name: str, fmt: str,
                                                        project: Path) -> None:
    result = run("graph", "--no-cache", "-o", name, "--format", fmt)
    assert result.exit_code == 2 and f"--format {fmt}" in result.stderr
    assert not (project / name).exists()


@pytest.mark.parametrize(("name", "start"), [("map.json", "{"), ("map.dot", "strict digraph"),
                                             ("map.mmd", "%% pdlint")])
def test_graph_writes_what_the_suffix_says(name: str, start: str, project: Path) -> None:
    result = run("graph", "--no-cache", "-o", name)
    assert result.exit_code == 0, result.stderr
    assert (project / name).read_text(encoding="utf-8").startswith(start)


# -- reserved codes ---------------------------------------------------------------------


def test_reserved_codes_are_not_implemented_ones() -> None:
    assert "PDL203" in RESERVED and "PDL201" not in RESERVED
    assert not set(RESERVED) & set(RULES)


@pytest.mark.parametrize("config", [
    'select = ["PDL203", "PDL201"]',
    'select = ["pii-to-third-party"]',
    'extend-select = ["PDL203"]',
    'severity = { PDL203 = "error" }',
])
def test_selecting_a_reserved_code_warns_once(config: str, project: Path) -> None:
    (project / "pdlint.toml").write_text(f"[tool.pdlint]\n{config}\n", encoding="utf-8")
    result = run("scan", "--no-cache")
    warnings = [line for line in result.stderr.splitlines() if "reserved" in line]
    assert len(warnings) == 1, result.stderr
    assert "PDL203 (pii-to-third-party) checks nothing" in warnings[0]
    assert result.exit_code in (0, 1)  # still not an error


def test_a_prefix_names_every_reserved_code_it_covers(project: Path) -> None:
    result = run("scan", "--no-cache", "--select", "PDL2")
    warning = next(line for line in result.stderr.splitlines() if "reserved" in line)
    assert all(code in warning for code in ("PDL203", "PDL204", "PDL205", "PDL206"))
    assert "PDL201" not in warning and "PDL207" not in warning


@pytest.mark.parametrize("args", [(), ("--select", "ALL"), ("--select", "PDL201,PDL1"),
                                  ("--select", "PDL"), ("--ignore", "PDL203")])
def test_no_reserved_warning_when_none_is_asked_for(args: tuple[str, ...],
                                                     project: Path) -> None:
    result = run("scan", "--no-cache", *args)
    assert "reserved" not in result.stderr


def test_an_ignored_reserved_code_is_not_asked_for(project: Path) -> None:
    (project / "pdlint.toml").write_text('[tool.pdlint]\nextend-select = ["PDL203"]\n'
                                         'ignore = ["PDL203"]\n', encoding="utf-8")
    assert "reserved" not in run("scan", "--no-cache").stderr


# -- the summary ------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_prints_the_summary_on_stderr(fmt: str, project: Path) -> None:
    result = run("scan", "--no-cache", "--format", fmt)
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines()[-1] == (
        "Found 1 finding (1 error) in 1 file of 1 file scanned.")
    assert "Found 1 finding" not in result.stdout
    if fmt in ("json", "sarif", "gitlab"):
        json.loads(result.stdout)  # stdout is the document alone


@pytest.mark.parametrize("fmt", FORMATS)
def test_quiet_prints_no_summary(fmt: str, project: Path) -> None:
    result = run("scan", "--no-cache", "--format", fmt, "--quiet")
    assert result.stderr == ""


def test_output_file_still_prints_the_summary(project: Path) -> None:
    result = run("scan", "--no-cache", "--format", "sarif", "-o", "out.sarif")
    assert result.stdout == "" and "Found 1 finding" in result.stderr


def test_summary_says_what_the_baseline_left_out(project: Path) -> None:
    assert run("scan", "--no-cache", "--write-baseline", "b.json").exit_code == 0
    result = run("scan", "--no-cache", "--format", "json", "--baseline", "b.json")
    assert result.exit_code == 0
    assert result.stderr.strip() == "No findings in 1 file. (1 finding in the baseline not shown)"
    assert json.loads(result.stdout)["summary"]["baselined"] == 1


def test_summary_says_what_the_named_files_left_out(project: Path) -> None:
    (project / "other.py").write_text(LEAK, encoding="utf-8")
    (project / ".git").mkdir()  # a project root: named files are reported alone
    result = run("scan", "--no-cache", "--format", "github", "other.py")
    assert result.exit_code == 1
    assert "1 finding in files not named on the command line not shown" in result.stderr
    assert "app.py" not in result.stdout


@pytest.mark.parametrize(("name", "fmt"), [("record.pdf", None), ("record.txt", None),
                                           ("record.json", "csv"), ("record.md", "fides")])
def test_inventory_refuses_a_suffix_it_cannot_honour(name: str, fmt: str | None,
                                                     project: Path) -> None:
    result = run("inventory", "--no-cache", "-o", name, *(["--format", fmt] if fmt else []))
    assert result.exit_code == 2 and "pdlint: error: --output" in result.stderr
    assert not (project / name).exists()


@pytest.mark.parametrize(("name", "start"), [("record.json", "{"), ("record.csv", "category,"),
                                             ("record.md", "# Record"), ("record", "# Record")])
def test_inventory_writes_what_the_suffix_says(name: str, start: str, project: Path) -> None:
    result = run("inventory", "--no-cache", "-o", name)
    assert result.exit_code == 0, result.stderr
    assert (project / name).read_text(encoding="utf-8").startswith(start)


REDUCED = "if True:\n    pass\n\\\nelse:\n    pass\n"  # CPython accepts it, libcst does not


def test_named_files_get_only_their_own_warnings(project: Path) -> None:
    """pre-commit names the staged files: the rest of the project is analysed for context,
    and its warnings (a file read in a reduced form) are not repeated on every commit."""
    (project / ".git").mkdir()
    (project / "odd.py").write_text(REDUCED, encoding="utf-8")
    whole = run("scan", "--no-cache")
    assert "pdlint: warning: odd.py: line 3" in whole.stderr
    named = run("scan", "--no-cache", "app.py")
    assert "odd.py" not in named.stderr
    assert "pdlint: warning: odd.py: line 3" in run("scan", "--no-cache", "odd.py").stderr
