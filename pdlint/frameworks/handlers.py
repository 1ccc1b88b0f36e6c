"""Which functions are entry points of the application (domain.md §3.3).

A handler is code the framework calls on behalf of an outside party: a route or view, a
middleware or request hook, a task consumer, a signal receiver. PDL101 asks those to carry a
``gdpr`` tag when they touch personal data, so a false positive here becomes a nagging
finding on a plain helper. The recognisers are therefore conservative: they accept a
function only on framework evidence (a decorator or base class resolved to a framework
name, a registration call such as ``path()``/``add_url_rule``/``router.register``), and fall
back on naming conventions (``app``/``bp``/``router`` receivers, ``views.py`` functions taking
``request``, ``middleware.py`` classes) only where the convention is unmistakable and the
framework is imported.

Recognition runs at link time on per-file facts, because routing is often declared in a
module other than the view (``urls.py``, ``create_app()``, a DRF router), and because view
base classes and app instances are often defined in another module. The knowledge is kept
in :mod:`pdlint.knowledge`, one spec per framework; this module only matches it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from pdlint import knowledge
from pdlint.facts import CallFact, ClassFact, FileFacts, FunctionFact, ParamFact
from pdlint.frameworks import HandlerInfo
from pdlint.knowledge.http import (
    HTTP_VERBS,
    METHOD_VERBS,
    MIDDLEWARE_METHODS,
    MIDDLEWARE_PROCESS,
    VERB_METHODS,
)
from pdlint.knowledge.spec import ClassRule, Family, Registration

# The knowledge (framework bases, decorators, app objects, registration calls) is declared
# per framework in pdlint.knowledge; this module only matches it against the facts.
_HTTP_VERBS = HTTP_VERBS
_METHOD_VERBS = METHOD_VERBS
_VERB_METHODS = VERB_METHODS
_MIDDLEWARE_METHODS = MIDDLEWARE_METHODS
_MIDDLEWARE_PROCESS = MIDDLEWARE_PROCESS
_ClassRule = ClassRule
_Registration = Registration
_Family = Family
_CLASS_RULES = knowledge.CLASS_RULES
_ROUTED_CLASS_METHODS = knowledge.ROUTED_CLASS_METHODS
_FUNCTION_DECORATORS = knowledge.FUNCTION_DECORATORS
_FAMILIES = knowledge.FAMILIES
_INSTANCE_TYPES = knowledge.INSTANCE_TYPES
_DJANGO_SIGNAL = knowledge.SIGNAL_MODULES
_IMPORT_FAMILIES = knowledge.IMPORT_FAMILIES
_CALL_REGISTRATIONS = knowledge.CALL_REGISTRATIONS
_REGISTRATION_ATTRS = knowledge.REGISTRATION_ATTRS
_NON_DJANGO_WEB = knowledge.NON_DJANGO_WEB

#: Receiver names that are unmistakably framework objects when their type is unknown
#: (``app`` built in ``create_app()``, ``bp`` imported from a package whose source we lack).
#: Naming conventions, not any framework's API.
_WEB_RECEIVER = re.compile(r"^(app|application|api|bp|blueprint|blp|router|routes"
                           r"|\w+_(app|bp|blueprint|blp|api|router|routes))$")
_TASK_RECEIVER = re.compile(r"^(app|celery|celery_app|capp|huey|\w+_(celery|huey|app))$")

#: Module names whose classes/functions are middleware by convention.
_MIDDLEWARE_MODULE = frozenset({"middleware", "middlewares"})
_MIDDLEWARE_INIT_PARAMS = frozenset({"get_response", "app", "application", "asgi_app", "wsgi_app"})


# ======================================================================================
# Matching
# ======================================================================================


@dataclass
class _Draft:
    symbol: str
    framework: str
    kind: str
    class_symbol: str | None
    routes: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    methods: list[str] = field(default_factory=list)

    def extend(self, routes: Iterable[str], names: Iterable[str], methods: Iterable[str]) -> None:
        for target, values in ((self.routes, routes), (self.names, names),
                               (self.methods, methods)):
            for value in values:
                if value not in target:
                    target.append(value)

    def freeze(self) -> HandlerInfo:
        return HandlerInfo(self.symbol, self.framework, self.kind, tuple(self.routes),
                           tuple(self.names), tuple(self.methods), self.class_symbol)


@dataclass(frozen=True)
class _Target:
    kind: str  # "function" | "class"
    symbol: str


class _Project:
    """Indexes over all non-test files, and the recognisers that need them."""

    def __init__(self, files: Sequence[FileFacts]) -> None:
        self.files = sorted(
            (f for f in files if not f.is_test and not f.generated and f.parse_error is None),
            key=lambda f: (f.module, f.path),
        )
        self.functions: dict[str, FunctionFact] = {}
        self.classes: dict[str, ClassFact] = {}
        self.methods: dict[str, list[FunctionFact]] = {}
        self.instances: dict[str, str] = {}
        self.aliases: dict[str, str] = {}
        called: set[str | None] = set()
        self._file_families: dict[str, list[str]] = {}
        self.module_of: dict[str, str] = {}  # function/class symbol -> its module
        self.routed_modules: set[str] = set()  # modules whose views a Django URL conf names
        for facts in self.files:
            for fn in facts.functions:
                self.functions.setdefault(fn.symbol, fn)
                self.module_of.setdefault(fn.symbol, facts.module)
                if fn.class_symbol is not None:
                    self.methods.setdefault(fn.class_symbol, []).append(fn)
                called.update([c.callee for c in fn.calls])
            for cls in facts.classes:
                self.classes.setdefault(cls.symbol, cls)
                self.module_of.setdefault(cls.symbol, facts.module)
            for name, callee in facts.instances:
                self.instances.setdefault(f"{facts.module}.{name}", callee)
            for local, target in facts.imports:
                self.aliases.setdefault(f"{facts.module}.{local}", target)
            called.update([c.callee for c in facts.module_calls])
        self.called: set[str] = {name for name in called if name}
        # Whether ``views.py`` functions taking ``request`` can be views at all.
        self.request_views = any(pattern.match(target)
                                 for facts in self.files for _, target in facts.imports
                                 for pattern, _ in knowledge.REQUEST_VIEW_ROOTS)
        # Frameworks imported anywhere, in preference order (see ``_IMPORT_FAMILIES``).
        seen = {family for facts in self.files for family in self.file_families(facts)}
        self.evidence = [family for _, family in _IMPORT_FAMILIES if family in seen]
        self._class_rules: dict[str, _ClassRule | None] = {}
        self._canonical: dict[str, str] = {}
        self._receivers: dict[tuple[str, str, str], str | None] = {}
        self.drafts: dict[str, _Draft] = {}

    # -- names -----------------------------------------------------------------------
    def canonical(self, name: str) -> str:
        """Follow re-exports (``from .views import profile`` in a package ``__init__``)."""
        found = self._canonical.get(name)
        if found is None:
            found = self._canonical[name] = self._follow_aliases(name)
        return found

    def _follow_aliases(self, name: str) -> str:
        for _ in range(10):
            if name in self.functions or name in self.classes or name in self.instances:
                return name
            parts = name.split(".")
            for cut in range(len(parts), 1, -1):
                prefix = ".".join(parts[:cut])
                target = self.aliases.get(prefix)
                if target is not None and target != prefix:
                    name = ".".join([target, *parts[cut:]])
                    break
            else:
                return name
        return name

    def target(self, ref: str | None) -> _Target | None:
        if not ref:
            return None
        name = self.canonical(ref)
        if name in self.functions:
            return _Target("function", name)
        if name in self.classes:
            return _Target("class", name)
        if name.endswith(".as_view"):
            owner = self.canonical(name[: -len(".as_view")])
            if owner in self.classes:
                return _Target("class", owner)
        return None

    # -- classes -----------------------------------------------------------------------
    def class_rule(self, symbol: str, depth: int = 0) -> _ClassRule | None:
        """The framework rule a class falls under, through project base classes."""
        if symbol in self._class_rules:
            return self._class_rules[symbol]
        self._class_rules[symbol] = None  # guards against inheritance cycles
        cls = self.classes.get(symbol)
        rule: _ClassRule | None = None
        if cls is not None and depth < 50:
            # canonical: a framework base re-exported by a project module (``core.compat``)
            bases = [self.canonical(base) for base in cls.bases]
            rule = _base_rule((*cls.bases, *bases))
            if rule is None:
                for base in bases:
                    if base in self.classes:
                        rule = self.class_rule(base, depth + 1)
                        if rule is not None:
                            break
        self._class_rules[symbol] = rule
        return rule

    # -- receivers ---------------------------------------------------------------------
    def receiver_family(self, receiver: str, facts: FileFacts, attr: str) -> str | None:
        """The framework family of ``receiver`` in ``receiver.attr``, if ``attr`` fits it."""
        key = (receiver, facts.path, attr)
        if key not in self._receivers:
            self._receivers[key] = self._receiver_family(receiver, facts, attr)
        return self._receivers[key]

    def _receiver_family(self, receiver: str, facts: FileFacts, attr: str) -> str | None:
        callee: str | None
        if "." not in receiver:
            callee = dict(facts.instances).get(receiver)
        else:
            callee = self.instances.get(self.canonical(receiver))
        if callee is None:
            # The extractor may already have replaced a typed local or instance by its type
            # (``router.register`` → ``rest_framework.routers.DefaultRouter.register``).
            family = self.type_family(receiver)
            if family is None and _DJANGO_SIGNAL.match(self.canonical(receiver)):
                family = "django-signal"
            if family is not None:
                return family if _accepts(_FAMILIES[family], attr) else None
        if callee is not None:
            family = self.type_family(callee)
            if family is not None:
                return family if _accepts(_FAMILIES[family], attr) else None
            if not self.is_factory(callee):
                return None  # a known object of another kind (typer.Typer, a project class…)
        return self.guess_family(receiver.rsplit(".", 1)[-1], facts, attr)

    def type_family(self, callee: str, depth: int = 0) -> str | None:
        name = self.canonical(callee)
        for pattern, family in _INSTANCE_TYPES:
            if pattern.match(name):
                return family
        cls = self.classes.get(name)
        if cls is not None and depth < 20:  # class MyFlask(Flask)
            for base in cls.bases:
                found = self.type_family(base, depth + 1)
                if found is not None:
                    return found
        return None

    def is_factory(self, callee: str) -> bool:
        """Whether an instance's type is unknowable here (``app = create_app()``)."""
        return "." not in callee or self.canonical(callee) in self.functions

    def guess_family(self, name: str, facts: FileFacts, attr: str) -> str | None:
        """Family of an untyped receiver from its name and the frameworks imported."""
        task_attr = any(attr in family.tasks for family in _FAMILIES.values())
        if not (_TASK_RECEIVER if task_attr else _WEB_RECEIVER).match(name):
            return None
        for pool in (self.file_families(facts), self.evidence):
            for family in pool:
                if _accepts(_FAMILIES[family], attr):
                    return family
        return None

    def file_families(self, facts: FileFacts) -> list[str]:
        """Families a file's imports point to, in preference order (cached)."""
        found = self._file_families.get(facts.path)
        if found is None:
            imported: set[str] = set()
            for _, target in facts.imports:
                imported |= _families_of_import(target)
            found = [family for _, family in _IMPORT_FAMILIES if family in imported]
            self._file_families[facts.path] = found
        return found

    # -- results -----------------------------------------------------------------------
    def add(self, symbol: str, framework: str, kind: str, *, routes: Iterable[str] = (),
            names: Iterable[str] = (), methods: Iterable[str] = ()) -> None:
        fn = self.functions.get(symbol)
        if fn is None:
            return
        draft = self.drafts.get(symbol)
        if draft is None:
            draft = _Draft(symbol, framework, kind, fn.class_symbol)
            self.drafts[symbol] = draft
        draft.extend(routes, names, methods)

    def attach(self, target: _Target, framework: str, kind: str, *, routes: Sequence[str],
               names: Sequence[str], methods: Sequence[str]) -> None:
        """Record a registered function, or every handler method of a registered class."""
        if target.kind == "function":
            self.add(target.symbol, framework, kind, routes=routes, names=names, methods=methods)
            return
        rule = self.class_rule(target.symbol)
        allowed = rule.methods if rule else _ROUTED_CLASS_METHODS.get(framework, _VERB_METHODS)
        for method in self.methods.get(target.symbol, ()):
            # Methods already recognised (``@action``) are served under the class's route too.
            if method.name in allowed or method.symbol in self.drafts:
                self.add(method.symbol, rule.framework if rule else framework,
                         rule.kind if rule else kind, routes=routes, names=names,
                         methods=methods or _METHOD_VERBS.get(method.name, ()))


