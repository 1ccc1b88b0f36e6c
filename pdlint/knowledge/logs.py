"""Logging: the standard library's ``logging``, structlog and loguru; ``print`` and its
relatives; ``warnings.warn``. Everything they are given ends up in log files and
aggregators, so personal data reaching them is a leak (PDL201)."""

from __future__ import annotations

from pdlint.knowledge.spec import CallSink, LoggerSpec, SinkKind, Spec

SPEC = Spec(
    name="logs",
    logger=LoggerSpec(
        methods=frozenset({
            "debug", "info", "warning", "warn", "error", "critical", "fatal", "exception",
            "log", "msg", "success", "trace",
        }),
        context_methods=frozenset({"bind", "new", "contextualize", "bind_contextvars"}),
        prefixes=("logging.", "loguru.logger.", "structlog."),
        factories=(
            r"logging\.(getLogger|getLoggerClass|LoggerAdapter|root)",
            r"structlog\.(get_logger|getLogger|stdlib\.get_logger|wrap_logger)",
            r"loguru\.logger",
        ),
        names=(r"_*(log|logger|logging|audit_?log(ger)?|\w*_logger|\w*_log)",),
    ),
    call_sinks=(
        CallSink("print", SinkKind.PRINT),
        CallSink("sys.stdout.write", SinkKind.PRINT),
        CallSink("sys.stderr.write", SinkKind.PRINT),
        CallSink("pprint.pprint", SinkKind.PRINT),
        CallSink("pprint.pp", SinkKind.PRINT),
        CallSink("warnings.warn", SinkKind.WARN, "first"),
        CallSink("structlog.contextvars.bind_contextvars", SinkKind.LOG, "kwargs"),
    ),
)
