"""The rule contract: small declarative units with their metadata and examples.

A rule has a stable code (``PDL105``), a kebab-case name, a default severity, a one-line
summary, a rationale in ruff's layout (what it does / why it matters), and examples of code
that must (``bad``) and must not (``good``) trigger it. The examples are run as tests and
printed by ``pdlint explain``. A rule reads the linked project (facts and graph) and yields
:class:`Report` values; it never parses source code.

Expected findings are written into the examples the way the fixture projects write them
(fixtures/README.md): a comment line ``# expect: PDL201`` (or ``# expect: PDL201, PDL207``)
standing alone IMMEDIATELY ABOVE the line where the finding is reported, in any file of the
example. A finding that no comment line can mark goes in :attr:`Example.expect` as
``(path, line, code)``, like a fixture's ``EXPECTED_EXTRA.txt``: one on line 1 whatever comes
first (a file whose declared encoding is unknown), or one on a line inside a docstring
``GDPR:`` section, where a comment line would be read as part of the section. (A
``:gdpr:`` field's line can carry a marker line above it, inside the docstring.)
Line numbers count the marker lines: they are part of the scanned source. ``pdlint explain``
and ``docs/rules/`` show the examples without the marker lines.

tests/test_rule_examples.py scans every example and compares, for the example's own rule
and for every other code its markers (or ``expect``) name, the multiset of ``(path, line,
code)`` of the findings with the expectations: no missing, no extra finding. Rules the
example marks nothing for are not compared (an example about PDL101 need not list its
PDL105 findings). A ``good`` example expects nothing of its rule: no marker, no finding.
"""

from __future__ import annotations

import textwrap
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from pdlint.expectations import EXPECT_MARKER, Expected, markers_in
from pdlint.facts import Span

if TYPE_CHECKING:
    from pdlint.project import Project


ExpectedFinding = Expected  # (path, line, code)


@dataclass(frozen=True)
class Example:
    """Example code for a rule: one file, or several files for project-level rules.

    ``expect`` lists ``(path, line, code)`` findings that no ``# expect:`` line can mark
    (see the module docstring); ``path`` is a key of :meth:`sources`.
    """

    code: str = ""
    path: str = "app/models.py"
    files: Mapping[str, str] = field(default_factory=dict)
    note: str = ""
    expect: tuple[ExpectedFinding, ...] = ()

    def sources(self) -> dict[str, str]:
        if self.files:
            return {path: textwrap.dedent(text).lstrip("\n") for path, text in self.files.items()}
        return {self.path: textwrap.dedent(self.code).lstrip("\n")}

    def expected(self) -> Counter[ExpectedFinding]:
        """Every expected finding of every rule: the markers, then :attr:`expect`."""
        found = markers_in(self.sources().items())
        found.update(self.expect)
        return found


def strip_markers(text: str) -> str:
    """``text`` without its ``# expect:`` lines: what users are shown."""
    return "".join(line for line in text.splitlines(keepends=True)
                   if not EXPECT_MARKER.match(line))


@dataclass(frozen=True)
class Report:
    """What a rule found, before the engine applies severity, suppressions and paths."""

    path: str  # root-relative posix path
    span: Span
    message: str
    symbol: str | None = None
    categories: tuple[str, ...] = ()
    # the functions the data went through, origin first: (root-relative path, line, symbol)
    trace: tuple[tuple[str, int, str], ...] = ()
    severity: str | None = None  # overrides the rule's default for this report (PDL301 rights)


class Rule:
    """Base class of every rule; subclasses set the class attributes and ``check``."""

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[str]
    summary: ClassVar[str]
    what: ClassVar[str]
    why: ClassVar[str]
    bad: ClassVar[tuple[Example, ...]] = ()
    good: ClassVar[tuple[Example, ...]] = ()

    def check(self, project: Project) -> Iterator[Report]:
        raise NotImplementedError

    @classmethod
    def explain(cls) -> str:
        """The rule's documentation as Markdown (``pdlint explain`` and docs/rules/)."""
        parts = [
            f"# {cls.code} {cls.name}",
            "",
            f"Default severity: **{cls.severity}**. {cls.summary}",
            "",
            "## What it does",
            "",
            textwrap.dedent(cls.what).strip(),
            "",
            "## Why is this bad?",
            "",
            textwrap.dedent(cls.why).strip(),
        ]
        if cls.bad:
            parts += ["", "## Example", ""]
            parts += _render_example(cls.bad[0])
        if cls.good:
            parts += ["", "Use instead:", ""]
            parts += _render_example(cls.good[0])
        parts += [
            "",
            "## Suppression",
            "",
            f"`# pdlint: ignore[{cls.code}]` (or `# noqa: {cls.code}`) at the end of the reported "
            f"line, or `{cls.code}` in `per-file-ignores` / `ignore` in `[tool.pdlint]`.",
        ]
        return "\n".join(parts) + "\n"


def _render_example(example: Example) -> list[str]:
    lines: list[str] = []
    if example.note:
        lines += [example.note, ""]
    sources = example.sources()
    for path, text in sources.items():
        if len(sources) > 1:
            lines.append(f"`{path}`:")
        lines += ["```python", strip_markers(text).rstrip("\n"), "```"]
    return lines