def find_handlers(files: Sequence[FileFacts]) -> dict[str, HandlerInfo]:
    """All entry points of a project, keyed by function symbol (sorted, deterministic).

    Test and generated files are ignored: a route defined in a test app is not processing
    that a record of processing should describe.
    """
    project = _Project(files)
    for facts in project.files:
        for fn in facts.functions:
            _match_decorators(project, facts, fn)
    for symbol in sorted(project.classes):
        _match_class(project, symbol)
    for facts in project.files:
        _match_calls(project, facts, facts.module_calls)
        for fn in facts.functions:
            _match_calls(project, facts, fn.calls)
    for facts in project.files:
        _match_django_views_module(project, facts)
        _match_middleware_module(project, facts)
    return {symbol: project.drafts[symbol].freeze() for symbol in sorted(project.drafts)}


# -- decorators ----------------------------------------------------------------------


def _decorator_uses(fn: FunctionFact) -> list[tuple[str, CallFact | None]]:
    """Each decorator with its call (``@app.route("/x")``) or None (``@shared_task``)."""
    pending = list(fn.decorator_calls)
    uses: list[tuple[str, CallFact | None]] = []
    for name in fn.decorators:
        found = next((c for c in pending if c.callee == name), None)
        if found is None:  # tolerate a callee resolved differently from the decorator name
            last = name.rsplit(".", 1)[-1]
            found = next((c for c in pending
                          if c.callee and c.callee.rsplit(".", 1)[-1] == last), None)
        if found is not None:
            pending.remove(found)
        uses.append((name, found))
    return uses


