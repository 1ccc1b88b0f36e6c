"""Extraction: tag attachment points, positions, suppressions, definitions."""

from __future__ import annotations

import textwrap

import pytest

from pdlint.extract import FileInput, extract_file, is_generated
from pdlint.facts import FileFacts


def extract(code: str, rel: str = "app/views.py", module: str = "app.views") -> FileFacts:
    return extract_file(FileInput(rel, module), textwrap.dedent(code).lstrip("\n").encode())


def owners(facts: FileFacts) -> dict[str, str | None]:
    return {tag.body: tag.owner for tag in facts.tags}


def test_comment_above_def_and_decorators_attaches_to_function() -> None:
    facts = extract(
        """
        import flask

        # gdpr: collects=contact.email
        @app.route("/signup")  # gdpr: uses=online.ip
        # gdpr: purpose=account
        def signup(request):  # gdpr: basis=contract
            # gdpr: retention=2y
            x = request.form
            return x
        """
    )
    assert owners(facts) == {
        "collects=contact.email": "app.views.signup",
        "uses=online.ip": "app.views.signup",
        "purpose=account": "app.views.signup",
        "basis=contract": "app.views.signup",
        "retention=2y": "app.views.signup",
    }
    assert {t.owner_kind for t in facts.tags} == {"function"}


def test_tag_lines_and_columns_are_exact() -> None:
    facts = extract(
        """
        def f():  # gdpr: none
            pass
        """
    )
    (tag,) = facts.tags
    assert (tag.span.line, tag.span.column) == (1, 11)


def test_detached_comment_above_def_is_an_orphan() -> None:
    facts = extract(
        """
        import os

        # gdpr: collects=contact.email

        def signup(request):
            return None
        """
    )
    assert owners(facts) == {"collects=contact.email": None}


def test_footer_comment_and_comments_in_brackets_are_orphans() -> None:
    facts = extract(
        """
        def signup(request):
            return None
            # gdpr: after-last-statement

        value = call(
            1,  # gdpr: inside-brackets
        )
        if value:  # gdpr: on-an-if
            pass
        """
    )
    assert owners(facts) == {
        "after-last-statement": None,
        "inside-brackets": None,
        "on-an-if": None,
    }


def test_trailing_and_leading_field_tags_attach_to_fields() -> None:
    facts = extract(
        """
        from django.db import models

        class Customer(models.Model):  # gdpr: subject=customer
            email = models.EmailField()  # gdpr: contact.email
            # gdpr: contact.phone
            phone = models.CharField(max_length=20)
            notes: str = ""  # gdpr: content.private
        """,
        rel="shop/models.py",
        module="shop.models",
    )
    assert owners(facts) == {
        "subject=customer": "shop.models.Customer",
        "contact.email": "shop.models.Customer.email",
        "contact.phone": "shop.models.Customer.phone",
        "content.private": "shop.models.Customer.notes",
    }
    kinds = {t.body: t.owner_kind for t in facts.tags}
    assert kinds["contact.email"] == "field"
    assert kinds["subject=customer"] == "class"


def test_module_header_block_and_first_statement_run() -> None:
    facts = extract(
        """
        # gdpr: subject=employee

        # gdpr: uses=identity.name
        def payroll():
            pass
        """
    )
    assert owners(facts) == {
        "subject=employee": "app.views",
        "uses=identity.name": "app.views.payroll",
    }


def test_header_comment_touching_an_import_is_module_level() -> None:
    facts = extract(
        """
        # gdpr: subject=employee
        import os
        """
    )
    assert owners(facts) == {"subject=employee": "app.views"}


def test_docstring_forms() -> None:
    facts = extract(
        '''
        """HR helpers.

        GDPR: subject=employee
        """


        def export_patient(request, patient_id):
            """Hand a patient their data.

            GDPR: uses=identity.name,contact.email right=access,portability
            """


        class Profile:
            """A profile.

            :gdpr: stores=contact.email basis=contract
            """


        def register(request):
            """Create an account.

            GDPR:
                collects: contact.email, identity.name
                purpose: account
            """
        '''
    )
    tags = {t.owner: t for t in facts.tags}
    assert tags["app.views"].span.line == 3
    assert tags["app.views.export_patient"].get("right") == ("access", "portability")
    assert tags["app.views.export_patient"].span.line == 10
    assert tags["app.views.Profile"].get("stores") == ("contact.email",)
    assert tags["app.views.register"].get("collects") == ("contact.email", "identity.name")
    assert all(t.form == "docstring" for t in facts.tags)


def test_docstring_prose_is_not_a_tag() -> None:
    facts = extract(
        '''
        def purge():
            """GDPR: This function deletes inactive users after two years."""
        '''
    )
    assert facts.tags == ()


def test_malformed_tag_problem_column_points_at_the_item() -> None:
    facts = extract(
        """
        def f():  # gdpr: purpse=account
            pass
        """
    )
    (tag,) = facts.tags
    assert tag.problems
    assert tag.problems[0].column == len("def f():  # gdpr: ") + 1


