"""Product analytics, marketing and CRM SDKs (Segment, Mixpanel, PostHog, Amplitude,
Customer.io, HubSpot, Salesforce, Intercom): ``identify``/``track`` calls send traits of a
person to the vendor."""

from __future__ import annotations

from pdlint.knowledge.spec import Recipient, Spec

SPEC = Spec(
    name="analytics",
    recipients=(
        Recipient("segment.analytics.", "Segment"),
        Recipient("analytics.", "Segment"),
        Recipient("mixpanel.", "Mixpanel"),
        Recipient("posthog.", "PostHog"),
        Recipient("amplitude.", "Amplitude"),
        Recipient("customerio.", "Customer.io"),
        Recipient("hubspot.", "HubSpot"),
        Recipient("simple_salesforce.", "Salesforce"),
        Recipient("intercom.", "Intercom"),
    ),
)
