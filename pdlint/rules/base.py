"""The rule contract: small declarative units with their metadata and examples.

A rule has a stable code (``PDL105``), a kebab-case name, a default severity, a one-line
summary, a rationale in ruff's layout (what it does / why it matters), and examples of code
that must (``bad``) and must not (``good``) trigger it. The examples are run as tests and
printed by ``pdlint explain``. A rule reads the linked project (facts and graph) and yields
:class:`Report` values; it never parses source code.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from pdlint.facts import Span

if TYPE_CHECKING:
    from pdlint.project import Project


@dataclass(frozen=True)
class Example:
    """Example code for a rule: one file, or several files for project-level rules."""

    code: str = ""
    path: str = "app/models.py"
    files: Mapping[str, str] = field(default_factory=dict)
    note: str = ""

    def sources(self) -> dict[str, str]:
        if self.files:
            return {path: textwrap.dedent(text).lstrip("\n") for path, text in self.files.items()}
        return {self.path: textwrap.dedent(self.code).lstrip("\n")}


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
        lines += ["```python", text.rstrip("\n"), "```"]
    return lines
