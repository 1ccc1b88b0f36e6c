"""The exported flow graph: the scan's graph plus what a reader of a data map needs.

:func:`pdlint.graph.build_graph` gives categories, models/fields, functions/handlers and the
log-like sinks that rules query. For a picture of where personal data goes, the export adds,
from the same facts and data flow (never from source):

- ``module`` on every model/field node, so exporters can cluster by module or package;
- ``declared`` on field nodes: a field tag, or its class tag, declares a covering category
  (what PDL105 accepts), where ``tagged`` only says the field carries a tag itself;
- third-party sinks ``sink:third_party:<recipient>``: calls into known SDKs and HTTP clients
  that receive personal data (§3.6 of the domain notes), and recipients declared with
  ``to=`` in a function's tag (``declared=True`` edges);
- storage: ``writes`` edges from a function to the model it constructs or creates through a
  manager, or to the field whose attribute it assigns; client-side and shared stores
  (``sink:storage:cookie``, ``sink:storage:cache``, ``sink:storage:messages``) and task
  queues (``sink:queue``);
- ``sink:response``: personal data a route or view returns.

Every ``sink`` node carries ``sink_kind`` (``log``, ``print``, ``warn``, ``tracker``,
``exception``, ``third_party``, ``storage``, ``queue``, ``response``); only edges into the
log-like ones are leaks (``leak=True``), as in the scan's graph.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import networkx as nx

from pdlint.dataflow import value_data
from pdlint.facts import Atom, CallFact
from pdlint.graph import function_attrs

if TYPE_CHECKING:
    from pdlint.dataflow import Datum, Unit
    from pdlint.project import Project

#: Sinks whose edges are leaks (personal data written to logs and their relatives).
LOG_SINKS: frozenset[str] = frozenset({"log", "print", "warn", "tracker", "exception"})

# Resolved callee prefix -> recipient named in the inventory. ``None``: an HTTP client, whose
# recipient is the declared ``to=``, else the host of a literal URL (:func:`_host`), else
# :data:`HTTP_UNKNOWN_HOST`; never the library.
_THIRD_PARTY: tuple[tuple[str, str | None], ...] = (
    ("requests.", None),
    ("httpx.", None),
    ("urllib.request.", None),
    ("urllib3.", None),
    ("aiohttp.", None),
    ("http.client.", None),
    ("stripe.", "Stripe"),
    ("braintree.", "Braintree"),
    ("adyen.", "Adyen"),
    ("Adyen.", "Adyen"),
    ("paypalrestsdk.", "PayPal"),
    ("twilio.", "Twilio"),
    ("sendgrid.", "SendGrid"),
    ("mailchimp_marketing.", "Mailchimp"),
    ("mailchimp3.", "Mailchimp"),
    ("postmarker.", "Postmark"),
    ("django.core.mail.", "e-mail (SMTP)"),
    ("smtplib.", "e-mail (SMTP)"),
    ("flask_mail.", "e-mail (SMTP)"),
    ("boto3.", "AWS"),
    ("botocore.", "AWS"),
    ("google.cloud.", "Google Cloud"),
    ("firebase_admin.", "Firebase"),
    ("segment.analytics.", "Segment"),
    ("analytics.", "Segment"),
    ("mixpanel.", "Mixpanel"),
    ("posthog.", "PostHog"),
    ("amplitude.", "Amplitude"),
    ("customerio.", "Customer.io"),
    ("hubspot.", "HubSpot"),
    ("simple_salesforce.", "Salesforce"),
    ("intercom.", "Intercom"),
    ("sentry_sdk.", "Sentry"),
    ("rollbar.", "Rollbar"),
    ("bugsnag.", "Bugsnag"),
    ("honeybadger.", "Honeybadger"),
    ("newrelic.", "New Relic"),
    ("ddtrace.", "Datadog"),
    ("datadog.", "Datadog"),
    ("opentelemetry.", "OpenTelemetry collector"),
    ("openai.", "OpenAI"),
    ("anthropic.", "Anthropic"),
    ("google.genai.", "Google GenAI"),
    ("google.generativeai.", "Google GenAI"),
    ("elasticsearch.", "Elasticsearch"),
)
_STORAGE_METHODS = frozenset({
    "create", "get_or_create", "update_or_create", "bulk_create", "update", "bulk_update",
    "save", "insert", "add", "add_all", "merge", "put", "put_item",
})
_QUEUE_METHODS = frozenset({"delay", "apply_async", "send_task", "enqueue", "enqueue_call",
                            "send", "send_with_options"})
_CACHE_METHODS = frozenset({"set", "set_many", "add", "hset", "hmset", "setex", "set_value",
                            "lpush", "rpush", "sadd"})
_RESPONSE_HANDLERS = frozenset({"route", "view"})


#: The recipient of an HTTP call whose host the facts do not give: a URL in a variable, a
#: field, an f-string or a settings constant. Never the variable's name (``avatar_url`` is a
#: field, not an organisation), never any part of a literal but its host.
HTTP_UNKNOWN_HOST = "HTTP endpoint (host not known statically)"

# Calls under an HTTP client's prefix that are the server side: an aiohttp handler answering
# with ``web.json_response`` responds to its caller (``sink:response``), it sends to no one.
_HTTP_SERVER_PREFIXES = ("aiohttp.web.", "aiohttp.web_")
# Constructors whose first argument is a bare host ("api.example.com:443"), not a URL.
_HOST_CONSTRUCTORS = frozenset({"http.client.HTTPConnection", "http.client.HTTPSConnection"})
_URL_SCHEMES = frozenset({"http", "https", "ws", "wss"})
_HOST_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")


def _recipient_of(callee: str) -> tuple[bool, str | None]:
    """(is a third-party call, named recipient or None for an HTTP client)."""
    if callee.startswith(_HTTP_SERVER_PREFIXES):
        return False, None
    for prefix, name in _THIRD_PARTY:
        if callee.startswith(prefix):
            return True, name
    return False, None


def hostname(value: str) -> str | None:
    """``value`` when it looks like a DNS host name (letters, digits, hyphens, dots; the last
    label not all digits), else None: an IP literal, a percent-encoded or non-ASCII host or
    anything stranger is no organisation's name, and may be data."""
    host = value.lower().removesuffix(".")
    if not host or len(host) > 253 or not host.isascii():
        return None
    labels = host.split(".")
    if not all(_HOST_LABEL.fullmatch(label) for label in labels):
        return None
    if labels[-1].isdigit():  # 10.0.0.7, 2130706433: addresses, not names
        return None
    return host


