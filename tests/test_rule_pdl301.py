"""Tests for PDL301 untested-tagged-function (pdlint.rules.tests)."""

from __future__ import annotations

import textwrap
from dataclasses import replace
from pathlib import Path

import pytest

from pdlint.config import DEFAULT_TEST_PATHS, Config
from pdlint.coverage_data import CoverageInfo
from pdlint.discover import make_test_classifier
from pdlint.extract import FileInput, extract_file
from pdlint.frameworks import HandlerInfo
from pdlint.project import Project
from pdlint.rules.base import Example, Report
from pdlint.rules.tests import UntestedTaggedFunction, data_tags, evidence_for
from pdlint.testrefs import read_test_module

RULE = UntestedTaggedFunction
is_test_path = make_test_classifier(DEFAULT_TEST_PATHS)


def project_of(sources: dict[str, str], *, handlers: dict[str, HandlerInfo] | None = None,
               coverage: CoverageInfo | None = None) -> Project:
    """Link sources the way the engine does once test modules get the cheap read."""
    files = []
    for rel, text in sources.items():
        text = textwrap.dedent(text).lstrip("\n")
        test = is_test_path(rel)
        facts = extract_file(FileInput(rel, rel.removesuffix(".py").replace("/", "."), test),
                             text.encode())
        if test:
            found = read_test_module(text)
            assert found is not None
            facts = replace(facts, test_refs=found[0], test_routes=found[1])
        files.append(facts)
    project = Project.link(Config(root=Path("/proj"), config_file=None), files)
    if handlers is not None:
        project.handlers = handlers  # type: ignore[misc]  # override the recognisers
    project.coverage = coverage
    return project


def reports(sources: dict[str, str], **kwargs: object) -> list[Report]:
    return list(RULE().check(project_of(sources, **kwargs)))  # type: ignore[arg-type]


def symbols(sources: dict[str, str], **kwargs: object) -> list[str | None]:
    return [r.symbol for r in reports(sources, **kwargs)]


SERVICE = """
    # gdpr: collects=contact.email purpose=account basis=contract
    def register(email):
        cleaned = email.strip().lower()
        return cleaned
    """


# -- the documented examples ---------------------------------------------------------


@pytest.mark.parametrize(
    ("example", "expected"),
    [(e, True) for e in RULE.bad] + [(e, False) for e in RULE.good],
    ids=[f"bad-{i}" for i in range(len(RULE.bad))] + [f"good-{i}" for i in range(len(RULE.good))],
)
def test_examples(example: Example, expected: bool) -> None:
    assert bool(list(RULE().check(project_of(example.sources())))) is expected


def test_metadata_and_docs() -> None:
    assert (RULE.code, RULE.name, RULE.severity) == (
        "PDL301", "untested-tagged-function", "warning")
    text = RULE.explain()
    assert "## Example" in text and "tests/test_accounts.py" in text


# -- what counts as a tagged function -------------------------------------------------


def test_untested_tagged_function_is_reported_on_its_def_line() -> None:
    [report] = reports({"app/svc.py": SERVICE, "tests/test_other.py": "def test_x(): pass\n"})
    assert report.symbol == "app.svc.register"
    assert report.path == "app/svc.py"
    assert report.span.line == 2
    assert report.severity is None
    assert report.categories == ("contact.email",)
    assert "`register`" in report.message and "contact.email" in report.message
    assert "no direct test" in report.message


def test_untested_with_no_tests_at_all() -> None:
    assert symbols({"app/svc.py": SERVICE}) == ["app.svc.register"]


@pytest.mark.parametrize(
    "source",
    [
        "def register(email):\n    return email\n",  # untagged
        "def register(email):  # gdpr: none\n    return email\n",
        "class Svc:  # gdpr: data=contact.email\n    def register(self, email):\n"
        "        return email\n",  # class tag: not the method's own
        "# gdpr: data=contact.email\n\nimport os\n\n\ndef register(email):\n    return email\n",
        "class User:\n    email = ''  # gdpr: contact.email\n",  # field tag
        "def register(email):  # gdpr: purpose=account\n    return email\n",  # no categories
    ],
    ids=["untagged", "none", "class-tag", "module-tag", "field-tag", "no-categories"],
)
def test_not_concerned(source: str) -> None:
    assert reports({"app/svc.py": source}) == []


