"""Hostile configuration and command-line input: every problem is one ``pdlint: error:`` line
and exit code 2 (or a warning and a normal run), never a traceback, a flooded terminal or a hang.

Each test is built from an issue's reproducer and runs the command line. The deep-nesting and
FIFO cases run ``python -m pdlint`` in a subprocess: a RecursionError depends on the real
stack, and a FIFO that pdlint opened by mistake would block (the timeout turns that hang into a
failure instead of freezing the test run). The others run in-process, which is faster.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from pdlint.cli import main

MODELS = """\
from django.db import models


class Customer(models.Model):
    email = models.EmailField()
"""

#: The issue's two shapes: an array 1,000 deep in ``select`` and an inline table 3,000 deep.
DEEP_ARRAY = "select = " + "[" * 1000 + "]" * 1000 + "\n"
DEEP_TABLE = "select = " + "{a=" * 3000 + "1" + "}" * 3000 + "\n"
DEEP = pytest.mark.parametrize("deep", [DEEP_ARRAY, DEEP_TABLE], ids=["array-1000", "table-3000"])
NOT_A_FILE = "not a file or directory"
needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")


@dataclass(frozen=True)
class Run:
    returncode: int
    stdout: str
    stderr: str


def pdlint(cwd: Path, *args: str, subprocess_run: bool = False) -> Run:
    """Run pdlint ARGS in ``cwd`` (in a subprocess if asked); no traceback may escape."""
    if subprocess_run:
        done = subprocess.run([sys.executable, "-m", "pdlint", *args], cwd=cwd,
                              capture_output=True, text=True, timeout=120, check=False,
                              env={**os.environ, "NO_COLOR": "1"})
        run = Run(done.returncode, done.stdout, done.stderr)
    else:
        previous = os.getcwd()
        os.chdir(cwd)
        try:
            result = CliRunner().invoke(main, list(args), env={"NO_COLOR": "1"})
        finally:
            os.chdir(previous)
        assert result.exception is None or isinstance(result.exception, SystemExit), \
            result.exception
        run = Run(result.exit_code, result.stdout, result.stderr)
    assert "Traceback" not in run.stderr, run.stderr
    return run


def error_line(done: Run) -> str:
    """The single ``pdlint: error:`` line of a run that must have exited 2."""
    assert done.returncode == 2, done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("pdlint: error: ")]
    assert len(errors) == 1, done.stderr
    return errors[0]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A repository root (``.git``) with one model that has a finding (PDL105)."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "models.py").write_text(MODELS, encoding="utf-8")
    return tmp_path


# --------------------------------------------------------------------------------------------
# 1. Deeply nested TOML
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "deep"), [
    ("pyproject.toml", DEEP_ARRAY), ("pyproject.toml", DEEP_TABLE),
    ("pdlint.toml", DEEP_ARRAY), (".pdlint.toml", DEEP_TABLE),
], ids=["pyproject-array", "pyproject-table", "pdlint-array", "dot-pdlint-table"])
def test_deep_toml_in_the_config_file_is_a_config_error(project: Path, deep: str,
                                                        name: str) -> None:
    (project / name).write_text("[tool.pdlint]\n" + deep, encoding="utf-8")
    line = error_line(pdlint(project, "scan", "--no-cache", subprocess_run=True))
    assert line.startswith(f"pdlint: error: {name}: too deeply nested")
    assert len(line) < 300


@DEEP
def test_deep_toml_given_with_config_is_a_config_error(project: Path, deep: str) -> None:
    (project / "ci.toml").write_text("[tool.pdlint]\n" + deep, encoding="utf-8")
    line = error_line(pdlint(project, "scan", "--no-cache", "--config", "ci.toml", subprocess_run=True))
    assert line.startswith("pdlint: error: ci.toml: too deeply nested")


@DEEP
def test_deep_pyproject_without_pdlint_table_does_not_break_the_scan(project: Path,
                                                                     deep: str) -> None:
    """The search peeks into pyproject.toml; one that never mentions pdlint is skipped
    unparsed, so another tool's pathological file cannot stop the scan."""
    (project / "pyproject.toml").write_text(
        '[project]\nname = "app"\n[tool.other]\n' + deep, encoding="utf-8")
    done = pdlint(project, "scan", "--no-cache", subprocess_run=True)
    assert done.returncode == 1, done.stderr  # the scan ran: the PDL105 finding is reported
    assert "pdlint: error" not in done.stderr
    assert "PDL105" in done.stdout


@DEEP
def test_deep_pyproject_that_may_configure_pdlint_is_an_error_while_searching(
    project: Path, deep: str
) -> None:
    """A pyproject.toml that mentions pdlint may be the config file: skipping it would
    silently use a parent's settings (or none) instead of the user's."""
    (project / "sub").mkdir()
    (project / "sub" / "pyproject.toml").write_text(
        "[tool.pdlint]\nfail-on = 'never'\n[tool.other]\n" + deep, encoding="utf-8")
    line = error_line(pdlint(project / "sub", "scan", "--no-cache", subprocess_run=True))
    assert line.startswith("pdlint: error: pyproject.toml: too deeply nested")