def _match_decorators(project: _Project, facts: FileFacts, fn: FunctionFact) -> None:
    if not fn.decorators:
        return
    uses = _decorator_uses(fn)
    # Framework objects first (``@app.route``): their calls carry routes.
    for name, call in uses:
        if "." not in name or project.target(name) is not None:
            continue  # a project decorator (``shop.routes.get``) is not a framework object
        receiver, attr = name.rsplit(".", 1)
        family_name = project.receiver_family(receiver, facts, attr)
        if family_name is None:
            continue
        family = _FAMILIES[family_name]
        if attr in family.routes:
            spec = family.routes[attr]
            methods = spec.methods
            if spec.method_pos is not None:
                verb = _upper_verb(_string_at(call, spec.method_pos))
                methods = (verb,) if verb else ()
            path = _string_at(call, spec.path_pos) or _kwarg_string(call, family.path_kw)
            route_name = _kwarg_string(call, family.name_kw) if family.name_kw else None
            if route_name is None and family.default_name:
                route_name = fn.name
            project.add(fn.symbol, family.framework, "route", routes=_opt(path),
                        names=_opt(route_name), methods=methods)
        elif attr in family.hooks:
            project.add(fn.symbol, family.framework, "hook")
        elif attr in family.middleware:
            project.add(fn.symbol, family.framework, "middleware")
        elif attr in family.tasks:
            project.add(fn.symbol, family.framework, "task")
    # Then decorators that are framework functions (``@api_view``, ``@shared_task``…).
    matched = [(call, _decorator_rules(project.canonical(name))) for name, call in uses]
    for index in sorted(frozenset[int]().union(*(rules for _, rules in matched))):
        rule = _FUNCTION_DECORATORS[index][1]
        for call, rules in matched:
            if index not in rules:
                continue
            path = _string_at(call, rule.path_pos) or _kwarg_string(call, rule.path_kw)
            route_name = _kwarg_string(call, rule.name_kw)
            project.add(fn.symbol, rule.framework, rule.kind, routes=_opt(path),
                        names=_opt(route_name), methods=rule.methods)


