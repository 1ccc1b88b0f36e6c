"""PDL101: entry points that touch personal data without a gdpr tag."""

from __future__ import annotations

from collections.abc import Iterator

from pdlint.dataflow import DataSet, Datum, value_data
from pdlint.facts import FunctionFact
from pdlint.project import Project
from pdlint.rules.base import Example, Report, Rule


def handler_data(project: Project, symbol: str) -> list[Datum]:
    """Personal data a handler touches itself: what it reads, its PII-named or -typed
    parameters, parameters typed with a schema holding personal data, and person-model
    fields it sets. Ids, metadata, credentials and bare request containers do not count."""
    flow = project.dataflow
    unit = flow.units.get(symbol)
    if unit is None or unit.function is None:
        return []
    found = DataSet(flow.concrete(unit, unit.function.reads, with_params=False))
    for index, param in enumerate(unit.function.params):
        found.update(flow.own_param_data(unit, index))
        if param.annotation:
            found.update(_schema_data(project, param.annotation, param.name, symbol,
                                      _attributes_passed(unit.function, param.name)))
    return [d for d in value_data(found.sorted()) if d.category != "request"]


def summarize(data: list[Datum], limit: int = 3) -> str:
    """``contact.email (user.email, form[…]), online.ip (request.remote_addr)`` — grouped by
    category, a couple of expressions each, never values."""
    labels: dict[str, list[str]] = {}
    for datum in data:
        seen = labels.setdefault(datum.category, [])
        if datum.label not in seen:
            seen.append(datum.label)
    parts = []
    for category in sorted(labels)[:limit]:
        shown = labels[category][:2]
        extra = ", …" if len(labels[category]) > 2 else ""
        parts.append(f"{category} ({', '.join(shown)}{extra})")
    if len(labels) > limit:
        parts.append(f"{len(labels) - limit} more categories")
    return ", ".join(parts)


def _attributes_passed(function: FunctionFact, name: str) -> frozenset[str]:
    """Attributes of parameter ``name`` that the function passes to a call
    (``send(instance.email)`` → ``email``)."""
    prefix = name + "."
    refs = [ref for call in function.calls for ref in call.arg_refs if ref]
    refs += [ref for call in function.calls for _, ref in call.kwarg_refs]
    return frozenset(ref[len(prefix):].split(".", 1)[0] for ref in refs
                     if ref.startswith(prefix))


def _schema_data(project: Project, annotation: str, name: str, symbol: str,
                 used: frozenset[str]) -> list[Datum]:
    """Fields of a model or schema that a parameter typed with it brings.

    A schema parameter (pydantic, marshmallow, DRF, dataclass…) is the request's content:
    every field arrives. A Django model instance (a signal's ``instance: Component``) is
    handed over, not received: only the fields the handler passes on (``used``) count.
    """
    data: list[Datum] = []
    models = project.models.models
    for token in annotation.replace("[", " ").replace("]", " ").replace("|", " ").split():
        model = models.get(token.strip(","))
        if model is None:
            continue
        for field in model.fields:
            found = field.classification
            if model.framework == "django" and field.name not in used:
                continue
            if found is not None and found.kind == "value":
                data.append(Datum(found.category, "value", f"{name}.{field.name}", (symbol,)))
    return data