def test_nesting_the_parser_accepts_is_echoed_briefly(project: Path) -> None:
    (project / "pdlint.toml").write_text(
        "[tool.pdlint]\nselect = " + "[" * 100 + '"' + "x" * 10_000 + '"' + "]" * 100 + "\n",
        encoding="utf-8")
    line = error_line(pdlint(project, "scan", "--no-cache"))
    assert "'select' must be a list of strings, but item 1 is list" in line
    assert len(line) < 300


# --------------------------------------------------------------------------------------------
# 2. Deeply nested JSON baseline
# --------------------------------------------------------------------------------------------


def test_deep_json_baseline_is_a_clear_error(project: Path) -> None:
    (project / "baseline.json").write_text("[" * 100_000, encoding="utf-8")
    line = error_line(pdlint(project, "scan", "--no-cache", "--baseline", "baseline.json", subprocess_run=True))
    assert line == ("pdlint: error: baseline baseline.json is nested too deeply to be a pdlint "
                    "baseline; write it again with --write-baseline")


def test_baseline_with_an_integer_of_thousands_of_digits_is_a_clear_error(project: Path) -> None:
    (project / "baseline.json").write_text('{"tool": "pdlint", "format": ' + "1" * 5000 + "}",
                                           encoding="utf-8")
    line = error_line(pdlint(project, "scan", "--no-cache", "--baseline", "baseline.json"))
    assert line.startswith("pdlint: error: baseline baseline.json is not valid JSON")


def test_huge_baseline_format_value_is_shortened(project: Path) -> None:
    (project / "baseline.json").write_text(
        '{"tool": "pdlint", "format": "' + "x" * 1_000_000 + '", "findings": []}',
        encoding="utf-8")
    line = error_line(pdlint(project, "scan", "--no-cache", "--baseline", "baseline.json"))
    assert "has format 'xxx" in line and len(line) < 300


# --------------------------------------------------------------------------------------------
# 3. Echoed values are shortened and escaped
# --------------------------------------------------------------------------------------------


def test_one_megabyte_unknown_key_gives_a_short_error(project: Path) -> None:
    (project / "pyproject.toml").write_text("[tool.pdlint]\n" + "k" * 1_000_000 + " = 1\n",
                                            encoding="utf-8")
    line = error_line(pdlint(project, "scan", "--no-cache"))
    assert line.startswith("pdlint: error: pyproject.toml: unknown key 'kkk")
    assert "(1000000 characters)" in line
    assert len(line) < 300


def test_one_megabyte_unknown_selector_gives_a_short_error(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        '[tool.pdlint]\nselect = ["' + "P" * 1_000_000 + '"]\n', encoding="utf-8")
    line = error_line(pdlint(project, "scan", "--no-cache"))
    assert line.startswith("pdlint: error: pyproject.toml: unknown rule selector 'PPP")
    assert len(line) < 300


def test_one_megabyte_selector_on_the_command_line_gives_a_short_error(project: Path) -> None:
    line = error_line(pdlint(project, "scan", "--no-cache", "--select", "Q" * 100_000))
    assert "unknown rule selector 'QQQ" in line and len(line) < 300


@pytest.mark.parametrize("line", [
    "max-file-size = " + "1" * 5000,  # a TOML integer: tomllib raises a bare ValueError
    'max-file-size = "' + "1" * 5000 + '"',  # a size string: int() refuses 4,300+ digits
    'fail-on = "never"\nother = ' + "1" * 5000,  # anywhere in the table
])
def test_integer_of_thousands_of_digits_is_a_config_error(project: Path, line: str) -> None:
    (project / "pyproject.toml").write_text("[tool.pdlint]\n" + line + "\n", encoding="utf-8")
    assert len(error_line(pdlint(project, "scan", "--no-cache"))) < 300


def test_max_file_size_of_thousands_of_digits_on_the_command_line(project: Path) -> None:
    line = error_line(pdlint(project, "scan", "--no-cache", "--max-file-size", "9" * 5000))
    assert "max-file-size" in line and len(line) < 300


@pytest.mark.parametrize(("toml_key", "shown"), [
    ('"sel\\u001bect"', "sel\\x1bect"),
    ('"sel\\nect"', "sel\\nect"),
    ('"' + "\\u001b" * 100_000 + '"', "\\x1b\\x1b"),
])
def test_control_characters_in_a_key_are_escaped(project: Path, toml_key: str,
                                                 shown: str) -> None:
    (project / "pyproject.toml").write_text(f"[tool.pdlint]\n{toml_key} = 1\n", encoding="utf-8")
    done = pdlint(project, "scan", "--no-cache")
    line = error_line(done)
    assert "\x1b" not in done.stderr
    assert f"unknown key '{shown}" in line and len(line) < 300


