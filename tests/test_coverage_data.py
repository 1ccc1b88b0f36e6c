"""Tests for pdlint.coverage_data: reading `--coverage FILE` (.coverage data or JSON report)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from pdlint.coverage_data import CoverageError, CoverageInfo, load_coverage

coverage = pytest.importorskip("coverage")

SERVICE = """\
def register(email):
    cleaned = email.lower()
    return cleaned


def forget(uid):
    return uid
"""
# line numbers in SERVICE
REGISTER_DEF, REGISTER_BODY, FORGET_DEF, FORGET_BODY = 1, {2, 3}, 6, {7}

# Runs coverage's own API on a tiny module: static context, or pytest-cov-like dynamic
# contexts (one per simulated test), optionally with branch measurement.
RECORDER = """
import importlib.util, sys
import coverage

root, mode, branch = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
cov = coverage.Coverage(data_file=root + "/.coverage", config_file=False, branch=branch,
                        include=[root + "/*"], context="test_a" if mode == "static" else None)
cov.start()
spec = importlib.util.spec_from_file_location("pdlint_cov_probe", root + "/pkg/svc.py")
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
if mode == "static":
    module.register("Ann@Example.com")
else:
    cov.switch_context("tests/test_svc.py::test_register|run")
    module.register("Ann@Example.com")
    cov.switch_context("tests/test_svc.py::test_forget|run")
    module.forget(1)
