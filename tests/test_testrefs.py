"""Tests for pdlint.testrefs: the cheap read of test modules and route matching (PDL301)."""

from __future__ import annotations

import pytest

from pdlint.testrefs import read_test_module, route_matches


def refs(text: str) -> tuple[str, ...]:
    result = read_test_module(text)
    assert result is not None
    return result[0]


def routes(text: str) -> tuple[tuple[str, str], ...]:
    result = read_test_module(text)
    assert result is not None
    return result[1]


# -- references ----------------------------------------------------------------------


def test_calls_imports_and_attributes_are_references() -> None:
    found = refs(
        "import app.views.api\n"
        "from app.services import register as reg\n"
        "from . import helpers\n"
        "def test_x(svc):\n"
        "    reg('a')\n"
        "    svc.forget_user(1)\n"
        "    helpers.make()\n"
    )
    for name in ("app", "views", "api", "services", "register", "reg", "helpers", "svc",
                 "forget_user", "make"):
        assert name in found


def test_strings_comments_and_definitions_are_not_references() -> None:
    found = refs(
        "# register_user is covered elsewhere\n"
        "def test_delete_account(mocker):\n"
        "    '''Checks export_profile.'''\n"
        "    mocker.patch('app.rights.erase_customer')\n"
        "    name = 'update_email'\n"
    )
    for name in ("register_user", "erase_customer", "update_email", "export_profile",
                 "test_delete_account", "name"):
        assert name not in found
    assert "mocker" in found and "patch" in found


def test_stored_names_are_not_references() -> None:
    found = refs("def test_x():\n    profile = 1\n    obj.email = 2\n")
    assert "profile" not in found and "email" not in found
    assert "obj" in found


def test_star_import_and_relative_module() -> None:
    found = refs("from app.rights import *\nfrom .. import conftest_helpers as h\n")
    assert "*" not in found
    assert {"app", "rights", "conftest_helpers"} <= set(found)


def test_results_are_sorted_and_unique() -> None:
    result = read_test_module("b()\na()\nb()\nclient.get('/x')\nclient.get('/x')\n")
    assert result is not None
    names, requested = result
    assert list(names) == sorted(set(names))
    assert requested == (("get", "/x"),)


@pytest.mark.parametrize("text", ["def f(:\n", "x = (\n", "a = 1\x00\n"])
def test_unparsable_text_gives_none(text: str) -> None:
    assert read_test_module(text) is None


def test_deep_nesting_gives_none_rather_than_crashing() -> None:
    assert read_test_module("x = " + "(" * 5000 + "1" + ")" * 5000 + "\n") is None


# -- requested routes ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ('client.get("/profile/1")', ("get", "/profile/1")),
        ('client.post("/login", data={})', ("post", "/login")),
        ('api_client.put("/a")', ("put", "/a")),
        ('self.client.patch("/p?x=1")', ("patch", "/p?x=1")),
        ('app.test_client().delete("/d")', ("delete", "/d")),
        ('TestClient(app).head("/h")', ("head", "/h")),
        ('TestClient(app).options("/o")', ("options", "/o")),
        ('c.get("/short")', ("get", "/short")),
        ('requests.get("http://localhost:8000/r")', ("get", "http://localhost:8000/r")),
        ('httpx.post("https://api.test/s")', ("post", "https://api.test/s")),
        ('client.get(path="/kw")', ("get", "/kw")),
        ('client.request("POST", "/req")', ("post", "/req")),
        ('self.client.generic("DELETE", "/gen")', ("delete", "/gen")),
        ('client.open("/op", method="PUT")', ("put", "/op")),
        ('client.open("/op2")', ("get", "/op2")),
        ('client.get(f"/profile/{uid}/edit")', ("get", "/profile/*")),
        ('client.get(f"/plain")', ("get", "/plain")),
        ('client.get(f"{live_server.url}/based/{uid}")', ("get", "/based/*")),
        ('client.get("/cat/" + str(uid))', ("get", "/cat/*")),
        ('client.get("/a/" + "b")', ("get", "/a/b")),
        ('client.get("/pct/%d" % uid)', ("get", "/pct/*")),
        ('client.get("/fmt/{}".format(uid))', ("get", "/fmt/*")),
        ('reverse("accounts:profile", args=[1])', ("reverse", "accounts:profile")),
        ('reverse_lazy("signup")', ("reverse", "signup")),
        ('urls.reverse(viewname="export")', ("reverse", "export")),
        ('url_for("bp.profile", user_id=1)', ("url_for", "bp.profile")),
        ('flask.url_for(".profile")', ("url_for", ".profile")),
        ('app.url_path_for("read_item", item_id=1)', ("url_for", "read_item")),
    ],
)
def test_routes_requested(code: str, expected: tuple[str, str]) -> None:
    assert routes(f"def test_it():\n    {code}\n") == (expected,)


@pytest.mark.parametrize(
    "code",
    [
        'data.get("email")',  # a dict, not a client
        'c.get("key")',  # weak receiver: only URL-looking literals count
        'requests.get("not-a-url")',
        'client.get(f"{base}{path}")',  # no literal prefix at all
        "client.get(url)",  # unknown variable
        'client.fetch("/x")',  # not an HTTP method
        'client.get(*args)',
        'client.request(method, "/x")',  # unknown verb
        'reverse(name)',
        'cache.get("/looks/like/a/path")',
    ],
)
def test_not_routes(code: str) -> None:
    assert routes(f"def test_it():\n    {code}\n") == ()