class UntaggedHandler(Rule):
    code = "PDL101"
    name = "untagged-handler"
    severity = "error"
    summary = "A handler, view, endpoint, task or middleware touches personal data untagged."
    what = """
        Reports an entry point — Flask/Quart routes, FastAPI/Starlette endpoints and middleware,
        Django views (from `urlpatterns`, class-based views, `views.py` functions taking
        `request`), DRF views and viewsets, Celery/Dramatiq/RQ tasks, aiohttp routes, signal
        receivers — that reads personal data, takes a parameter named or typed as personal
        data (or typed with a schema holding it), or sets a person model's personal fields,
        and carries no `gdpr` tag: neither on itself, nor on its class, nor on its module.
        `# gdpr: none` records that it was reviewed and handles none.
    """
    why = """
        Entry points are where personal data enters and leaves the system. Tagging them (what
        is collected, for which purpose, on which legal basis, kept how long) is the record of
        processing the GDPR asks for (Art. 5(2), Art. 30) — kept next to the code, so it stays
        true when the code changes.
    """
    bad = (
        Example(
            """
            from flask import Flask, request

            app = Flask(__name__)

            @app.post("/newsletter")
            # expect: PDL101
            def subscribe():
                email = request.form["email"]
                return {"subscribed": email}
            """,
            path="app/views.py",
        ),
        Example(
            """
            from django.http import JsonResponse
            from django.views.decorators.http import require_POST


            @require_POST
            # expect: PDL101
            def update_phone(request):
                request.user.profile.phone_number = request.POST["phone_number"]
                request.user.profile.save()
                return JsonResponse({"ok": True})
            """,
            path="app/views.py",
            note="A Django view that sets a person's phone number.",
        ),
        Example(
            """
            from fastapi import APIRouter
            from pydantic import BaseModel, EmailStr

            router = APIRouter()


            class SignupIn(BaseModel):  # gdpr: data=contact.email,identity.name
                email: EmailStr
                display_name: str


            @router.post("/signup")
            # expect: PDL101
            async def signup(body: SignupIn):
                return {"ok": True}
            """,
            path="app/api.py",
            note="A FastAPI endpoint receives every field of the schema it takes, even unread: "
                 "the schema's tag says what the data is, not why this endpoint collects it.",
        ),
        Example(
            """
            from celery import shared_task
            from django.core.mail import send_mail


            @shared_task
            # expect: PDL101
            def send_welcome(email, first_name):
                send_mail("Welcome", f"Hello {first_name}", "noreply@example.com", [email])
            """,
            path="app/tasks.py",
            note="A Celery task whose parameters are personal data.",
        ),
        Example(
            """
            from rest_framework.response import Response
            from rest_framework.views import APIView


            class ProfileView(APIView):
                # expect: PDL101
                def get(self, request):
                    user = request.user
                    return Response({"email": user.email, "name": user.get_full_name()})
            """,
            path="app/api.py",
            note="A DRF view method.",
        ),
        Example(
            """
            from django.contrib.auth.signals import user_logged_in
            from django.dispatch import receiver


            @receiver(user_logged_in)
            # expect: PDL101
            def remember_login_ip(sender, request, user, **kwargs):
                user.last_login_ip = request.META.get("REMOTE_ADDR")
                user.save(update_fields=["last_login_ip"])
            """,
            path="app/signals.py",
            note="A signal receiver that stores the client's IP address.",
        ),
    )
    good = (
        Example(
            """
            from flask import Flask, request

            app = Flask(__name__)

            # gdpr: collects=contact.email purpose=marketing basis=consent retention=account
            @app.post("/newsletter")
            def subscribe():
                email = request.form["email"]
                return {"subscribed": email}

            @app.get("/orders/<int:order_id>")
            def order_status(order_id):
                return {"id": order_id}
            """,
            path="app/views.py",
            note="Tag the handler; one that handles only ids needs no tag.",
        ),
        Example(
            """
            from django.http import JsonResponse


            def email_settings(request):
                user = request.user
                return JsonResponse({
                    "user_id": user.id,
                    "is_email_verified": user.is_email_verified,
                    "email_verified_at": user.email_verified_at,
                })
            """,
            path="app/views.py",
            note="Ids and facts about personal data (`is_email_verified`) are not personal "
                 "data the handler collects.",
        ),
        Example(
            """
            from flask import Flask, current_app, request

            app = Flask(__name__)
            EMAIL_TEMPLATE = "emails/welcome.html"


            @app.get("/healthz")
            def health_check():
                return {
                    "email_backend": current_app.config["EMAIL_BACKEND"],
                    "template": EMAIL_TEMPLATE,
                    "server_ip": request.host,
                }
            """,
            path="app/views.py",
            note="Configuration, templates and the server's own address are not personal data.",
        ),
        Example(
            """
            \"\"\"Newsletter tasks.

            GDPR: uses=contact.email,identity.name purpose=marketing basis=consent
            \"\"\"
            from celery import shared_task
            from django.core.mail import send_mail


            @shared_task
            def send_newsletter(email, first_name):
                send_mail("News", f"Hello {first_name}", "news@example.com", [email])
            """,
            path="app/tasks.py",
            note="A module tag covers every task of the module.",
        ),
        Example(
            """
            from rest_framework.response import Response
            from rest_framework.views import APIView


            class ProfileView(APIView):  # gdpr: uses=contact.email,identity.name purpose=account
                def get(self, request):
                    user = request.user
                    return Response({"email": user.email, "name": user.get_full_name()})
            """,
            path="app/api.py",
            note="A class tag covers its methods.",
        ),
        Example(
            """
            from flask import Flask, request

            app = Flask(__name__)


            @app.post("/account/verify")
            def verify_email():  # gdpr: none
                token = request.args["token"]
                return {"token_ok": bool(token)}
            """,
            path="app/views.py",
            note="`# gdpr: none` records a reviewed handler that handles no personal data.",
        ),
    )

    def check(self, project: Project) -> Iterator[Report]:
        for symbol in sorted(project.handlers):
            handler = project.handlers[symbol]
            entry = project.functions.get(symbol)
            if entry is None:
                continue
            function, facts = entry
            if facts.is_test or project.covering_tags(symbol):
                continue
            data = handler_data(project, symbol)
            if not data:
                continue
            categories = sorted({d.category for d in data})
            shown = summarize(data)
            more = ""
            kind = f"{handler.framework} {handler.kind}"
            yield Report(
                facts.path,
                function.span,
                f"{kind} {symbol.rsplit('.', 1)[-1]} touches {shown}{more} but carries no gdpr "
                "tag (on itself, its class or its module); declare what it processes, or "
                "`# gdpr: none`",
                symbol=symbol,
                categories=tuple(categories),
            )
