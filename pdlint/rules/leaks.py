"""Personal data and credentials reaching logs and exception messages: PDL201, PDL202, PDL207."""

from __future__ import annotations

from collections.abc import Iterator

from pdlint.dataflow import Datum
from pdlint.flows import Flow, leaked
from pdlint.knowledge import SinkKind
from pdlint.project import Project
from pdlint.rules.base import Example, Report, Rule
from pdlint.rules.handlers import summarize

_LOG_SINKS = (SinkKind.LOG, SinkKind.PRINT, SinkKind.WARN, SinkKind.TRACKER)


def describe(data: list[Datum], sink: str) -> str:
    """``contact.email (customer.email) reaches logger.info — from a → b``; never values."""
    renamed = [Datum("request data" if d.category == "request" else d.category, d.kind, d.label,
                     d.path) for d in data]
    verb = "reaches" if len({d.category for d in data}) == 1 else "reach"
    text = f"{summarize(renamed)} {verb} {sink}"
    longest = max(data, key=lambda d: (len(d.path), d.path))
    if len(longest.path) > 1:
        text += f" (from {' → '.join(longest.path)})"
    return text


def _sink_name(hit: Flow) -> str:
    assert hit.call is not None
    written = hit.call.written or hit.call.callee or "a call"
    if hit.kind is SinkKind.EXCEPTION:
        return f"the message of {written}(…)"
    return f"{written}()"


def _leaks(project: Project, sinks: tuple[SinkKind, ...], kinds: tuple[str, ...]
           ) -> Iterator[tuple[Flow, list[Datum]]]:
    """The leak flows of the link model into ``sinks``, with their data of ``kinds``."""
    for hit in project.flows.of(*sinks):
        data = leaked(hit.data, kinds)
        if data:
            yield hit, data


def _report(project: Project, hit: Flow, data: list[Datum]) -> Report:
    categories = tuple(sorted({d.category for d in data if d.category != "request"}))
    longest = max(data, key=lambda d: (len(d.path), d.path))
    trace: list[tuple[str, int, str]] = []
    if len(longest.path) > 1:
        for symbol in longest.path:
            entry = project.functions.get(symbol)
            if entry is not None:
                trace.append((entry[1].path, entry[0].span.line, symbol))
    assert hit.span is not None
    return Report(
        hit.path,
        hit.span,
        describe(data, _sink_name(hit)),
        symbol=hit.source,
        categories=categories,
        trace=tuple(trace),
    )


