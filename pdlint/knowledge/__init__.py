"""The knowledge registry: what pdlint knows about frameworks and libraries, in one place.

Each module of this package is the *spec* of one framework or library family, written as
data (see :mod:`pdlint.knowledge.spec` for the shapes):

============================  ===============================================================
``drf``, ``django``           Django REST framework; Django (views, URL confs, signals, forms)
``flask``                     Flask, Quart, Flask-RESTful/RESTX, APIFlask, flask-smorest
``fastapi``                   FastAPI and Starlette
``aiohttp``                   aiohttp's server side
``other_web``                 Sanic, Django Ninja, Litestar, Tornado, Pyramid
``tasks``                     Celery, RQ, Dramatiq, Huey
``logs``                      logging, structlog, loguru, print, warnings
``trackers``                  error trackers and APM (Sentry, Rollbar, Datadog…)
``http_clients``              requests, httpx, urllib, urllib3, aiohttp's client, http.client
``messaging``                 e-mail and SMS (SMTP, SendGrid, Mailchimp, Postmark, Twilio)
``payments``                  Stripe, Braintree, Adyen, PayPal
``analytics``                 product analytics and CRM (Segment, Mixpanel, HubSpot…)
``cloud``                     AWS, Google Cloud, Firebase
``llm``                       OpenAI, Anthropic, Google GenAI
``search``                    Elasticsearch
``caches``                    Django's cache, Redis, memcached
``schemas``                   pydantic, SQLAlchemy, marshmallow, TypedDict, NamedTuple; ORM writes
``crypto``                    hashing, encryption, identifiers (sanitisers of the data flow)
============================  ===============================================================

This module merges them into the tables the phases read, compiled once: extraction
(request sources, log sinks), the link phase (handlers, recipients, stores, model bases),
:mod:`pdlint.testrefs` (test clients). Nothing else in pdlint names a framework's API.
The order of :data:`SPECS` is the order in which overlapping patterns are tried (DRF
views are Django views too, so DRF comes first); import families carry an explicit
preference instead.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from pdlint.knowledge import (
    aiohttp,
    analytics,
    caches,
    cloud,
    crypto,
    django,
    drf,
    fastapi,
    flask,
    http_clients,
    llm,
    logs,
    messaging,
    other_web,
    payments,
    schemas,
    search,
    tasks,
    trackers,
)
from pdlint.knowledge.spec import (
    LEAK_KINDS,
    CallSink,
    ClassRule,
    DecoratorRule,
    Family,
    LoggerSpec,
    Recipient,
    Registration,
    SinkKind,
    Spec,
    StoreSink,
    TestClientSpec,
)

SPECS: tuple[Spec, ...] = (
    drf.SPEC, django.SPEC, flask.SPEC, fastapi.SPEC, aiohttp.SPEC, other_web.SPEC,
    tasks.SPEC, logs.SPEC, trackers.SPEC, http_clients.SPEC, messaging.SPEC, payments.SPEC,
    analytics.SPEC, cloud.SPEC, llm.SPEC, search.SPEC, caches.SPEC, schemas.SPEC, crypto.SPEC,
)


def _alternation(patterns: list[str]) -> str:
    return "|".join(patterns) if patterns else r"(?!)"


def _suffixes(values: list[str]) -> re.Pattern[str]:
    """``(^|\\.)(a\\.b|c\\.d)$`` for dotted suffixes, deduplicated in a stable order."""
    unique = sorted(set(values))
    return re.compile(r"(^|\.)(" + _alternation([re.escape(v) for v in unique]) + r")$")


def _roots(roots: list[str]) -> re.Pattern[str]:
    return re.compile(r"^(" + _alternation(roots) + r")(\.|$)")


def _merged_families() -> dict[str, Family]:
    merged: dict[str, Family] = {}
    for spec in SPECS:
        for name, family in spec.families.items():
            if name in merged:
                raise ValueError(f"framework family {name!r} is declared twice")
            merged[name] = family
    return merged


def _merged_routed() -> dict[str, frozenset[str]]:
    merged: dict[str, frozenset[str]] = {}
    for spec in SPECS:
        for framework, methods in spec.routed_class_methods.items():
            merged[framework] = merged.get(framework, frozenset()) | methods
    return merged


def _merged_test_clients() -> TestClientSpec:
    weak: set[str] = set()
    first: set[str] = set()
    reverse: dict[str, str] = {}
    for spec in SPECS:
        weak |= spec.test_clients.weak_receivers
        first |= spec.test_clients.method_first
        reverse.update(spec.test_clients.reverse)
    return TestClientSpec(frozenset(weak), frozenset(first), reverse)


def _merged_logger() -> LoggerSpec:
    loggers = [spec.logger for spec in SPECS if spec.logger is not None]
    return LoggerSpec(
        methods=frozenset().union(*(lg.methods for lg in loggers)),
        context_methods=frozenset().union(*(lg.context_methods for lg in loggers)),
        prefixes=tuple(p for lg in loggers for p in lg.prefixes),
        factories=tuple(p for lg in loggers for p in lg.factories),
        names=tuple(p for lg in loggers for p in lg.names),
    )


# -- handlers (pdlint.frameworks.handlers) ----------------------------------------------------
CLASS_RULES: tuple[tuple[re.Pattern[str], ClassRule], ...] = tuple(
    (re.compile(pattern), rule) for spec in SPECS for pattern, rule in spec.handler_classes)
ROUTED_CLASS_METHODS: Mapping[str, frozenset[str]] = _merged_routed()
FUNCTION_DECORATORS: tuple[tuple[re.Pattern[str], DecoratorRule], ...] = tuple(
    (re.compile(pattern), rule) for spec in SPECS for pattern, rule in spec.handler_decorators)
FAMILIES: Mapping[str, Family] = _merged_families()
INSTANCE_TYPES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), family) for spec in SPECS for pattern, family in spec.instance_types)
IMPORT_FAMILIES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(entry.pattern), entry.family)
    for entry in sorted((e for spec in SPECS for e in spec.import_families),
                        key=lambda e: (e.preference, e.family)))
CALL_REGISTRATIONS: tuple[tuple[re.Pattern[str], str, Registration], ...] = tuple(
    (re.compile(entry.pattern), entry.framework, entry.registration)
    for spec in SPECS for entry in spec.call_registrations)
#: Last name segments of every registration call: a cheap filter, as every call of every
#: function is checked.
REGISTRATION_ATTRS: frozenset[str] = frozenset(
    {attr for spec in SPECS for entry in spec.call_registrations for attr in entry.attrs}
    | {attr for family in FAMILIES.values() for attr in family.calls})
SIGNAL_MODULES: re.Pattern[str] = re.compile(
    _alternation([p for spec in SPECS for p in spec.signal_modules]))
NON_DJANGO_WEB: re.Pattern[str] = _roots([root for spec in SPECS for root in spec.web_roots])
REQUEST_VIEW_ROOTS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (_roots([root]), framework) for spec in SPECS for root, framework in spec.request_view_roots)

# -- extraction (pdlint.extract.flow) ---------------------------------------------------------
REQUEST_SOURCES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), category) for spec in SPECS for pattern, category in spec.request_sources)
REQUEST_CONTAINERS: re.Pattern[str] = _suffixes(
    [suffix for spec in SPECS for suffix in spec.request_containers])
REQUEST_BODY_CALLS: re.Pattern[str] = _suffixes(
    [suffix for spec in SPECS for suffix in spec.request_body_calls])
LOGGER: LoggerSpec = _merged_logger()
LOGGER_FACTORIES: re.Pattern[str] = re.compile(r"^(" + _alternation(list(LOGGER.factories)) + r")$")
LOGGER_NAMES: re.Pattern[str] = re.compile(
    r"^(" + _alternation(list(LOGGER.names)) + r")$", re.IGNORECASE)
#: Callees whose result carries no personal data (matched whole), besides the builtins
#: extraction knows (len, bool, int…).
SANITIZERS: tuple[str, ...] = tuple(p for spec in SPECS for p in spec.sanitizers)
CALL_SINKS: Mapping[str, CallSink] = {
    sink.callee: sink for spec in SPECS for sink in spec.call_sinks}

# -- models (pdlint.models) -------------------------------------------------------------------
MODEL_BASES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (framework, re.compile(pattern)) for spec in SPECS for framework, pattern in spec.model_bases)

# -- tests (pdlint.testrefs) ------------------------------------------------------------------
TEST_CLIENTS: TestClientSpec = _merged_test_clients()

# -- where data goes (pdlint.flows) -----------------------------------------------------------
#: Longest prefix first, so a more specific entry always wins.
RECIPIENTS: tuple[Recipient, ...] = tuple(sorted(
    (entry for spec in SPECS for entry in spec.recipients),
    key=lambda entry: (-len(entry.prefix), entry.prefix)))
NOT_RECIPIENTS: tuple[str, ...] = tuple(p for spec in SPECS for p in spec.not_recipients)
HOST_CONSTRUCTORS: frozenset[str] = frozenset(
    c for spec in SPECS for c in spec.host_constructors)
STORES: tuple[StoreSink, ...] = tuple(store for spec in SPECS for store in spec.stores)
STORAGE_METHODS: frozenset[str] = frozenset().union(*(spec.storage_methods for spec in SPECS))

__all__ = [
    "CALL_REGISTRATIONS", "CALL_SINKS", "CLASS_RULES", "FAMILIES", "FUNCTION_DECORATORS",
    "HOST_CONSTRUCTORS", "IMPORT_FAMILIES", "INSTANCE_TYPES", "LEAK_KINDS", "LOGGER",
    "LOGGER_FACTORIES", "LOGGER_NAMES", "MODEL_BASES", "NON_DJANGO_WEB", "NOT_RECIPIENTS",
    "RECIPIENTS", "REGISTRATION_ATTRS", "REQUEST_BODY_CALLS", "REQUEST_CONTAINERS",
    "REQUEST_SOURCES", "REQUEST_VIEW_ROOTS", "ROUTED_CLASS_METHODS", "SANITIZERS", "SIGNAL_MODULES",
    "SPECS",
    "STORAGE_METHODS", "STORES", "TEST_CLIENTS", "SinkKind", "Spec",
]
