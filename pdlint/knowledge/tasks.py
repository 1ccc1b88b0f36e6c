"""Task queues: Celery, RQ, Dramatiq and Huey. Their tasks are entry points (handlers), and
what a project task is sent (``.delay(…)``, ``enqueue(f, …)``) is serialised into a broker."""

from __future__ import annotations

from pdlint.knowledge.spec import (
    CallRegistration,
    ClassRule,
    DecoratorRule,
    Family,
    ImportFamily,
    Registration,
    SinkKind,
    Spec,
    StoreSink,
)

SPEC = Spec(
    name="tasks",
    handler_classes=(
        (r"^celery(\.app\.task)?\.Task$", ClassRule("celery", "task", frozenset({"run"}))),
        (r"^dramatiq(\.generic)?\.GenericActor$",
         ClassRule("dramatiq", "task", frozenset({"perform"}))),
    ),
    handler_decorators=(
        (r"^celery(\.decorators)?\.(shared_task|task)$", DecoratorRule("celery", "task")),
        (r"^dramatiq(\.actor)?\.actor$", DecoratorRule("dramatiq", "task")),
        (r"^huey\.contrib\.djhuey\.(task|periodic_task|db_task|db_periodic_task)$",
         DecoratorRule("huey", "task")),
        (r"^rq\.(decorators\.)?job$", DecoratorRule("rq", "task")),
    ),
    families={
        "celery": Family("celery", tasks=frozenset({"task", "periodic_task"})),
        "huey": Family("huey", tasks=frozenset({"task", "periodic_task", "db_task",
                                                "db_periodic_task"})),
    },
    instance_types=(
        (r"^celery(\.app(\.base)?)?\.Celery$", "celery"),
        (r"^huey(\.api)?\.\w*Huey$", "huey"),
    ),
    import_families=(
        ImportFamily(r"^celery(\.|$)", "celery", 100),
        ImportFamily(r"^huey(\.|$)", "huey", 110),
    ),
    call_registrations=(
        # RQ: ``queue.enqueue(func, ...)``; only a project function as target counts.
        CallRegistration(r"(^|\.)enqueue$", "rq",
                         Registration("task", view_pos=0, view_kw="f", path_pos=None,
                                      classes=False), ("enqueue",)),
        # ``enqueue_call(func=…)`` names its callable ``func``, unlike ``enqueue(f, …)``
        CallRegistration(r"(^|\.)enqueue_call$", "rq",
                         Registration("task", view_pos=0, view_kw="func", path_pos=None,
                                      classes=False), ("enqueue_call",)),
        CallRegistration(r"(^|\.)enqueue_(in|at)$", "rq",
                         Registration("task", view_pos=1, view_kw="f", path_pos=None,
                                      classes=False), ("enqueue_in", "enqueue_at")),
    ),
    stores=(
        StoreSink(SinkKind.QUEUE, None,
                  methods=frozenset({"delay", "apply_async", "send_task", "enqueue",
                                     "enqueue_call", "send", "send_with_options"}),
                  project_receiver=True),
    ),
)
