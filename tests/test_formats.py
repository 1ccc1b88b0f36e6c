"""Machine formats for CI: SARIF, GitHub workflow commands, GitLab Code Quality, JUnit XML.

Golden files under ``tests/golden`` pin the exact output for a hand-built scan result (so
they change only when a renderer changes, not when a rule's wording does). Regenerate them
after an intended change with ``PDLINT_UPDATE_GOLDEN=1 pytest tests/test_formats.py``.
"""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from jsonschema import Draft4Validator

from pdlint.config import Config
from pdlint.engine import ScanResult
from pdlint.findings import Finding, finalize
from pdlint.project import Project
from pdlint.report import FORMATS, RENDERERS
from pdlint.report import sarif as sarif_module
from pdlint.report.github import escape_data, escape_property, render_github
from pdlint.report.gitlab import render_gitlab
from pdlint.report.junit import render_junit
from pdlint.report.sarif import (
    MAX_RESULTS,
    MAX_SARIF_BYTES,
    PROJECT_URL,
    ReportPaths,
    build_sarif,
    render_sarif,
    sarif_text,
)
from pdlint.rules import ALL_RULES
from pdlint.testing import scan_sources

HERE = Path(__file__).parent
GOLDEN = HERE / "golden"
SCHEMA = json.loads((HERE / "schemas" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
VALIDATOR = Draft4Validator(SCHEMA, format_checker=Draft4Validator.FORMAT_CHECKER)


def _finding(rule: str, name: str, severity: str, path: str, line: int, column: int,
             end_line: int | None, end_column: int | None, message: str,
             symbol: str | None = None, categories: tuple[str, ...] = (),
             trace: tuple[tuple[str, int, str], ...] = ()) -> Finding:
    return Finding(rule=rule, name=name, severity=severity, path=path, line=line,
                   column=column, end_line=end_line, end_column=end_column, message=message,
                   symbol=symbol, categories=categories, root_path=path, trace=trace)


def sample_result() -> ScanResult:
    """A small scan result with every shape a renderer must handle."""
    findings = [
        _finding("PDL201", "pii-in-log", "error", "app/services/notify.py", 6, 5, 6, 43,
                 "contact.email (customer.email) reaches log.info() "
                 "(from app.views.checkout → app.services.notify.send_receipt)",
                 symbol="app.services.notify.send_receipt", categories=("contact.email",),
                 trace=(("app/views.py", 3, "app.views.checkout"),
                        ("app/services/notify.py", 5, "app.services.notify.send_receipt"))),
        _finding("PDL105", "untagged-pii-field", "warning", "app/models.py", 5, 5, 5, 37,
                 "Customer.email holds contact.email and no tag declares it",
                 symbol="app.models.Customer.email", categories=("contact.email",)),
        # A severity raised by config (PDL105 is a warning by default), and a message with
        # every character the formats must escape: % , : newline < > & " '
        _finding("PDL105", "untagged-pii-field", "error", "app/models.py", 9, 5, 10, 2,
                 'Customer.notes holds "free text" <content.private> & 100% of: a, b\nsecond line',
                 symbol="app.models.Customer.notes"),
        _finding("PDL901", "unused-suppression", "info", "app/my views,v2.py", 2, 20, 2, 45,
                 "`# pdlint: ignore[PDL201]` suppresses nothing"),
        # A parse error with a position but no end.
        _finding("PDL001", "parse-error", "error", "app/broken.py", 1, 1, None, None,
                 "cannot parse: unexpected indent"),
    ]
    return ScanResult(finalize(findings), files=5, parse_errors=1, suppressed=2)


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("PDLINT_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    assert path.exists(), f"missing golden file {path}; run with PDLINT_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8"), (
        f"{name} differs from the golden file; if the change is intended, regenerate with "
        "PDLINT_UPDATE_GOLDEN=1"
    )


def assert_valid_sarif(document: dict[str, Any]) -> None:
    errors = sorted(VALIDATOR.iter_errors(document), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors[:10])


def _results(document: dict[str, Any]) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = document["runs"][0]["results"]
    return results


# --------------------------------------------------------------------------------------------
# Registry


def test_every_format_is_registered() -> None:
    assert {"json", "sarif", "github", "gitlab", "junit"} <= set(RENDERERS)
    assert FORMATS[0] == "text"
    assert set(FORMATS[1:]) == set(RENDERERS)


@pytest.mark.parametrize("fmt", ["sarif", "github", "gitlab", "junit"])
def test_renderers_are_deterministic(fmt: str) -> None:
    assert RENDERERS[fmt](sample_result()) == RENDERERS[fmt](sample_result())


# --------------------------------------------------------------------------------------------
# SARIF


def test_sarif_validates_against_the_oasis_schema() -> None:
    assert_valid_sarif(json.loads(render_sarif(sample_result())))


def test_sarif_of_a_real_scan_validates() -> None:
    from pdlint.rules.fields import UntaggedPiiField
    from pdlint.rules.leaks import PiiInLog

    sources: dict[str, str] = {}
    for example in (*PiiInLog.bad, *UntaggedPiiField.bad):
        sources.update(example.sources())
    result = scan_sources(sources)
    assert result.findings
    assert_valid_sarif(json.loads(render_sarif(result)))


def test_sarif_without_findings_validates() -> None:
    document = json.loads(render_sarif(ScanResult([], files=0, parse_errors=0)))
    assert_valid_sarif(document)
    assert _results(document) == []


def test_sarif_golden() -> None:
    """The whole document except what the rules own (their texts, their order in ALL_RULES:
    ``ruleIndex`` is shown as the id it points to), so adding a rule changes nothing here."""
    document = json.loads(render_sarif(sample_result()))
    driver = document["runs"][0]["tool"]["driver"]
    driver["version"] = driver["semanticVersion"] = "<version>"
    ids = [rule["id"] for rule in driver["rules"]]
    driver["rules"] = "<one descriptor per rule: test_sarif_has_one_descriptor_per_rule>"
    for entry in _results(document):
        entry["ruleIndex"] = f"<index of {ids[entry['ruleIndex']]}>"
    check_golden("report.sarif", json.dumps(document, indent=2, ensure_ascii=False) + "\n")


def test_sarif_run_header() -> None:
    document = json.loads(render_sarif(sample_result()))
    assert document["version"] == "2.1.0"
    assert document["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    run = document["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "pdlint"
    assert driver["informationUri"] == PROJECT_URL
    assert run["invocations"] == [{"executionSuccessful": True}]
    assert run["columnKind"] == "unicodeCodePoints"
    # No absolute path anywhere: portable, and no home directory in an uploaded artifact.
    assert "file://" not in json.dumps(document)
    assert "originalUriBaseIds" not in run


def test_sarif_has_one_descriptor_per_rule() -> None:
    document = json.loads(render_sarif(ScanResult([], files=0, parse_errors=0)))
    rules = document["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [rule.code for rule in ALL_RULES]
    levels = {"error": "error", "warning": "warning", "info": "note"}
    for descriptor, rule in zip(rules, ALL_RULES, strict=True):
        assert descriptor["name"] == rule.name
        assert descriptor["shortDescription"]["text"] == rule.summary
        assert descriptor["fullDescription"]["text"]
        assert "\n    " not in descriptor["fullDescription"]["text"]  # dedented, unwrapped
        assert descriptor["help"]["markdown"] == rule.explain()
        assert descriptor["help"]["text"]
        assert descriptor["helpUri"] == f"{PROJECT_URL}/blob/main/docs/rules/{rule.code}.md"
        assert descriptor["defaultConfiguration"]["level"] == levels[rule.severity]
        tags = descriptor["properties"]["tags"]
        assert tags[:2] == ["privacy", "gdpr"]
        assert len(tags) <= 10  # GitHub shows 10 tags per rule (and rejects more than 20)
    pii_in_log = next(r for r in rules if r["id"] == "PDL201")
    assert "gdpr/art-32" in pii_in_log["properties"]["tags"]


def test_sarif_results() -> None:
    result = sample_result()
    document = json.loads(render_sarif(result))
    results = _results(document)
    rules = document["runs"][0]["tool"]["driver"]["rules"]
    assert len(results) == len(result.findings)
    for entry, finding in zip(results, result.findings, strict=True):
        assert entry["ruleId"] == finding.rule
        assert rules[entry["ruleIndex"]]["id"] == finding.rule
        assert entry["message"]["text"] == finding.message
        location = entry["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert entry["partialFingerprints"] == {"primaryLocationLineHash": finding.fingerprint}
        assert location["region"]["startLine"] == finding.line
    by_message = {e["message"]["text"]: e for e in results}
    raised = next(e for e in results if e["message"]["text"].startswith("Customer.notes"))
    assert raised["level"] == "error"  # the finding's severity, not the rule's default
    assert rules[raised["ruleIndex"]]["defaultConfiguration"]["level"] == "warning"
    info = by_message["`# pdlint: ignore[PDL201]` suppresses nothing"]
    assert info["level"] == "note"
    # A relative URI reference: the space and the comma are percent-encoded as needed.
    assert info["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
        "app/my%20views,v2.py")
    parse_error = by_message["cannot parse: unexpected indent"]
    assert parse_error["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 1, "startColumn": 1}
    field = by_message["Customer.email holds contact.email and no tag declares it"]
    assert field["locations"][0]["logicalLocations"] == [
        {"name": "email", "fullyQualifiedName": "app.models.Customer.email"}]


def test_sarif_regions_are_always_valid() -> None:
    weird = finalize([
        _finding("PDL001", "parse-error", "error", "a.py", 0, 0, None, None, "no position"),
        _finding("PDL001", "parse-error", "error", "b.py", 3, 0, 2, 0, "end before start"),
        _finding("PDL001", "parse-error", "error", "c.py", 3, 9, 3, 4, "end column before"),
    ])
    document = json.loads(render_sarif(ScanResult(weird, files=3, parse_errors=3)))
    assert_valid_sarif(document)
    regions = {r["message"]["text"]: r["locations"][0]["physicalLocation"].get("region")
               for r in _results(document)}
    assert regions == {
        "no position": None,
        "end before start": {"startLine": 3},
        "end column before": {"startLine": 3, "startColumn": 9, "endLine": 3},
    }


LEAKY = {
    "app/views.py": (
        "from app.services.notify import send_receipt\n"
        "\n"
        "\n"
        "def checkout(request, customer):\n"
        "    send_receipt(customer.email)\n"
    ),
    "app/services/notify.py": (
        "import logging\n"
        "\n"
        "log = logging.getLogger(__name__)\n"
        "\n"
        "\n"
        "def send_receipt(address):\n"
        "    log.info(f\"receipt sent to {address}\")\n"
    ),
    "app/models.py": (
        "from django.db import models\n"
        "\n"
        "\n"
        "class Customer(models.Model):\n"
        "    email = models.EmailField()\n"
        "    phone_number = models.CharField(max_length=32)\n"
    ),
}


def _shifted(sources: dict[str, str], lines: int) -> dict[str, str]:
    """The same code with ``lines`` unrelated lines inserted at the top of every file."""
    header = "".join(f"# unrelated line {i}\n" for i in range(lines))
    return {path: header + text for path, text in sources.items()}


def test_partial_fingerprints_survive_unrelated_line_shifts() -> None:
    before = json.loads(render_sarif(scan_sources(LEAKY)))
    after = json.loads(render_sarif(scan_sources(_shifted(LEAKY, 7))))
    assert len(_results(before)) >= 3  # PDL201 and two PDL105 at least

    def keyed(document: dict[str, Any]) -> dict[tuple[str, str], tuple[int, str]]:
        out = {}
        for entry in _results(document):
            location = entry["locations"][0]["physicalLocation"]
            key = (entry["ruleId"], entry["message"]["text"])
            out[key] = (location["region"]["startLine"],
                        entry["partialFingerprints"]["primaryLocationLineHash"])
        return out

    old, new = keyed(before), keyed(after)
    assert old.keys() == new.keys()
    for key in old:
        assert new[key][0] == old[key][0] + 7, key  # the lines moved …
        assert new[key][1] == old[key][1], key  # … and the fingerprints did not
    fingerprints = [fp for _, fp in old.values()]
    assert len(set(fingerprints)) == len(fingerprints)


def test_pdl201_across_functions_has_code_flow_and_related_locations() -> None:
    document = json.loads(render_sarif(scan_sources(LEAKY)))
    assert_valid_sarif(document)
    leak = next(r for r in _results(document) if r["ruleId"] == "PDL201")

    def where(location: dict[str, Any]) -> tuple[str, int]:
        physical = location["physicalLocation"]
        return physical["artifactLocation"]["uri"], physical["region"]["startLine"]

    assert where(leak["locations"][0]) == ("app/services/notify.py", 7)
    related = leak["relatedLocations"]
    assert [where(r) for r in related] == [("app/views.py", 4), ("app/services/notify.py", 6)]
    assert [r["id"] for r in related] == [1, 2]
    assert related[0]["logicalLocations"][0]["fullyQualifiedName"] == "app.views.checkout"
    assert all(r["physicalLocation"]["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
               for r in related)

    (flow,) = leak["codeFlows"]
    (thread,) = flow["threadFlows"]
    steps = [where(step["location"]) for step in thread["locations"]]
    # origin function → helper → the log call itself
    assert steps == [("app/views.py", 4), ("app/services/notify.py", 6),
                     ("app/services/notify.py", 7)]
    assert thread["locations"][-1]["location"]["message"]["text"] == leak["message"]["text"]
    assert "app.views.checkout" in flow["message"]["text"]


def test_findings_without_trace_have_no_code_flow() -> None:
    document = json.loads(render_sarif(sample_result()))
    for entry in _results(document):
        if entry["ruleId"] != "PDL201":
            assert "codeFlows" not in entry and "relatedLocations" not in entry


def _many_findings(count: int) -> ScanResult:
    findings = []
    for i in range(count):
        severity = ("info", "warning", "error")[i % 3]
        findings.append(_finding("PDL105", "untagged-pii-field", severity, f"pkg/m{i:05}.py",
                                 i + 1, 1, i + 1, 30, f"field number {i} " + "x" * 200))
    return ScanResult(finalize(findings), files=count, parse_errors=0)


def test_sarif_size_guard_truncates_with_a_note() -> None:
    result = _many_findings(300)
    compact = json.dumps(build_sarif(result), separators=(",", ":"), ensure_ascii=False)
    limit = len(compact.encode()) // 3
    text = sarif_text(result, max_bytes=limit)
    assert len(text.encode()) <= limit
    document = json.loads(text)
    assert_valid_sarif(document)
    run = document["runs"][0]
    kept = run["results"]
    assert 0 < len(kept) < 300
    note = run["properties"]["pdlint"]["truncated"]
    assert note["totalResults"] == 300 and note["includedResults"] == len(kept)
    (notification,) = run["invocations"][0]["toolExecutionNotifications"]
    assert notification["level"] == "warning"
    assert "truncated" in notification["message"]["text"]
    assert run["invocations"][0]["executionSuccessful"] is True
    # Errors are kept first, and the kept results stay in report order.
    levels = [r["level"] for r in kept]
    errors = sum(1 for f in result.findings if f.severity == "error")
    assert levels.count("error") == min(errors, len(kept))
    lines = [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in kept]
    assert lines == sorted(lines)


def test_sarif_size_guard_drops_whitespace_before_results() -> None:
    result = _many_findings(100)
    pretty = render_sarif(result)
    limit = len(pretty.encode()) - 1
    text = sarif_text(result, max_bytes=limit)
    assert len(text.encode()) <= limit
    assert "\n  " not in text  # compact
    document = json.loads(text)
    assert len(_results(document)) == 100
    assert "truncated" not in document["runs"][0]["properties"]["pdlint"]
    assert document == json.loads(pretty)


def test_sarif_result_count_guard() -> None:
    document = json.loads(sarif_text(_many_findings(50), max_results=20))
    run = document["runs"][0]
    levels = [r["level"] for r in run["results"]]
    assert len(levels) == 20
    assert levels.count("error") == 16 and levels.count("warning") == 4  # errors first
    assert run["properties"]["pdlint"]["truncated"]["totalResults"] == 50


def test_sarif_default_limits_are_github_s() -> None:
    assert MAX_SARIF_BYTES == 10_000_000
    assert MAX_RESULTS == 25_000
    text = render_sarif(_many_findings(30))
    assert "\n  " in text  # indented when it fits
    assert "truncated" not in json.loads(text)["runs"][0]["properties"]["pdlint"]


def test_sarif_uses_repository_relative_paths_in_a_monorepo(tmp_path: Path) -> None:
    """A project in a sub-directory of a repository: GitHub resolves URIs from the repo root."""
    (tmp_path / ".git").mkdir()
    root = tmp_path / "services" / "api"
    root.mkdir(parents=True)
    config = Config(root=root, config_file=None)
    finding = _finding("PDL201", "pii-in-log", "error", "app/x.py", 3, 1, 3, 9, "leak",
                       trace=(("app/y.py", 1, "app.y.f"),))
    result = ScanResult(finalize([finding]), files=1, parse_errors=0,
                        project=Project.link(config, []))
    document = json.loads(render_sarif(result))
    entry = _results(document)[0]
    assert entry["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
        "services/api/app/x.py")
    assert entry["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
        "services/api/app/y.py")
    assert "file=services/api/app/x.py," in render_github(result)
    assert json.loads(render_gitlab(result))[0]["location"]["path"] == "services/api/app/x.py"


@pytest.mark.parametrize(
    ("display", "root_path", "trace_path", "expected"),
    [
        ("app/x.py", "app/x.py", "lib/y.py", "lib/y.py"),  # cwd is the project root
        ("proj/app/x.py", "app/x.py", "proj/lib/y.py", "lib/y.py"),  # cwd above the root
        ("x.py", "app/x.py", "../lib/y.py", "lib/y.py"),  # cwd inside the root
        ("x.py", "app/x.py", "z.py", "app/z.py"),
    ],
)
def test_trace_paths_are_mapped_to_the_project_root(display: str, root_path: str,
                                                    trace_path: str, expected: str) -> None:
    finding = Finding(rule="PDL201", name="pii-in-log", severity="error", path=display,
                      line=1, column=1, end_line=None, end_column=None, message="m",
                      root_path=root_path)
    paths = ReportPaths(ScanResult([finding], files=1, parse_errors=0))
    assert paths.of(finding) == root_path
    assert paths.of_display(trace_path) == expected


def test_sarif_notifications_for_discovery_problems() -> None:
    result = ScanResult([], files=0, parse_errors=0,
                        problems=[("missing.py", "no such file or directory")])
    document = json.loads(render_sarif(result))
    assert_valid_sarif(document)
    (note,) = document["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert note["message"]["text"] == "missing.py: no such file or directory"


# --------------------------------------------------------------------------------------------
# GitHub workflow commands


def test_github_golden() -> None:
    check_golden("report.github.txt", render_github(sample_result()))


def test_github_commands() -> None:
    lines = render_github(sample_result()).splitlines()
    assert len(lines) == len(sample_result().findings)
    assert lines[0].startswith("::error file=app/broken.py,line=1,col=1,title=PDL001 parse-error::")
    first_leak = next(line for line in lines if "title=PDL201" in line)
    assert first_leak == (
        "::error file=app/services/notify.py,line=6,col=5,endLine=6,endColumn=43,"
        "title=PDL201 pii-in-log::contact.email (customer.email) reaches log.info() "
        "(from app.views.checkout → app.services.notify.send_receipt)")
    assert any(line.startswith("::warning ") for line in lines)
    notice = next(line for line in lines if line.startswith("::notice "))
    assert "file=app/my views%2Cv2.py," in notice  # ',' would end the property early
    escaped = next(line for line in lines if "Customer.notes" in line)
    assert escaped.endswith("::Customer.notes holds \"free text\" <content.private> & "
                            "100%25 of: a, b\\x0asecond line")  # shown, not a new line


def test_github_escaping() -> None:
    assert escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert escape_property("a:b,c%") == "a%3Ab%2Cc%25"


def test_github_without_findings_prints_nothing() -> None:
    assert render_github(ScanResult([], files=3, parse_errors=0)) == ""


# --------------------------------------------------------------------------------------------
# GitLab Code Quality


def test_gitlab_golden() -> None:
    check_golden("report.gitlab.json", render_gitlab(sample_result()))


def test_gitlab_code_quality() -> None:
    issues = json.loads(render_gitlab(sample_result()))
    assert len(issues) == len(sample_result().findings)
    for entry in issues:
        assert set(entry) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert entry["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert len(entry["fingerprint"]) == 32
        assert entry["location"]["lines"]["begin"] >= 1
        assert entry["location"]["lines"]["end"] >= entry["location"]["lines"]["begin"]
    assert len({entry["fingerprint"] for entry in issues}) == len(issues)
    by_check = {(e["check_name"], e["severity"]) for e in issues}
    assert ("PDL201", "critical") in by_check
    assert ("PDL105", "major") in by_check
    assert ("PDL901", "info") in by_check


def test_gitlab_fingerprints_are_stable_and_unique() -> None:
    before = json.loads(render_gitlab(scan_sources(LEAKY)))
    after = json.loads(render_gitlab(scan_sources(_shifted(LEAKY, 4))))
    assert [e["fingerprint"] for e in before] == [e["fingerprint"] for e in after]
    assert [e["location"]["lines"]["begin"] + 4 for e in before] == [
        e["location"]["lines"]["begin"] for e in after]
    # Identical findings without fingerprints (hand-built) still get distinct ones.
    twin = Finding(rule="PDL201", name="pii-in-log", severity="error", path="a.py", line=1,
                   column=1, end_line=1, end_column=2, message="m")
    issues = json.loads(render_gitlab(ScanResult([twin, twin], files=1, parse_errors=0)))
    assert issues[0]["fingerprint"] != issues[1]["fingerprint"]


def test_gitlab_without_findings_is_an_empty_list() -> None:
    assert json.loads(render_gitlab(ScanResult([], files=1, parse_errors=0))) == []


# --------------------------------------------------------------------------------------------
# JUnit XML


def test_junit_golden() -> None:
    check_golden("report.junit.xml", render_junit(sample_result()))


def test_junit_structure() -> None:
    result = sample_result()
    root = ET.fromstring(render_junit(result))  # well-formed despite <, &, " and newlines
    assert root.tag == "testsuites"
    assert root.get("tests") == root.get("failures") == str(len(result.findings))
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == sorted({f.path for f in result.findings})
    models = next(s for s in suites if s.get("name") == "app/models.py")
    assert models.get("tests") == models.get("failures") == "2"
    cases = models.findall("testcase")
    assert [c.get("name") for c in cases] == ["PDL105 untagged-pii-field"] * 2
    assert [c.get("classname") for c in cases] == ["app/models.py:5:5", "app/models.py:9:5"]
    failure = cases[1].find("failure")
    assert failure is not None
    assert failure.get("message") == (
        'Customer.notes holds "free text" <content.private> & 100% of: a, b\\x0asecond line')
    assert failure.get("type") == "error"
    leak = root.find("testsuite[@name='app/services/notify.py']/testcase/failure")
    assert leak is not None and leak.text is not None
    assert "via app.views.checkout (app/views.py:3)" in leak.text


def test_junit_without_findings_has_a_passing_case() -> None:
    root = ET.fromstring(render_junit(ScanResult([], files=2, parse_errors=0)))
    assert root.get("failures") == "0"
    cases = root.findall("testsuite/testcase")
    assert len(cases) == 1 and cases[0].find("failure") is None


def test_junit_shows_characters_xml_cannot_carry() -> None:
    finding = _finding("PDL201", "pii-in-log", "error", "a.py", 1, 1, 1, 2, "bell\x07 here")
    root = ET.fromstring(render_junit(ScanResult(finalize([finding]), files=1, parse_errors=0)))
    failure = root.find("testsuite/testcase/failure")
    assert failure is not None and failure.get("message") == "bell\\x07 here"


# --------------------------------------------------------------------------------------------
# Through the command line


@pytest.mark.parametrize("fmt", ["sarif", "github", "gitlab", "junit"])
def test_cli_formats(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str) -> None:
    from pdlint.cli import main

    for rel, text in LEAKY.items():
        target = tmp_path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    for package in ("app", "app/services"):
        (tmp_path / package / "__init__.py").write_text("", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    out = tmp_path / f"report.{fmt}"
    runner = CliRunner()
    result = runner.invoke(main, ["scan", "--format", fmt, "--no-cache", "--no-progress",
                                  "-o", str(out), "--exit-zero"])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    if fmt == "sarif":
        document = json.loads(text)
        assert_valid_sarif(document)
        assert any(r["ruleId"] == "PDL201" and "codeFlows" in r for r in _results(document))
    elif fmt == "github":
        assert "::error file=app/services/notify.py,line=7," in text
    elif fmt == "gitlab":
        assert any(e["check_name"] == "PDL201" for e in json.loads(text))
    else:
        assert ET.fromstring(text).tag == "testsuites"
    failing = runner.invoke(main, ["scan", "--format", fmt, "--no-cache", "--no-progress",
                                   "--fail-on", "error"])
    assert failing.exit_code == 1


def test_size_guard_constant_documented() -> None:
    assert "10 MB" in (sarif_module.__doc__ or "")
    docs = (HERE.parent / "docs" / "ci.md").read_text(encoding="utf-8")
    assert "10 MB" in docs and "truncated" in docs
