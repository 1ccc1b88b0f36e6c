"""Rules about the ``gdpr`` tags themselves: PDL102, PDL103, PDL107."""

from __future__ import annotations

from collections.abc import Iterator

from pdlint import taxonomy
from pdlint.facts import Span, TagFact
from pdlint.project import Project
from pdlint.rules.base import Example, Report, Rule


class MalformedTag(Rule):
    code = "PDL102"
    name = "malformed-tag"
    severity = "error"
    summary = "A gdpr tag does not parse, or attaches to nothing."
    what = """
        Reports a `# gdpr:` comment or docstring record that breaks the tag grammar: an unknown
        key, an empty value, a bad retention period (`3m` is ambiguous: write `3mo`), an unknown
        legal basis, right or Art. 9 condition, a single-valued key given twice, or an unbalanced
        quote. Also reports an *orphan* tag: one that stands where it attaches to nothing, such
        as after a block's last statement or above a def/class with a blank line in between.
    """
    why = """
        Tags are the project's record of processing. A tag pdlint cannot read declares nothing,
        so the inventory, the graph and every rule that trusts declarations silently lose it.
    """
    bad = (
        Example(
            """
            # expect: PDL102, PDL102
            # gdpr: collects=contact.email purpse=account retention=3m
            def signup(request):
                ...
            """,
            path="app/views.py",
            note="Two problems on one line, two findings: a misspelt key, and `3m` (minutes "
                 "or months?).",
        ),
        Example(
            """
            from django.db import models


            class Customer(models.Model):
                # expect: PDL102
                email = models.EmailField()  # gdpr: contact.email basis=contractual
            """,
            note="An unknown legal basis (`contract` is meant).",
        ),
        Example(
            """
            from django.db import models


            class Order(models.Model):  # gdpr: data=contact.address
                shipping_address = models.TextField()
                # expect: PDL102
                # gdpr: data=contact.phone
            """,
            note="An orphan tag after the last statement of a class body describes nothing.",
        ),
        Example(
            """
            import logging

            log = logging.getLogger(__name__)

            # expect: PDL102
            # gdpr: uses=contact.email purpose=notify basis=contract

            def send_receipt(customer):
                log.info("receipt for customer %s", customer.id)
            """,
            path="app/notify.py",
            note="A blank line between a tag and the def detaches the tag.",
        ),
        Example(
            """
            from fastapi import APIRouter

            router = APIRouter()


            @router.delete("/me")
            def delete_me(user_id: int):
                \"\"\"Delete the caller's account.

                # expect: PDL102
                :gdpr: right=erase retension=30d
                \"\"\"
            """,
            path="app/api.py",
            note="The same grammar in a docstring `:gdpr:` field.",
        ),
        Example(
            """
            def export_data(request):
                \"\"\"Send a user a copy of their data.

                GDPR:
                    uses: contact.email, identity.name
                    right: access, portabilty
                \"\"\"
            """,
            path="app/views.py",
            expect=(("app/views.py", 6, "PDL102"),),
            note="A docstring `GDPR:` section; its findings point inside the section, where "
                 "no marker line can go.",
        ),
        Example(
            """
            # expect: PDL102
            # gdpr: uses=contact.email basis=contract basis=consent
            def send_newsletter(subscriber):
                return subscriber.email

            # expect: PDL102
            # gdpr: uses=contact.email purpose=notify reason="legacy import
            def send_legacy_notice(customer):
                return customer.email
            """,
            path="app/mail.py",
            note="A single-valued key given twice, and an unbalanced quote.",
        ),
    )
    good = (
        Example(
            """
            # gdpr: collects=contact.email purpose=account retention=3mo
            def signup(request):
                ...
            """,
            path="app/views.py",
        ),
        Example(
            """
            def export_data(request):
                \"\"\"Send a user a copy of their data.

                GDPR:
                    uses: contact.email, identity.name
                    right: access, portability
                    retention: account+30d
                \"\"\"
            """,
            path="app/views.py",
            note="A Google-style docstring section.",
        ),
        Example(
            """
            # gdpr: shares=contact.email, identity.name to=mailchimp purpose=marketing
            # gdpr: shares=contact.email basis=consent consent=marketing_opt_in transfer=us:scc
            def sync_to_mailchimp(user):
                return {"email": user.email, "first_name": user.first_name}


            NOREPLY = "noreply@example.com"  # gdpr: ignore=PDL201 reason="shared mailbox"
            """,
            path="app/marketing.py",
            note="Spaces after commas, several records on one def, quoted reasons.",
        ),
        Example(
            """
            # gdpr: subject=employee purpose=hr basis=contract retention=P6Y

            import logging

            # GDPR compliance is reviewed by the privacy team: see docs/privacy.md
            # gdpr compliance: see docs/privacy.md
            def rotate_logs():
                logging.info("gdpr: retention=3m applies to access logs")
            """,
            path="app/hr.py",
            note="A module tag in the leading comment block; comments and strings that only "
                 "mention GDPR are not tags.",
        ),
        Example(
            """
            from django.db import models


            class Order(models.Model):  # gdpr: data=contact.address
                shipping_address = models.TextField()
                # gdpr: data=contact.phone
                delivery_phone = models.CharField(max_length=32)
            """,
            note="A tag alone on a line describes the statement below it.",
        ),
    )

    def check(self, project: Project) -> Iterator[Report]:
        for facts in project.files:
            for tag in facts.tags:
                if tag.owner is None:
                    yield Report(
                        facts.path,
                        tag.span,
                        "orphan gdpr tag: it attaches to nothing; put it directly above (or at the "
                        "end of the line of) the def, class or assignment it describes",
                    )
                    continue
                for problem in tag.problems:
                    yield Report(
                        facts.path,
                        Span(problem.line or tag.span.line, problem.column,
                             problem.line or tag.span.line, problem.column + 1),
                        f"malformed gdpr tag: {problem.message}",
                        symbol=tag.owner,
                    )


