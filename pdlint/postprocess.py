"""The post-process phase: what happens to the rules' raw reports before they are findings.

Rules only query the linked project and say what they found (:class:`~pdlint.rules.Report`,
root-relative paths, no severity decided). Everything the user configured or wrote to silence
or reshape reports is applied here, by small post-processors that each take the reports so
far and return the reports that go on, in this order (:data:`PIPELINE`):

1. :func:`tag_ignores`: ``# gdpr: ignore=PDL105 reason="…"`` on the reported symbol;
2. :func:`suppressions`: ``# pdlint: ignore[…]`` / ``# noqa: …`` / ``# pdlint: file-ignore[…]``,
   recording in :attr:`Context.used` which comment silenced which code;
3. :func:`unused_suppressions`: PDL901, the suppressions that step 2 did not use. It needs
   that record, which is why it is a post-processor and not a rule; its reports are not
   subject to steps 1–2 (a suppression cannot hide its own staleness);
4. :func:`per_file_ignores`: ``[tool.pdlint.per-file-ignores]``, for every report, PDL901's
   included. It runs after step 2 so that a suppression of a per-file-ignored code still
   counts as used, and after step 3 so that PDL901 obeys it like any rule;
5. :func:`severities`: each report's severity made final (config over the rule's default).

Then :func:`findings` turns the reports into :class:`~pdlint.findings.Finding` values, making
each path a display path (relative to the current directory) once, through
:class:`DisplayPaths`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from pdlint.config import Config
from pdlint.discover import SourceFile
from pdlint.facts import FileFacts, Suppression
from pdlint.findings import Finding
from pdlint.project import Project
from pdlint.rules import KNOWN, Report, Rule
from pdlint.rules.suppressions import UnusedSuppression, unused_suppression_reports

#: A rule's report with the rule that made it (its code, name and default severity).
Raw = tuple[Rule, Report]

#: Rules whose reports come from a post-processor, not from ``Rule.check``: the check phase
#: skips them, the post-process phase makes their reports.
POSTPROCESSOR_RULES: frozenset[str] = frozenset({UnusedSuppression.code})


@dataclass
class Context:
    """What the post-processors share: the project, the configuration, and what they learn.

    ``enabled`` is the codes the configuration enables that this version implements (PDL901
    reports only those as unused: a code of a later release stays quiet). ``used`` maps a
    suppression comment, as (root-relative path, comment line), to the codes it silenced;
    ``suppressed`` counts the reports that a tag ignore or a suppression removed.
    """

    project: Project
    config: Config
    enabled: frozenset[str]
    used: dict[tuple[str, int], set[str]] = field(default_factory=dict)
    suppressed: int = 0


PostProcessor = Callable[[list[Raw], Context], list[Raw]]


def tag_ignores(raw: list[Raw], context: Context) -> list[Raw]:
    """Drop the reports whose symbol carries ``# gdpr: ignore=CODE reason=…`` for their code.

    A tag ignore is a reviewed decision on one symbol, not a comment on a line, so it is not
    recorded in :attr:`Context.used` (PDL901 judges comments only)."""
    ignores = _tag_ignores(context.project)
    if not ignores:
        return raw
    kept: list[Raw] = []
    for rule, report in raw:
        if report.symbol and rule.code in ignores.get(report.symbol, ()):
            context.suppressed += 1
        else:
            kept.append((rule, report))
    return kept


def suppressions(raw: list[Raw], context: Context) -> list[Raw]:
    """Drop the reports that a suppression comment covers, recording the comment as used."""
    by_path = {facts.path: facts for facts in context.project.files}
    kept: list[Raw] = []
    for rule, report in raw:
        sup = _suppressed_by(report, rule.code, by_path.get(report.path))
        if sup is None:
            kept.append((rule, report))
            continue
        context.suppressed += 1
        context.used.setdefault((report.path, sup.comment_line), set()).add(rule.code)
    return kept


def unused_suppressions(raw: list[Raw], context: Context) -> list[Raw]:
    """Add PDL901's reports (when it is enabled): the suppression comments that silenced
    nothing, name no code, name unknown codes or sit where they cannot work."""
    if UnusedSuppression.code not in context.enabled:
        return raw
    rule = UnusedSuppression()
    reports = unused_suppression_reports(context.project, context.used, context.enabled, KNOWN)
    return [*raw, *((rule, report) for report in reports)]


def per_file_ignores(raw: list[Raw], context: Context) -> list[Raw]:
    """Drop the reports of codes that ``per-file-ignores`` switches off for their file."""
    config = context.config
    if not config.per_file_ignores:
        return raw
    allowed: dict[str, frozenset[str]] = {}  # path → codes: the globs are matched once a file
    kept: list[Raw] = []
    for rule, report in raw:
        codes = allowed.get(report.path)
        if codes is None:
            codes = allowed[report.path] = config.rules_for_path(report.path, context.enabled,
                                                                 KNOWN)
        if rule.code in codes:
            kept.append((rule, report))
    return kept


def severities(raw: list[Raw], context: Context) -> list[Raw]:
    """Make every report's severity final. A rule may raise one report's default (PDL301:
    untested rights handlers are errors); an explicit severity in the config still wins."""
    config = context.config
    return [(rule, replace(report, severity=config.severity_for(
                rule.code, report.severity or rule.severity)))
            for rule, report in raw]


#: The post-processors, in the order the module docstring explains.
PIPELINE: tuple[PostProcessor, ...] = (
    tag_ignores, suppressions, unused_suppressions, per_file_ignores, severities,
)


def postprocess(raw: Iterable[Raw], context: Context,
                steps: Sequence[PostProcessor] = PIPELINE) -> list[Raw]:
    """``raw`` through every post-processor of ``steps``, in order."""
    reports = list(raw)
    for step in steps:
        reports = step(reports, context)
    return reports


def findings(raw: Iterable[Raw], display: DisplayPaths) -> list[Finding]:
    """The reports (post-processed: their severity is final) as findings with display
    paths; ``root_path`` keeps the root-relative path, which fingerprints are made of."""
    return [_finding(rule, report, display) for rule, report in raw]


def _finding(rule: Rule, report: Report, display: DisplayPaths) -> Finding:
    span = report.span
    return Finding(
        rule=rule.code,
        name=rule.name,
        severity=report.severity or rule.severity,
        path=display.get(report.path, report.path),
        line=span.line,
        column=span.column,
        end_line=span.end_line,
        end_column=span.end_column,
        message=report.message,
        symbol=report.symbol,
        categories=tuple(report.categories),
        root_path=report.path,
        trace=tuple((display.get(path, path), line, symbol)
                    for path, line, symbol in report.trace),
    )


class DisplayPaths:
    """Root-relative paths → paths relative to the current directory (``/`` separators),
    computed only for the files a finding names (a scan of thousands of files reports few),
    and once each."""

    def __init__(self, project: Project, config: Config, cwd: Path,
                 sources: Sequence[SourceFile]) -> None:
        self._absolute = {source.rel: source.path for source in sources}
        self._known = {facts.path for facts in project.files}
        self._root = config.root
        self._cwd = cwd
        self._memo: dict[str, str] = {}

    def get(self, rel: str, default: str) -> str:
        """``rel`` as shown to the user; ``default`` for a path that is no scanned file."""
        if rel not in self._known:
            return default
        found = self._memo.get(rel)
        if found is None:
            path = self._absolute.get(rel, self._root / rel)
            try:
                shown = os.path.relpath(path, self._cwd)
            except ValueError:  # different drive on Windows
                shown = str(path)
            found = self._memo[rel] = Path(shown).as_posix()
        return found


def _tag_ignores(project: Project) -> dict[str, set[str]]:
    """``# gdpr: ignore=PDL105 reason="…"`` records: owner symbol → codes (a tag without a
    reason ignores nothing: the reason is the point of the record)."""
    ignores: dict[str, set[str]] = {}
    for facts in project.files:
        for tag in facts.tags:
            codes = {code.upper() for code in tag.get("ignore")}
            if tag.owner and codes and tag.get("reason"):
                ignores.setdefault(tag.owner, set()).update(codes)
    return ignores


def _suppressed_by(report: Report, code: str, facts: FileFacts | None) -> Suppression | None:
    """The suppression comment that silences ``report``, else None. A line suppression wins
    over a file one, so that the line's comment is the one recorded as used."""
    if facts is None:
        return None
    line = report.span.line
    best: Suppression | None = None
    for sup in facts.suppressions:
        if code not in sup.codes:
            continue
        if sup.kind == "file" or (sup.kind == "line" and sup.first_line <= line <= sup.last_line):
            if best is None or (best.kind == "file" and sup.kind == "line"):
                best = sup
    return best