# -- classes -------------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def _base_rule(bases: tuple[str, ...]) -> _ClassRule | None:
    for pattern, rule in _CLASS_RULES:
        if any(pattern.match(base) for base in bases):
            return rule
    return None


def _match_class(project: _Project, symbol: str) -> None:
    rule = project.class_rule(symbol)
    if rule is None:
        return
    for method in project.methods.get(symbol, ()):
        if method.name in rule.methods:
            project.add(method.symbol, rule.framework, rule.kind,
                        methods=_METHOD_VERBS.get(method.name, ()))


# -- registration calls ----------------------------------------------------------------


@functools.lru_cache(maxsize=65536)
def _decorator_rules(name: str) -> frozenset[int]:
    """Indexes of the ``_FUNCTION_DECORATORS`` entries a decorator name matches."""
    return frozenset(index for index, (pattern, _) in enumerate(_FUNCTION_DECORATORS)
                     if pattern.match(name))


@functools.lru_cache(maxsize=65536)
def _families_of_import(target: str) -> frozenset[str]:
    """Framework families an imported name belongs to (imports repeat across files)."""
    return frozenset(family for pattern, family in _IMPORT_FAMILIES if pattern.match(target))


@functools.lru_cache(maxsize=65536)
def _named_registrations(callee: str) -> tuple[tuple[str, _Registration], ...]:
    """Registration functions a callee is by its resolved name (``django.urls.path``)."""
    return tuple((framework, reg) for pattern, framework, reg in _CALL_REGISTRATIONS
                 if pattern.search(callee))


