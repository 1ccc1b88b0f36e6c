"""Recipients of personal data (Art. 30(1)(d)): an SDK's vendor or an HTTP call's host, never
a variable's name, never a literal's path, query or credentials."""

from __future__ import annotations

from pathlib import Path

import pytest

from pdlint import taxonomy
from pdlint.config import load_config
from pdlint.engine import scan
from pdlint.export import export_graph, to_dot, to_json, to_mermaid
from pdlint.facts import CallFact, Span
from pdlint.flows import HTTP_UNKNOWN_HOST, hostname
from pdlint.flows import host_of as _host
from pdlint.inventory import (
    Inventory,
    build_inventory,
    render_csv,
    render_fides,
    render_json,
    render_markdown,
)
from pdlint.project import Project
from pdlint.rules import KNOWN

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

CLIENTS = '''\
import httpx
import requests
import urllib.request
from django.db import models

MAILCHIMP_URL = "https://api.mailchimp.com/3.0/lists"


class Customer(models.Model):  # gdpr: subject=customer
    email = models.EmailField()  # gdpr: contact.email
    phone = models.CharField(max_length=20)  # gdpr: contact.phone
    avatar_url = models.URLField()  # gdpr: identity.photo


def literal_url(customer):
    requests.post("https://api.mailchimp.com/3.0/lists/abc/members?skip=1",
                  json={"email": customer.email})


def method_then_url(customer):
    requests.request("POST", "https://api.segment.io/v1/track", json={"email": customer.email})


def url_keyword(customer):
    httpx.post(url="https://events.example.net/in", json={"email": customer.email})


def credentials_and_query(customer):
    requests.post("https://bob:hunter2@hooks.example.com/hook/77?token=s3cr3t",
                  data={"email": customer.email})


def opener(customer):
    urllib.request.urlopen("https://legacy.example.org/submit", data=customer.email)


def ip_literal(customer):
    requests.post("http://10.0.0.7:8080/collect", json={"phone": customer.phone})


def variable_url(customer, endpoint_url):
    httpx.post(endpoint_url, json={"phone": customer.phone})


def field_url(customer):
    requests.get(customer.avatar_url, params={"phone": customer.phone})


def fstring_url(customer, tenant):
    requests.post(f"https://{tenant}.example.com/x", json={"phone": customer.phone})


def constant_url(customer):
    requests.post(MAILCHIMP_URL, json={"phone": customer.phone})


def declared(customer, url):
    # gdpr: shares=contact.phone to=sms-provider purpose=notify basis=contract
    requests.post(url, json={"phone": customer.phone})
'''

KNOWN_HOSTS = {"api.mailchimp.com", "api.segment.io", "events.example.net",
               "hooks.example.com", "legacy.example.org"}
# Parts of the literals and names of the code that no output may show as a recipient.
SECRETS = ("hunter2", "s3cr3t", "token", "bob", "skip=1", "/3.0/", "/hook/77", "/collect",
           "/submit", "10.0.0.7", "8080")


def scan_root(root: Path) -> Project:
    config = load_config(root, known_rules=KNOWN,
                         category_known=lambda key: taxonomy.resolve_category(key) is not None)
    result = scan([root], config, root)
    assert result.project is not None
    return result.project


@pytest.fixture(scope="module")
def clients_project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    root = tmp_path_factory.mktemp("clients")
    (root / ".git").mkdir()
    (root / "pyproject.toml").write_text("[tool.pdlint]\n")
    (root / "shop").mkdir()
    (root / "shop" / "__init__.py").write_text("")
    (root / "shop" / "clients.py").write_text(CLIENTS)
    return scan_root(root)


@pytest.fixture(scope="module")
def clients(clients_project: Project) -> Inventory:
    return build_inventory(clients_project, "clients")


def recipients(inventory: Inventory) -> dict[str, list[str]]:
    """Recipient name -> the functions it was seen in, over all categories."""
    seen: dict[str, set[str]] = {}
    for entry in inventory.categories:
        for name, recipient in entry.recipients.items():
            seen.setdefault(name, set()).update(recipient.via)
    return {name: sorted(via) for name, via in seen.items()}


def test_a_literal_url_names_its_host_only(clients: Inventory) -> None:
    found = recipients(clients)
    assert KNOWN_HOSTS <= set(found)
    assert found["api.mailchimp.com"] == ["shop.clients.literal_url"]
    assert found["api.segment.io"] == ["shop.clients.method_then_url"]
    assert found["events.example.net"] == ["shop.clients.url_keyword"]
    assert found["hooks.example.com"] == ["shop.clients.credentials_and_query"]
    assert found["legacy.example.org"] == ["shop.clients.opener"]


