"""The shapes of framework and library knowledge (what a spec module may declare).

A *spec* is one frozen :class:`Spec` value per framework or library family, written as data
in its own module (``pdlint.knowledge.flask``, ``pdlint.knowledge.analytics`` …) and
collected by :mod:`pdlint.knowledge`. The phases read the merged tables: extraction asks
which attribute chains are request sources and which calls are log sinks; the link phase
asks which functions are handlers and where a call sends data; the rules and the exporters
read what the link phase made of it. A spec names no phase and imports nothing but this
module (and, for shared vocabulary, :mod:`pdlint.knowledge.http`), so adding a library is
adding data, not code.

All patterns are regular-expression *source strings* matched against import-resolved dotted
names (``flask.Flask``, ``django.db.models.Model``); the registry compiles them once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum


class SinkKind(str, Enum):
    """Where personal data can go. The values are the names used in reports and exports.

    A ``str`` subclass, so a kind compares equal to its value, is written by ``json`` as
    its value and can be stored in the (cached, pickled) facts as a plain string.
    """

    LOG = "log"  # logging, structlog, loguru
    PRINT = "print"  # print(), sys.stdout.write(), pprint
    WARN = "warn"  # warnings.warn()
    TRACKER = "tracker"  # an error tracker's message or breadcrumb (Sentry, Rollbar…)
    EXCEPTION = "exception"  # the message of a raised exception
    THIRD_PARTY = "third_party"  # an SDK or HTTP client: data leaves to a recipient
    STORAGE = "storage"  # cookies, flash messages, caches (``store`` names which)
    QUEUE = "queue"  # a task queue: arguments are serialised into a broker
    RESPONSE = "response"  # what a route or view returns to its caller
    MODEL = "model"  # a model or field of the project's own storage

    def __str__(self) -> str:
        return self.value

    def __format__(self, spec: str) -> str:
        return format(self.value, spec)

    @property
    def leaks(self) -> bool:
        """Whether data reaching this sink is a leak (PDL201/PDL202): logs and their kin."""
        return self in LEAK_KINDS


LEAK_KINDS: frozenset[SinkKind] = frozenset({
    SinkKind.LOG, SinkKind.PRINT, SinkKind.WARN, SinkKind.TRACKER, SinkKind.EXCEPTION,
})


# -- handlers -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClassRule:
    """Handler methods of classes deriving from a framework base."""

    framework: str
    kind: str  # "route" | "view" | "task" | "middleware" | "signal" | "hook"
    methods: frozenset[str]


@dataclass(frozen=True)
class DecoratorRule:
    """A decorator that makes any function a handler, by its resolved name."""

    framework: str
    kind: str
    methods: tuple[str, ...] = ()
    path_pos: int | None = None  # a literal route among the decorator's arguments
    path_kw: str | None = None
    name_kw: str | None = None


@dataclass(frozen=True)
class RouteDecorator:
    """``@<receiver>.<attr>(...)`` registering a route on a framework object."""

    methods: tuple[str, ...] = ()
    path_pos: int | None = 0
    method_pos: int | None = None  # aiohttp ``@routes.route("POST", "/x")``


@dataclass(frozen=True)
class Registration:
    """A call that registers a callable: ``path(route, view, name=…)``, ``add_url_rule``…"""

    kind: str
    view_pos: int
    view_kw: str | None = None
    path_pos: int | None = 0
    path_kw: str | None = None
    name_pos: int | None = None
    name_kw: str | None = None
    methods: tuple[str, ...] = ()
    method_pos: int | None = None  # the HTTP method is a literal argument (must be a verb)
    extra_paths: bool = False  # every literal after the view is a URL (add_resource)
    unwrap: bool = False  # look through wrappers: path("x/", login_required(view))
    classes: bool = True  # whether the target may be a class (its handler methods)


@dataclass(frozen=True)
class Family:
    """What an app-like object of one framework exposes (Flask app, APIRouter, Celery…)."""

    framework: str
    routes: Mapping[str, RouteDecorator] = field(default_factory=dict)
    hooks: frozenset[str] = frozenset()
    middleware: frozenset[str] = frozenset()
    tasks: frozenset[str] = frozenset()
    calls: Mapping[str, Registration] = field(default_factory=dict)
    path_kw: str = "path"
    name_kw: str | None = "name"
    default_name: bool = True  # the function name is the route name when none is given


@dataclass(frozen=True)
class ImportFamily:
    """A family suggested by a file's imports; ``preference`` orders families when a file
    imports several (a FastAPI module often imports starlette too: FastAPI wins)."""

    pattern: str
    family: str
    preference: int


@dataclass(frozen=True)
class CallRegistration:
    """A registration made by calling a module-level function (``django.urls.path``)."""

    pattern: str  # searched, not matched: ``(^|\\.)router\\.add_get$``
    framework: str
    registration: Registration
    attrs: tuple[str, ...]  # the callee's possible last names (a cheap pre-filter)


# -- sinks ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CallSink:
    """A call, by its exact resolved name, that writes its arguments somewhere.

    ``payload`` says which arguments reach the sink: ``all``, ``first`` (a message, the
    rest being options), ``kwargs`` (context bound to a logger) or ``skip-level``
    (``logger.log(level, msg)``).
    """

    callee: str
    kind: SinkKind
    payload: str = "all"


@dataclass(frozen=True)
class Recipient:
    """Calls under a resolved-name ``prefix`` send data to an outside ``recipient``.

    ``recipient=None`` marks an HTTP client: the recipient is the function's declared
    ``to=``, else the host of a literal URL, else "HTTP endpoint (host not known
    statically)"; never the library.
    """

    prefix: str
    recipient: str | None


@dataclass(frozen=True)
class StoreSink:
    """Calls that put data into a store outside the database (``kind`` STORAGE or QUEUE).

    A call matches when its last name is one of ``methods`` (or, with no methods, when its
    resolved name starts with one of ``prefixes``), when ``receiver_words`` is empty or a
    word of it occurs in the callee, and, with ``project_receiver``, when the receiver is a
    function of the project (``send_welcome.delay(…)``: a task of ours, not a library's).
    """

    kind: SinkKind
    store: str | None
    methods: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()
    receiver_words: tuple[str, ...] = ()
    project_receiver: bool = False


@dataclass(frozen=True)
class LoggerSpec:
    """How to recognise a logger: ``<logger>.<method>(…)`` is a log sink."""

    methods: frozenset[str] = frozenset()  # info, warning, exception…
    context_methods: frozenset[str] = frozenset()  # bind(), contextualize(): kwargs are logged
    prefixes: tuple[str, ...] = ()  # resolved callees that are always loggers: "logging."
    factories: tuple[str, ...] = ()  # patterns of calls returning a logger: logging.getLogger
    # patterns of receiver names that conventionally are loggers (matched ignoring case)
    names: tuple[str, ...] = ()


# -- tests ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TestClientSpec:
    """How tests request routes: what pdlint.testrefs reads in test modules."""

    __test__ = False  # not a pytest test class

    # receivers that are no ``*client*`` by name but send requests (their URL must look
    # like one): ``with app.test_client() as c``, ``requests.get(url)``
    weak_receivers: frozenset[str] = frozenset()
    method_first: frozenset[str] = frozenset()  # client.generic("POST", "/x")
    # URL reversal: function name -> "reverse" (Django url names) | "url_for" (endpoints)
    reverse: Mapping[str, str] = field(default_factory=dict)


# -- the spec -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    """Everything pdlint knows about one framework or library family."""

    name: str
    # handlers (pdlint.frameworks.handlers)
    handler_classes: tuple[tuple[str, ClassRule], ...] = ()
    routed_class_methods: Mapping[str, frozenset[str]] = field(default_factory=dict)
    handler_decorators: tuple[tuple[str, DecoratorRule], ...] = ()
    families: Mapping[str, Family] = field(default_factory=dict)
    instance_types: tuple[tuple[str, str], ...] = ()  # (pattern of a constructor, family)
    import_families: tuple[ImportFamily, ...] = ()
    call_registrations: tuple[CallRegistration, ...] = ()
    signal_modules: tuple[str, ...] = ()  # patterns of module-level signals (post_save)
    # import roots (patterns) of a web framework that routes by decorator or registration:
    # a ``views.py`` importing one is no Django module, its ``request`` functions are helpers
    web_roots: tuple[str, ...] = ()
    # (import root pattern, framework) of frameworks whose ``views.py`` functions taking
    # ``request`` are views, routed by a URL conf (Django, Pyramid)
    request_view_roots: tuple[tuple[str, str], ...] = ()
    # request sources (pdlint.extract.flow): attribute chains that are personal data
    request_sources: tuple[tuple[str, str], ...] = ()  # (pattern, category; "" = by name)
    request_containers: tuple[str, ...] = ()  # dotted suffixes: "request.POST"
    request_body_calls: tuple[str, ...] = ()  # dotted suffixes of calls: "request.get_json"
    # models and schemas (pdlint.models): (framework, pattern of a base class)
    model_bases: tuple[tuple[str, str], ...] = ()
    # tests (pdlint.testrefs)
    test_clients: TestClientSpec = TestClientSpec()
    # sinks (extraction: log-like ones; link phase: the rest)
    logger: LoggerSpec | None = None
    call_sinks: tuple[CallSink, ...] = ()
    recipients: tuple[Recipient, ...] = ()
    not_recipients: tuple[str, ...] = ()  # prefixes under a recipient that send nothing
    host_constructors: tuple[str, ...] = ()  # callees whose first argument is a bare host
    stores: tuple[StoreSink, ...] = ()
    storage_methods: frozenset[str] = frozenset()  # manager calls that write a model
    # patterns of callees whose result carries no personal data: hashers, translations
    sanitizers: tuple[str, ...] = ()