def test_tagged_functions_in_test_files_are_never_reported() -> None:
    assert reports({"tests/helpers.py": SERVICE, "app/conftest.py": SERVICE,
                    "test_top.py": SERVICE}) == []


def test_data_tags_helper() -> None:
    project = project_of({"app/svc.py": SERVICE})
    [function] = project.files[0].functions
    assert [tag.categories for tag in data_tags(project, function)] == [("contact.email",)]


# -- rights handlers -------------------------------------------------------------------


def test_untested_rights_handler_is_an_error() -> None:
    [report] = reports({"app/rights.py": """
        def erase_customer(customer_id):  # gdpr: right=erasure uses=contact
            return customer_id
        """})
    assert report.severity == "error"
    assert "rights handler `erase_customer` (right=erasure)" in report.message
    assert report.categories == ("contact",)


def test_tested_rights_handler_is_silent() -> None:
    assert reports({
        "app/rights.py": "def export_data(uid):  # gdpr: right=access,portability\n"
                         "    return uid\n",
        "tests/test_rights.py": "from app.rights import export_data\n"
                                "def test_export():\n    assert export_data(1) == 1\n",
    }) == []


# -- static evidence: names ---------------------------------------------------------------


@pytest.mark.parametrize(
    "test_code",
    [
        "from app.svc import register\n",
        "from app.svc import register as signup\n",
        "import app.svc\n\ndef test_a():\n    app.svc.register('a@example.com')\n",
        "def test_a(svc):\n    svc.register('a@example.com')\n",
    ],
    ids=["import", "import-as", "attribute", "fixture-attribute"],
)
def test_referenced_by_name(test_code: str) -> None:
    assert reports({"app/svc.py": SERVICE, "tests/test_svc.py": test_code}) == []


@pytest.mark.parametrize(
    "test_code",
    [
        "# register is tested in test_api\ndef test_a():\n    pass\n",
        "def test_a(mocker):\n    mocker.patch('app.svc.register')\n",
        "def test_a():\n    assert 'register' in dir()\n",
        "def test_register_page():\n    pass\n",  # a test *named* after it calls nothing
    ],
    ids=["comment", "mock-patch-string", "string", "test-name"],
)
def test_strings_and_comments_do_not_count(test_code: str) -> None:
    assert symbols({"app/svc.py": SERVICE, "tests/test_svc.py": test_code}) == [
        "app.svc.register"]


def test_references_from_non_test_modules_do_not_count() -> None:
    assert symbols({"app/svc.py": SERVICE,
                    "app/cli.py": "from app.svc import register\nregister('x')\n"}) == [
        "app.svc.register"]


METHODS = """
    class Accounts:
        def export(self, uid):  # gdpr: right=access
            return uid

        def __init__(self):  # gdpr: uses=contact.email
            self.cache = {}
    """


def test_methods_are_tested_by_method_name() -> None:
    found = symbols({"app/acc.py": METHODS, "tests/test_acc.py": "def test(a):\n    a.export(1)\n"})
    assert found == ["app.acc.Accounts.__init__"]  # a dunder is not matched by its name


def test_methods_are_tested_by_class_name() -> None:
    assert reports({"app/acc.py": METHODS,
                    "tests/test_acc.py": "from app.acc import Accounts\n"}) == []


def test_view_method_named_after_a_verb_needs_its_class_or_route() -> None:
    view = """
        class ProfileView(View):
            def get(self, request, pk):  # gdpr: uses=contact.email
                return pk
        """
    client_only = "def test_a(client):\n    client.get('/elsewhere/')\n"
    assert symbols({"app/views.py": view, "tests/test_v.py": client_only}) == [
        "app.views.ProfileView.get"]
    named = "from app.views import ProfileView\n"
    assert reports({"app/views.py": view, "tests/test_v.py": named}) == []


