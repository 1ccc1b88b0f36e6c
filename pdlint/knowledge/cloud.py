"""Cloud platform SDKs (AWS through boto3, Google Cloud, Firebase): uploads, messages and
records sent to them are processed by that provider."""

from __future__ import annotations

from pdlint.knowledge.spec import Recipient, Spec

SPEC = Spec(
    name="cloud",
    recipients=(
        Recipient("boto3.", "AWS"),
        Recipient("botocore.", "AWS"),
        Recipient("google.cloud.", "Google Cloud"),
        Recipient("firebase_admin.", "Firebase"),
    ),
)
