"""Error trackers and APM agents (Sentry, Rollbar, Bugsnag, Honeybadger, New Relic,
Datadog, OpenTelemetry). A message or breadcrumb is a log line kept by a third party
(a ``tracker`` sink, PDL201); anything else handed to their SDK is a disclosure to them."""

from __future__ import annotations

from pdlint.knowledge.spec import CallSink, Recipient, SinkKind, Spec

SPEC = Spec(
    name="trackers",
    call_sinks=(
        CallSink("sentry_sdk.capture_message", SinkKind.TRACKER, "first"),
        CallSink("sentry_sdk.add_breadcrumb", SinkKind.TRACKER),
        CallSink("rollbar.report_message", SinkKind.TRACKER, "first"),
        CallSink("bugsnag.notify", SinkKind.TRACKER),
        CallSink("bugsnag.leave_breadcrumb", SinkKind.TRACKER),
    ),
    recipients=(
        Recipient("sentry_sdk.", "Sentry"),
        Recipient("rollbar.", "Rollbar"),
        Recipient("bugsnag.", "Bugsnag"),
        Recipient("honeybadger.", "Honeybadger"),
        Recipient("newrelic.", "New Relic"),
        Recipient("ddtrace.", "Datadog"),
        Recipient("datadog.", "Datadog"),
        Recipient("opentelemetry.", "OpenTelemetry collector"),
    ),
)