class PiiInLog(Rule):
    code = "PDL201"
    name = "pii-in-log"
    severity = "error"
    summary = "Personal data reaches a log sink (logging, structlog, loguru, print, trackers)."
    what = """
        Follows personal data — names, attributes and keys classified as personal data, framework
        sources such as `request.remote_addr`, and whole request bodies — through assignments,
        f-strings, formatting, containers and calls between project functions (across modules),
        and reports the call where it reaches a log: stdlib `logging` (module functions, any
        logger, `log()`, `extra=`), structlog (event keyword arguments, `bind`), loguru, `print`,
        `sys.stdout/stderr.write`, `pprint`, `warnings.warn`, and error-tracker messages
        (`sentry_sdk.capture_message`, `add_breadcrumb`). The message names the category, the
        expression and, across functions, the call path — never the value.

        Not reported: internal identifiers (`user.id`, `user.pk`, `*_id`), `len()`, `bool()`,
        comparisons, configured maskers (`sanitizers` in config) and digests (`hashlib`,
        `hmac`). Log an internal id instead of personal data or, when log lines about the same
        person must be correlated, a keyed HMAC
        (`hmac.new(key, email.encode(), "sha256").hexdigest()`) whose key the people who read
        the logs do not have. An unkeyed hash such as `hashlib.sha256(email.encode())` is no
        substitute, even though PDL201 does not report it: hashing a list of known e-mail
        addresses or phone numbers and looking the digest up reverses it, so it is still
        personal data.
    """
    why = """
        Logs are copied to aggregators, kept for months, shipped to third parties and read by
        people who have no business seeing customers' data. Personal data there escapes
        retention limits, erasure requests (Art. 17) and access control (Art. 32). Log an
        internal id instead, or a keyed HMAC when the log must correlate events about one
        person; not an unkeyed hash, which a dictionary of addresses reverses.
    """
    bad = (
        Example(
            """
            import logging

            logger = logging.getLogger(__name__)

            def register(request):
                email = request.POST["email"]
                # expect: PDL201
                logger.info("new signup: %s", email)
            """,
            path="app/views.py",
        ),
        Example(
            files={
                "app/views.py": """
                    from app.services.notify import send_receipt

                    def checkout(request, customer):
                        send_receipt(customer.email)
                """,
                "app/services/notify.py": """
                    import logging

                    log = logging.getLogger(__name__)

                    def send_receipt(address):
                        # expect: PDL201
                        log.info(f"receipt sent to {address}")
                """,
            },
            note="Across modules: the finding is reported in the helper and names the path.",
        ),
        Example(
            """
            import logging

            from flask import Flask, request

            app = Flask(__name__)
            logger = logging.getLogger(__name__)


            @app.post("/login")
            def login():  # gdpr: collects=online.ip purpose=security basis=legitimate_interest
                # expect: PDL201
                logger.warning(f"failed login from {request.remote_addr}")
                # expect: PDL201
                logger.info("login attempt", extra={"client_ip": request.remote_addr})
                return {"ok": False}, 401
            """,
            path="app/views.py",
            note="A tag declares the processing; it does not make logging the data fine.",
        ),
        Example(
            """
            import structlog
            from loguru import logger as loguru_logger

            log = structlog.get_logger()


            def on_signup(user):
                # expect: PDL201
                log.info("user.signup", email=user.email, plan=user.plan_id)
                # expect: PDL201
                loguru_logger.info("welcome {}", user.first_name)
            """,
            path="app/events.py",
            note="structlog keyword arguments and loguru arguments are the log's payload.",
        ),
        Example(
            """
            from django.core.management.base import BaseCommand

            from app.models import Customer


            class Command(BaseCommand):
                def handle(self, *args, **options):
                    for customer in Customer.objects.all():
                        # expect: PDL201
                        print(
                            "exporting",
                            customer.phone_number,
                        )
            """,
            path="app/management/commands/export_customers.py",
            note="`print` is a log too; a call over several lines is reported on its first.",
        ),
        Example(
            """
            import sentry_sdk


            def report_lockout(request):
                email = request.POST.get("email", "")
                # expect: PDL201
                sentry_sdk.capture_message(f"account locked: {email}")
            """,
            path="app/security.py",
            note="Error-tracker messages leave the system, too.",
        ),
    )
    good = (
        Example(
            """
            import hmac
            import logging

            from django.conf import settings

            logger = logging.getLogger(__name__)

            def register(request, user):
                email = request.POST["email"]
                logger.info("new signup: user %s", user.id)
                # keyed: unlike hashlib.sha256(email), no dictionary of addresses reverses it
                digest = hmac.new(settings.LOG_PSEUDONYM_KEY, email.encode(), "sha256")
                logger.info("signup from address %s", digest.hexdigest())
            """,
            path="app/views.py",
        ),
        Example(
            """
            import logging

            logger = logging.getLogger(__name__)


            def update_profile(user):
                logger.info("profile of user %s (pk %s) updated", user.id, user.pk)
                logger.info("has phone: %s", bool(user.phone_number))
                logger.info("phone number length: %d", len(user.phone_number))
                logger.info("e-mail missing: %s", user.email is None)
                logger.info("verified: %s since %s", user.is_email_verified,
                            user.email_verified_at)
            """,
            path="app/profile.py",
            note="Ids, `bool()`, `len()`, `is None` tests and facts about personal data.",
        ),
        Example(
            """
            import logging

            from django.conf import settings

            logger = logging.getLogger(__name__)
            EMAIL_TEMPLATE = "emails/welcome.html"
            DEFAULT_FROM_EMAIL = "noreply@example.com"


            def start_mailer(server_ip, port):
                logger.info("mail backend %s, template %s, sender %s",
                            settings.EMAIL_BACKEND, EMAIL_TEMPLATE, DEFAULT_FROM_EMAIL)
                logger.info("listening on %s:%d", server_ip, port)
            """,
            path="app/mailer.py",
            note="Configuration, constants and the server's own address.",
        ),
        Example(
            """
            import logging

            from django.utils.translation import gettext as _

            logger = logging.getLogger(__name__)


            def reject_signup(form):
                logger.warning(_("Invalid email address"))
                logger.warning("signup rejected, invalid fields: %s", sorted(form.errors))
            """,
            path="app/forms.py",
            note="A translated message that mentions e-mail is a constant, not an address; "
                 "the names of the invalid fields are not their values.",
        ),
        Example(
            """
            import logging

            logger = logging.getLogger(__name__)


            def mask_email(email):
                name, _, domain = email.partition("@")
                return f"{name[:1]}***@{domain}"


            def send_receipt(customer):
                logger.info("receipt sent to %s", mask_email(customer.email))
            """,
            path="app/notify.py",
            note="A project masking helper (named `mask`, `redact`, `anonymise`…) stops the flow; "
                 "others can be listed in `sanitizers`.",
        ),
    )

    def check(self, project: Project) -> Iterator[Report]:
        for hit, data in _leaks(project, _LOG_SINKS, ("value", "container")):
            yield _report(project, hit, data)