def test_suppressions_trailing_own_line_and_file() -> None:
    facts = extract(
        """
        # pdlint: file-ignore[PDL103]
        import logging

        log = logging.getLogger(__name__)
        log.info(  # noqa: PDL201
            "x")
        # pdlint: ignore[PDL105, PDL107]
        value = 1
        # pdlint: ignore[PDL101]
        @decorator
        def handler(
            request,
        ):
            pass
        other = 2  # pdlint: ignore
        """
    )
    sups = {s.comment_line: s for s in facts.suppressions}
    assert sups[1].kind == "file" and sups[1].codes == ("PDL103",)
    assert (sups[5].first_line, sups[5].last_line, sups[5].syntax) == (5, 5, "noqa")
    assert (sups[7].first_line, sups[7].last_line, sups[7].codes) == (8, 8, ("PDL105", "PDL107"))
    # an own-line suppression above a decorated def covers the decorators through the header
    assert (sups[9].first_line, sups[9].last_line) == (10, 13)
    assert sups[15].codes == ()


def test_trailing_suppression_on_last_line_of_multiline_statement_covers_it() -> None:
    facts = extract(
        """
        import logging
        logging.info(
            "x %s", y)  # pdlint: ignore[PDL201]
        """
    )
    (sup,) = facts.suppressions
    assert (sup.first_line, sup.last_line) == (2, 3)


def test_noqa_for_other_tools_is_ignored() -> None:
    facts = extract("import os  # noqa: F401\n")
    assert facts.suppressions == ()


def test_misplaced_file_ignore() -> None:
    facts = extract("import os\n# pdlint: file-ignore[PDL105]\nx = 1\n")
    assert facts.suppressions[0].kind == "misplaced"


def test_classes_bases_and_attrs_resolve_through_imports() -> None:
    facts = extract(
        """
        from django.db import models as m
        from pydantic import BaseModel, EmailStr
        import sqlalchemy as sa
        from .base import TimeStamped

        class Customer(TimeStamped):
            email = m.EmailField()
            created = sa.Column(sa.DateTime)

        class SignupIn(BaseModel):
            email: EmailStr | None = None
        """,
        rel="shop/models.py",
        module="shop.models",
    )
    customer, signup = facts.classes
    assert customer.bases == ("shop.base.TimeStamped",)
    assert customer.attrs[0].call == "django.db.models.EmailField"
    assert customer.attrs[1].call_arg == "sqlalchemy.DateTime"
    assert signup.bases == ("pydantic.BaseModel",)
    assert signup.attrs[0].annotation == "pydantic.EmailStr | None"
    assert customer.span.line == 6


def test_relative_imports_in_a_package_init() -> None:
    facts = extract("from .models import Customer\nfrom ..core import db\n",
                    rel="shop/accounts/__init__.py", module="shop.accounts")
    assert dict(facts.imports) == {"Customer": "shop.accounts.models.Customer", "db": "shop.core.db"}


def test_functions_and_methods() -> None:
    facts = extract(
        """
        import celery

        class View:
            async def get(self, request):
                pass

        @celery.shared_task
        def job():
            def inner():
                pass
        """
    )
    symbols = {f.symbol: f for f in facts.functions}
    assert symbols["app.views.View.get"].is_async
    assert symbols["app.views.View.get"].class_symbol == "app.views.View"
    assert symbols["app.views.job"].decorators == ("celery.shared_task",)
    assert symbols["app.views.job"].span.line == 8
    assert "app.views.job.inner" in symbols


@pytest.mark.parametrize(
    ("rel", "text", "expected"),
    [
        ("shop/migrations/0001_initial.py", "from django.db import migrations\n", True),
        ("shop/migrations/__init__.py", "", False),
        ("shop/models.py", "# Generated by Django 4.2 on 2024-01-01\n", True),
        ("shop/models.py", "from django.db import models\n", False),
    ],
)
def test_generated_files(rel: str, text: str, expected: bool) -> None:
    assert is_generated(rel, text) is expected


def test_positions_with_non_ascii_text() -> None:
    facts = extract(
        """
        NAME = "Zoë"; other = "ü"
        class Customer:  # gdpr: none
            pass
        """
    )
    assert facts.classes[0].span.line == 2
    assert facts.tags[0].span.column == 18


def test_newer_syntax_falls_back_to_libcst_positions() -> None:
    # `type X = ...` (PEP 695) is not valid on older interpreters' ast; libcst parses it and
    # positions then come from libcst's own provider. On 3.12+ ast accepts it: same answer.
    facts = extract(
        """
        type Point = tuple[float, float]

        class Customer:  # gdpr: none
            pass
        """
    )
    if facts.parse_error is None:
        assert facts.classes[0].span.line == 3
        assert facts.tags[0].owner == "app.views.Customer"


def test_comment_above_first_assignment_in_a_block_of_a_function_attaches_to_it() -> None:
    facts = extract(
        """
        def f(items):
            for item in items:
                # gdpr: contact.email
                email = item
            return None
        """
    )
    assert owners(facts) == {"contact.email": "app.views.f.email"}


def test_comment_between_two_decorators_attaches_to_the_function() -> None:
    facts = extract(
        """
        @first
        # gdpr: uses=contact.email
        @second(
            1,
        )
        def f():
            pass
        """
    )
    assert owners(facts) == {"uses=contact.email": "app.views.f"}


def test_comments_after_the_module_docstring_are_module_level() -> None:
    facts = extract(
        '''
        """Payroll."""

        # gdpr: subject=employee

        import os

        # gdpr: orphan
        '''
    )
    assert owners(facts) == {"subject=employee": "app.views", "orphan": None}


def test_a_comment_quoting_a_directive_is_not_one() -> None:
    facts = extract(
        """
        codes = ()  # empty for a bare ``# pdlint: ignore``, see `# noqa: PDL105` docs
        other = 1  # noqa: E501  # pdlint: ignore[PDL105]
        """
    )
    assert [(s.comment_line, s.codes) for s in facts.suppressions] == [(2, ("PDL105",))]