class UnknownCategory(Rule):
    code = "PDL103"
    name = "unknown-category"
    severity = "warning"
    summary = "A tag names a data category that is neither in the taxonomy nor in config."
    what = """
        Reports a category in a tag (`data=`, `collects=`, `uses=`, `stores=`, `shares=` or a bare
        path) that pdlint's taxonomy does not define and `[tool.pdlint.categories]` does not
        declare, with the closest known category as a suggestion.
    """
    why = """
        A misspelt category (`contact.emial`) silently declares nothing: the field stays
        undeclared in the inventory and checks that compare declared and observed data go wrong.
        Project-specific categories are fine, but declare them in configuration.
    """
    bad = (
        Example(
            """
            from django.db import models

            class Customer(models.Model):
                # expect: PDL103
                email = models.EmailField()  # gdpr: contact.emial
            """,
        ),
        Example(
            """
            # expect: PDL103, PDL103
            # gdpr: collects=contact.email,indentity.name,contact.phone_number purpose=account
            def signup(request):
                ...
            """,
            path="app/views.py",
            note="One finding per unknown category.",
        ),
        Example(
            """
            from django.db import models


            # expect: PDL103
            class Member(models.Model):  # gdpr: data=loyalty.member_number
                card_number = models.CharField(max_length=20)
            """,
            note="A project category that `[tool.pdlint.categories]` does not declare.",
        ),
        Example(
            """
            # expect: PDL103
            # gdpr: uses=contact.email.work purpose=notify basis=contract
            def notify(customer):
                return customer.email
            """,
            path="app/notify.py",
            note="Children the taxonomy does not define are unknown: silently accepting them "
                 "would hide typos such as `contact.address.zip`.",
        ),
        Example(
            """
            def send_parcel(order):
                \"\"\"Hand a parcel to the carrier.

                # expect: PDL103
                :gdpr: shares=contact.adress to=dhl purpose=account basis=contract
                \"\"\"
            """,
            path="app/shipping.py",
        ),
        Example(
            """
            def export_data(request):
                \"\"\"Send a user a copy of their data.

                GDPR:
                    uses: contact.emails
                    right: access
                \"\"\"
            """,
            path="app/views.py",
            expect=(("app/views.py", 5, "PDL103"),),
            note="In a docstring `GDPR:` section (the finding points inside the section).",
        ),
    )
    good = (
        Example(
            """
            from django.db import models

            class Customer(models.Model):
                email = models.EmailField()  # gdpr: contact.email
            """,
        ),
        Example(
            """
            # gdpr: uses=contact purpose=notify basis=contract
            def notify(customer):
                return f"{customer.email} {customer.phone_number}"

            # gdpr: uses=contact.* purpose=support basis=contract
            def support_ticket(customer):
                return f"{customer.email} {customer.phone_number}"
            """,
            path="app/notify.py",
            note="A parent category (`contact`, or `contact.*`) declares all its children.",
        ),
        Example(
            """
            # gdpr: collects=fides:user.contact.email purpose=account basis=contract
            def signup(request):
                ...
            """,
            path="app/views.py",
            note="A raw fideslang key with the `fides:` prefix.",
        ),
        Example(
            """
            from django.db import models


            class Patient(models.Model):  # gdpr: subject=patient purpose=support retention=10y
                allergies = models.TextField()  # gdpr: special.health art9=health_care
            """,
            note="Subjects, purposes and retention are not categories.",
        ),
    )

    def check(self, project: Project) -> Iterator[Report]:
        custom = project.custom_categories
        for facts in project.files:
            for tag in facts.tags:
                if tag.owner is None:
                    continue
                for value in tag.categories:
                    if project.resolve_category(value) is not None:
                        continue
                    suggestion = taxonomy.suggest_category(value, custom)
                    hint = f" (did you mean '{suggestion}'?)" if suggestion else ""
                    yield Report(
                        facts.path,
                        tag.span,
                        f"unknown data category '{value}'{hint}; declare project categories under "
                        "[tool.pdlint.categories]",
                        symbol=tag.owner,
                    )


