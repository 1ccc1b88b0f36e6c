"""PDL105: model and schema fields holding personal data with no tag declaring it."""

from __future__ import annotations

from collections.abc import Iterator

from pdlint import taxonomy
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
                email = models.EmailField()
                phone_number = models.CharField(max_length=32)
            """,
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
    )

    def check(self, project: Project) -> Iterator[Report]:
        for symbol in sorted(project.models.models):
            model = project.models.models[symbol]
            class_tags = project.tags_of(model.symbol)
            if any(tag.is_none for tag in class_tags):
                continue
            declared_on_class = project.declared_categories(class_tags)
            for field in model.fields:
                found = field.classification
                if found is None or found.kind != "value":
                    continue
                if project.tags_of(field.symbol):
                    continue
                if any(taxonomy.covers(cat, found.category) for cat in declared_on_class):
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
