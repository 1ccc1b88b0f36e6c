"""``--format junit``: JUnit XML for CI test dashboards (GitLab, Jenkins, Azure, CircleCI).

``<testsuites>`` holds one ``<testsuite>`` per file with findings (``name`` is the path) and
one failing ``<testcase>`` per finding::

    <testcase name="PDL201 pii-in-log" classname="app/views.py:7:5">
      <failure message="contact.email reaches logger.info()" type="error">…</failure>
    </testcase>

Without findings the report holds a single passing test case, so dashboards show a green
run rather than an empty or missing report. The XML is built with ``xml.etree`` (escaping is
its job); characters XML 1.0 cannot carry are replaced by U+FFFD first.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from itertools import groupby

from pdlint.engine import ScanResult
from pdlint.findings import Finding
from pdlint.visible import visible

_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _clean(text: str) -> str:
    return _INVALID_XML.sub("\ufffd", text)


def _location(finding: Finding) -> str:
    return f"{visible(finding.path)}:{finding.line}:{finding.column}"


def _failure_text(finding: Finding) -> str:
    """One line per fact; names from the repository are shown visibly (pdlint.visible), so
    only pdlint's own line breaks remain."""
    lines = [f"{_location(finding)}: {finding.rule} {finding.name} ({finding.severity}): "
             f"{visible(finding.message)}"]
    if finding.symbol:
        lines.append(f"in {visible(finding.symbol)}")
    for path, line, symbol in finding.trace:
        lines.append(f"  via {visible(symbol)} ({visible(path)}:{line})")
    return "\n".join(lines)


def render_junit(result: ScanResult) -> str:
    findings = result.findings
    suites = ET.Element("testsuites", {
        "name": "pdlint",
        "tests": str(max(len(findings), 1)),
        "failures": str(len(findings)),
        "errors": "0",
    })
    if not findings:
        suite = ET.SubElement(suites, "testsuite", {
            "name": "pdlint", "tests": "1", "failures": "0", "errors": "0", "skipped": "0",
        })
        ET.SubElement(suite, "testcase", {
            "name": "no findings", "classname": "pdlint",
        })
    for path, group in groupby(sorted(findings, key=Finding.sort_key), key=lambda f: f.path):
        cases = list(group)
        suite = ET.SubElement(suites, "testsuite", {
            "name": _clean(visible(path)),
            "tests": str(len(cases)),
            "failures": str(len(cases)),
            "errors": "0",
            "skipped": "0",
        })
        for finding in cases:
            case = ET.SubElement(suite, "testcase", {
                "name": _clean(f"{finding.rule} {finding.name}"),
                "classname": _clean(_location(finding)),
            })
            failure = ET.SubElement(case, "failure", {
                "message": _clean(visible(finding.message)),
                "type": finding.severity,
            })
            failure.text = _clean(_failure_text(finding))
    ET.indent(suites, space="  ")
    body = ET.tostring(suites, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'