class PiiInException(Rule):
    code = "PDL202"
    name = "pii-in-exception"
    severity = "warning"
    summary = "Personal data in the message of a raised exception."
    what = """
        Reports `raise SomeError(...)` whose message carries personal data (by the same data
        flow as PDL201).
    """
    why = """
        Exception messages end up in logs, tracebacks, error trackers and sometimes HTTP
        responses: the same places PDL201 keeps personal data out of.
    """
    bad = (
        Example(
            """
            def change_email(user, new_email):
                if "@" not in new_email:
                    # expect: PDL202
                    raise ValueError(f"invalid address {new_email}")
            """,
            path="app/accounts.py",
        ),
        Example(
            """
            from app.models import Customer


            def find_customer(email):
                customer = Customer.objects.filter(email=email).first()
                if customer is None:
                    # expect: PDL202
                    raise LookupError(f"no customer with e-mail {email}")
                return customer
            """,
            path="app/repository.py",
        ),
        Example(
            """
            from fastapi import APIRouter, HTTPException

            router = APIRouter()
            USERS: dict[str, int] = {}


            @router.get("/users/by-email/{email}")
            def user_by_email(email: str):  # gdpr: uses=contact.email purpose=support
                if email not in USERS:
                    # expect: PDL202
                    raise HTTPException(status_code=404, detail=f"user {email} not found")
                return {"id": USERS[email]}
            """,
            path="app/api.py",
            note="The detail goes to the client and to the access and error logs.",
        ),
        Example(
            """
            def check_blocklist(request, blocked):
                client_ip = request.META["REMOTE_ADDR"]
                if client_ip in blocked:
                    message = "blocked request from " + client_ip
                    # expect: PDL202
                    raise PermissionError(message)
            """,
            path="app/security.py",
            note="Through a variable.",
        ),
        Example(
            """
            from django.core.exceptions import ValidationError


            def clean_phone(phone_number, taken):
                if phone_number in taken:
                    # expect: PDL202
                    raise ValidationError(f"{phone_number} is already registered")
                return phone_number
            """,
            path="app/forms.py",
        ),
    )
    good = (
        Example(
            """
            def change_email(user, new_email):
                if "@" not in new_email:
                    raise ValueError(f"invalid address for user {user.id}")
            """,
            path="app/accounts.py",
        ),
        Example(
            """
            from django.core.exceptions import ValidationError
            from django.utils.translation import gettext as _


            def clean_email(email):
                if not email:
                    raise ValidationError({"email": _("This field is required.")})
                if "@" not in email:
                    raise ValidationError(_("Enter a valid email address."), code="invalid")
                return email
            """,
            path="app/forms.py",
            note="Error-dict keys and translated messages name a field; they hold no value.",
        ),
        Example(
            """
            def check_phone(phone_number):
                if len(phone_number) < 10:
                    raise ValueError(f"too short: {len(phone_number)} digits, 10 expected")
                return phone_number
            """,
            path="app/validators.py",
        ),
        Example(
            """
            from django.conf import settings
            from django.core.exceptions import ImproperlyConfigured


            def mail_backend():
                if not settings.EMAIL_BACKEND:
                    raise ImproperlyConfigured("EMAIL_BACKEND is not set")
                return settings.EMAIL_BACKEND
            """,
            path="app/mail.py",
        ),
        Example(
            """
            def find_ticket(tickets, ticket_id, user):
                if ticket_id not in tickets:
                    raise LookupError(f"ticket {ticket_id} of user {user.id} not found")
                return tickets[ticket_id]
            """,
            path="app/tickets.py",
        ),
    )

    def check(self, project: Project) -> Iterator[Report]:
        for hit, data in _leaks(project, (SinkKind.EXCEPTION,), ("value",)):
            yield _report(project, hit, data)


