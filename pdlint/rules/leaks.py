"""Personal data and credentials reaching logs and exception messages: PDL201, PDL202, PDL207."""

from __future__ import annotations

from collections.abc import Iterator

from pdlint.dataflow import Datum, SinkHit
from pdlint.project import Project
from pdlint.rules.base import Example, Report, Rule
from pdlint.rules.handlers import summarize

_LOG_SINKS = ("log", "print", "warn", "tracker")
_NOT_LEAKED = frozenset({"account.id", "identity.photo"})


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


def _sink_name(hit: SinkHit) -> str:
    written = hit.call.written or hit.call.callee or "a call"
    if hit.call.sink == "exception":
        return f"the message of {written}(…)"
    return f"{written}()"


def _leaks(project: Project, sinks: tuple[str, ...], kinds: tuple[str, ...]
           ) -> Iterator[tuple[SinkHit, list[Datum]]]:
    for hit in project.dataflow.sink_hits():
        if hit.call.sink not in sinks or hit.unit.facts.is_test:
            continue
        # Photos and files reach a log as a storage name or URL (a pointer), not the image.
        data = [d for d in hit.data if d.kind in kinds and d.category not in _NOT_LEAKED]
        if data:
            yield hit, data


def _report(project: Project, hit: SinkHit, data: list[Datum]) -> Report:
    categories = tuple(sorted({d.category for d in data if d.category != "request"}))
    longest = max(data, key=lambda d: (len(d.path), d.path))
    trace: list[tuple[str, int, str]] = []
    if len(longest.path) > 1:
        for symbol in longest.path:
            entry = project.functions.get(symbol)
            if entry is not None:
                trace.append((entry[1].path, entry[0].span.line, symbol))
    return Report(
        hit.unit.facts.path,
        hit.call.span,
        describe(data, _sink_name(hit)),
        symbol=hit.unit.symbol,
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
                        log.info(f"receipt sent to {address}")
                """,
            },
            note="Across modules: the finding is reported in the helper and names the path.",
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
                    raise ValueError(f"invalid address {new_email}")
            """,
            path="app/accounts.py",
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
    )

    def check(self, project: Project) -> Iterator[Report]:
        for hit, data in _leaks(project, ("exception",), ("value",)):
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
                logger.debug("login attempt with %s", password)
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
    )

    def check(self, project: Project) -> Iterator[Report]:
        for hit, data in _leaks(project, (*_LOG_SINKS, "exception"), ("secret",)):
            yield _report(project, hit, data)
