"""PDL105: model and schema fields holding personal data with no tag declaring it."""

from __future__ import annotations

from collections.abc import Iterator

from pdlint.project import Project
from pdlint.rules.base import Example, Report, Rule

_FRAMEWORK_NAMES = {
    "django": "Django model",
    "sqlalchemy": "SQLAlchemy model",
    "pydantic": "Pydantic model",
    "dataclass": "dataclass",
    "attrs": "attrs class",
    "typeddict": "TypedDict",
    "namedtuple": "NamedTuple",
    "marshmallow": "marshmallow schema",
    "drf": "DRF serializer",
}


class UntaggedPiiField(Rule):
    code = "PDL105"
    name = "untagged-pii-field"
    severity = "warning"
    summary = "A model/schema field holds personal data and no tag declares it."
    what = """
        Reports a field of a Django model, SQLAlchemy mapping, Pydantic model, dataclass, attrs
        class, TypedDict, marshmallow schema or DRF serializer whose type (`EmailField`,
        `EmailStr`, `GenericIPAddressField`…) or name (`phone_number`, `date_of_birth`,
        `last_login_ip`…) says it holds personal data, when neither the field carries a
        `# gdpr:` tag nor its class carries one that declares the field's category (a parent
        category such as `contact` covers `contact.email`; `# gdpr: none` covers everything).

        Identifiers, hashes and credentials are not reported here (they are pseudonymous or a
        separate security axis), nor are facts *about* personal data such as
        `is_email_verified`. Generated code (Django migrations) mirrors the models and is
        skipped.
    """
    why = """
        The tags are the inventory of where personal data is stored (GDPR Art. 30: categories,
        purposes, retention). A field nobody declared is personal data nobody accounted for: it
        will be missing from the record of processing, from erasure and export handlers, and
        from retention jobs.
    """
    bad = (
        Example(
            """
            from django.db import models

            class Customer(models.Model):
                # expect: PDL105
                email = models.EmailField()
                # expect: PDL105
                phone_number = models.CharField(max_length=32)
            """,
        ),
        Example(
            """
            from pydantic import BaseModel, EmailStr

            class SignupIn(BaseModel):
                # expect: PDL105
                email: EmailStr
                plan_id: int
            """,
            path="app/schemas.py",
            note="A Pydantic schema field typed as an e-mail address.",
        ),
        Example(
            """
            from sqlalchemy import String
            from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


            class Base(DeclarativeBase):
                pass


            class Account(Base):
                __tablename__ = "accounts"

                id: Mapped[int] = mapped_column(primary_key=True)
                # expect: PDL105
                last_login_ip: Mapped[str | None] = mapped_column(
                    String(45),
                    nullable=True,
                )
            """,
            path="app/db.py",
            note="A SQLAlchemy column named like an IP address; the finding is on the "
                 "assignment's first line.",
        ),
        Example(
            """
            from django.db import models


            class Customer(models.Model):  # gdpr: data=contact purpose=account basis=contract
                email = models.EmailField()
                # expect: PDL105
                date_of_birth = models.DateField()
                # expect: PDL105
                signup_ip = models.GenericIPAddressField()
            """,
            note="The class tag declares `contact`: a birth date and an IP address are not "
                 "contact data.",
        ),
        Example(
            """
            from dataclasses import dataclass
            from datetime import date


            @dataclass
            class PatientRow:
                patient_id: int
                # expect: PDL105
                date_of_birth: date
            """,
            path="app/rows.py",
        ),
        Example(
            """
            from marshmallow import Schema, fields


            class AttendeeSchema(Schema):
                # expect: PDL105
                contact = fields.Email()
                badge_colour = fields.Str()
            """,
            path="app/schemas.py",
            note="The type says it: `contact` holds an e-mail address.",
        ),
    )
    good = (
        Example(
            """
            from django.db import models

            class Customer(models.Model):  # gdpr: data=contact purpose=account basis=contract
                email = models.EmailField()
                phone_number = models.CharField(max_length=32)
                is_email_verified = models.BooleanField(default=False)
            """,
        ),
        Example(
            """
            from pydantic import BaseModel, EmailStr

            class SignupIn(BaseModel):
                email: EmailStr  # gdpr: contact.email
                plan_id: int
            """,
            path="app/schemas.py",
        ),
        Example(
            """
            from django.db import models


            class User(models.Model):  # gdpr: subject=customer
                user_id = models.IntegerField(unique=True)
                is_email_verified = models.BooleanField(default=False)
                email_verified_at = models.DateTimeField(null=True)
                phone_count = models.IntegerField(default=0)
                email_template = models.CharField(max_length=50)
                password = models.CharField(max_length=128)
                access_token = models.CharField(max_length=64)
                marketing_opt_in = models.BooleanField(default=False)
            """,
            note="Ids, facts about personal data (`is_email_verified`, `email_verified_at`), "
                 "templates, credentials (a security matter) and consent flags.",
        ),
        Example(
            """
            from pydantic_settings import BaseSettings


            class Settings(BaseSettings):
                email_backend: str = "django.core.mail.backends.smtp.EmailBackend"
                support_email: str = "support@example.com"
                server_ip: str = "0.0.0.0"
                smtp_password: str
                database_url: str
            """,
            path="app/settings.py",
            note="Configuration: the organisation's mailbox and the server's address.",
        ),
        Example(
            """
            from django.db import models


            class Branch(models.Model):  # gdpr: none
                email = models.EmailField()
                phone_number = models.CharField(max_length=32)
                street_address = models.CharField(max_length=120)
            """,
            note="`# gdpr: none` on the class: reviewed, a shop's own contact details are not "
                 "a person's.",
        ),
        Example(
            """
            from django.db import migrations, models


            class Migration(migrations.Migration):
                initial = True
                dependencies = []
                operations = [
                    migrations.CreateModel(
                        name="Customer",
                        fields=[
                            ("id", models.AutoField(primary_key=True)),
                            ("email", models.EmailField(max_length=254)),
                        ],
                    ),
                ]
            """,
            path="app/migrations/0001_initial.py",
            note="Generated migrations mirror the models and are skipped.",
        ),
    )

    def check(self, project: Project) -> Iterator[Report]:
        for symbol in sorted(project.models.models):
            model = project.models.models[symbol]
            for field in model.fields:
                found = field.classification
                if found is None or found.kind != "value":
                    continue
                if project.field_declared(field.symbol):
                    continue
                how = "its type" if field.evidence == "type" else "its name"
                kind = _FRAMEWORK_NAMES.get(model.framework, model.framework)
                yield Report(
                    field.path,
                    field.span,
                    f"{model.name}.{field.name} ({kind} field) holds {found.category} by {how} "
                    f"but no gdpr tag declares it; tag the field (# gdpr: {found.category}) or "
                    "its class",
                    symbol=field.symbol,
                    categories=(found.category,),
                )
