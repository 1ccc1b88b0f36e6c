"""File names that are not valid UTF-8 go through every command without a crash.

On Linux a file name is bytes: ``printf 'x=1\\n' > "$(printf 'bad\\377.py')"`` is an ordinary
file, and Python hands its name over as ``'bad\\udcff.py'`` (``surrogateescape``). pdlint
keeps such paths as they are and encodes them back to their bytes wherever it hashes them
(cache keys, fingerprints). These tests build a project with such names (a file, a package,
a test module) and run scan, graph and inventory in every format, with and without the
cache, serially and in a process pool, with baselines: no traceback, and the leak in the
badly named file is still reported. How a name is *shown* is tested in test_output_names.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from pdlint.cli import main
from pdlint.discover import path_bytes
from pdlint.findings import Finding, finalize


def _raw_names_allowed() -> bool:
    try:
        with tempfile.TemporaryDirectory() as probe:
            open(os.path.join(os.fsencode(probe), b"bad\xff.py"), "wb").close()  # noqa: SIM115
    except (OSError, UnicodeError):  # macOS (APFS) and Windows refuse non-UTF-8 names
        return False
    return True


needs_raw_names = pytest.mark.skipif(not _raw_names_allowed(),
                                     reason="this filesystem refuses names that are not UTF-8")

LEAKY = b"""import logging
from django.db import models

logger = logging.getLogger(__name__)


class Customer(models.Model):  # gdpr: subject=customer
    email = models.EmailField()  # gdpr: contact.email retention=account
    phone_number = models.CharField(max_length=20)


# gdpr: collects=contact.email purpose=account basis=contract retention=2y
def signup(email):
    logger.info("new user %s", email)
    return email
"""
HANDLER = b'''import logging

log = logging.getLogger(__name__)


def handle(request, date_of_birth):
    """GDPR: uses=identity.date_of_birth right=access"""
    log.warning("dob %s", date_of_birth)
'''


def _write(root: Path, name: bytes, data: bytes) -> None:
    with open(os.path.join(os.fsencode(root), name), "wb") as stream:
        stream.write(data)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """``bad\\xff.py`` (a leak, a model, a tag), ``pkg\\xff/mod\\xff.py`` (a handler),
    ``tests/test_\\xff.py``, and enough ordinary files that ``--jobs 2`` uses a pool."""
    root = tmp_path / "project"
    root.mkdir()
    _write(root, b"bad\xff.py", LEAKY)
    os.mkdir(os.path.join(os.fsencode(root), b"pkg\xff"))
    _write(root, b"pkg\xff/__init__.py", b"")
    _write(root, b"pkg\xff/mod\xfe.py", HANDLER)
    (root / "tests").mkdir()
    _write(root, b"tests/test_\xff.py", b"def test_signup():\n    assert True\n")
    for number in range(16):
        (root / f"filler_{number}.py").write_text(f"def f{number}(x):\n    return x\n")
    return root


def _invoke(project: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> Result:
    monkeypatch.chdir(project)
    result = CliRunner().invoke(main, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"pdlint {' '.join(args)} raised") from result.exception
    assert "Traceback" not in result.output
    return result


def _valid_json(data: bytes) -> object:
    return json.loads(data.decode("utf-8"))  # strict: a raw surrogate byte fails here


ENGINE_MODES = [("--no-cache", "1"), ("--no-cache", "2"), ("cache", "1"), ("cache", "2")]


def _mode_args(mode: str, jobs: str, cache_dir: Path) -> list[str]:
    cache = ["--no-cache"] if mode == "--no-cache" else ["--cache-dir", str(cache_dir / jobs)]
    return [*cache, "--jobs", jobs, "--no-progress"]


@needs_raw_names
@pytest.mark.parametrize(("mode", "jobs"), ENGINE_MODES)
def test_scan_reports_the_leak_in_every_format(project: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch,
                                               mode: str, jobs: str) -> None:
    """The first cached run writes the entries (from the workers with --jobs 2), the
    others read them: both directions of the cache meet the surrogate path."""
    for fmt in ("text", "json", "sarif", "github", "gitlab", "junit"):
        result = _invoke(project, monkeypatch, "scan", "--format", fmt,
                         *_mode_args(mode, jobs, tmp_path / "cache"))
        assert result.exit_code == 1, (fmt, result.output)
        assert b"PDL201" in result.stdout_bytes or b"pii-in-log" in result.stdout_bytes, fmt
        if fmt in ("json", "sarif", "gitlab"):
            _valid_json(result.stdout_bytes)
    report = _valid_json(_invoke(project, monkeypatch, "scan", "--format", "json",
                                 *_mode_args(mode, jobs, tmp_path / "cache")).stdout_bytes)
    assert isinstance(report, dict)
    rules = {finding["rule"] for finding in report["findings"]}
    assert "PDL201" in rules


@needs_raw_names
@pytest.mark.parametrize(("mode", "jobs"), ENGINE_MODES)
def test_graph_and_inventory_in_every_format(project: Path, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch,
                                             mode: str, jobs: str) -> None:
    engine = _mode_args(mode, jobs, tmp_path / "cache")
    engine.remove("--no-progress")  # scan only
    for fmt in ("dot", "mermaid", "json"):
        result = _invoke(project, monkeypatch, "graph", "--format", fmt, *engine)
        assert result.exit_code == 0, (fmt, result.output)
        assert b"signup" in result.stdout_bytes, fmt  # the function in bad\xff.py
        if fmt == "json":
            _valid_json(result.stdout_bytes)
    for fmt in ("markdown", "json", "csv", "fides"):
        result = _invoke(project, monkeypatch, "inventory", "--format", fmt, *engine)
        assert result.exit_code == 0, (fmt, result.output)
        assert b"Customer" in result.stdout_bytes, fmt  # the model in bad\xff.py
        if fmt == "json":
            _valid_json(result.stdout_bytes)


@needs_raw_names
def test_reports_written_to_files(project: Path, tmp_path: Path,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """``--output`` writes through a file, not the terminal's stream."""
    out = tmp_path / "out"
    out.mkdir()
    for fmt in ("text", "json", "sarif", "github", "gitlab", "junit"):
        target = out / f"report.{fmt}"
        result = _invoke(project, monkeypatch, "scan", "--no-cache", "--no-progress",
                         "--format", fmt, "--output", str(target))
        assert result.exit_code == 1, (fmt, result.output)
        assert target.stat().st_size > 0
    for command, fmt, name in (("graph", "json", "graph.json"), ("graph", "dot", "graph.dot"),
                               ("inventory", "json", "inventory.json"),
                               ("inventory", "csv", "inventory.csv")):
        result = _invoke(project, monkeypatch, command, "--no-cache", "--format", fmt,
                         "--output", str(out / name))
        assert result.exit_code == 0, (command, fmt, result.output)
    _valid_json((out / "report.sarif").read_bytes())
    _valid_json((out / "graph.json").read_bytes())


