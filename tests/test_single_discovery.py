"""Files named on the command line (pre-commit) are discovered once, by the discover phase.

``pdlint scan FILE...`` analyses the whole project and reports only the named files. Which
files those are is the discover phase's answer (``ScanResult.named_files``); the CLI used to
run a second discovery of its own to learn it. These tests pin both halves: one discovery
per scan, and the named files' report exactly as before (the set a discovery of the named
paths alone gives).
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import pdlint.discover
import pdlint.engine
from pdlint.cli import main
from pdlint.config import Config
from pdlint.discover import DiscoveryResult, discover

LEAK = """\
import logging

logger = logging.getLogger(__name__)


def log_address(address):
    logger.info("sending to %s", address)
"""

CALLER = """\
from app.helpers import log_address


def notify(user):
    log_address(user.email)
"""

DIRECT = "def show(user):\n    print(user.email)\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository whose helpers.py leaks only through another module's call, plus files
    with a leak of their own (one of them excluded by the configuration)."""
    root = tmp_path / "project"
    (root / "app").mkdir(parents=True)
    (root / "lib").mkdir()
    (root / ".git").mkdir()
    (root / "pdlint.toml").write_text('[tool.pdlint]\nextend-exclude = ["generated.py"]\n')
    (root / "app" / "__init__.py").write_text("")
    (root / "app" / "helpers.py").write_text(LEAK)
    (root / "app" / "caller.py").write_text(CALLER)
    (root / "app" / "other.py").write_text(DIRECT)
    (root / "lib" / "more.py").write_text(DIRECT)
    (root / "generated.py").write_text(DIRECT)
    monkeypatch.chdir(root)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return root


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, ["scan", "--no-cache", "--color", "never", "-j", "1",
                                     "--format", "json", *args])


def located(result: Result) -> list[tuple[str, str]]:
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return sorted((f["path"], f["rule"]) for f in json.loads(result.stdout)["findings"])


def test_one_discovery_per_scan_of_named_files(project: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI no longer discovers the named files itself before the engine discovers."""
    calls: list[tuple[list[Path], Sequence[Path] | None]] = []
    original = pdlint.discover.discover

    def spy(paths: Sequence[Path], config: Config, **options: Any) -> DiscoveryResult:
        calls.append((list(paths), options.get("named")))
        return original(paths, config, **options)

    # the engine holds its own reference; a lazy `from pdlint.discover import discover`
    # (how the CLI used to call it) reads the module attribute
    monkeypatch.setattr(pdlint.discover, "discover", spy)
    monkeypatch.setattr(pdlint.engine, "discover", spy)
    result = invoke("app/helpers.py")
    assert located(result) == [("app/helpers.py", "PDL201")]
    assert len(calls) == 1
    paths, named = calls[0]
    assert [os.path.realpath(p) for p in paths] == [os.path.realpath(project),
                                                   os.path.realpath("app/helpers.py")]
    assert named == [Path("app/helpers.py")]


def test_named_files_report_is_unchanged(project: Path) -> None:
    # the named file's finding needs the project (the email comes from caller.py) ...
    assert located(invoke("app/helpers.py")) == [("app/helpers.py", "PDL201")]
    # ... and other files' findings are analysed but not reported
    assert located(invoke("app/caller.py")) == []
    assert located(invoke("app/other.py", "app/helpers.py")) == [
        ("app/helpers.py", "PDL201"), ("app/other.py", "PDL201")]
    # a file named twice, and a named directory next to a named file
    assert located(invoke("app/helpers.py", "./app/helpers.py")) == [
        ("app/helpers.py", "PDL201")]
    assert located(invoke("lib", "app/helpers.py")) == [
        ("app/helpers.py", "PDL201"), ("lib/more.py", "PDL201")]
    # excluded by the configuration: named, it is scanned (as ruff does) ...
    assert located(invoke("generated.py", "app/helpers.py")) == [
        ("app/helpers.py", "PDL201"), ("generated.py", "PDL201")]
    # ... unless --force-exclude, which drops it from the report
    result = invoke("--force-exclude", "generated.py", "app/helpers.py")
    assert located(result) == [("app/helpers.py", "PDL201")]
    assert json.loads(result.stdout)["summary"]["files"] == 1
    result = invoke("--force-exclude", "generated.py")
    assert (located(result), json.loads(result.stdout)["summary"]["files"]) == ([], 0)


def test_scan_result_names_the_files_a_discovery_of_the_named_paths_gives(
    project: Path,
) -> None:
    config = Config(root=project, config_file=project / "pdlint.toml",
                    extend_exclude=("generated.py",), force_exclude=True)
    named = [Path("app/helpers.py"), Path("generated.py"), Path("lib")]
    result = pdlint.engine.scan([project, *named], config, project,
                                run=pdlint.engine.RunOptions(jobs=1), rules=False, named=named)
    assert result.named_files == frozenset({"app/helpers.py", "lib/more.py"})
    plain = pdlint.engine.scan([project, *named], config, project,
                               run=pdlint.engine.RunOptions(jobs=1), rules=False)
    assert plain.named_files is None


def _shapes(root: Path) -> dict[str, list[Path]]:
    """Named paths in every shape the report filter has to get right."""
    (root / "vendored").mkdir()
    (root / "vendored" / "lib.py").write_text("x = 1\n")
    (root / ".gitignore").write_text("ignored/\n")
    (root / "ignored").mkdir()
    (root / "ignored" / "kept.py").write_text("x = 1\n")
    shapes = {
        "file": [Path("app/helpers.py")],
        "file twice": [Path("app/helpers.py"), Path("app/../app/helpers.py")],
        "absolute file": [root / "app" / "helpers.py"],
        "directory": [Path("lib"), Path("app/helpers.py")],
        "excluded file": [Path("generated.py")],
        "excluded directory": [Path("vendored"), Path("app/other.py")],
        "gitignored directory": [Path("ignored"), Path("app/other.py")],
        "missing file": [Path("app/helpers.py"), Path("gone.py")],
    }
    if hasattr(os, "symlink"):
        os.symlink(root / "app", root / "linked")
        os.symlink(root / "app" / "helpers.py", root / "alias.py")
        shapes["symlinked directory"] = [Path("linked"), Path("app/other.py")]
        shapes["file and its alias"] = [Path("alias.py"), Path("app/helpers.py")]
    return shapes


@pytest.mark.parametrize("force_exclude", [False, True])
def test_discover_names_what_the_named_paths_cover_alone(project: Path,
                                                         force_exclude: bool) -> None:
    """``discover(paths, named=...)``: the files and problems of ``discover(paths)``, and as
    ``named`` the files of ``discover(named)`` -- the set the CLI computed before."""
    config = Config(root=project, config_file=project / "pdlint.toml",
                    extend_exclude=("generated.py", "vendored"), force_exclude=force_exclude)
    for shape, named in _shapes(project).items():
        paths = [project, *named]
        together = discover(paths, config, named=named)
        assert together.named == frozenset(f.rel for f in discover(named, config).files), shape
        alone = discover(paths, config)
        assert (together.files, together.problems) == (alone.files, alone.problems), shape
        assert alone.named is None
