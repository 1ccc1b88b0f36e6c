"""Every rule's documented examples are tests, checked line by line.

An example marks each finding it expects with a `# expect: PDLxxx` comment line directly
above the reported line (or in ``Example.expect`` when no comment line can mark it; see
pdlint/rules/base.py). For the example's own rule, and for every other code its markers
name, the findings must match the expectations exactly: same (path, line, code), same
counts. Rules the example marks nothing for are not compared. A ``good`` example expects
nothing of its own rule.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from pdlint.rules import ALL_RULES, KNOWN, Example, Rule
from pdlint.rules.base import EXPECT_MARKER, ExpectedFinding, _render_example, strip_markers
from pdlint.testing import scan_sources

MIN_EXAMPLES = 4

CASES = [
    pytest.param(rule, kind, example, id=f"{rule.code}-{kind}-{index}")
    for rule in ALL_RULES
    for kind, examples in (("bad", rule.bad), ("good", rule.good))
    for index, example in enumerate(examples)
]


def _numbered(example: Example) -> str:
    return "\n".join(
        f"--- {path}\n" + "\n".join(f"{n:3} {line}" for n, line in
                                    enumerate(text.splitlines(), start=1))
        for path, text in example.sources().items()
    )


@pytest.mark.parametrize(("rule", "kind", "example"), CASES)
def test_rule_example(rule: type[Rule], kind: str, example: Example) -> None:
    expected = example.expected()
    own = sum(n for (_, _, code), n in expected.items() if code == rule.code)
    if kind == "bad":
        assert own, f"a bad {rule.code} example must mark the findings it expects"
    else:
        assert not own, f"a good {rule.code} example must not expect {rule.code}"
    unknown = sorted({code for _, _, code in expected} - set(KNOWN))
    assert not unknown, f"markers name codes that are not pdlint rules: {unknown}"
    sources = example.sources()
    for path, line, _ in expected:
        assert path in sources and 1 <= line <= len(sources[path].splitlines()), (
            f"expectation points outside the example: {path}:{line}")

    compared = {rule.code} | {code for _, _, code in expected}
    result = scan_sources(sources)
    got: Counter[ExpectedFinding] = Counter(
        (f.path, f.line, f.rule) for f in result.findings if f.rule in compared)
    missing = sorted((expected - got).elements())
    extra = sorted((got - expected).elements())
    messages = {(f.path, f.line, f.rule): f.message for f in result.findings}
    assert not missing and not extra, (
        f"{rule.code} {kind} example:\n{_numbered(example)}\n"
        f"missing: {missing}\nextra: {[(key, messages[key]) for key in extra]}"
    )


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.code)
def test_rule_metadata(rule: type[Rule]) -> None:
    assert rule.code.startswith("PDL") and len(rule.code) == 6
    assert rule.name == rule.name.lower() and " " not in rule.name
    assert rule.severity in ("error", "warning", "info")
    assert rule.summary and rule.what and rule.why
    assert len(rule.bad) >= MIN_EXAMPLES and len(rule.good) >= MIN_EXAMPLES, (
        f"every rule ships at least {MIN_EXAMPLES} bad and {MIN_EXAMPLES} good examples")
    text = rule.explain()
    assert rule.code in text and "## Why is this bad?" in text and "```python" in text


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.code)
def test_explain_shows_no_markers(rule: type[Rule]) -> None:
    text = rule.explain()
    assert "# expect:" not in text
    # what is shown is the example's code minus its marker lines, nothing else changed
    for example in (rule.bad[0], rule.good[0]):
        for source in example.sources().values():
            assert strip_markers(source).rstrip("\n") in text


def test_render_example_strips_only_the_markers() -> None:
    example = Example(
        """
        import logging

        def register(email):
            # a comment that stays
            # expect: PDL201, PDL207
            logging.info("signup %s", email)  # expect: not a marker: it trails code
            #   expect: neither is this one
        """,
        path="app/views.py",
        note="A note.",
    )
    assert example.expected() == Counter({("app/views.py", 6, "PDL201"): 1,
                                          ("app/views.py", 6, "PDL207"): 1})
    assert _render_example(example) == [
        "A note.",
        "",
        "```python",
        "import logging\n"
        "\n"
        "def register(email):\n"
        "    # a comment that stays\n"
        '    logging.info("signup %s", email)  # expect: not a marker: it trails code\n'
        "    #   expect: neither is this one",
        "```",
    ]


def test_expect_field_adds_to_the_markers() -> None:
    example = Example(files={"a.py": "# expect: PDL105\nx = 1\n", "b.py": "y = 2\n"},
                      expect=(("b.py", 1, "PDL001"),))
    assert example.expected() == Counter({("a.py", 2, "PDL105"): 1, ("b.py", 1, "PDL001"): 1})


def test_examples_use_fake_data_only() -> None:
    """E-mail addresses in examples are on reserved domains; IPs in documentation ranges."""
    email = re.compile(r"[\w.+-]+@([\w-]+(?:\.[\w-]+)+)")
    ipv4 = re.compile(r"\b(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.\d{1,3}\b")
    reserved = ("example.com", "example.org", "example.net")
    documentation = ("192.0.2.", "198.51.100.", "203.0.113.", "127.0.0.", "0.0.0.")
    for rule in ALL_RULES:
        for example in (*rule.bad, *rule.good):
            for source in example.sources().values():
                for domain in email.findall(source):
                    assert domain.lower() in reserved, f"{rule.code}: real-looking {domain}"
                for match in ipv4.finditer(source):
                    assert match.group(0).startswith(documentation), (
                        f"{rule.code}: {match.group(0)} is not a documentation address")


def test_marker_regex_matches_the_fixture_syntax() -> None:
    assert EXPECT_MARKER.match("    # expect: PDL201, PDL207")
    assert not EXPECT_MARKER.match("x = 1  # expect: PDL201")


def test_codes_and_names_are_unique() -> None:
    assert len({r.code for r in ALL_RULES}) == len(ALL_RULES)
    assert len({r.name for r in ALL_RULES}) == len(ALL_RULES)