class SecretInLog(Rule):
    code = "PDL207"
    name = "secret-in-log"
    severity = "error"
    summary = "A credential (password, token, API key, secret) reaches a log or an exception."
    what = """
        Reports a password, passphrase, API key, access/refresh token, secret or MFA seed — the
        `account.credentials` axis, infrastructure secrets such as `db_password` included —
        that reaches a log sink or an exception message.
    """
    why = """
        A credential in a log is a credential leaked to everyone who can read the logs. It is a
        security incident (and, for users' passwords, a personal-data breach under Art. 33).
    """
    bad = (
        Example(
            """
            import logging

            logger = logging.getLogger(__name__)

            def login(request):
                password = request.POST["password"]
                # expect: PDL207
                logger.debug("login attempt with %s", password)
            """,
            path="app/auth.py",
        ),
        Example(
            """
            from fastapi import APIRouter
            from loguru import logger

            router = APIRouter()


            @router.post("/token")
            def issue_token(user_id: int):
                access_token = create_access_token(user_id)
                # expect: PDL207
                logger.info("issued {} to user {}", access_token, user_id)
                return {"access_token": access_token}


            def create_access_token(user_id: int) -> str:
                return f"token-{user_id}"
            """,
            path="app/api.py",
        ),
        Example(
            """
            import stripe


            def charge(api_key, amount):
                try:
                    return stripe.PaymentIntent.create(amount=amount, api_key=api_key)
                except stripe.AuthenticationError:
                    # expect: PDL207
                    raise RuntimeError(f"Stripe rejected key {api_key}") from None
            """,
            path="app/payments.py",
            note="An exception message is a log too.",
        ),
        Example(
            """
            import logging
            import os

            logger = logging.getLogger(__name__)


            def connect():
                db_password = os.environ["DB_PASSWORD"]
                # expect: PDL207
                logger.info("connecting to the database with %s", db_password)
            """,
            path="app/db.py",
            note="Infrastructure secrets count too.",
        ),
        Example(
            """
            import structlog

            log = structlog.get_logger()


            def refresh(request):
                # expect: PDL207
                log.bind(refresh_token=request.headers["X-Refresh-Token"]).info("refresh")
            """,
            path="app/auth.py",
        ),
    )
    good = (
        Example(
            """
            import logging

            logger = logging.getLogger(__name__)

            def login(request):
                password = request.POST["password"]
                logger.debug("login attempt, password length %d", len(password))
            """,
            path="app/auth.py",
        ),
        Example(
            """
            import logging

            from django.contrib.auth.hashers import check_password

            logger = logging.getLogger(__name__)


            def verify(user, password):
                logger.info("password given: %s", bool(password))
                ok = check_password(password, user.password)
                logger.info("login of user %s ok=%s", user.id, ok)
                return ok
            """,
            path="app/auth.py",
        ),
        Example(
            """
            import logging

            from django.conf import settings

            logger = logging.getLogger(__name__)
            PASSWORD_MIN_LENGTH = 12


            def request_password_reset(user):
                logger.info("password reset requested for user %s", user.id)
                logger.info("policy: min length %d, validators %s", PASSWORD_MIN_LENGTH,
                            settings.AUTH_PASSWORD_VALIDATORS)
            """,
            path="app/auth.py",
            note="`password_reset`, a password policy and its validators are not passwords.",
        ),
        Example(
            """
            import logging

            logger = logging.getLogger(__name__)


            def tokenize(text):
                tokens = text.split()
                for token in tokens:
                    logger.debug("token %s", token)
                return tokens
            """,
            path="app/search.py",
            note="A bare `token` is not a credential (NLP tokens, pagination cursors).",
        ),
        Example(
            """
            import logging

            logger = logging.getLogger(__name__)


            def on_token_refreshed(session):
                logger.info("token of type %s expires at %s", session.token_type,
                            session.token_expires_at)
            """,
            path="app/auth.py",
            note="Facts about a token are not the token.",
        ),
    )

    def check(self, project: Project) -> Iterator[Report]:
        for hit, data in _leaks(project, (*_LOG_SINKS, SinkKind.EXCEPTION), ("secret",)):
            yield _report(project, hit, data)
