"""The link model of where personal data goes: every flow edge, computed once.

A :class:`Flow` is one edge *source → sink*: a function (or a module's top-level code)
sends personal data to a log, an exception message, a third party, a store, a task queue,
its HTTP response, or writes it into a model of the project. Log-like sinks are
recognised at extraction (``CallFact.sink``); the rest is decided here from the resolved
callees and the knowledge registry (:mod:`pdlint.knowledge`: recipients, stores, ORM
writes). Rules query :class:`FlowModel`; the graph export (:mod:`pdlint.graph`,
:mod:`pdlint.export.enrich`) and the inventory only render it, so what a rule reports,
what the graph draws and what the inventory lists come from the same edges.

What counts as disclosed personal data is decided once as well: :func:`personal` (ids
alone are none) and :func:`leaked` (in a log, a photo is a pointer, not the image).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from pdlint import knowledge
from pdlint.dataflow import Datum, value_data
from pdlint.facts import Atom, CallFact, Span
from pdlint.knowledge import LEAK_KINDS, SinkKind

if TYPE_CHECKING:
    from pdlint.dataflow import DataFlow, Unit
    from pdlint.project import Project

#: The recipient of an HTTP call whose host the facts do not give: a URL in a variable, a
#: field, an f-string or a settings constant. Never the variable's name (``avatar_url`` is a
#: field, not an organisation), never any part of a literal but its host.
HTTP_UNKNOWN_HOST = "HTTP endpoint (host not known statically)"

#: Categories that reach a log as a pointer, not as the datum: a photo is logged as its
#: storage name or URL.
POINTER_IN_LOGS = frozenset({"identity.photo"})

_URL_SCHEMES = frozenset({"http", "https", "ws", "wss"})
_HOST_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")


def personal(data: Iterable[Datum]) -> list[Datum]:
    """Data that counts as personal data when it goes somewhere (see dataflow.value_data:
    not ids, hashes, metadata or secrets)."""
    return value_data(data)


def leaked(data: Iterable[Datum], kinds: Iterable[str] = ("value",)) -> list[Datum]:
    """The data of a log-like flow that is a leak: of the given kinds, neither an id nor a
    pointer (PDL201 asks ``value`` and ``container``, PDL207 ``secret``)."""
    wanted = frozenset(kinds)
    return [d for d in data if d.kind in wanted and d.category != "account.id"
            and d.category not in POINTER_IN_LOGS]


def categories_of(data: Iterable[Datum]) -> tuple[str, ...]:
    """The sorted categories of ``data``, leaving out bare request containers."""
    return tuple(sorted({d.category for d in data if d.category != "request"}))


@dataclass(frozen=True)
class Flow:
    """One edge of the personal-data flow.

    ``target`` names the recipient (third party), the store (``cookie``, ``cache``,
    ``messages``), or the model or field written (``MODEL``, with ``field`` telling which);
    it is None for logs, exceptions, queues and responses. ``data`` is everything that
    reaches the sink (every kind, for rules to filter); ``categories`` the personal-data
    categories (what the graph draws and the inventory lists). ``call`` is the call that
    sends, None for a response, a field assignment or a declared recipient.
    """

    source: str
    from_module: bool
    kind: SinkKind
    target: str | None
    path: str
    categories: tuple[str, ...]
    data: tuple[Datum, ...] = ()
    call: CallFact | None = None
    declared: bool = False
    field: bool = False

    @property
    def span(self) -> Span | None:
        return self.call.span if self.call is not None else None

    @property
    def leaks(self) -> bool:
        return self.kind.leaks


@dataclass(frozen=True)
class Read:
    """A function reads personal data of ``category`` itself (not through a parameter)."""

    category: str
    function: str


@dataclass(frozen=True)
class Passing:
    """A project function calls another, passing personal data of ``categories`` along
    (possibly none: the call edge still shows who calls whom)."""

    caller: str
    callee: str
    categories: tuple[str, ...]


class FlowModel:
    """Every flow of a project, in a deterministic order (by source, then call order):
    what functions read, what they pass to each other, and where data leaves them.

    Each part is computed the first time it is asked for: a scan whose rules read only
    the leaks (logs, exceptions) does not pay for classifying every call's recipient, and
    only the graph export needs the reads and the calls between functions.
    """

    def __init__(self, builder: _Builder) -> None:
        self._builder = builder

    @cached_property
    def _leak_flows(self) -> tuple[Flow, ...]:
        return tuple(self._builder.leaks())

    @cached_property
    def _send_flows(self) -> tuple[Flow, ...]:
        return tuple(self._builder.sends())

    @cached_property
    def all(self) -> tuple[Flow, ...]:
        return self._leak_flows + self._send_flows

    @cached_property
    def _through(self) -> tuple[tuple[Read, ...], tuple[Passing, ...]]:
        reads, passings = self._builder.through()
        return tuple(reads), tuple(passings)

    @property
    def reads(self) -> tuple[Read, ...]:
        return self._through[0]

    @property
    def passings(self) -> tuple[Passing, ...]:
        return self._through[1]

    def __iter__(self) -> Iterator[Flow]:
        return iter(self.all)

    def __len__(self) -> int:
        return len(self.all)

    def of(self, *kinds: SinkKind) -> list[Flow]:
        wanted = frozenset(kinds)
        pool = self._leak_flows if wanted <= LEAK_KINDS else self.all
        return [flow for flow in pool if flow.kind in wanted]

    def leaks(self) -> list[Flow]:
        """Flows into logs, prints, warnings, error trackers and exception messages."""
        return list(self._leak_flows)


# -- recipients -----------------------------------------------------------------------------


def _by_root(prefixes: Iterable[tuple[str, str | None]]) -> dict[str, list[tuple[str, str | None]]]:
    """Prefixes grouped by their first dotted name, longest first: one dict lookup per
    call instead of a scan of every prefix (a project has tens of thousands of calls)."""
    index: dict[str, list[tuple[str, str | None]]] = {}
    for prefix, value in prefixes:
        index.setdefault(prefix.split(".", 1)[0], []).append((prefix, value))
    for entries in index.values():
        entries.sort(key=lambda entry: (-len(entry[0]), entry[0]))
    return index


_RECIPIENTS = _by_root((entry.prefix, entry.recipient) for entry in knowledge.RECIPIENTS)
_NOT_RECIPIENTS = _by_root((prefix, None) for prefix in knowledge.NOT_RECIPIENTS)


def recipient_of(callee: str) -> tuple[bool, str | None]:
    """(is a third-party call, named recipient or None for an HTTP client)."""
    root = callee.split(".", 1)[0]
    if any(callee.startswith(prefix) for prefix, _ in _NOT_RECIPIENTS.get(root, ())):
        return False, None
    for prefix, recipient in _RECIPIENTS.get(root, ()):
        if callee.startswith(prefix):
            return True, recipient
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
    if callee in knowledge.HOST_CONSTRUCTORS:
        literal = literal or keywords.get("host")
        return f"//{literal}" if literal else None
    return literal


def host_of(call: CallFact) -> str | None:
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


def _store_of(callee: str, method: str, flow: DataFlow) -> tuple[SinkKind, str | None] | None:
    """The store a call puts its arguments into (pdlint.knowledge: cookies, flash
    messages, caches, task queues), if any."""
    lowered = callee.lower()
    for store in knowledge.STORES:
        if store.methods:
            if method not in store.methods:
                continue
        elif not callee.startswith(store.prefixes):
            continue
        if store.receiver_words and not any(word in lowered for word in store.receiver_words):
            continue
        if store.project_receiver and callee.rsplit(".", 1)[0] not in flow.units:
            continue
        return store.kind, store.store
    return None


def _payload(call: CallFact) -> list[Atom]:
    atoms: list[Atom] = list(call.receiver)
    for arg in call.args:
        atoms.extend(arg)
    for _name, kwarg in call.kwargs:
        atoms.extend(kwarg)
    return atoms


# -- building -------------------------------------------------------------------------------


class _Builder:
    def __init__(self, project: Project) -> None:
        self.project = project
        self.flow = project.dataflow
        self.models = project.models.models
        # models and fields holding personal data: the targets a write can have
        self.pii_models: set[str] = set()
        self.fields_by_name: dict[str, list[str]] = {}
        self.field_category: dict[str, str] = {}
        for symbol in sorted(self.models):
            model = self.models[symbol]
            pii = [f for f in model.fields
                   if f.classification and f.classification.kind == "value"]
            if not pii:
                continue
            self.pii_models.add(symbol)
            for field in pii:
                assert field.classification is not None
                self.fields_by_name.setdefault(field.name, []).append(field.symbol)
                self.field_category[field.symbol] = field.classification.category
        self.flows: list[Flow] = []

    def leaks(self) -> list[Flow]:
        self.flows = []
        self._leaks()
        return self.flows

    def sends(self) -> list[Flow]:
        self.flows = []
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
                self._call(unit, call, declared_to)
            self._attribute_writes(unit)
            self._response(unit)
        self._declared()
        return self.flows

    # -- sources → functions → functions ------------------------------------------------------
    def through(self) -> tuple[list[Read], list[Passing]]:
        reads: list[Read] = []
        passings: list[Passing] = []
        flow = self.flow
        for symbol in sorted(flow.units):
            unit = flow.units[symbol]
            if unit.function is None:
                continue
            data = personal(flow.concrete(unit, unit.function.reads, with_params=False))
            reads.extend(Read(key, symbol) for key in sorted({d.category for d in data}))
            for call, target in flow.callees(symbol):
                callee = flow.units[target]
                assert callee.function is not None
                passed: set[str] = set()
                for atoms in flow.bind_args(call, callee.function).values():
                    passed.update(d.category for d in personal(flow.concrete(unit, atoms)))
                passings.append(Passing(symbol, target, tuple(sorted(passed))))
        return reads, passings

    def _add(self, unit: Unit, kind: SinkKind, target: str | None, categories: Iterable[str],
             data: Iterable[Datum] = (), call: CallFact | None = None, *,
             field: bool = False) -> None:
        self.flows.append(Flow(unit.symbol, unit.function is None, kind, target,
                               unit.facts.path, tuple(sorted(set(categories))), tuple(data),
                               call, field=field))

    # -- log-like sinks (recognised at extraction) ----------------------------------------
    def _leaks(self) -> None:
        for hit in self.flow.sink_hits():
            if hit.unit.facts.is_test or hit.call.sink is None:
                continue
            self._add(hit.unit, SinkKind(hit.call.sink), None,
                      categories_of(leaked(hit.data)), hit.data, hit.call)

    # -- calls ----------------------------------------------------------------------------
    def _data(self, unit: Unit, atoms: list[Atom]) -> list[Datum]:
        if not atoms:
            return []
        return personal(self.flow.concrete(unit, atoms))

    def _call(self, unit: Unit, call: CallFact, declared_to: list[str]) -> None:
        callee = call.callee or ""
        is_third, recipient = recipient_of(callee)
        method = callee.rsplit(".", 1)[-1]
        targets: list[tuple[SinkKind, str | None]] = []
        model: str | None = None
        if is_third:
            names = [recipient] if recipient is not None else \
                (declared_to or [host_of(call) or HTTP_UNKNOWN_HOST])
            targets = [(SinkKind.THIRD_PARTY, name) for name in names]
        else:
            store = _store_of(callee, method, self.flow)
            if store is not None:
                targets = [store]
            else:
                model = self._model_written(callee, method)
        if not targets and model is None:
            return
        data = self._data(unit, _payload(call))
        categories = {d.category for d in data}
        if not categories:
            return
        if model is not None:
            self._add(unit, SinkKind.MODEL, model, categories, data, call)
        for kind, name in targets:
            self._add(unit, kind, name, categories, data, call)

    def _model_written(self, callee: str, method: str) -> str | None:
        """The model that a constructor or manager call writes to, if any."""
        if callee in self.pii_models:
            return callee
        if method not in knowledge.STORAGE_METHODS:
            return None
        head = callee
        while "." in head:
            head = head.rsplit(".", 1)[0]
            if head in self.pii_models:
                return head
        return None

    def _attribute_writes(self, unit: Unit) -> None:
        """``obj.email = …``: a write to a model field when ``obj`` names the model (``self``
        in its methods, ``order`` for ``Order``, ``user``-like names for the one person
        model with that field)."""
        function = unit.function
        assert function is not None
        for label in function.writes:
            field = self._written_field(label, function.class_symbol)
            if field is None:
                continue
            categories = {atom[1] for atom in function.reads
                          if atom[0] == "d" and atom[3] == label and atom[2] == "value"}
            if not categories:  # the field's own category
                categories = {self.field_category[field]}
            self._add(unit, SinkKind.MODEL, field, categories, field=True)

    def _written_field(self, label: str, class_symbol: str | None) -> str | None:
        head, _, attr = label.rpartition(".")
        if not head:
            return None
        if head == "self":
            candidate = f"{class_symbol}.{attr}" if class_symbol else ""
            return candidate if candidate in self.field_category else None
        name = head.rsplit(".", 1)[-1].lower().replace("_", "")
        matching: list[str] = []
        for symbol in self.fields_by_name.get(attr, []):
            model = self.models.get(symbol.rsplit(".", 1)[0])
            if model is None:
                continue
            if name == model.name.lower() or (name.endswith("user") and model.person):
                matching.append(symbol)
        return matching[0] if len(matching) == 1 else None

    def _response(self, unit: Unit) -> None:
        handler = self.project.handlers.get(unit.symbol)
        if handler is None or handler.kind not in ("route", "view"):
            return
        function = unit.function
        assert function is not None
        data = self._data(unit, list(function.returns))
        if data:
            self._add(unit, SinkKind.RESPONSE, None, {d.category for d in data}, data)

    # -- declared recipients ----------------------------------------------------------------
    def _declared_recipients(self, symbol: str) -> list[str]:
        names: list[str] = []
        for tag in self.project.tags_of(symbol):
            for name in tag.get("to"):
                if name not in names:
                    names.append(name)
        return names

    def _declared(self) -> None:
        """``to=`` in a function's own tag: a flow to that recipient, marked declared."""
        project = self.project
        for facts in project.source_files:
            for tag in facts.tags:
                if tag.owner_kind != "function" or tag.owner is None or not tag.get("to"):
                    continue
                shared = tag.get("shares") or tag.categories
                categories = tuple(sorted({resolved for value in shared
                                           if (resolved := project.resolve_category(value))}))
                for name in tag.get("to"):
                    self.flows.append(Flow(tag.owner, False, SinkKind.THIRD_PARTY, name,
                                           facts.path, categories, declared=True))


def build_flows(project: Project) -> FlowModel:
    """Every flow edge of ``project`` (the link phase; see :attr:`Project.flows`)."""
    return FlowModel(_Builder(project))