def test_client_aliases_from_with_assignment_and_annotations() -> None:
    found = routes(
        "async def test_a(api: FlaskClient, other: 'APIClient'):\n"
        "    async with AsyncClient(app=app) as ac:\n"
        "        await ac.get('/async')\n"
        "    tc = TestClient(app)\n"
        "    tc.post('/assigned')\n"
        "    api.delete('/annotated')\n"
        "    other.put('/string-annotation')\n"
    )
    assert found == (("delete", "/annotated"), ("get", "/async"), ("post", "/assigned"),
                     ("put", "/string-annotation"))


def test_named_literals_are_followed() -> None:
    found = routes(
        "PROFILE_URL = '/profile/'\n"
        "class T:\n"
        "    def setUp(self):\n"
        "        self.url = '/settings/'\n"
        "    def test_a(self):\n"
        "        self.client.get(PROFILE_URL)\n"
        "        self.client.post(self.url)\n"
        "        self.client.get(PROFILE_URL + '1')\n"
    )
    assert found == (("get", "/profile/"), ("get", "/profile/1"), ("post", "/settings/"))


# -- route matching ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "url", "expected"),
    [
        # Flask / werkzeug
        ("/profile/<int:id>", "/profile/1", True),
        ("/profile/<int:id>", "/profile/abc", False),
        ("/profile/<int:id>", "/profile/1/", True),
        ("/profile/<int:id>", "profile/1", True),
        ("/profile/<int:id>", "/profile/1?tab=2#top", True),
        ("/profile/<id>", "/profile/anything", True),
        ("/profile/<id>", "/profile/a/b", False),
        ("/files/<path:p>", "/files/a/b/c.txt", True),
        ("/price/<float:x>", "/price/1.5", True),
        ("/login", "http://localhost:5000/login", True),
        ("/login", "//cdn.test/login", True),
        ("/login", "/logout", False),
        # FastAPI / Starlette
        ("/items/{item_id}", "/items/42", True),
        ("/items/{item_id}", "/items/42/more", False),
        ("/items/{p:path}", "/items/a/b", True),
        ("/items/{n:int}", "/items/x", False),
        # Django path()
        ("profile/<int:pk>/", "/profile/3/", True),
        ("profile/<int:pk>/", "/profile/3", True),
        ("profile/<slug:s>/", "/profile/a-b_c/", True),
        ("profile/<slug:s>/", "/profile/a.b/", False),
        ("p/<uuid:u>/", "/p/12345678-1234-1234-1234-123456789abc/", True),
        ("p/<uuid:u>/", "/p/not-a-uuid/", False),
        ("docs/<path:rest>", "/docs/a/b/", True),
        ("", "/", True),
        ("/", "/", True),
        ("/", "/x", False),
        # Django re_path()
        (r"^profile/(?P<pk>\d+)/$", "/profile/7/", True),
        (r"^profile/(?P<pk>\d+)/$", "/profile/7", True),
        (r"^profile/(?P<pk>\d+)/$", "/profile/x/", False),
        (r"^export/$", "/export/", True),
        (r"^api/", "/api/anything/below", True),  # no end anchor: a prefix, like search()
        (r"^bad/(?P<x>[0-9+/$", "/bad/1/", False),  # invalid regex
        # f-string prefixes
        ("/profile/<int:id>", "/profile/*", True),
        ("/profile/<int:id>", "/prof*", True),
        ("/profile/<int:id>/edit", "/profile/1/e*", True),
        ("/profile/<int:id>", "/profile/1/edit*", False),
        ("/profile/<int:id>", "/other/*", False),
        ("profile/<int:pk>/", "/profile/1/*", True),
        (r"^profile/(?P<pk>\d+)/$", "/profile/*", True),
        (r"^profiles?/(?P<pk>\d+)/$", "/profile/*", True),
        (r"^profile/(?P<pk>\d+)/$", "/other/*", False),
        (r"^export/$", "/exp*", True),
        (r"^export/$", "/export/x*", False),
        # f"/profile/?page={n}": the query string ends the path, which is then complete
        ("/profile/<int:id>", "/profile/?page=*", False),
        ("/profile/", "/profile/?page=*", True),
    ],
)
def test_route_matches(pattern: str, url: str, expected: bool) -> None:
    assert route_matches(pattern, url) is expected


@pytest.mark.parametrize(
    ("pattern", "url", "expected"),
    [
        ("/profile/<int:id>", "/api/v1/profile/1", True),
        ("profile/<int:pk>/", "/accounts/profile/1/", True),
        (r"^profile/(?P<pk>\d+)/$", "/accounts/profile/1/", True),
        ("/profile/<int:id>", "/api/profile/*", True),
        ("/profile/<int:id>", "/api/other/1", False),
        ("/<id>", "/api/x", False),  # no literal part: would match everything
        ("/", "/api/x", False),
        ("{p:path}", "/anything", True),  # the whole URL still matches a catch-all
    ],
)
def test_route_matches_mounted_under_unknown_prefix(pattern: str, url: str,
                                                    expected: bool) -> None:
    assert route_matches(pattern, url, mounted=True) is expected


def test_mounted_is_opt_in() -> None:
    assert not route_matches("/profile/<int:id>", "/api/v1/profile/1")