def _url_literal(call: CallFact) -> str | None:
    """The literal URL argument of an HTTP call, from the facts (extraction keeps literal
    string arguments; a variable, an f-string or a constant gives None)."""
    callee = call.callee or ""
    # requests.request("POST", url), urllib3's PoolManager().request("GET", url)
    position = 1 if callee.rsplit(".", 1)[-1] == "request" else 0
    literal = call.strings[position] if len(call.strings) > position else None
    keywords = dict(call.kwarg_strings)
    if literal is None:
        literal = keywords.get("url")
    if callee in _HOST_CONSTRUCTORS:
        literal = literal or keywords.get("host")
        return f"//{literal}" if literal else None
    return literal


def _host(call: CallFact) -> str | None:
    """The recipient of an HTTP call: the host of a literal URL, and only the host (path,
    query and credentials may carry personal data or secrets; a product rule forbids
    printing literals from scanned code). None when the host is not known statically."""
    literal = _url_literal(call)
    if not literal:
        return None
    try:
        parts = urlsplit(literal.strip())
        host = parts.hostname
    except ValueError:
        return None
    if parts.scheme and parts.scheme.lower() not in _URL_SCHEMES:
        return None
    return hostname(host) if host else None


def _categories(data: Iterable[Datum]) -> list[str]:
    return sorted({d.category for d in value_data(data)})


def _payload(call: CallFact) -> list[Atom]:
    atoms: list[Atom] = list(call.receiver)
    for arg in call.args:
        atoms.extend(arg)
    for _name, kwarg in call.kwargs:
        atoms.extend(kwarg)
    return atoms