cov.stop()
cov.save()
cov.json_report(outfile=root + "/coverage.json", show_contexts=True)
cov.json_report(outfile=root + "/plain.json")
"""


def record(tmp_path: Path, mode: str = "static", branch: bool = False) -> Path:
    """Measure SERVICE as pkg/svc.py under tmp_path; returns the .coverage file.

    In-process when no other coverage run is active (the usual case); in a subprocess when
    the suite itself runs under coverage, so the outer measurement is not disturbed.
    """
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "svc.py").write_text(SERVICE, encoding="utf-8")
    args = [str(tmp_path), mode, "1" if branch else "0"]
    if coverage.Coverage.current() is None:
        saved = sys.argv
        sys.argv = ["recorder", *args]
        try:
            exec(compile(RECORDER, "recorder", "exec"), {"__name__": "recorder"})
        finally:
            sys.argv = saved
            sys.modules.pop("pdlint_cov_probe", None)
    else:  # pragma: no cover - only when the test suite itself is measured
        subprocess.run([sys.executable, "-c", RECORDER, *args], check=True)
    return tmp_path / ".coverage"


# -- .coverage SQLite data -------------------------------------------------------------


def test_sqlite_data_executed_lines_and_static_context(tmp_path: Path) -> None:
    info = load_coverage(record(tmp_path))
    executed = info.executed("pkg/svc.py")
    assert executed is not None
    assert REGISTER_BODY <= executed and {REGISTER_DEF, FORGET_DEF} <= executed
    assert not FORGET_BODY & executed
    assert info.has_contexts
    assert info.contexts("pkg/svc.py", 2) == ("test_a",)
    assert info.tests_for("pkg/svc.py", REGISTER_BODY) == ("test_a",)
    assert info.tests_for("pkg/svc.py", FORGET_BODY) == ()
    assert info.executed("pkg/other.py") is None
    assert info.contexts("pkg/other.py", 2) == ()


@pytest.mark.parametrize("branch", [False, True], ids=["lines", "arcs"])
def test_sqlite_data_dynamic_contexts_name_the_tests(tmp_path: Path, branch: bool) -> None:
    info = load_coverage(record(tmp_path, "dynamic", branch))
    executed = info.executed("pkg/svc.py")
    assert executed is not None and REGISTER_BODY <= executed and FORGET_BODY <= executed
    assert info.contexts("pkg/svc.py", 2) == ("tests/test_svc.py::test_register",)
    assert info.contexts("pkg/svc.py", 7) == ("tests/test_svc.py::test_forget",)
    assert info.tests_for("pkg/svc.py", [2, 3, 7]) == (
        "tests/test_svc.py::test_forget", "tests/test_svc.py::test_register")


def test_sqlite_data_is_matched_exactly_under_the_project_root(tmp_path: Path) -> None:
    info = load_coverage(record(tmp_path), root=tmp_path)
    assert info.resolve("pkg/svc.py") == str(tmp_path / "pkg" / "svc.py")
    assert info.executed("svc.py") is not None  # a shorter path still matches by suffix


def test_sqlite_file_is_not_modified_by_reading(tmp_path: Path) -> None:
    data_file = record(tmp_path)
    before = data_file.read_bytes()
    load_coverage(data_file).executed("pkg/svc.py")
    assert data_file.read_bytes() == before


# -- coverage json report ------------------------------------------------------------


def test_json_report_with_contexts(tmp_path: Path) -> None:
    record(tmp_path, "dynamic")
    info = load_coverage(tmp_path / "coverage.json")
    executed = info.executed("pkg/svc.py")
    assert executed is not None and REGISTER_BODY <= executed
    assert info.has_contexts
    assert info.contexts("pkg/svc.py", 7) == ("tests/test_svc.py::test_forget",)


def test_json_report_without_contexts(tmp_path: Path) -> None:
    record(tmp_path, "static")
    info = load_coverage(tmp_path / "plain.json")
    executed = info.executed("pkg/svc.py")
    assert executed is not None and REGISTER_BODY <= executed and not FORGET_BODY & executed
    assert not info.has_contexts
    assert info.contexts("pkg/svc.py", 2) == ()
    assert info.tests_for("pkg/svc.py", [2]) == ()


def test_json_report_needs_no_coverage_package(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    report = tmp_path / "cov.json"
    report.write_text(json.dumps({"meta": {"format": 3}, "files": {
        "src/app/svc.py": {"executed_lines": [1, 2], "contexts": {"2": ["", "t|run"]}}}}))
    monkeypatch.setitem(sys.modules, "coverage", None)
    info = load_coverage(report)
    assert info.executed("src/app/svc.py") == frozenset({1, 2})
    assert info.contexts("src/app/svc.py", 2) == ("t",)  # empty context = outside any test


# -- errors ------------------------------------------------------------------------------


def error_of(path: Path) -> str:
    with pytest.raises(CoverageError) as caught:
        load_coverage(path)
    return str(caught.value)


def test_missing_file(tmp_path: Path) -> None:
    assert "does not exist" in error_of(tmp_path / ".coverage")


def test_missing_file_with_parallel_data_suggests_combine(tmp_path: Path) -> None:
    (tmp_path / ".coverage.host.1234.abcdef").write_bytes(b"")
    assert "coverage combine" in error_of(tmp_path / ".coverage")


def test_directory(tmp_path: Path) -> None:
    assert "not a file" in error_of(tmp_path)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "is empty"),
        (b"   \n", "is empty"),
        (b"\x00\x01garbage\xff\xfe", "neither"),
        (b"{not json", "neither a coverage data file nor valid JSON"),
        (b'{"files": {}, "n": ' + b"1" * 5000 + b"}", "nor valid JSON"),  # int() refuses
        (b"[1, 2, 3]", "not a `coverage json` report"),
        (b'{"totals": {}}', "not a `coverage json` report"),
        (b'{"files": {"a.py": {"executed_lines": "1,2"}}}', "executed_lines"),
        (b'{"files": {"a.py": {"executed_lines": [true]}}}', "executed_lines"),
        (b'{"files": {"a.py": {"executed_lines": [1], "contexts": []}}}', "bad contexts"),
        (b'{"files": {"a.py": {"executed_lines": [1], "contexts": {"x": []}}}}', "bad contexts"),
        (b'<?xml version="1.0" ?>\n<coverage/>', "XML report"),
        (b"TN:\nSF:/app/a.py\n", "LCOV report"),
        (b"!coverage.py: This is a private format, don't read it directly!", "< 5"),
        (b"SQLite format 3\x00" + b"\x01" * 200, "cannot read coverage data file"),
    ],
)
def test_unusable_content(tmp_path: Path, content: bytes, expected: str) -> None:
    target = tmp_path / "data"
    target.write_bytes(content)
    assert expected in error_of(target)


def test_foreign_sqlite_database_is_refused_and_left_untouched(tmp_path: Path) -> None:
    target = tmp_path / "app.db"
    connection = sqlite3.connect(target)
    connection.execute("create table users (id integer)")
    connection.commit()
    connection.close()
    assert "not a coverage data file" in error_of(target)
    connection = sqlite3.connect(target)
    tables = {row[0] for row in connection.execute("select name from sqlite_master")}
    connection.close()
    assert tables == {"users"}


def test_data_file_with_nothing_measured(tmp_path: Path) -> None:
    data_file = tmp_path / ".coverage"
    empty = coverage.CoverageData(basename=str(data_file))
    empty.add_lines({})
    empty.write()
    assert "no measured files" in error_of(data_file)


def test_data_file_without_coverage_installed(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    data_file = record(tmp_path)
    monkeypatch.setitem(sys.modules, "coverage", None)
    assert "pdlint[coverage]" in error_of(data_file)


# -- path matching -----------------------------------------------------------------------


def info_of(*measured: str) -> CoverageInfo:
    return CoverageInfo({key: {index + 1} for index, key in enumerate(measured)})


@pytest.mark.parametrize(
    ("measured", "project_path", "expected"),
    [
        (["/ci/build/app/svc.py"], "app/svc.py", "/ci/build/app/svc.py"),
        (["/ci/build/src/app/svc.py"], "src/app/svc.py", "/ci/build/src/app/svc.py"),
        (["/ci/build/myapp/svc.py"], "app/svc.py", None),  # whole components only
        (["/ci/build/app/svc.py"], "other/app/svc.py", None),  # absolute: must end with all
        (["app/svc.py"], "src/app/svc.py", "app/svc.py"),  # report made inside src/
        (["./src/app/svc.py"], "app/svc.py", "./src/app/svc.py"),
        (["C:\\work\\proj\\App\\Svc.py"], "app/svc.py", "C:\\work\\proj\\App\\Svc.py"),
        (["/a/x/app/svc.py", "/b/app/svc.py"], "app/svc.py", "/b/app/svc.py"),  # shortest
        (["/ci/app/svc.py", "/ci/app/sub/app/svc.py"], "sub/app/svc.py",
         "/ci/app/sub/app/svc.py"),  # more shared components win
        (["/ci/app/svc.py"], "", None),
    ],
)
def test_path_matching(measured: list[str], project_path: str, expected: str | None) -> None:
    assert info_of(*measured).resolve(project_path) == expected


def test_root_prefers_the_exact_file(tmp_path: Path) -> None:
    mine = str(tmp_path / "app" / "svc.py")
    info = CoverageInfo({"/elsewhere/app/svc.py": {1}, mine: {2}}, root=tmp_path)
    assert info.executed("app/svc.py") == frozenset({2})


def test_contexts_from_mappings() -> None:
    info = CoverageInfo({"/ci/app/svc.py": {3, 4}},
                        {"/ci/app/svc.py": {3: ["tests/t.py::test_a|setup", ""], 4: [""]}})
    assert info.has_contexts
    assert info.contexts("app/svc.py", 3) == ("tests/t.py::test_a",)
    assert info.contexts("app/svc.py", 4) == ()
    assert info.tests_for("app/svc.py", [3, 4]) == ("tests/t.py::test_a",)