class SpecialCategoryWithoutCondition(Rule):
    code = "PDL107"
    name = "special-category-without-condition"
    severity = "error"
    summary = "Special-category (Art. 9) data without art9=, or criminal data without art10=."
    what = """
        Reports a tag that declares a `special.*` category (health, genetic, biometric, racial or
        ethnic origin, political opinions, religion, trade-union membership, sex life) without an
        `art9=` condition, or a `criminal.*` category without `art10=`; and a model field that
        pdlint observes to hold such data (`blood_type`, `diagnosis`, `ethnicity`…) when neither
        the field's nor its class's tags name the condition.
    """
    why = """
        Processing special categories is prohibited unless one of the Art. 9(2) conditions
        applies (explicit consent, employment law, health care…); criminal-offence data needs an
        Art. 10 authority. Writing the condition next to the code is the accountability record
        (Art. 5(2)) a reviewer or regulator will ask for.
    """
    bad = (
        Example(
            """
            from django.db import models

            class Patient(models.Model):  # gdpr: subject=patient
                # expect: PDL107
                blood_type = models.CharField(max_length=3)  # gdpr: special.health basis=contract
            """,
        ),
        Example(
            """
            from flask import Flask, request

            app = Flask(__name__)


            # expect: PDL107
            # gdpr: collects=special.health purpose=support basis=consent retention=1y
            @app.post("/intake")
            def intake():
                return {"symptoms": request.form["symptoms"]}
            """,
            path="app/views.py",
            note="A handler's record.",
        ),
        Example(
            """
            from django.db import models


            class Patient(models.Model):  # gdpr: subject=patient
                # expect: PDL107, PDL105
                diagnosis = models.TextField()
            """,
            note="An untagged field that holds health data by its name (PDL105 reports it "
                 "too).",
        ),
        Example(
            """
            # expect: PDL107
            # gdpr: collects=criminal.record purpose=hr basis=legal_obligation retention=6mo
            def record_background_check(applicant, result):
                applicant.criminal_record = result
                applicant.save()
            """,
            path="app/hr.py",
            note="Criminal-offence data needs an Art. 10 authority (`art10=`).",
        ),
        Example(
            """
            from django.db import models


            # expect: PDL107
            class DiversitySurvey(models.Model):  # gdpr: data=special.racial_ethnic basis=consent
                ethnicity = models.CharField(max_length=40)
                ethnic_origin = models.CharField(max_length=40)
            """,
            note="The class tag that declares the category is reported, once.",
        ),
        Example(
            """
            def enrol_face(request):
                \"\"\"Store a face embedding for login.

                GDPR:
                    collects: special.biometric
                    purpose: auth
                    basis: consent
                \"\"\"
            """,
            path="app/auth.py",
            expect=(("app/auth.py", 5, "PDL107"),),
            note="A docstring `GDPR:` section (the finding points inside the section).",
        ),
    )
    good = (
        Example(
            """
            from django.db import models

            class Patient(models.Model):  # gdpr: subject=patient
                blood_type = models.CharField(max_length=3)  # gdpr: special.health art9=health_care
            """,
        ),
        Example(
            """
            # gdpr: collects=special.biometric purpose=auth basis=consent
            # gdpr: collects=special.biometric art9=explicit_consent
            def enrol_face(request):
                ...
            """,
            path="app/auth.py",
            note="Another record on the same def may state the condition.",
        ),
        Example(
            """
            # gdpr: collects=criminal.record purpose=hr basis=legal_obligation retention=6mo
            # gdpr: collects=criminal.record art10=authorised_by_law
            def record_background_check(applicant, result):
                applicant.criminal_record = result
                applicant.save()
            """,
            path="app/hr.py",
        ),
        Example(
            """
            from django.db import models


            class Membership(models.Model):  # gdpr: data=special.trade_union art9=employment
                union_membership = models.BooleanField()
                union_name = models.CharField(max_length=80)
            """,
            note="A class tag with the condition covers its fields.",
        ),
        Example(
            """
            from django.db import models


            class Server(models.Model):
                hostname = models.CharField(max_length=80)
                health_status = models.CharField(max_length=20)
                race_condition_count = models.IntegerField(default=0)
                is_disabled = models.BooleanField(default=False)
            """,
            path="app/ops/models.py",
            note="`health_status` of a server, a `race_condition`, `disabled`: not Art. 9 data.",
        ),
    )

    def check(self, project: Project) -> Iterator[Report]:
        for facts in project.files:
            for tag in facts.tags:
                if tag.owner is None:
                    continue
                for category, key in self._missing(project, tag):
                    yield Report(
                        facts.path,
                        tag.span,
                        f"'{category}' is {_kind(key)} data but this record has no {key}= "
                        f"condition",
                        symbol=tag.owner,
                        categories=(category,),
                    )
        for model in project.models.models.values():
            class_tags = project.tags_of(model.symbol)
            for field in model.fields:
                found = field.classification
                if found is None or found.kind != "value":
                    continue
                condition = _condition_key(found.category)
                if condition is None:
                    continue
                key = condition
                tags = project.tags_of(field.symbol) + class_tags
                if any(tag.get(key) for tag in tags) or any(tag.is_none for tag in tags):
                    continue
                if any(
                    any(taxonomy.covers(project.resolve_category(v) or "", found.category)
                        for v in tag.categories)
                    for tag in tags
                ):
                    continue  # the declaring tag itself is reported above
                yield Report(
                    field.path,
                    field.span,
                    f"{_short(field.symbol)} holds {found.category} ({_kind(key)} data) with no "
                    f"{key}= condition in a gdpr tag",
                    symbol=field.symbol,
                    categories=(found.category,),
                )

    @staticmethod
    def _missing(project: Project, tag: TagFact) -> list[tuple[str, str]]:
        missing: list[tuple[str, str]] = []
        siblings = project.tags_of(tag.owner or "")
        for value in tag.categories:
            category = project.resolve_category(value)
            if category is None:
                continue
            key = _condition_key(category)
            if key is None or tag.get(key):
                continue
            if any(other.get(key) for other in siblings):
                continue  # another record on the same owner states the condition
            missing.append((category, key))
        return missing


def _condition_key(category: str) -> str | None:
    if taxonomy.is_special(category):
        return "art9"
    if taxonomy.is_criminal(category):
        return "art10"
    return None


def _kind(key: str) -> str:
    return "special-category (Art. 9)" if key == "art9" else "criminal-offence (Art. 10)"


def _short(symbol: str) -> str:
    parts = symbol.split(".")
    return ".".join(parts[-2:])
