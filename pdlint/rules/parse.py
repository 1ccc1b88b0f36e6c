"""PDL001: files that cannot be read or parsed."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from pdlint.facts import FileFacts, Span
from pdlint.project import Project
from pdlint.rules.base import Example, Report, Rule


class ParseError(Rule):
    code = "PDL001"
    name = "parse-error"
    severity = "error"
    summary = "A file could not be read or parsed; it was skipped and the scan went on."
    what = """
        Reports a Python file that pdlint could not analyse: a syntax error, bytes that do not
        decode in the file's declared encoding, NUL bytes, an unreadable file, or code nested
        too deeply for a parser. The rest of the project is still scanned.
    """
    why = """
        A file pdlint cannot read is a file whose personal data nobody checked. A green run
        must not hide it: fix the file, or exclude it explicitly (`extend-exclude`).
    """
    bad = (Example("def register(request:\n    return None\n", path="app/views.py"),)
    good = (Example("def register(request):\n    return None\n", path="app/views.py"),)

    def check(self, project: Project) -> Iterator[Report]:
        for facts in project.files:
            error = facts.parse_error
            if error is None:
                continue
            yield Report(
                facts.path,
                Span(error.line, error.column, error.line, error.column),
                f"cannot analyse this file: {error.message}",
                symbol=facts.module,
            )


def reduced_reads(files: Iterable[FileFacts]) -> list[tuple[str, str]]:
    """One ``(root-relative path, note)`` warning per file that pdlint could read only in a
    repaired form (``FileFacts.parse_note``, see :mod:`pdlint.extract.source`).

    Such a file is valid Python (CPython accepts it), so it is not a PDL001: that would fail
    CI over code that is fine. Nor is the note appended to the file's findings: that would
    change their fingerprints (and so break baselines) whenever the fallback comes or goes,
    and it would say nothing exactly when it matters most, when the lines left unread held
    the file's only leak. What a linter does for "analysed, but not all of it" is a tool
    notification (SARIF ``toolExecutionNotifications``, semgrep's partial-parsing warnings),
    which is what the scan's ``problems`` are: printed once per file on stderr as
    ``pdlint: warning: PATH: NOTE`` (exit code unchanged) and carried into SARIF. The note
    names lines, never their text, which may hold personal data.
    """
    return [(facts.path, facts.parse_note) for facts in files if facts.parse_note]