@needs_raw_names
def test_the_file_named_on_the_command_line(project: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """pre-commit passes staged files by name: the name arrives as a surrogate argument."""
    result = _invoke(project, monkeypatch, "scan", "--no-cache", "--no-progress",
                     os.fsdecode(b"bad\xff.py"))
    assert result.exit_code == 1 and "PDL201" in result.stdout


@needs_raw_names
def test_a_baseline_hides_the_findings_of_the_badly_named_file(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pdlint.gate import _TOOL, BASELINE_FORMAT

    report = _valid_json(_invoke(project, monkeypatch, "scan", "--no-cache", "--format",
                                 "json").stdout_bytes)
    assert isinstance(report, dict)
    rows = [{"fingerprint": finding["fingerprint"], "rule": finding["rule"]}
            for finding in report["findings"]]
    baseline = project / "baseline.json"
    baseline.write_text(json.dumps({"tool": _TOOL, "format": BASELINE_FORMAT,
                                    "findings": rows}))
    for fmt in ("text", "json", "sarif"):
        result = _invoke(project, monkeypatch, "scan", "--no-progress", "--format", fmt,
                         "--baseline", str(baseline))
        assert result.exit_code == 0, (fmt, result.output)


@needs_raw_names
def test_write_baseline_then_scan_with_it(project: Path, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    baseline = tmp_path / "baseline.json"
    written = _invoke(project, monkeypatch, "scan", "--no-cache", "--write-baseline",
                      str(baseline))
    assert written.exit_code == 0, written.output
    _valid_json(baseline.read_bytes())
    import json

    paths = [entry["path"] for entry in json.loads(baseline.read_bytes())["findings"]]
    assert any("\udcff" in path for path in paths)  # the path is kept exact
    again = _invoke(project, monkeypatch, "scan", "--no-cache", "--baseline", str(baseline))
    assert again.exit_code == 0, again.output


@needs_raw_names
def test_a_warm_scan_hits_the_entries_of_badly_named_files(
        project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The surrogate path is part of the cache key and of the entry's stored key material:
    both must encode it, and the verification on load must accept what was written."""
    import pdlint.engine as engine

    cache = ["--cache-dir", str(tmp_path / "cache"), "--format", "json", "--no-progress"]
    cold = _invoke(project, monkeypatch, "scan", "--jobs", "2", *cache)
    extracted: list[str] = []
    original = engine._extract_chunk

    def counting(chunk, options, writer=None):  # type: ignore[no-untyped-def]
        extracted.extend(rel for _, rel, _, _, _, _ in chunk)
        return original(chunk, options, writer)

    monkeypatch.setattr(engine, "_extract_chunk", counting)
    warm = _invoke(project, monkeypatch, "scan", "--jobs", "1", *cache)
    assert extracted == []
    assert warm.stdout_bytes == cold.stdout_bytes and warm.exit_code == 1


def test_path_bytes_gives_back_the_name_s_bytes() -> None:
    assert path_bytes(os.fsdecode(b"bad\xff.py")) == b"bad\xff.py"
    assert path_bytes("caf\u00e9.py") == "caf\u00e9.py".encode()
    # a lone surrogate that is not an escaped byte (Windows names) still encodes, never raises
    assert path_bytes("odd\ud800.py") == "odd\ud800.py".encode("utf-8", "surrogatepass")


def test_fingerprints_of_surrogate_paths() -> None:
    """``--no-cache`` used to crash here, in findings finalisation."""

    def finding(path: str) -> Finding:
        return Finding("PDL201", "pii-in-log", "error", path, 1, 1, None, None,
                       "contact.email reaches logger.info()", root_path=path)

    bad = os.fsdecode(b"bad\xff.py")
    first, second = finalize([finding(bad), finding("bad.py")])
    assert first.fingerprint and second.fingerprint and first.fingerprint != second.fingerprint
    assert finalize([finding(bad)]) == finalize([finding(bad)])  # stable
