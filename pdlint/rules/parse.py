"""PDL001: files that cannot be read or parsed."""

from __future__ import annotations

from collections.abc import Iterator

from pdlint.facts import Span
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
