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
    bad = (
        Example(
            """
            from django.shortcuts import render

            # expect: PDL001
            def register(request:
                return render(request, "accounts/register.html")
            """,
            path="app/views.py",
            note="The whole file is skipped, so its personal data goes unchecked.",
        ),
        Example(
            """
            from django.db import models


            class Customer(models.Model):  # gdpr: subject=customer
            # expect: PDL001
            <<<<<<< HEAD
                email = models.EmailField()  # gdpr: contact.email
            =======
                email = models.EmailField(unique=True)  # gdpr: contact.email
            >>>>>>> feature/unique-email
            """,
            note="A merge conflict left in the file.",
        ),
        Example(
            """
            import logging

            log = logging.getLogger(__name__)


            def export_customers(customers):
                for customer in customers:
                    # expect: PDL001
                    print "exporting customer %s" % customer.pk
            """,
            path="scripts/export_customers.py",
            note="A Python 2 script nobody ported.",
        ),
        Example(
            """
            # -*- coding: ascii -*-
            from django.db import models


            class Address(models.Model):  # gdpr: data=contact.address
                # expect: PDL001
                street = models.CharField(max_length=80, verbose_name="Straße")
            """,
            note="Text that the file's declared encoding cannot decode.",
        ),
        Example(
            """
            # -*- coding: utf8mb4 -*-
            from django.db import models


            class Review(models.Model):  # gdpr: data=content.public
                body = models.TextField()
            """,
            expect=(("app/models.py", 1, "PDL001"),),
            note="An unknown encoding (a MySQL charset name) makes the whole file unreadable; "
                 "the finding is on line 1, which no marker line can precede.",
        ),
    )
    good = (
        Example(
            """
            from django.shortcuts import render

            def register(request):
                return render(request, "accounts/register.html")
            """,
            path="app/views.py",
        ),
        Example(
            """
            from django.db import models


            class Customer(models.Model):  # gdpr: subject=customer
                email = models.EmailField(unique=True)  # gdpr: contact.email
            """,
            note="The conflict resolved.",
        ),
        Example(
            """
            from django.db import models


            class Address(models.Model):  # gdpr: data=contact.address
                street = models.CharField(max_length=80, verbose_name="Straße")
            """,
            note="UTF-8, Python's default source encoding, needs no declaration.",
        ),
        Example(
            """
            type UserId = int


            def route(event: dict[str, object]) -> UserId | None:
                match event:
                    case {"type": "signup", "user_id": int(user_id)}:
                        return user_id
                    case _:
                        return None
            """,
            path="app/events.py",
            note="Recent syntax (`match`, PEP 604 unions, PEP 695 `type` aliases) parses.",
        ),
        Example(
            """
            def greet(customer):  # gdpr: uses=identity.name purpose=account basis=contract
            \tif customer.first_name:
            \t\treturn f"Hello {customer.first_name}"
            \treturn "Hello"
            """,
            path="app/greetings.py",
            note="Tabs are fine when used consistently.",
        ),
    )

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
