"""Every rule's documented examples are tests: ``bad`` must trigger it, ``good`` must not."""

from __future__ import annotations

import pytest

from pdlint.rules import ALL_RULES, Example, Rule
from pdlint.testing import scan_sources

CASES = [
    pytest.param(rule, example, expected, id=f"{rule.code}-{kind}-{index}")
    for rule in ALL_RULES
    for kind, expected, examples in (("bad", True, rule.bad), ("good", False, rule.good))
    for index, example in enumerate(examples)
]


@pytest.mark.parametrize(("rule", "example", "expected"), CASES)
def test_rule_example(rule: type[Rule], example: Example, expected: bool) -> None:
    result = scan_sources(example.sources())
    fired = [f for f in result.findings if f.rule == rule.code]
    if expected:
        assert fired, f"{rule.code} example should trigger it:\n{example.sources()}"
    else:
        assert not fired, f"{rule.code} good example triggered: {[f.message for f in fired]}"


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.code)
def test_rule_metadata(rule: type[Rule]) -> None:
    assert rule.code.startswith("PDL") and len(rule.code) == 6
    assert rule.name == rule.name.lower() and " " not in rule.name
    assert rule.severity in ("error", "warning", "info")
    assert rule.summary and rule.what and rule.why
    assert rule.bad and rule.good, "every rule ships a bad and a good example"
    text = rule.explain()
    assert rule.code in text and "## Why is this bad?" in text and "```python" in text


def test_codes_and_names_are_unique() -> None:
    assert len({r.code for r in ALL_RULES}) == len(ALL_RULES)
    assert len({r.name for r in ALL_RULES}) == len(ALL_RULES)
