"""Models and schemas of every supported framework: recognition and PDL105."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from pdlint.cli import main
from pdlint.testing import scan_sources


def untagged(code: str, path: str = "app/models.py", **extra: str) -> set[str]:
    sources = {path: textwrap.dedent(code).lstrip("\n")}
    sources.update({k: textwrap.dedent(v).lstrip("\n") for k, v in extra.items()})
    result = scan_sources(sources)
    return {f.symbol.rsplit(".", 2)[-2] + "." + f.symbol.rsplit(".", 1)[-1]
            for f in result.findings if f.rule == "PDL105" and f.symbol}


FRAMEWORKS = {
    "django": """
        from django.db import models

        class Customer(models.Model):
            email = models.EmailField()
            phone_number = models.CharField(max_length=20)
            loyalty_points = models.IntegerField(default=0)
            created = models.DateTimeField(auto_now_add=True)
    """,
    "sqlalchemy-column": """
        from sqlalchemy import Column, Integer, String
        from sqlalchemy.orm import declarative_base

        Base = declarative_base()

        class Customer(Base):
            __tablename__ = "customers"
            id = Column(Integer, primary_key=True)
            email = Column(String(200))
            phone_number = Column(String(20))
    """,
    "sqlalchemy-mapped": """
        from sqlalchemy import String
        from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

        class Base(DeclarativeBase):
            pass

        class Customer(Base):
            __tablename__ = "customers"
            id: Mapped[int] = mapped_column(primary_key=True)
            email: Mapped[str] = mapped_column(String(200))
            phone_number: Mapped[str | None]
    """,
    "pydantic": """
        from pydantic import BaseModel, EmailStr

        class Customer(BaseModel):
            email: EmailStr
            phone_number: str
            plan: str
    """,
    "dataclass": """
        from dataclasses import dataclass

        @dataclass
        class Customer:
            email: str
            phone_number: str
            is_active: bool = True
    """,
    "attrs": """
        import attr

        @attr.s
        class Customer:
            email = attr.ib()
            phone_number = attr.ib()
    """,
    "typeddict": """
        from typing import TypedDict

        class Customer(TypedDict):
            email: str
            phone_number: str
    """,
    "marshmallow": """
        from marshmallow import Schema, fields

        class CustomerSchema(Schema):
            email = fields.Email()
            phone_number = fields.Str()
    """,
    "drf": """
        from rest_framework import serializers

        class CustomerSerializer(serializers.Serializer):
            email = serializers.EmailField()
            phone_number = serializers.CharField()
    """,
}


@pytest.mark.parametrize("framework", sorted(FRAMEWORKS))
def test_each_framework_reports_untagged_pii_fields(framework: str) -> None:
    found = untagged(FRAMEWORKS[framework])
    assert {name.rsplit(".", 1)[-1] for name in found} == {"email", "phone_number"}, found


@pytest.mark.parametrize("framework", sorted(FRAMEWORKS))
def test_class_tag_declaring_the_category_covers_fields(framework: str) -> None:
    code = textwrap.dedent(FRAMEWORKS[framework])
    tagged = code.replace("class Customer", "# gdpr: data=contact\nclass Customer").replace(
        "class CustomerSchema", "# gdpr: data=contact\nclass CustomerSchema").replace(
        "class CustomerSerializer", "# gdpr: data=contact\nclass CustomerSerializer")
    assert untagged(tagged) == set()


def test_class_tag_with_another_category_does_not_cover() -> None:
    found = untagged(
        """
        from django.db import models

        class Customer(models.Model):  # gdpr: data=contact.email
            email = models.EmailField()
            phone_number = models.CharField(max_length=20)
        """
    )
    assert found == {"Customer.phone_number"}


def test_field_tags_and_none() -> None:
    found = untagged(
        """
        from django.db import models

        class Customer(models.Model):
            email = models.EmailField()  # gdpr: contact.email
            phone_number = models.CharField(max_length=20)  # gdpr: none

        class Lead(models.Model):  # gdpr: none
            email = models.EmailField()
        """
    )
    assert found == set()


def test_typed_field_classifies_regardless_of_name() -> None:
    found = untagged(
        """
        from django.db import models

        class Customer(models.Model):
            contact = models.EmailField()
            origin = models.GenericIPAddressField()
        """
    )
    assert found == {"Customer.contact", "Customer.origin"}


def test_traps_are_not_fields_with_personal_data() -> None:
    found = untagged(
        """
        from django.db import models
        from django.conf import settings

        class Customer(models.Model):
            user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
            user_id_external = models.CharField(max_length=40)
            is_email_verified = models.BooleanField(default=False)
            email_verified_at = models.DateTimeField(null=True)
            password = models.CharField(max_length=128)
            email_hash = models.CharField(max_length=64)
            email_template = models.TextField()
            support_email = models.EmailField()
            max_age = models.IntegerField()

        class Product(models.Model):
            name = models.CharField(max_length=100)
            address = models.CharField(max_length=100)
        """
    )
    assert found == set()


def test_person_context_makes_ambiguous_names_personal() -> None:
    found = untagged(
        """
        from django.db import models

        class Customer(models.Model):
            name = models.CharField(max_length=100)
            address = models.CharField(max_length=200)
        """
    )
    assert found == {"Customer.name", "Customer.address"}


def test_abstract_base_in_another_module() -> None:
    found = untagged(
        """
        from django.db import models

        from app.base import TimeStamped

        class Customer(TimeStamped):
            email = models.CharField(max_length=200)
            nickname = models.CharField(max_length=50)
        """,
        **{"app/base.py": """
            from django.db import models

            class TimeStamped(models.Model):
                created = models.DateTimeField(auto_now_add=True)

                class Meta:
                    abstract = True
        """},
    )
    assert found == {"Customer.email", "Customer.nickname"}


def test_pydantic_base_in_another_module_and_settings_excluded() -> None:
    found = untagged(
        """
        from pydantic_settings import BaseSettings
        from app.base import Schema

        class SignupIn(Schema):
            email: str

        class Settings(BaseSettings):
            smtp_password: str
            admin_email: str
            email: str
        """,
        path="app/schemas.py",
        **{"app/base.py": "from pydantic import BaseModel\n\nclass Schema(BaseModel):\n    pass\n"},
    )
    assert found == {"SignupIn.email"}


def test_django_migrations_do_not_repeat_model_findings() -> None:
    migration = """
        from django.db import migrations, models

        class Migration(migrations.Migration):
            operations = [
                migrations.CreateModel(
                    name="Customer",
                    fields=[("email", models.EmailField(max_length=254))],
                ),
            ]

        class Customer(models.Model):  # a generated mirror
            email = models.EmailField()
    """
    assert untagged(migration, path="app/migrations/0001_initial.py") == set()


def test_test_files_are_not_inventory() -> None:
    assert untagged(FRAMEWORKS["django"], path="tests/test_models.py") == set()


def test_suppression_on_a_field() -> None:
    found = untagged(
        """
        from django.db import models

        class Customer(models.Model):
            email = models.EmailField()  # pdlint: ignore[PDL105]
            # noqa: PDL105
            phone_number = models.CharField(max_length=20)
        """
    )
    assert found == set()


def test_file_ignore() -> None:
    code = "# pdlint: file-ignore[PDL105]\n" + textwrap.dedent(FRAMEWORKS["django"]).lstrip("\n")
    assert untagged(code) == set()


# ---------------------------------------------------------------------------------------
# Typed fields and person roles over name vetoes (the `joined_from_ip` issue)
# ---------------------------------------------------------------------------------------

ROLE_MODELS = """
    from django.conf import settings
    from django.db import models

    class Membership(models.Model):
        joined_from_ip = models.GenericIPAddressField()
        sent_by_email = models.EmailField()
        changed_by_username = models.CharField(max_length=150)

    class Post(models.Model):
        title = models.CharField(max_length=200)
        sender_name = models.CharField(max_length=100)
        poster_name = models.CharField(max_length=100)
        author_email = models.CharField(max_length=254)
        requested_by_email = models.CharField(max_length=254)
        created_by_email = models.CharField(max_length=254)

    class AuditEntry(models.Model):
        changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
        sender_id = models.IntegerField()
        created_by_id = models.IntegerField()
        email_sender = models.CharField(max_length=100)
        sender_domain = models.CharField(max_length=100)
        sorted_by_name = models.BooleanField(default=False)
        is_email_verified = models.BooleanField(default=False)
        email_template = models.CharField(max_length=100)

    class MailSettings(models.Model):
        from_email = models.EmailField()
        support_email = models.EmailField()
        noreply_email = models.EmailField()
        server_ip = models.GenericIPAddressField()

    class Film(models.Model):
        title = models.CharField(max_length=200)
        poster_image = models.ImageField()
        poster_url = models.URLField()
