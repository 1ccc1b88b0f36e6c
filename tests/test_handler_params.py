"""What a handler's typed parameters make it touch (PDL101)."""

from __future__ import annotations

import textwrap

from pdlint.testing import scan_sources

MODELS = """
    from django.db import models
    from pydantic import BaseModel, EmailStr

    class Component(models.Model):
        name = models.CharField(max_length=100)
        report_source_bugs = models.EmailField(blank=True)  # gdpr: contact.email

    class Signup(BaseModel):
        email: EmailStr
"""


def _pdl101(code: str) -> list[str]:
    sources = {"app/models.py": textwrap.dedent(MODELS).lstrip(),
               "app/hooks.py": textwrap.dedent(code).lstrip()}
    return [f.message for f in scan_sources(sources).findings if f.rule == "PDL101"]


def test_a_django_model_instance_handed_to_a_signal_touches_only_what_it_reads() -> None:
    """weblate: `component_pre_delete(sender, instance: Component)` reads stats only."""
    assert _pdl101("""
        from django.db.models.signals import pre_delete
        from django.dispatch import receiver

        from app.models import Component

        @receiver(pre_delete, sender=Component)
        def component_pre_delete(sender, instance: Component, **kwargs):
            instance.stats.invalidate()
    """) == []


def test_a_signal_that_reads_the_instances_personal_field_touches_it() -> None:
    messages = _pdl101("""
        from django.db.models.signals import pre_delete
        from django.dispatch import receiver

        from app.models import Component

        @receiver(pre_delete, sender=Component)
        def notify(sender, instance: Component, **kwargs):
            send(instance.report_source_bugs)
    """)
    assert len(messages) == 1 and "instance.report_source_bugs" in messages[0]


def test_a_request_schema_parameter_still_brings_its_fields() -> None:
    messages = _pdl101("""
        from fastapi import FastAPI

        from app.models import Signup

        app = FastAPI()

        @app.post("/signup")
        def signup(body: Signup):
            return {"ok": True}
    """)
    assert len(messages) == 1 and "body.email" in messages[0]
