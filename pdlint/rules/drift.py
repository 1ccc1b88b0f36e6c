"""Tags that no longer match the code: PDL104 undeclared data, PDL106 stale tags."""

from __future__ import annotations

from collections.abc import Iterator

from pdlint import taxonomy
from pdlint.dataflow import Datum, value_data
from pdlint.facts import TagFact
from pdlint.project import Project
from pdlint.rules.base import Example, Report, Rule


def _function_tags(project: Project) -> Iterator[tuple[str, list[TagFact]]]:
    for symbol in sorted(project.functions):
        function, facts = project.functions[symbol]
        if facts.is_test or facts.generated:
            continue
        tags = [t for t in project.tags_of(symbol) if t.owner_kind == "function"]
        if tags:
            yield symbol, tags


def _observed(project: Project, symbol: str) -> list[Datum]:
    """What a function and the functions nested in it (decorator wrappers) touch."""
    flow = project.dataflow
    data: list[Datum] = []
    for unit_symbol in sorted(flow.units):
        if unit_symbol == symbol or unit_symbol.startswith(symbol + "."):
            data.extend(value_data(flow.touched(unit_symbol).sorted()))
    return data


def _reach(project: Project, symbol: str, limit: int = 200) -> list[str]:
    """The function, its nested functions and the project functions they call, transitively."""
    flow = project.dataflow
    todo = [s for s in sorted(flow.units) if s == symbol or s.startswith(symbol + ".")]
    seen: list[str] = []
    while todo and len(seen) < limit:
        current = todo.pop(0)
        if current in seen:
            continue
        seen.append(current)
        todo.extend(target for _, target in flow.callees(current) if target not in seen)
    return seen


class UndeclaredData(Rule):
    code = "PDL104"
    name = "undeclared-data"
    severity = "warning"
    summary = "A tagged function touches a data category its tags do not declare (tag drift)."
    what = """
        Compares what a tagged function's records declare (`data`, `collects`, `uses`,
        `stores`, `shares`; a parent category covers its children) with the personal data the
        function reads itself or receives through its parameters, and reports the categories
        that are touched but not declared. A function tagged `# gdpr: none` that touches
        personal data is reported too.
    """
    why = """
        A tag that under-declares is worse than none: the inventory and the record of
        processing look complete while the code processes more than they say.
    """
    bad = (
        Example(
            """
            # gdpr: uses=contact.email purpose=notify basis=contract
            # expect: PDL104
            def send_receipt(customer):
                return f"{customer.email} {customer.phone_number}"
            """,
            path="app/notify.py",
        ),
        Example(
            """
            # gdpr: none
            # expect: PDL104
            def send_receipt(customer):
                return f"receipt for {customer.email}"
            """,
            path="app/notify.py",
            note="`none` claims the function handles no personal data.",
        ),
        Example(
            """
            from flask import Flask, request

            app = Flask(__name__)


            # gdpr: collects=contact.email purpose=auth basis=contract
            @app.post("/login")
            # expect: PDL104
            def login():
                email = request.form["email"]
                client_ip = request.remote_addr
                return {"email": email, "ip": client_ip}
            """,
            path="app/views.py",
            note="A handler that started reading the client's IP address after it was tagged.",
        ),
        Example(
            """
            from celery import shared_task


            @shared_task
            # expect: PDL104
            def send_birthday_mail(email, date_of_birth):  # gdpr: uses=contact.email
                return f"{email}: {date_of_birth:%d %B}"
            """,
            path="app/tasks.py",
            note="A parameter named like personal data counts as touched.",
        ),
        Example(
            """
            # expect: PDL104
            def export_data(user):
                \"\"\"Send a user a copy of their data.

                :gdpr: uses=contact.email right=access
                \"\"\"
                return {"email": user.email, "phone": user.phone_number}
            """,
            path="app/rights.py",
            note="The export reads a category its docstring record does not list.",
        ),
    )
    good = (
        Example(
            """
            # gdpr: uses=contact purpose=notify basis=contract
            def send_receipt(customer):
                return f"{customer.email} {customer.phone_number}"
            """,
            path="app/notify.py",
            note="A parent category (`contact`) declares its children.",
        ),
        Example(
            """
            # gdpr: uses=contact.email purpose=account basis=contract
            def change_password(user, old_password, new_password):
                user.set_password(new_password)
                user.save()
                return {"user_id": user.id, "is_email_verified": user.is_email_verified,
                        "email": user.email, "old_length": len(old_password)}
            """,
            path="app/accounts.py",
            note="Ids, facts about personal data and credentials need no category: passwords "
                 "are a security matter (PDL207), not a GDPR record.",
        ),
        Example(
            """
            from django.conf import settings

            EMAIL_TEMPLATE = "emails/welcome.html"


            # gdpr: uses=contact.email purpose=notify basis=contract
            def welcome(user):
                return (user.email, user.pk, settings.EMAIL_BACKEND, EMAIL_TEMPLATE)
            """,
            path="app/notify.py",
            note="Configuration and constants are not personal data.",
        ),
        Example(
            """
            # gdpr: right=erase
            def erase_account(user):
                user.email = ""
                user.phone_number = ""
                user.save()
            """,
            path="app/rights.py",
            note="A record that declares no category has nothing to compare.",
        ),
        Example(
            """
            # gdpr: uses=online.ip purpose=security basis=legitimate_interest retention=90d
            # gdpr: uses=contact.email purpose=account basis=contract
            def login(request):
                return (request.POST["email"], request.META["REMOTE_ADDR"])
            """,
            path="app/views.py",
            note="Several records on one def are unioned.",
        ),
    )

    def check(self, project: Project) -> Iterator[Report]:
        for symbol, tags in _function_tags(project):
            declared = project.declared_categories(tags)
            is_none = any(t.is_none for t in tags)
            if not declared and not is_none:
                continue  # e.g. only `right=` / `purpose=` records: nothing to compare
            observed = _observed(project, symbol)
            missing = sorted({
                d.category for d in observed
                if not any(taxonomy.covers(cat, d.category) for cat in declared)
            })
            if not missing:
                continue
            function, facts = project.functions[symbol]
            examples = {d.category: d.label for d in observed}
            shown = ", ".join(f"{cat} ({examples[cat]})" for cat in missing[:4])
            lead = "is tagged `none` but touches" if is_none and not declared else (
                "touches undeclared")
            yield Report(
                facts.path,
                function.span,
                f"{symbol.rsplit('.', 1)[-1]} {lead} {shown}; add the categories to its gdpr tag",
                symbol=symbol,
                categories=tuple(missing),
            )