def test_nested_function_is_tested_through_its_enclosing_function() -> None:
    source = """
        def outer(user):
            def send(address):  # gdpr: shares=contact.email to=mailer
                return address
            return send(user)
        """
    assert reports({"app/mail.py": source,
                    "tests/test_mail.py": "from app.mail import outer\n"}) == []
    assert symbols({"app/mail.py": source}) == ["app.mail.outer.send"]


def test_message_never_prints_literals_from_the_code() -> None:
    [report] = reports({"app/svc.py": """
        def notify():  # gdpr: uses=contact.email
            return send("ann.real@corp.com", "Dear Ann")
        """})
    assert "ann" not in report.message.lower().replace("`notify`", "")


# -- static evidence: routes --------------------------------------------------------------

VIEWS = """
    def show_profile(user_id):  # gdpr: uses=contact.email purpose=account
        return user_id
    """


def handler(pattern: str = "/profile/<int:user_id>", names: tuple[str, ...] = (),
            methods: tuple[str, ...] = (), symbol: str = "app.views.show_profile",
            class_symbol: str | None = None) -> dict[str, HandlerInfo]:
    info = HandlerInfo(symbol, "flask", "route", routes=(pattern,) if pattern else (),
                       route_names=names, methods=methods, class_symbol=class_symbol)
    return {symbol: info}


@pytest.mark.parametrize(
    ("handlers", "test_code"),
    [
        (handler(), "def test(client):\n    client.get('/profile/1')\n"),
        (handler(), "def test(client):\n    client.get(f'/profile/{uid}')\n"),
        (handler(), "def test(app):\n    app.test_client().get('/api/profile/1?x=1')\n"),
        (handler("profile/<int:pk>/"), "class T:\n    def test(self):\n"
                                       "        self.client.get('/profile/3/')\n"),
        (handler(r"^profile/(?P<pk>\d+)/$"), "def test(client):\n    client.get('/profile/3/')\n"),
        (handler("/items/{item_id}"), "def test():\n    TestClient(app).get('/items/9')\n"),
        (handler("", names=("profile",)),
         "def test(client):\n    client.get(reverse('accounts:profile', args=[1]))\n"),
        (handler("", names=("users.profile",)), "def test():\n    url_for('.profile')\n"),
        (handler(methods=("POST",)), "def test(client):\n    client.post('/profile/1')\n"),
        (handler(methods=("GET",)), "def test(client):\n    client.head('/profile/1')\n"),
    ],
    ids=["flask", "f-string", "mounted-prefix", "django-path", "django-re-path", "fastapi",
         "reverse-namespaced", "url-for-relative", "method-allowed", "head-of-get"],
)
def test_handler_tested_through_its_route(handlers: dict[str, HandlerInfo],
                                          test_code: str) -> None:
    assert reports({"app/views.py": VIEWS, "tests/test_views.py": test_code},
                   handlers=handlers) == []


@pytest.mark.parametrize(
    ("handlers", "test_code"),
    [
        (handler(), "def test(client):\n    client.get('/profiles/1')\n"),
        (handler(), "def test(client):\n    client.get('/profile/me')\n"),
        (handler(methods=("POST",)), "def test(client):\n    client.get('/profile/1')\n"),
        (handler("", names=("profile",)), "def test():\n    reverse('settings')\n"),
        (handler(), "def test(data):\n    data.get('/profile/1')\n"),  # not a client
        (handler(), "def test(client):\n    url = '/profile/' + 'x'\n"),  # built, never sent
    ],
    ids=["other-path", "converter-mismatch", "method-mismatch", "other-name", "not-a-client",
         "not-requested"],
)
def test_handler_not_tested_through_its_route(handlers: dict[str, HandlerInfo],
                                              test_code: str) -> None:
    [report] = reports({"app/views.py": VIEWS, "tests/test_views.py": test_code},
                       handlers=handlers)
    assert "or requests its route" in report.message