@functools.lru_cache(maxsize=65536)
def _may_register(callee: str) -> bool:
    """Whether a callee's last name is one registration calls use (most calls: no)."""
    return callee.rsplit(".", 1)[-1] in _REGISTRATION_ATTRS


def _registration(project: _Project, facts: FileFacts,
                  call: CallFact) -> tuple[str, _Registration] | None:
    callee = call.callee
    if not callee or not _may_register(callee):
        return None
    for framework, reg in _named_registrations(callee):
        if reg.method_pos is not None and _upper_verb(_string_at(call, reg.method_pos)) is None:
            continue  # starlette's ``router.add_route(path, endpoint)``: not aiohttp
        return framework, reg
    if "." not in callee:
        return None
    receiver, attr = callee.rsplit(".", 1)
    family_name = project.receiver_family(receiver, facts, attr)
    if family_name is None:
        return None
    family = _FAMILIES[family_name]
    reg_found = family.calls.get(attr)
    return (family.framework, reg_found) if reg_found is not None else None


def _match_calls(project: _Project, facts: FileFacts, calls: Sequence[CallFact]) -> None:
    for position, call in enumerate(calls):
        found = _registration(project, facts, call)
        if found is None:
            continue
        framework, reg = found
        nested = _nested(project, facts, calls, position) if reg.unwrap else []
        target = _view_target(project, call, reg, nested)
        if target is None or (target.kind == "class" and not reg.classes):
            continue
        methods = reg.methods
        if reg.method_pos is not None:
            verb = _upper_verb(_string_at(call, reg.method_pos))
            methods = (verb,) if verb else ()
        if reg.extra_paths:
            routes = tuple(s for s in call.strings[reg.view_pos + 1:] if s is not None)
        else:
            routes = _opt(_string_at(call, reg.path_pos) or _kwarg_string(call, reg.path_kw))
        name = _string_at(call, reg.name_pos) or _kwarg_string(call, reg.name_kw)
        if name is None and framework in ("flask", "quart"):
            # ``add_url_rule("/u", view_func=UserAPI.as_view("users"))``: endpoint "users"
            name = next((_string_at(c, 0) for c in nested
                         if c.callee and c.callee.endswith(".as_view")), None)
            if name is None and target.kind == "function":  # Flask's default endpoint
                name = target.symbol.rsplit(".", 1)[-1]
        if (framework == "drf" and target.kind == "class"
                and project.class_rule(target.symbol) is None
                and "drf-router" not in project.file_families(facts)):
            continue  # ``something.register("x", Cls)`` with no DRF in sight
        if framework == "django" and reg.kind == "view":
            project.routed_modules.add(project.module_of[target.symbol])
        project.attach(target, framework, reg.kind, routes=routes, names=_opt(name),
                       methods=methods)


def _nested(project: _Project, facts: FileFacts, calls: Sequence[CallFact],
            position: int) -> list[CallFact]:
    """Calls made inside the arguments of ``calls[position]``, innermost last.

    Call facts come in evaluation order, so a call's nested calls directly precede it. The
    walk back stops at the first call outside its span or at a sibling registration
    (``urlpatterns = [path(...), path(...)]``, where spans may all be the statement's).
    """
    outer = calls[position]
    found: list[CallFact] = []
    for inner in reversed(calls[:position]):
        if not _within(inner, outer) or _registration(project, facts, inner) is not None:
            break
        found.append(inner)
    found.reverse()
    return found


def _view_target(project: _Project, call: CallFact, reg: _Registration,
                 nested: Sequence[CallFact]) -> _Target | None:
    ref = call.arg_refs[reg.view_pos] if len(call.arg_refs) > reg.view_pos else None
    if ref is None and reg.view_kw is not None:
        ref = dict(call.kwarg_refs).get(reg.view_kw)
    target = project.target(ref)
    if target is not None:
        return target
    if ref is None and reg.kind == "task":
        # RQ also takes the function as a dotted-path string: enqueue("app.jobs.send", …)
        literal = _string_at(call, reg.view_pos)
        if literal and "." in literal and " " not in literal:
            target = project.target(literal)
            if target is not None:
                return target
    # ``path("x/", login_required(views.profile))``: the view is inside a nested call.
    for inner in nested:
        if inner.callee and inner.callee.endswith(".as_view"):
            target = project.target(inner.callee)
        elif inner.arg_refs:
            target = project.target(inner.arg_refs[0])
        if target is not None:
            return target
    return None