"""
ROLE_FINDINGS = {
    "Membership.joined_from_ip", "Membership.sent_by_email", "Membership.changed_by_username",
    "Post.sender_name", "Post.poster_name", "Post.author_email", "Post.requested_by_email",
    "Post.created_by_email",
}


def test_typed_fields_and_person_roles_beat_name_vetoes() -> None:
    assert untagged(ROLE_MODELS) == ROLE_FINDINGS


def test_typed_fields_on_pydantic_and_sqlalchemy() -> None:
    found = untagged(
        """
        from pydantic import BaseModel, EmailStr, IPvAnyAddress
        from sqlalchemy import Column, Integer
        from sqlalchemy.orm import declarative_base
        from sqlalchemy_utils import EmailType, IPAddressType

        Base = declarative_base()

        class InviteIn(BaseModel):
            sent_by_email: EmailStr
            joined_from_ip: IPvAnyAddress
            from_email: EmailStr

        class Invite(Base):
            __tablename__ = "invites"
            id = Column(Integer, primary_key=True)
            sent_by_email = Column(EmailType)
            joined_from_ip = Column(IPAddressType)
            support_email = Column(EmailType)
        """,
        path="app/schemas.py",
    )
    assert found == {"InviteIn.sent_by_email", "InviteIn.joined_from_ip",
                     "Invite.sent_by_email", "Invite.joined_from_ip"}


def test_extend_pii_names_beat_builtin_vetoes() -> None:
    code = """
        from django.db import models

        class Ticket(models.Model):
            support_email = models.EmailField()
            changed_username = models.CharField(max_length=150)
            username_regex = models.CharField(max_length=100)
            noreply_email = models.EmailField()
    """
    pyproject = (
        '[tool.pdlint.extend-pii-names]\n'
        'support_email = "contact.email"\n'
        'username = "identity.username"\n'
    )
    result = scan_sources({"app/models.py": textwrap.dedent(code).lstrip("\n")}, pyproject)
    found = {f.symbol.rsplit(".", 2)[-2] + "." + f.symbol.rsplit(".", 1)[-1]
             for f in result.findings if f.rule == "PDL105" and f.symbol}
    assert found == {"Ticket.support_email", "Ticket.changed_username"}
    assert untagged(code) == set()  # the built-in vetoes without the project's words


def test_cli_reports_typed_fields_despite_name_vetoes(tmp_path: Path) -> None:
    app = tmp_path / "app"
    app.mkdir()
    (app / "__init__.py").write_text("")
    (app / "models.py").write_text(textwrap.dedent(ROLE_MODELS).lstrip("\n"))
    result = CliRunner().invoke(
        main, ["scan", "--isolated", "--no-cache", "--format", "json", str(tmp_path)]
    )
    assert result.exit_code == 1, result.output
    findings = json.loads(result.stdout)["findings"]
    symbols = {f["symbol"].split(".", 2)[-1] for f in findings if f["rule"] == "PDL105"}
    assert symbols == ROLE_FINDINGS


@pytest.mark.parametrize("someone_elses", ["created_by_email", "author_email", "sender_name",
                                           "changed_by_username", "uploader_email"])
def test_another_persons_field_gives_its_siblings_no_person_context(someone_elses: str) -> None:
    """A document with an author is not a person: its `name` is the document's name."""
    found = untagged(f"""
        from django.db import models

        class Document(models.Model):
            {someone_elses} = models.CharField(max_length=100)
            name = models.CharField(max_length=100)
            title = models.CharField(max_length=100)
    """)
    assert found == {f"Document.{someone_elses}"}


def test_the_subjects_own_field_still_gives_person_context() -> None:
    found = untagged("""
        from django.db import models

        class Member(models.Model):
            email = models.EmailField()
            name = models.CharField(max_length=100)
    """)
    assert found == {"Member.email", "Member.name"}


def test_a_field_personal_by_its_type_alone_gives_its_siblings_no_person_context() -> None:
    """weblate's Component: an EmailField for bug reports is an address, the component's
    name is still not a person's name."""
    found = untagged("""
        from django.db import models

        class Component(models.Model):
            name = models.CharField(max_length=100)
            report_source_bugs = models.EmailField(blank=True)
    """)
    assert found == {"Component.report_source_bugs"}
