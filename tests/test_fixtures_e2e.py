"""End to end: `pdlint scan` on the fixture projects reports exactly their annotations.

Each fixture marks an expected finding with `# expect: PDLxxx` on the line directly above
the reported line (fixtures/README.md); findings that cannot carry a comment are listed in
`EXPECTED_EXTRA.txt`. Only the rules pdlint implements are compared, so fixtures can already
carry expectations for rules still to come.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from pdlint.cli import main
from pdlint.expectations import markers_under
from pdlint.rules import RULES

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
PROJECTS = ("flask_shop", "django_app", "fastapi_service", "plain_lib", "regressions",
            "more_frameworks", "colliding")
ANNOTATED = {"PDL001", "PDL101", "PDL102", "PDL103", "PDL105", "PDL107", "PDL201", "PDL202",
             "PDL207"}
CHECKED = ANNOTATED & set(RULES)

Key = tuple[str, int, str]


def expected_findings(root: Path) -> Counter[Key]:
    expected = markers_under(root)
    return Counter({key: n for key, n in expected.items() if key[2] in CHECKED})


def scan_json(root: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, dict]:
    monkeypatch.chdir(root)
    result = CliRunner().invoke(main, ["scan", "--format", "json", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, json.loads(result.stdout)


@pytest.mark.parametrize("project", PROJECTS)
def test_fixture_findings_match_annotations(project: str, monkeypatch: pytest.MonkeyPatch) -> None:
    root = FIXTURES / project
    code, report = scan_json(root, monkeypatch)
    got: Counter[Key] = Counter(
        (f["path"], f["line"], f["rule"]) for f in report["findings"] if f["rule"] in CHECKED
    )
    expected = expected_findings(root)
    missing = sorted((expected - got).elements())
    extra = sorted((got - expected).elements())
    messages = {(f["path"], f["line"], f["rule"]): f["message"] for f in report["findings"]}
    assert not missing and not extra, (
        f"missing: {missing}\nextra: {[(k, messages.get(k)) for k in extra]}"
    )
    assert code == (1 if report["findings"] else 0)


def test_plain_library_is_clean(monkeypatch: pytest.MonkeyPatch) -> None:
    code, report = scan_json(FIXTURES / "plain_lib", monkeypatch)
    assert report["findings"] == []
    assert code == 0


def test_json_shape(monkeypatch: pytest.MonkeyPatch) -> None:
    _, report = scan_json(FIXTURES / "django_app", monkeypatch)
    assert set(report) == {"version", "findings", "summary"}
    finding = next(f for f in report["findings"] if f["rule"] == "PDL105")
    assert set(finding) == {"rule", "name", "severity", "path", "line", "column", "end_line",
                            "end_column", "message", "symbol", "categories", "fingerprint"}
    assert finding["name"] == "untagged-pii-field" and finding["severity"] == "warning"
    assert finding["symbol"].startswith("accounts.models.")
    assert finding["categories"] and "/" in finding["path"] or finding["path"].endswith(".py")
    summary = report["summary"]
    assert summary["files"] > 10 and summary["parse_errors"] == 1
    assert summary["findings"] == len(report["findings"])
    assert sum(summary["by_rule"].values()) == len(report["findings"])


def test_migrations_do_not_repeat_model_findings(monkeypatch: pytest.MonkeyPatch) -> None:
    _, report = scan_json(FIXTURES / "django_app", monkeypatch)
    assert not [f for f in report["findings"] if "/migrations/" in f["path"]]


def test_output_is_byte_identical_between_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES / "flask_shop")
    first = CliRunner().invoke(main, ["scan", "--format", "json"]).stdout
    second = CliRunner().invoke(main, ["scan", "--format", "json"]).stdout
    assert first == second
    text_first = CliRunner().invoke(main, ["scan", "--color", "never"]).stdout
    text_second = CliRunner().invoke(main, ["scan", "--color", "never"]).stdout
    assert text_first == text_second


def test_scanning_from_a_parent_directory_gives_paths_relative_to_cwd(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(FIXTURES)
    result = CliRunner().invoke(main, ["scan", "--format", "json", "--config",
                                       "django_app/pyproject.toml", "django_app"])
    report = json.loads(result.stdout)
    assert report["findings"]
    assert all(f["path"].startswith("django_app/") for f in report["findings"])


def test_untested_tagged_functions_in_flask_shop(monkeypatch: pytest.MonkeyPatch) -> None:
    """Route-tested handlers (client.post("/signup")…) are tested; helpers nobody names are not."""
    _, report = scan_json(FIXTURES / "flask_shop", monkeypatch, "--select", "PDL301")
    untested = {f["symbol"] for f in report["findings"]}
    assert untested == {
        "shop.security.rate_limited",
        "shop.services.mailer.send_welcome_email",
        "shop.services.mailer.send_order_confirmation",
        "shop.services.mailer.send_goodbye",
        "shop.views.remember_client_address",
        "shop.views.login",
    }


def test_coverage_report_decides_what_is_tested(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    root = FIXTURES / "flask_shop"
    views = (root / "shop" / "views.py").resolve()
    # A coverage JSON report in which no line of shop/views.py ran: every tagged view is
    # then untested, whatever the test modules refer to.
    report_file = tmp_path / "coverage.json"
    report_file.write_text(json.dumps({
        "meta": {"version": "7.6.0"},
        "files": {str(views): {"executed_lines": [1, 2, 3], "missing_lines": []}},
    }))
    _, report = scan_json(root, monkeypatch, "--select", "PDL301", "--coverage",
                          str(report_file))
    untested = {f["symbol"] for f in report["findings"]}
    assert {"shop.views.signup", "shop.views.checkout"} <= untested
    erasure = [f for f in report["findings"] if f["symbol"] == "shop.views.delete_account"]
    assert erasure and erasure[0]["severity"] == "error"  # a rights handler


def test_bad_coverage_file_is_a_clean_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    bad = tmp_path / "coverage.json"
    bad.write_text("{not json")
    monkeypatch.chdir(FIXTURES / "flask_shop")
    result = CliRunner().invoke(main, ["scan", "--coverage", str(bad)])
    assert result.exit_code == 2
    assert result.stderr.startswith("pdlint: error: --coverage:")


def test_pdlint_scans_its_own_source_clean(monkeypatch: pytest.MonkeyPatch) -> None:
    """Dogfooding: pdlint's own code (full of words like email, password, token) is clean."""
    package = Path(__file__).resolve().parent.parent / "pdlint"
    monkeypatch.chdir(package.parent)
    result = CliRunner().invoke(main, ["scan", "--isolated", "--no-cache", "--format", "json",
                                       "pdlint"])
    report = json.loads(result.stdout)
    assert report["findings"] == [], [(f["path"], f["line"], f["message"])
                                      for f in report["findings"]]
    assert result.exit_code == 0
