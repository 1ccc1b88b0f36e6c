"""Framework knowledge: which functions are entry points (handlers) and how they are routed.

Recognisers work on per-file facts at link time (never on syntax trees), because routing is
often declared in another module than the view (Django ``urls.py``, ``add_url_rule``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class HandlerInfo:
    """An entry point of the application: a route handler, view, task, consumer…"""

    # qualified function/method symbol: "shop.views.signup", "acc.views.ProfileView.get"
    symbol: str
    # "flask" | "fastapi" | "starlette" | "django" | "drf" | "celery" | "dramatiq" | "rq" |
    # "aiohttp" | ...
    framework: str
    kind: str  # "route" | "view" | "task" | "middleware" | "signal" | "hook"
    # URL patterns as declared: "/profile/<int:id>", "profile/<int:pk>/"
    routes: tuple[str, ...] = ()
    # Django url names, Flask endpoints: "profile", "shop.profile"
    route_names: tuple[str, ...] = ()
    methods: tuple[str, ...] = ()  # HTTP methods when known: ("GET", "POST")
    class_symbol: str | None = None  # for class-based views: the class


__all__ = ["HandlerInfo"]