class StaleTag(Rule):
    code = "PDL106"
    name = "stale-tag"
    severity = "info"
    summary = "A tag declares data categories that the tagged function never touches."
    what = """
        Reports categories declared by a function's tag that the function neither reads,
        receives, passes on, returns nor logs — directly or through the project functions it
        calls. Rights handlers (`right=`) are exempt: erasing or exporting data often goes
        through an ORM call pdlint cannot see into.
    """
    why = """
        Stale declarations make the inventory claim processing that does not happen, and hide
        the real changes when the code moves on. Keep tags as true as the code.
    """
    bad = (
        Example(
            """
            # expect: PDL106
            # gdpr: uses=contact.email,contact.phone purpose=notify basis=contract
            def send_receipt(customer):
                return f"receipt for {customer.email}"
            """,
            path="app/notify.py",
        ),
        Example(
            """
            # expect: PDL106
            # gdpr: uses=online.ip purpose=security basis=legitimate_interest
            # gdpr: uses=contact.email purpose=account basis=contract
            def profile(request):
                return {"email": request.user.email}
            """,
            path="app/views.py",
            note="Only the stale record is reported.",
        ),
        Example(
            """
            from django.core.mail import send_mail

            WELCOME_TEMPLATE = "emails/welcome.txt"


            # expect: PDL106
            # gdpr: uses=contact.email purpose=notify basis=contract
            def send_welcome(user_id, template=WELCOME_TEMPLATE):
                return {"user_id": user_id, "template": template}
            """,
            path="app/notify.py",
            note="After a refactoring the function only handles an id.",
        ),
        Example(
            """
            def remind(user):
                \"\"\"Remind a user of their appointment.

                # expect: PDL106
                :gdpr: uses=contact.email,identity.dob purpose=notify basis=contract
                \"\"\"
                return user.email
            """,
            path="app/reminders.py",
        ),
        Example(
            """
            from celery import shared_task


            @shared_task
            # expect: PDL106
            def send_digest(user_id):  # gdpr: uses=contact.email purpose=notify basis=contract
                return user_id
            """,
            path="app/tasks.py",
        ),
    )
    good = (
        Example(
            """
            # gdpr: uses=contact.email purpose=notify basis=contract
            def send_receipt(customer):
                return f"receipt for {customer.email}"
            """,
            path="app/notify.py",
        ),
        Example(
            files={
                "app/notify.py": """
                    from app.mailer import deliver


                    # gdpr: uses=contact.email purpose=notify basis=contract
                    def send_receipt(customer):
                        deliver(customer)
                """,
                "app/mailer.py": """
                    def deliver(customer):
                        return customer.email
                """,
            },
            note="Data touched in a project function it calls counts.",
        ),
        Example(
            """
            # gdpr: uses=contact.email,identity.name purpose=notify basis=contract
            def notify(user, send_mail):
                send_mail(to=[user.email], subject=f"Hello {user.first_name}")
            """,
            path="app/notify.py",
            note="Passing data on to a call is touching it.",
        ),
        Example(
            """
            # gdpr: right=erase uses=contact.email,contact.phone
            def erase_account(user):
                user.delete()
            """,
            path="app/rights.py",
            note="Rights handlers are exempt: the ORM call deletes what pdlint cannot see.",
        ),
        Example(
            """
            # gdpr: uses=contact purpose=notify basis=contract
            def send_receipt(customer):
                return f"receipt for {customer.email}"
            """,
            path="app/notify.py",
            note="A parent category is not stale while one of its children is touched.",
        ),
    )

    def check(self, project: Project) -> Iterator[Report]:
        flow = project.dataflow
        for symbol, tags in _function_tags(project):
            if any(t.get("right") for t in tags):
                continue
            observed: set[str] = set()
            for reached in _reach(project, symbol):
                observed |= {d.category for d in flow.touched(reached)}
                unit = flow.units[reached]
                for call in unit.calls:
                    for atoms in (*call.args, *(a for _, a in call.kwargs), call.payload):
                        observed |= {d.category for d in flow.concrete(unit, atoms)}
                if unit.function is not None:
                    observed |= {d.category for d in flow.concrete(unit, unit.function.returns)}
            for tag in tags:
                stale = []
                for value in tag.categories:
                    category = project.resolve_category(value)
                    if category is None:
                        continue  # PDL103's business
                    if not any(taxonomy.covers(category, seen) or taxonomy.covers(seen, category)
                               for seen in observed):
                        stale.append(category)
                if stale:
                    yield Report(
                        project.functions[symbol][1].path,
                        tag.span,
                        f"tag declares {', '.join(stale)} but {symbol.rsplit('.', 1)[-1]} never "
                        "touches it; remove it or tag the code that does",
                        symbol=symbol,
                        categories=tuple(stale),
                    )
