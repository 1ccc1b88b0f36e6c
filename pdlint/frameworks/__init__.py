"""Framework knowledge: which functions are entry points (handlers) and how they are routed.

Recognisers work on per-file facts at link time (never on syntax trees), because routing is
often declared in another module than the view (Django ``urls.py``, ``add_url_rule``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class HandlerInfo:
    """An entry point of the application: a route handler, view, task, consumer…"""

    symbol: str  # qualified function/method symbol: "shop.views.signup", "acc.views.ProfileView.get"
    framework: str  # "flask" | "fastapi" | "starlette" | "django" | "drf" | "celery" | "dramatiq" | "rq" | "aiohttp" | ...
    kind: str  # "route" | "view" | "task" | "middleware" | "signal" | "hook"
    routes: tuple[str, ...] = ()  # URL patterns as declared: "/profile/<int:id>", "profile/<int:pk>/"
    route_names: tuple[str, ...] = ()  # Django url names, Flask endpoints: "profile", "shop.profile"
    methods: tuple[str, ...] = ()  # HTTP methods when known: ("GET", "POST")
    class_symbol: str | None = None  # for class-based views: the class


__all__ = ["HandlerInfo"]
