"""PDL901: suppression comments that suppress nothing or are malformed.

Unlike other rules this one needs to know which suppressions the other rules' reports used,
which only the post-process phase knows. So :class:`UnusedSuppression` is the rule's metadata
(code, name, severity, documentation, examples: ``pdlint explain PDL901``), and its reports
are made by :func:`unused_suppression_reports`, which the post-processor
:func:`pdlint.postprocess.unused_suppressions` calls once every suppression was applied.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping

from pdlint.facts import Span, Suppression
from pdlint.project import Project
from pdlint.rules.base import Example, Report, Rule


class UnusedSuppression(Rule):
    code = "PDL901"
    name = "unused-suppression"
    severity = "info"
    summary = "A pdlint suppression comment suppresses nothing, or names no codes."
    what = """
        Reports a `# pdlint: ignore[...]` / `# noqa: PDL...` comment whose codes match no finding
        on the lines it covers, a bare `# pdlint: ignore` without codes (codes are required), a
        code that is not a pdlint rule, and a `# pdlint: file-ignore[...]` outside the module's
        leading comment block. Codes of rules that are not enabled are not reported.
    """
    why = """
        Suppressions outlive the problems they silenced; a stale one hides the next real finding
        on that line. Blanket suppressions hide every rule at once, including ones added later.
    """
    bad = (
        Example(
            """
            from django.db import models

            class Product(models.Model):
                # expect: PDL901
                # pdlint: ignore[PDL105]
                price = models.DecimalField(max_digits=8, decimal_places=2)
            """,
        ),
        Example(
            """
            from django.db import models

            class Customer(models.Model):
                # expect: PDL901
                email = models.EmailField()  # pdlint: ignore
            """,
            note="A bare ignore, without codes, is reported and suppresses nothing.",
        ),
        Example(
            """
            import logging

            logger = logging.getLogger(__name__)


            def signup(user):
                # expect: PDL901
                logger.info("signup of user %s", user.id)  # noqa: PDL201
            """,
            path="app/views.py",
            note="The log line was fixed (it logs an id now); the suppression stayed.",
        ),
        Example(
            """
            from django.db import models

            class Customer(models.Model):  # gdpr: subject=customer
                # expect: PDL901
                phone = models.CharField(max_length=20)  # pdlint: ignore[PDL150]
            """,
            note="A code that is no pdlint rule (a typo of PDL105).",
        ),
        Example(
            """
            from django.db import models

            # expect: PDL901
            # pdlint: file-ignore[PDL105]

            class Customer(models.Model):
                email = models.EmailField()
            """,
            note="A file-ignore after the first statement covers nothing.",
        ),
    )
    good = (
        Example(
            """
            from django.db import models

            class Product(models.Model):
                price = models.DecimalField(max_digits=8, decimal_places=2)
            """,
        ),
        Example(
            """
            from django.db import models

            class Customer(models.Model):
                email = models.EmailField()  # pdlint: ignore[PDL105]
            """,
        ),
        Example(
            """
            import logging

            from app.helpers import *  # noqa: F401, F403

            logger = logging.getLogger(__name__)


            def signup(user):
                # pdlint: ignore[PDL201]
                logger.info("signup %s", user.email)
                logger.info(
                    "welcome mail sent to %s",
                    user.email,
                )  # noqa: PDL201
            """,
            path="app/views.py",
            note="Other tools' codes are not pdlint's business; an own-line suppression covers "
                 "the statement below it, a trailing one the statement it ends.",
        ),
        Example(
            """
            import analytics


            def identify(user):
                analytics.identify(user.id, {"email": user.email})  # noqa: PDL203
            """,
            path="app/tracking.py",
            note="A code of the catalogue that this version does not implement yet is kept "
                 "for the day it does.",
        ),
        Example(
            """
            # pdlint: file-ignore[PDL105]
            from django.db import models


            class LegacyCustomer(models.Model):
                email = models.EmailField()
                phone = models.CharField(max_length=20)
            """,
            path="app/legacy/models.py",
            note="A file-ignore in the module's leading comment block.",
        ),
    )

    def check(self, project: Project) -> Iterator[Report]:
        """Not a project query: see :func:`unused_suppression_reports`."""
        raise TypeError("PDL901 is made in the post-process phase (pdlint.postprocess), "
                        "once the suppressions used by the other rules are known")


def unused_suppression_reports(
    project: Project,
    used: Mapping[tuple[str, int], Collection[str]],
    enabled: Collection[str],
    known: Collection[str],
) -> Iterator[Report]:
    """PDL901's reports. ``used`` maps (path, comment line) to the codes that suppressed a
    report; ``enabled`` is the implemented codes the config enables (an unused suppression
    of a disabled or not yet implemented rule is not reported); ``known`` every code of the
    catalogue (anything else is a typo)."""
    for facts in project.files:
        for sup in facts.suppressions:
            yield from _check_one(facts.path, facts.module, sup,
                                  used.get((facts.path, sup.comment_line), ()), enabled, known)


def _check_one(
    path: str,
    module: str,
    sup: Suppression,
    used: Collection[str],
    enabled: Collection[str],
    known: Collection[str],
) -> Iterator[Report]:
    span = Span(sup.comment_line, sup.column, sup.comment_line, sup.column)
    if not sup.codes:
        yield Report(path, span, "suppression without rule codes: name the codes, e.g. "
                     "# pdlint: ignore[PDL201]", symbol=module)
        return
    if sup.kind == "misplaced":
        yield Report(path, span, "file-ignore only works in the module's leading comment "
                     "block (before the first statement)", symbol=module)
        return
    unknown = [code for code in sup.codes if code not in known]
    if unknown:
        yield Report(path, span, f"unknown rule code(s) in suppression: {', '.join(unknown)}",
                     symbol=module)
    unused = [code for code in sup.codes
              if code in known and code in enabled and code not in used]
    if unused:
        yield Report(path, span, f"unused suppression for {', '.join(unused)}: nothing to "
                     "suppress here", symbol=module)