def test_class_based_view_methods_match_their_verb() -> None:
    view = """
        class ProfileView(View):
            def get(self, request, pk):  # gdpr: uses=contact.email
                return pk

            def delete(self, request, pk):  # gdpr: right=erasure
                return pk
        """
    handlers = handler("profile/<int:pk>/", symbol="app.views.ProfileView")
    test_code = "def test(client):\n    client.get('/profile/1/')\n"
    found = reports({"app/views.py": view, "tests/test_v.py": test_code}, handlers=handlers)
    assert [(r.symbol, r.severity) for r in found] == [("app.views.ProfileView.delete", "error")]


def test_real_recognisers_feed_the_rule() -> None:
    # Without an override, Project.handlers comes from the framework recognisers.
    sources = dict(RULE.good[1].sources())
    assert reports(sources) == []
    sources["tests/test_views.py"] = "def test_other(client):\n    client.get('/about')\n"
    assert symbols(sources) == ["app.views.show_profile"]


# -- coverage --------------------------------------------------------------------------------


def cov(lines: set[int], contexts: dict[int, list[str]] | None = None,
        path: str = "/ci/build/app/svc.py") -> CoverageInfo:
    return CoverageInfo({path: lines}, {path: contexts or {}})


def test_coverage_executed_body_counts_as_tested() -> None:
    assert reports({"app/svc.py": SERVICE}, coverage=cov({2, 3})) == []  # 3: first body line


def test_coverage_def_line_alone_is_not_a_test() -> None:
    [report] = reports({"app/svc.py": SERVICE}, coverage=cov({1, 2}))  # comment + def lines
    assert "no test executed it (coverage)" in report.message


def test_coverage_overrides_static_references() -> None:
    sources = {"app/svc.py": SERVICE, "tests/test_svc.py": "from app.svc import register\n"}
    assert reports(sources) == []
    assert symbols(sources, coverage=cov({2})) == ["app.svc.register"]


def test_coverage_never_measured_module() -> None:
    [report] = reports({"app/svc.py": SERVICE}, coverage=cov({3}, path="/ci/other.py"))
    assert "never measured" in report.message


def test_coverage_rights_handler_is_an_error() -> None:
    source = "def erase(uid):  # gdpr: right=erasure\n    return uid\n"
    [report] = reports({"app/svc.py": source}, coverage=cov({1}))
    assert report.severity == "error" and "(coverage)" in report.message


def test_coverage_one_line_function_is_judged_by_its_def_line() -> None:
    source = "def erase(uid): return uid  # gdpr: right=erasure\n"
    assert reports({"app/svc.py": source}, coverage=cov({1})) == []


def test_evidence_records_the_tests_that_ran_it() -> None:
    # line 2 is the def (run at import): its context is not a test of the function
    info = cov({2, 3, 4}, {2: ["import_time"], 3: ["tests/test_svc.py::test_register|run"],
                           4: ["", "test_b"]})
    project = project_of({"app/svc.py": SERVICE}, coverage=info)
    facts = project.files[0]
    evidence = evidence_for(project, facts, facts.functions[0])
    assert evidence.tested and evidence.how == "coverage"
    assert evidence.tests == ("test_b", "tests/test_svc.py::test_register")


def test_evidence_static_kinds() -> None:
    project = project_of({"app/views.py": VIEWS,
                          "tests/test_v.py": "def t(client):\n    client.get('/profile/2')\n"},
                         handlers=handler())
    facts = next(f for f in project.files if f.path == "app/views.py")
    assert evidence_for(project, facts, facts.functions[0]).how == "route"
    project = project_of({"app/svc.py": SERVICE, "tests/test_s.py": "register()\n"})
    facts = project.files[0]
    assert evidence_for(project, facts, facts.functions[0]).how == "name"