# --------------------------------------------------------------------------------------------
# 4. Config file names that are not files
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["pyproject.toml", "pdlint.toml", ".pdlint.toml"])
def test_config_name_that_is_a_directory_is_warned_about_and_skipped(project: Path,
                                                                     name: str) -> None:
    (project / "pdlint.toml").write_text("[tool.pdlint]\nfail-on = 'never'\n", encoding="utf-8")
    (project / "sub").mkdir()
    (project / "sub" / "models.py").write_text(MODELS, encoding="utf-8")
    (project / "sub" / name).mkdir()
    done = pdlint(project / "sub", "scan", "--no-cache")
    warning = f"pdlint: warning: {name} is a directory, not a file; ignored"
    assert done.stderr.splitlines().count(warning) == 1, done.stderr
    assert done.returncode == 0, done.stderr  # the search went on and found ../pdlint.toml


def test_config_name_that_is_a_symlink_loop_is_warned_about(project: Path) -> None:
    os.symlink("pdlint.toml", project / ".pdlint.toml")
    os.symlink(".pdlint.toml", project / "pdlint.toml")
    done = pdlint(project, "scan", "--no-cache")
    assert done.returncode == 1, done.stderr  # the defaults: the finding fails the scan
    assert "pdlint: warning: .pdlint.toml is a symbolic link loop; ignored" in done.stderr


@needs_fifo
def test_config_name_that_is_a_fifo_is_never_opened(project: Path) -> None:
    os.mkfifo(project / "pdlint.toml")
    done = pdlint(project, "scan", "--no-cache", subprocess_run=True)
    assert "pdlint: warning: pdlint.toml is a named pipe (FIFO), not a file; ignored" \
        in done.stderr
    assert done.returncode == 1, done.stderr


@needs_fifo
def test_config_option_naming_a_fifo_is_an_error(project: Path) -> None:
    os.mkfifo(project / "ci.toml")
    line = error_line(pdlint(project, "scan", "--no-cache", "--config", "ci.toml", subprocess_run=True))
    assert line == ("pdlint: error: ci.toml: config file is a named pipe (FIFO), not a file "
                    "(given with --config)")


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="root reads files whatever their permissions")
def test_unreadable_pyproject_is_warned_about(project: Path) -> None:
    target = project / "pyproject.toml"
    target.write_text("[tool.pdlint]\n", encoding="utf-8")
    target.chmod(0)
    try:
        done = pdlint(project, "scan", "--no-cache")
    finally:
        target.chmod(0o644)
    assert "pdlint: warning: pyproject.toml cannot be read (Permission denied); ignored" \
        in done.stderr
    assert done.returncode == 1, done.stderr


# --------------------------------------------------------------------------------------------
# 5. A byte order mark
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["pyproject.toml", "pdlint.toml"])
def test_utf8_bom_is_accepted(project: Path, name: str) -> None:
    (project / name).write_bytes(b"\xef\xbb\xbf[tool.pdlint]\nfail-on = 'never'\n")
    done = pdlint(project, "scan", "--no-cache")
    assert done.returncode == 0, done.stderr  # the file was read: fail-on = never
    assert "PDL105" in done.stdout


# --------------------------------------------------------------------------------------------
# 6. Paths on the command line that are neither files nor directories
# --------------------------------------------------------------------------------------------

COMMANDS = pytest.mark.parametrize("command", ["scan", "graph", "inventory"])


@needs_fifo
@COMMANDS
def test_fifo_path_is_refused_without_opening_it(project: Path, command: str) -> None:
    os.mkfifo(project / "pipe")
    line = error_line(pdlint(project, command, "--no-cache", "pipe", subprocess_run=True))
    assert line == f"pdlint: error: pipe: a named pipe (FIFO), {NOT_A_FILE}"


@COMMANDS
def test_symlink_loop_path_is_refused(project: Path, command: str) -> None:
    os.symlink("b", project / "a")
    os.symlink("a", project / "b")
    line = error_line(pdlint(project, command, "--no-cache", "a"))
    assert line == "pdlint: error: a: a symbolic link loop"


@pytest.mark.skipif(not os.path.exists("/dev/null") or os.name == "nt", reason="no /dev/null")
def test_character_device_path_is_refused(project: Path) -> None:
    line = error_line(pdlint(project, "scan", "--no-cache", "/dev/null"))
    assert line == f"pdlint: error: /dev/null: a character device, {NOT_A_FILE}"


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="no Unix sockets")
def test_socket_path_is_refused(project: Path) -> None:
    server = socket.socket(socket.AF_UNIX)
    try:
        try:
            server.bind(str(project / "s"))
        except OSError as exc:  # a tmp path longer than sun_path allows
            pytest.skip(f"cannot bind a Unix socket here: {exc}")
        line = error_line(pdlint(project, "scan", "--no-cache", "s", "models.py"))
    finally:
        server.close()
    assert line == f"pdlint: error: s: a socket, {NOT_A_FILE}"


def test_missing_path_and_broken_link_keep_their_messages(project: Path) -> None:
    os.symlink("nowhere", project / "dangling")
    assert error_line(pdlint(project, "scan", "--no-cache", "dangling")) \
        == "pdlint: error: dangling: a broken symbolic link"
    assert error_line(pdlint(project, "scan", "--no-cache", "typo")) \
        == "pdlint: error: typo: no such file or directory"