def test_an_unknown_host_gets_the_generic_label(clients: Inventory) -> None:
    found = recipients(clients)
    assert found[HTTP_UNKNOWN_HOST] == [
        "shop.clients.constant_url", "shop.clients.field_url", "shop.clients.fstring_url",
        "shop.clients.ip_literal", "shop.clients.variable_url",
    ]
    assert set(found) == KNOWN_HOSTS | {HTTP_UNKNOWN_HOST, "sms-provider"}


def test_a_declared_recipient_wins_over_the_unknown_host(clients: Inventory) -> None:
    phone = next(e for e in clients.categories if e.key == "contact.phone")
    sms = phone.recipients["sms-provider"]
    assert sms.declared and sms.detected and sms.via == ["shop.clients.declared"]


def test_no_variable_name_is_a_recipient(clients: Inventory) -> None:
    names = " ".join(recipients(clients)).lower()
    for name in ("avatar_url", "endpoint_url", "mailchimp_url", "tenant", "url "):
        assert name not in names


@pytest.mark.xfail(strict=True, reason="the facts do not carry module constants' values "
                                       "(pdlint/facts.py, pdlint/extract/flow.py)")
def test_a_module_constant_url_names_its_host(clients: Inventory) -> None:
    assert recipients(clients)["api.mailchimp.com"] == [
        "shop.clients.constant_url", "shop.clients.literal_url"]


def test_no_output_shows_a_literal_beyond_its_host(clients_project: Project,
                                                   clients: Inventory) -> None:
    graph = export_graph(clients_project)
    recipients_in_graph = sorted(str(data["recipient"]) for _, data in graph.nodes(data=True)
                                 if data.get("sink_kind") == "third_party")
    assert set(recipients_in_graph) == KNOWN_HOSTS | {HTTP_UNKNOWN_HOST, "sms-provider"}
    outputs = {
        "markdown": render_markdown(clients), "json": render_json(clients),
        "csv": render_csv(clients), "fides": render_fides(clients),
        "dot": to_dot(graph), "mermaid": to_mermaid(graph), "graph json": to_json(graph),
    }
    for fmt, text in outputs.items():
        for secret in SECRETS:
            assert secret not in text, (fmt, secret)


def test_an_aiohttp_server_response_is_no_recipient() -> None:
    """``web.json_response`` in an aiohttp handler answers the caller: no HTTP endpoint."""
    inventory = build_inventory(scan_root(FIXTURES / "more_frameworks"), "more_frameworks")
    assert recipients(inventory) == {}


@pytest.mark.parametrize(("value", "expected"), [
    ("api.mailchimp.com", "api.mailchimp.com"),
    ("API.Example.COM.", "api.example.com"),
    ("localhost", "localhost"),
    ("xn--bcher-kva.example", "xn--bcher-kva.example"),
    ("my-service", "my-service"),
    ("10.0.0.7", None),
    ("2130706433", None),
    ("::1", None),
    ("bücher.example", None),
    ("%61pi.example.com", None),
    ("-bad.example.com", None),
    ("bad-.example.com", None),
    ("a..b", None),
    ("", None),
    ("under_score.example.com", None),
    ("a" * 64 + ".example.com", None),
    ("john doe.example.com", None),
])
def test_hostname_accepts_host_names_only(value: str, expected: str | None) -> None:
    assert hostname(value) == expected


@pytest.mark.parametrize(("callee", "strings", "kwarg_strings", "expected"), [
    ("http.client.HTTPSConnection", ("api.example.com:443",), (), "api.example.com"),
    ("http.client.HTTPSConnection", (None,), (("host", "pay.example.com"),), "pay.example.com"),
    ("requests.post", ("ftp://files.example.com/x",), (), None),
    ("requests.post", ("mailto:someone@example.com",), (), None),
    ("requests.post", ("api.example.com/v1",), (), None),  # no scheme: not a URL
    ("requests.post", ("https://[::1]/x",), (), None),
    ("requests.post", ("https://[broken/x",), (), None),
    ("urllib3.PoolManager.request", ("GET", "https://a.example.com/x"), (), "a.example.com"),
    ("requests.request", ("POST",), (), None),
])
def test_host_of_an_http_call(callee: str, strings: tuple[str | None, ...],
                              kwarg_strings: tuple[tuple[str, str], ...],
                              expected: str | None) -> None:
    call = CallFact(index=0, callee=callee, written=callee, span=Span(1, 1, 1, 2),
                    strings=strings, kwarg_strings=kwarg_strings)
    assert _host(call) == expected
