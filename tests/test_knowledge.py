"""The knowledge registry (pdlint.knowledge): every spec module is registered, its patterns
compile and merge without conflict, and every sink it declares is found by the link model.

The sink tests are generated from the registry itself: adding an SDK to a spec module
(``Recipient("acme.", "Acme")``) is tested here without another line of test code, and
a spec entry that the link phase cannot see fails here.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import textwrap

import pytest

import pdlint.knowledge as knowledge
from pdlint.flows import HTTP_UNKNOWN_HOST
from pdlint.knowledge import SinkKind
from pdlint.knowledge.spec import Spec
from pdlint.testing import scan_sources

SPEC_MODULES = sorted(
    info.name for info in pkgutil.iter_modules(knowledge.__path__)
    if info.name not in ("spec", "http"))


def _flows(source: str) -> list[tuple[str, str | None, tuple[str, ...]]]:
    result = scan_sources({"app/service.py": textwrap.dedent(source).lstrip()})
    assert result.project is not None
    return [(flow.kind.value, flow.target, flow.categories) for flow in result.project.flows]


@pytest.mark.parametrize("name", SPEC_MODULES)
def test_every_spec_module_is_registered_and_documented(name: str) -> None:
    module = importlib.import_module(f"pdlint.knowledge.{name}")
    assert isinstance(module.SPEC, Spec)
    assert module.SPEC in knowledge.SPECS
    assert (module.__doc__ or "").strip(), f"{name}: say what the family is and why it matters"


def test_spec_names_and_families_are_unique() -> None:
    names = [spec.name for spec in knowledge.SPECS]
    assert len(names) == len(set(names))
    families = [family for spec in knowledge.SPECS for family in spec.families]
    assert len(families) == len(set(families))
    preferences = [entry.preference for spec in knowledge.SPECS for entry in spec.import_families]
    assert len(preferences) == len(set(preferences))


def test_every_pattern_compiles() -> None:
    for spec in knowledge.SPECS:
        patterns = [p for p, _ in spec.handler_classes] + [p for p, _ in spec.handler_decorators]
        patterns += [p for p, _ in spec.instance_types] + [p for p, _ in spec.request_sources]
        patterns += [p for _, p in spec.model_bases] + list(spec.signal_modules)
        patterns += [e.pattern for e in spec.import_families]
        patterns += [e.pattern for e in spec.call_registrations]
        for pattern in patterns:
            re.compile(pattern)


@pytest.mark.parametrize(("callee", "framework"), [
    ("django.urls.path", "django"), ("starlette.routing.Route", "starlette"),
    ("aiohttp.web.post", "aiohttp"), ("app.router.add_get", "aiohttp"),
    ("queue.enqueue_in", "rq"), ("q.enqueue_call", "rq"),
])
def test_registration_calls_pass_the_last_name_filter(callee: str, framework: str) -> None:
    """REGISTRATION_ATTRS is the pre-filter every call goes through: a registration whose
    declared last names miss its callee's would never be tried."""
    assert callee.rsplit(".", 1)[-1] in knowledge.REGISTRATION_ATTRS
    assert any(pattern.search(callee) and name == framework
               for pattern, name, _ in knowledge.CALL_REGISTRATIONS)


def test_a_sink_kind_is_its_value_in_text_and_json() -> None:
    import json

    assert str(SinkKind.THIRD_PARTY) == f"{SinkKind.THIRD_PARTY}" == "third_party"
    assert json.dumps([SinkKind.LOG]) == '["log"]'
    assert SinkKind.LOG == "log" and SinkKind.LOG.leaks and not SinkKind.QUEUE.leaks


RECIPIENTS = [(entry.prefix, entry.recipient) for entry in knowledge.RECIPIENTS]


@pytest.mark.parametrize(("prefix", "recipient"), RECIPIENTS)
def test_every_declared_recipient_receives_personal_data(prefix: str,
                                                         recipient: str | None) -> None:
    module = prefix.rstrip(".")
    flows = _flows(f"""
        import {module}

        def share(user):
            {module}.send_anything(email=user.email)
    """)
    expected = recipient if recipient is not None else HTTP_UNKNOWN_HOST
    assert ("third_party", expected, ("contact.email",)) in flows


@pytest.mark.parametrize(("prefix", "recipient"), RECIPIENTS)
def test_a_recipient_is_not_sent_what_is_no_personal_data(prefix: str,
                                                          recipient: str | None) -> None:
    """The traps: an id, a hashed e-mail, the length of a name are nobody's data."""
    module = prefix.rstrip(".")
    flows = _flows(f"""
        import hashlib
        import {module}

        def share(user):
            {module}.send_anything(user_id=user.id, digest=hashlib.sha256(user.email.encode()),
                                   size=len(user.name))
    """)
    assert [flow for flow in flows if flow[0] == "third_party"] == []


CALL_SINKS = sorted(knowledge.CALL_SINKS.values(), key=lambda sink: sink.callee)


@pytest.mark.parametrize("sink", CALL_SINKS, ids=[s.callee for s in CALL_SINKS])
def test_every_call_sink_is_a_leak_flow(sink: knowledge.CallSink) -> None:
    module, _, _ = sink.callee.rpartition(".")
    head = f"import {module.split('.')[0]}\n" if module else ""
    argument = "email=user.email" if sink.payload == "kwargs" else "user.email"
    flows = _flows(head + textwrap.dedent(f"""
        def report(user):
            {sink.callee}({argument})
    """))
    assert (sink.kind.value, None, ("contact.email",)) in flows


@pytest.mark.parametrize(("code", "expected"), [
    ("from django.core.cache import cache\n\ndef keep(user):\n    cache.set('k', user.email)\n",
     ("storage", "cache")),
    ("def keep(redis_client, user):\n    redis_client.set('k', user.email)\n",
     ("storage", "cache")),
    ("from django.contrib import messages\n\ndef note(request, user):\n"
     "    messages.info(request, user.email)\n", ("storage", "messages")),
    ("from flask import flash\n\ndef note(user):\n    flash(user.email)\n",
     ("storage", "messages")),
    ("def answer(response, user):\n    response.set_cookie('who', user.email)\n",
     ("storage", "cookie")),
    ("from celery import shared_task\n\n@shared_task\ndef welcome(address):\n    pass\n\n"
     "def signup(user):\n    welcome.delay(user.email)\n", ("queue", None)),
])
def test_every_store_kind_is_found(code: str, expected: tuple[str, str | None]) -> None:
    flows = _flows(code)
    assert (*expected, ("contact.email",)) in flows


@pytest.mark.parametrize("code", [
    # a cache of something that is no personal data; a settings value
    "from django.core.cache import cache\n\ndef keep(user):\n    cache.set('k', user.id)\n",
    # .delay() on a library object is no task of ours
    "import timer\n\ndef later(user):\n    timer.delay(user.email)\n",
    # a dict's set-like method on a non-cache receiver
    "def keep(seen, user):\n    seen.add(user.email)\n",
])
def test_stores_that_are_not(code: str) -> None:
    assert [f for f in _flows(code) if f[0] in ("storage", "queue")] == []