def _merge_edge(graph: nx.DiGraph, source: str, target: str, kind: str,
                categories: Iterable[str], *, declared: bool = False) -> None:
    """Add or widen an edge; an edge is ``declared`` only while every source of it is."""
    found = sorted(set(categories))
    if graph.has_edge(source, target):
        data = graph.edges[source, target]
        data["categories"] = sorted(set(data.get("categories", [])) | set(found))
        if not declared:
            data["detected"] = True
        data["declared"] = bool(data.get("declared")) or declared
        return
    attrs: dict[str, object] = {"kind": kind, "categories": found}
    if kind == "sends":
        attrs["leak"] = False
    attrs["declared"] = declared
    attrs["detected"] = not declared
    graph.add_edge(source, target, **attrs)


def _sink(graph: nx.DiGraph, kind: str, name: str | None = None) -> str:
    node = f"sink:{kind}" if name is None else f"sink:{kind}:{name}"
    if node not in graph:
        attrs: dict[str, object] = {"kind": "sink", "label": name or kind, "sink_kind": kind}
        if name is not None:
            attrs["recipient" if kind == "third_party" else "store"] = name
        graph.add_node(node, **attrs)
    return node


class _Enricher:
    def __init__(self, project: Project, graph: nx.DiGraph) -> None:
        self.project = project
        self.graph = graph
        self.flow = project.dataflow
        self.module_of_path = {facts.path: facts.module for facts in project.files}
        models = project.models.models
        self.fields_by_name: dict[str, list[str]] = {}
        for node, data in graph.nodes(data=True):
            if data.get("kind") == "field":
                name = node.rsplit(".", 1)[-1]
                self.fields_by_name.setdefault(name, []).append(node)
        self.models = models

    # -- nodes ----------------------------------------------------------------------------
    def annotate_nodes(self) -> None:
        graph, project = self.graph, self.project
        for node in sorted(graph):
            data = graph.nodes[node]
            kind = data.get("kind")
            if kind in ("model", "field") and "path" in data and "module" not in data:
                module = self.module_of_path.get(str(data["path"]))
                if module is not None:
                    data["module"] = module
            if kind == "module" and "module" not in data:
                data["module"] = str(data.get("label", node.partition(":")[2]))
            if kind == "sink" and "sink_kind" not in data:
                data["sink_kind"] = str(data.get("label", node.partition(":")[2]))
            if kind == "field":
                data["declared"] = project.field_declared(node.partition(":")[2])

    def function_node(self, symbol: str) -> str:
        node = f"function:{symbol}"
        if node in self.graph:
            return node
        self.graph.add_node(node, **function_attrs(self.project, symbol))
        return node

    # -- edges ----------------------------------------------------------------------------
    def add_flows(self) -> None:
        flow = self.flow
        for symbol in sorted(flow.units):
            unit = flow.units[symbol]
            function = unit.function
            if function is None or unit.facts.is_test:
                continue
            declared_to = self._declared_recipients(symbol)
            for call in unit.calls:
                if call.sink is not None or not call.callee:
                    continue
                self._call(unit, symbol, call, declared_to)
            self._attribute_writes(symbol)
            self._response(unit, symbol)
        self._declared()

    def _data(self, unit: Unit, atoms: list[Atom]) -> list[str]:
        if not atoms:
            return []
        return _categories(self.flow.concrete(unit, atoms))

    def _call(self, unit: Unit, symbol: str, call: CallFact,
              declared_to: list[str]) -> None:
        callee = call.callee or ""
        is_third, recipient = _recipient_of(callee)
        method = callee.rsplit(".", 1)[-1]
        targets: list[tuple[str, str | None, str]] = []  # (sink kind, name, edge kind)
        model: str | None = None
        if is_third:
            names = [recipient] if recipient is not None else \
                (declared_to or [_host(call) or HTTP_UNKNOWN_HOST])
            targets = [("third_party", name, "sends") for name in names]
        elif method in ("set_cookie", "set_signed_cookie"):
            targets = [("storage", "cookie", "sends")]
        elif callee.startswith(("django.contrib.messages.", "flask.flash")):
            targets = [("storage", "messages", "sends")]
        elif method in _CACHE_METHODS and ("cache" in callee.lower() or "redis" in callee.lower()):
            targets = [("storage", "cache", "sends")]
        elif method in _QUEUE_METHODS and callee.rsplit(".", 1)[0] in self.flow.units:
            targets = [("queue", None, "sends")]
        else:
            model = self._model_written(callee, method)
        if not targets and model is None:
            return
        categories = self._data(unit, _payload(call))
        if not categories:
            return
        source = self.function_node(symbol)
        if model is not None:
            _merge_edge(self.graph, source, model, "writes", categories)
        for kind, name, edge_kind in targets:
            _merge_edge(self.graph, source, _sink(self.graph, kind, name), edge_kind, categories)

    def _model_written(self, callee: str, method: str) -> str | None:
        """The model node that a constructor or manager call writes to, if any."""
        if f"model:{callee}" in self.graph:
            return f"model:{callee}"
        if method not in _STORAGE_METHODS:
            return None
        head = callee
        while "." in head:
            head = head.rsplit(".", 1)[0]
            if f"model:{head}" in self.graph:
                return f"model:{head}"
        return None

    def _attribute_writes(self, symbol: str) -> None:
        """``obj.email = …``: a write to a model field when ``obj`` names the model (``self``
        in its methods, ``order`` for ``Order``, ``user``-like names for the one person
        model with that field)."""
        function = self.flow.units[symbol].function
        assert function is not None
        for label in function.writes:
            field_node = self._written_field(label, function.class_symbol)
            if field_node is None:
                continue
            categories = sorted({atom[1] for atom in function.reads
                                 if atom[0] == "d" and atom[3] == label and atom[2] == "value"})
            if not categories:  # the field's own category
                categories = sorted({str(key) for _, _, held in self.graph.out_edges(
                    field_node, data="categories") for key in held or ()})
            _merge_edge(self.graph, self.function_node(symbol), field_node, "writes", categories)

    def _written_field(self, label: str, class_symbol: str | None) -> str | None:
        head, _, attr = label.rpartition(".")
        if not head:
            return None
        if head == "self":
            candidate = f"field:{class_symbol}.{attr}" if class_symbol else ""
            return candidate if candidate in self.graph else None
        name = head.rsplit(".", 1)[-1].lower().replace("_", "")
        matching: list[str] = []
        for node in self.fields_by_name.get(attr, []):
            model = self.models.get(node.partition(":")[2].rsplit(".", 1)[0])
            if model is None:
                continue
            if name == model.name.lower() or (name.endswith("user") and model.person):
                matching.append(node)
        return matching[0] if len(matching) == 1 else None

    def _response(self, unit: Unit, symbol: str) -> None:
        handler = self.project.handlers.get(symbol)
        if handler is None or handler.kind not in _RESPONSE_HANDLERS:
            return
        function = self.flow.units[symbol].function
        assert function is not None
        categories = self._data(unit, list(function.returns))
        if categories:
            _merge_edge(self.graph, self.function_node(symbol), _sink(self.graph, "response"),
                        "sends", categories)

    def _declared_recipients(self, symbol: str) -> list[str]:
        names: list[str] = []
        for tag in self.project.tags_of(symbol):
            for name in tag.get("to"):
                if name not in names:
                    names.append(name)
        return names

    def _declared(self) -> None:
        """``to=`` in a function's own tag: an edge to that recipient, marked declared."""
        project = self.project
        for facts in project.source_files:
            for tag in facts.tags:
                if tag.owner_kind != "function" or tag.owner is None or not tag.get("to"):
                    continue
                shared = tag.get("shares") or tag.categories
                categories = sorted({resolved for value in shared
                                     if (resolved := project.resolve_category(value))})
                source = self.function_node(tag.owner)
                for name in tag.get("to"):
                    _merge_edge(self.graph, source, _sink(self.graph, "third_party", name),
                                "sends", categories, declared=True)


def export_graph(project: Project) -> nx.DiGraph:
    """A copy of the project's flow graph with modules, storage, recipients and responses."""
    graph = project.graph.copy()
    enricher = _Enricher(project, graph)
    enricher.annotate_nodes()
    enricher.add_flows()
    enricher.annotate_nodes()  # nodes added for flows need their module too
    for _u, _v, data in graph.edges(data=True):  # one schema for every edge
        data.setdefault("categories", [])
        data.setdefault("declared", False)
        data.setdefault("detected", True)
        if data.get("kind") == "sends":
            data.setdefault("leak", False)
    return graph
