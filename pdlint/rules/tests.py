"""PDL301: tagged functions that no test refers to (or, with coverage data, that none ran).

A ``gdpr`` tag marks code that handles personal data; that is the code whose behaviour most
needs a test (does erasure really erase, does export really export everything).  This rule
only reads facts: the names and routes each test module refers to (``FileFacts.test_refs``
and ``test_routes``, from :mod:`pdlint.testrefs`), the handlers the framework recognisers
found (``project.handlers``) and, when ``--coverage`` was given, the executed lines
(``project.coverage``, a :class:`~pdlint.coverage_data.CoverageInfo`).

:func:`evidence_for` is public so that the inventory and graph can say *how* a tagged
function is tested, and by which tests when coverage contexts are present.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pdlint.facts import FileFacts, FunctionFact, TagFact
from pdlint.rules.base import Example, Report, Rule
from pdlint.testrefs import HTTP_METHODS, route_matches

if TYPE_CHECKING:
    from pdlint.coverage_data import CoverageInfo
    from pdlint.frameworks import HandlerInfo
    from pdlint.project import Project

_NAMED_ROUTES = ("reverse", "url_for")


@dataclass(frozen=True)
class Evidence:
    """Whether and how a function is tested.

    ``how`` is "name" (a test refers to it), "route" (a test requests its route or
    reverses its route name), "coverage" (a test run executed its body) or "" (untested);
    ``tests`` names the coverage contexts that executed it, when the data has contexts.
    ``measured`` is False when coverage data was given but never measured the file.
    """

    tested: bool
    how: str = ""
    tests: tuple[str, ...] = ()
    measured: bool = True


@dataclass
class RefIndex:
    """What all test modules refer to, merged once per run."""

    refs: frozenset[str] = frozenset()
    requests: tuple[tuple[str, str], ...] = ()  # (http method, url or prefix*)
    route_names: frozenset[str] = frozenset()  # reverse()/url_for() arguments
    handlers_by_symbol: dict[str, list[HandlerInfo]] = field(default_factory=dict)
    handlers_by_class: dict[str, list[HandlerInfo]] = field(default_factory=dict)

    @classmethod
    def build(cls, files: tuple[FileFacts, ...], handlers: Mapping[str, HandlerInfo]) -> RefIndex:
        refs: set[str] = set()
        requests: set[tuple[str, str]] = set()
        names: set[str] = set()
        for facts in files:
            if not facts.is_test:
                continue
            refs.update(facts.test_refs)
            for kind, value in facts.test_routes:
                if kind in _NAMED_ROUTES:
                    names.add(value)
                else:
                    requests.add((kind, value))
        by_symbol: dict[str, list[HandlerInfo]] = {}
        by_class: dict[str, list[HandlerInfo]] = {}
        for key in sorted(handlers):
            info = handlers[key]
            by_symbol.setdefault(info.symbol, []).append(info)
            if info.class_symbol:
                by_class.setdefault(info.class_symbol, []).append(info)
        return cls(frozenset(refs), tuple(sorted(requests)), frozenset(names),
                   by_symbol, by_class)


def data_tags(project: Project, function: FunctionFact) -> list[TagFact]:
    """The tags that make ``function`` a tagged function for PDL301: its own tags that
    declare categories or a right (``# gdpr: none`` declares the opposite)."""
    return [tag for tag in project.tags_of(function.symbol)
            if tag.owner_kind == "function" and not tag.is_none
            and (tag.categories or tag.get("right"))]


def evidence_for(project: Project, facts: FileFacts, function: FunctionFact,
                  index: RefIndex | None = None) -> Evidence:
    """How ``function`` (defined in ``facts``) is tested, statically or by coverage.

    With coverage data, only execution counts: a name in a test module proves nothing
    about what ran. Without it, a reference by name or through a route is enough.
    """
    coverage = project.coverage
    if coverage is not None:
        return _coverage_evidence(coverage, facts.path, function)
    if index is None:
        index = RefIndex.build(project.files, _handlers(project))
    if _named_by_tests(function, facts, index.refs):
        return Evidence(True, "name")
    if _route_requested(function, index):
        return Evidence(True, "route")
    return Evidence(False)


def _handlers(project: Project) -> Mapping[str, HandlerInfo]:
    # ``Project.handlers`` comes from the framework recognisers; an older Project without
    # it simply has no routes to match.
    handlers: Mapping[str, HandlerInfo] | None = getattr(project, "handlers", None)
    return handlers or {}


def _coverage_evidence(coverage: CoverageInfo, path: str, function: FunctionFact) -> Evidence:
    executed = coverage.executed(path)
    if executed is None:
        return Evidence(False, measured=False)
    body = _body_lines(function)
    ran = sorted(executed.intersection(body))
    if not ran:
        return Evidence(False)
    return Evidence(True, "coverage", coverage.tests_for(path, ran))


def _body_lines(function: FunctionFact) -> range:
    """Lines that run only when the function is *called*.

    The ``def`` line (and decorators above it) runs when the module is imported, so it
    proves nothing; a one-line ``def f(): return x`` has no other line and is judged by
    its ``def`` line, which may count an imported-but-never-called function as tested.
    """
    first = function.span.line
    if function.end_line <= first:
        return range(first, first + 1)
    return range(first + 1, function.end_line + 1)


def _named_by_tests(function: FunctionFact, facts: FileFacts, refs: frozenset[str]) -> bool:
    """A test refers to the function, its class (for methods) or an enclosing function.

    A method called ``get``/``post``… (a class-based view) or a dunder is not matched by
    its own name: every test that does ``client.get(…)`` or ``data.get(…)`` would count.
    """
    names: list[str] = []
    is_method = function.class_symbol is not None
    if not (is_method and (function.name.lower() in HTTP_METHODS or _is_dunder(function.name))):
        names.append(function.name)
    if function.class_symbol:
        names.append(function.class_symbol.rsplit(".", 1)[-1])
    names.extend(_enclosing_names(function, facts))
    return any(name in refs for name in names)


def _is_dunder(name: str) -> bool:
    return name.startswith("__") and name.endswith("__")


def _enclosing_names(function: FunctionFact, facts: FileFacts) -> list[str]:
    """Names of the functions (and their classes) a nested function is defined in: it is
    tested when they are."""
    found: list[str] = []
    by_symbol = {fn.symbol: fn for fn in facts.functions}
    symbol = function.symbol
    while "." in symbol:
        symbol = symbol.rsplit(".", 1)[0]
        outer = by_symbol.get(symbol)
        if outer is not None:
            found.append(outer.name)
            if outer.class_symbol:
                found.append(outer.class_symbol.rsplit(".", 1)[-1])
    return found


def _handlers_for(function: FunctionFact, index: RefIndex) -> list[HandlerInfo]:
    """The handler entries that serve ``function``: its own, else its class view's
    (a class-based view registered as a whole, ``ProfileView.as_view()``)."""
    handlers = list(index.handlers_by_symbol.get(function.symbol, ()))
    if not handlers and function.class_symbol:
        handlers = list(index.handlers_by_symbol.get(function.class_symbol, ()))
        handlers += index.handlers_by_class.get(function.class_symbol, ())
    return handlers


def _route_requested(function: FunctionFact, index: RefIndex) -> bool:
    for info in _handlers_for(function, index):
        if any(_name_matches(declared, wanted)
               for declared in info.route_names for wanted in index.route_names):
            return True
        if not info.routes:
            continue
        for method, url in index.requests:
            if _method_allowed(method, info, function) and any(
                    route_matches(route, url, mounted=True) for route in info.routes):
                return True
    return False


def _method_allowed(method: str, info: HandlerInfo, function: FunctionFact) -> bool:
    """Whether a request with ``method`` would run ``function`` through ``info``."""
    verb = function.name.lower()
    if function.class_symbol and verb in HTTP_METHODS:  # the view method serving this verb
        return method == verb or (method == "head" and verb == "get")
    if not info.methods:
        return True
    allowed = {m.lower() for m in info.methods}
    if "get" in allowed:
        allowed.add("head")
    return method in allowed


def _name_matches(declared: str, wanted: str) -> bool:
    """Django ``app:name`` vs ``name``, Flask ``bp.endpoint`` vs ``endpoint`` / ``.endpoint``."""
    if declared == wanted:
        return True
    tail = re.split(r"[.:]", wanted)[-1]
    return bool(tail) and tail == re.split(r"[.:]", declared)[-1]


class UntestedTaggedFunction(Rule):
    code = "PDL301"
    name = "untested-tagged-function"
    severity = "warning"
    summary = "A function with a gdpr data tag has no test; untested rights handlers are errors."
    what = """
        Reports a function or method that carries its own `gdpr` tag declaring data
        categories or a data-subject right, when no test module refers to it: no test calls
        it, imports it or names its class, and — for a route handler — no test requests one
        of its routes through a test client (`client.post("/signup")`, `self.client.get(…)`,
        `TestClient(app).get(…)`, f-string URLs by their literal prefix) nor reverses its
        route name (`reverse("profile")`, `url_for("bp.profile")`). Names that only appear
        in strings or comments (including `mock.patch("app.svc.register")`) do not count.

        With `--coverage FILE` (a `.coverage` data file or a `coverage json` report), a
        function counts as tested only when a test run executed a line of its body.

        Rights handlers (`right=erasure`, `right=access`…) are reported as errors. `# gdpr:
        none` functions, and tags on classes, modules and fields, are not concerned; test
        files are never reported.
    """
    why = """
        Tagged code is where personal data is collected, shared and deleted. An erasure
        handler that silently stops deleting one table, or an export that misses a category,
        breaks GDPR Art. 15–20 obligations without any visible failure; only a test notices.
        Static mode cannot see indirect tests (a helper called by a tested view): tag the
        helper only if it deserves its own test, or run with coverage data.
    """
    bad = (
        Example(
            files={
                "app/accounts.py": """
                    # gdpr: collects=contact.email purpose=account basis=contract
                    # expect: PDL301
                    def register(email, password):
                        return {"email": email.strip().lower()}


                    def normalise_username(name):
                        return name.strip().lower()
                    """,
                "tests/test_accounts.py": """
                    from app.accounts import normalise_username


                    def test_normalise_username():
                        assert normalise_username(" Bob ") == "bob"
                    """,
            },
            note="`register` collects e-mail addresses but the tests only cover a helper.",
        ),
        Example(
            files={
                "app/rights.py": """
                    # expect: PDL301
                    def erase_customer(customer_id):  # gdpr: right=erasure
                        delete_orders(customer_id)
                        delete_profile(customer_id)


                    def delete_orders(customer_id): ...


                    def delete_profile(customer_id): ...
                    """,
                "tests/test_smoke.py": """
                    def test_mock_is_not_a_test(mocker):
                        mocker.patch("app.rights.erase_customer")  # a string: not a reference
                    """,
            },
            note="An untested rights handler is an error.",
        ),
        Example(
            files={
                "app/api.py": """
                    from fastapi import FastAPI

                    app = FastAPI()


                    @app.post("/signup")
                    # expect: PDL301
                    def signup(email: str):  # gdpr: collects=contact.email purpose=account
                        return {"ok": True}
                    """,
                "tests/test_api.py": """
                    from fastapi.testclient import TestClient

                    from app.api import app


                    def test_signup_is_post_only():
                        assert TestClient(app).get("/signup").status_code == 405
                    """,
            },
            note="A GET does not run a POST handler.",
        ),
        Example(
            files={
                "app/urls.py": """
                    from django.urls import path

                    from app import views

                    urlpatterns = [path("export/", views.export_data, name="export-data")]
                    """,
                "app/views.py": """
                    from django.http import JsonResponse


                    # expect: PDL301
                    def export_data(request):  # gdpr: right=access
                        return JsonResponse({"email": request.user.email})
                    """,
                "tests/test_views.py": """
                    def test_exports_page(client):
                        # export_data is tested by hand before each release
                        assert client.get("/exports/").status_code == 404
                    """,
            },
            note="A name in a comment, and a request for another URL, test nothing.",
        ),
        Example(
            files={
                "app/notify.py": """
                    # expect: PDL301
                    def send_receipt(customer):  # gdpr: uses=contact.email purpose=notify
                        return f"receipt for {customer.email}"


                    # expect: PDL301
                    def send_reminder(customer):  # gdpr: uses=contact.email purpose=notify
                        return f"reminder for {customer.email}"
                    """,
                "tests/test_notify.py": """
                    def test_nothing_yet():
                        assert True
                    """,
            },
            note="One finding per tagged function.",
        ),
    )
    good = (
        Example(
            files={
                "app/accounts.py": """
                    # gdpr: collects=contact.email purpose=account basis=contract
                    def register(email, password):
                        return {"email": email.strip().lower()}
                    """,
                "tests/test_accounts.py": """
                    from app.accounts import register


                    def test_register_normalises_email():
                        assert register(" Ann@Example.com ", "pw")["email"] == "ann@example.com"
                    """,
            },
        ),
        Example(
            files={
                "app/views.py": """
                    from flask import Flask

                    app = Flask(__name__)


                    @app.route("/profile/<int:user_id>")
                    def show_profile(user_id):  # gdpr: uses=contact.email purpose=account
                        return {"id": user_id}
                    """,
                "tests/test_views.py": """
                    from app.views import app


                    def test_profile_page():
                        client = app.test_client()
                        assert client.get("/profile/1").status_code == 200
                    """,
            },
            note="A route handler is tested when a test client requests its route.",
        ),
        Example(
            files={
                "app/urls.py": """
                    from django.urls import path

                    from app import views

                    urlpatterns = [path("export/", views.export_data, name="export-data")]
                    """,
                "app/views.py": """
                    from django.http import JsonResponse


                    def export_data(request):  # gdpr: right=access
                        return JsonResponse({"email": request.user.email})
                    """,
                "tests/test_views.py": """
                    from django.urls import reverse


                    def test_export(admin_client):
                        assert admin_client.get(reverse("export-data")).status_code == 200
                    """,
            },
            note="A Django route reversed by its name.",
        ),
        Example(
            files={
                "app/services.py": """
                    class ProfileService:
                        def export(self, user):  # gdpr: right=access
                            return {"email": user.email}
                    """,
                "tests/test_services.py": """
                    from app.services import ProfileService


                    def test_export():
                        user = type("User", (), {"email": "ann@example.com"})()
                        assert ProfileService().export(user) == {"email": "ann@example.com"}
                    """,
            },
            note="A method is tested when a test names its class.",
        ),
        Example(
            """
            \"\"\"Nightly jobs.

            GDPR: uses=contact.email purpose=notify basis=contract
            \"\"\"


            def purge_sessions(user):  # gdpr: none
                return user.id


            def digest_address(user):
                return user.email
            """,
            path="app/jobs.py",
            note="`# gdpr: none` functions, and tags on modules and classes, are not "
                 "concerned.",
        ),
    )

    def check(self, project: Project) -> Iterator[Report]:
        tagged = [
            (facts, function, tags)
            for facts in project.files if not facts.is_test
            for function in facts.functions
            if (tags := data_tags(project, function))
        ]
        if not tagged:
            return  # nothing to look up: skip merging every test module's references
        index = RefIndex.build(project.files, _handlers(project))
        with_coverage = project.coverage is not None
        for facts, function, tags in tagged:
            evidence = evidence_for(project, facts, function, index)
            if evidence.tested:
                continue
            yield self._report(project, facts, function, tags, evidence, with_coverage,
                               is_handler=bool(_handlers_for(function, index)))

    def _report(self, project: Project, facts: FileFacts, function: FunctionFact,
                tags: list[TagFact], evidence: Evidence, with_coverage: bool,
                is_handler: bool) -> Report:
        rights = _unique(value for tag in tags for value in tag.get("right"))
        categories = _unique(value for tag in tags for value in tag.categories)
        label = _local_name(function, facts.module)
        if rights:
            subject = f"rights handler `{label}` (right={','.join(rights)})"
        else:
            subject = f"`{label}` (tagged {', '.join(categories)})"
        if with_coverage:
            reason = ("no test executed it (coverage)" if evidence.measured else
                      "no test executed it (coverage: its module was never measured)")
        else:
            reason = "no test calls, imports or names it"
            if is_handler:
                reason += " or requests its route"
            reason += " (no direct test)"
        return Report(
            facts.path,
            function.span,
            f"{subject} is untested: {reason}",
            symbol=function.symbol,
            categories=tuple(sorted(project.declared_categories(tags))),
            severity="error" if rights else None,
        )


def _local_name(function: FunctionFact, module: str) -> str:
    """``Svc.export`` rather than ``app.services.Svc.export``: the path is already shown."""
    prefix = module + "."
    return function.symbol[len(prefix):] if function.symbol.startswith(prefix) else function.name


def _unique(values: Iterator[str]) -> list[str]:
    seen: list[str] = []
    for value in values:
        if value not in seen:
            seen.append(value)
    return seen
