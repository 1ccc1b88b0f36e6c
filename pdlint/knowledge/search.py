"""Search and warehouse clients (Elasticsearch): documents indexed there are copies of
personal data outside the primary database."""

from __future__ import annotations

from pdlint.knowledge.spec import Recipient, Spec

SPEC = Spec(
    name="search",
    recipients=(Recipient("elasticsearch.", "Elasticsearch"),),
)