def _within(inner: CallFact, outer: CallFact) -> bool:
    a, b = inner.span, outer.span
    return ((a.line, a.column) >= (b.line, b.column)
            and (a.end_line, a.end_column) <= (b.end_line, b.end_column))


# -- conventions -----------------------------------------------------------------------


def _match_django_views_module(project: _Project, facts: FileFacts) -> None:
    """Top-level ``def x(request, ...)`` in ``views.py`` / ``views/*.py`` of a Django app.

    Only in a project that imports Django (or Pyramid, whose views look the same), and
    skipped when the project's URL conf routes functions of this very module (then the URL
    conf is the truth and unrouted functions are helpers), when the module belongs to a
    decorator-routed framework, and for functions other project code calls directly.
    """
    if "views" not in facts.module.split(".") or facts.module in project.routed_modules:
        return
    if not project.request_views or any(_NON_DJANGO_WEB.match(t) for _, t in facts.imports):
        return
    framework = _request_view_framework(facts)
    for fn in facts.functions:
        if (fn.class_symbol is None and fn.symbol == f"{facts.module}.{fn.name}"
                and not fn.name.startswith("_") and _first_param(fn.params) == "request"
                and fn.symbol not in project.called):
            project.add(fn.symbol, framework, "view")


def _request_view_framework(facts: FileFacts) -> str:
    """The framework of a ``views.py`` whose functions take ``request``: one other than
    Django that the file imports (Pyramid's views look the same), else Django."""
    for pattern, framework in knowledge.REQUEST_VIEW_ROOTS:
        if framework != "django" and any(pattern.match(t) for _, t in facts.imports):
            return framework
    return "django"


def _match_middleware_module(project: _Project, facts: FileFacts) -> None:
    """Classes and ``get_response`` factories in a ``middleware.py`` module, by shape."""
    if not _MIDDLEWARE_MODULE.intersection(facts.module.split(".")):
        return
    for cls in facts.classes:
        if project.class_rule(cls.symbol) is not None:
            continue
        methods = {m.name: m for m in project.methods.get(cls.symbol, ())}
        init = methods.get("__init__")
        init_param = _first_param(init.params, skip_self=True) if init else None
        has_process = bool(_MIDDLEWARE_PROCESS.intersection(methods))
        wraps_app = "__call__" in methods and init_param in _MIDDLEWARE_INIT_PARAMS
        if not (has_process or wraps_app):
            continue
        call = methods.get("__call__")
        call_params = {p.name for p in call.params} if call else set()
        if has_process or init_param == "get_response":
            framework = "django"
        elif "scope" in call_params:
            framework = "asgi"
        else:
            framework = "wsgi"
        for name, method in sorted(methods.items()):
            if name in _MIDDLEWARE_METHODS:
                project.add(method.symbol, framework, "middleware")
    for factory in facts.functions:
        if factory.class_symbol is not None or _first_param(factory.params) != "get_response":
            continue
        prefix = factory.symbol + "."
        for inner in facts.functions:
            if (inner.symbol.startswith(prefix) and "." not in inner.symbol[len(prefix):]
                    and _first_param(inner.params) == "request"):
                project.add(inner.symbol, "django", "middleware")


# -- small helpers ---------------------------------------------------------------------


def _accepts(family: _Family, attr: str) -> bool:
    return (attr in family.routes or attr in family.hooks or attr in family.middleware
            or attr in family.tasks or attr in family.calls)


def _first_param(params: Sequence[ParamFact], skip_self: bool = False) -> str | None:
    names = [p.name for p in params if p.kind == "positional"]
    if skip_self and names and names[0] in ("self", "cls"):
        names = names[1:]
    return names[0] if names else None


def _string_at(call: CallFact | None, pos: int | None) -> str | None:
    if call is None or pos is None or pos >= len(call.strings):
        return None
    return call.strings[pos]


def _kwarg_string(call: CallFact | None, key: str | None) -> str | None:
    if call is None or key is None:
        return None
    return dict(call.kwarg_strings).get(key)


def _upper_verb(value: str | None) -> str | None:
    if value is None:
        return None
    verb = value.upper()
    return verb if verb in _HTTP_VERBS or verb == "*" else None


def _opt(value: str | None) -> tuple[str, ...]:
    return (value,) if value is not None else ()


__all__ = ["find_handlers"]
