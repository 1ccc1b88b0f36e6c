"""Smaller web frameworks: Sanic, Django Ninja, Litestar, Tornado and Pyramid."""

from __future__ import annotations

from pdlint.knowledge.http import COMMON_VERBS, SERVER_VERBS, VERB_METHODS, verb_routes
from pdlint.knowledge.spec import (
    ClassRule,
    DecoratorRule,
    Family,
    ImportFamily,
    Registration,
    RouteDecorator,
    Spec,
)

SPEC = Spec(
    name="other-web",
    handler_classes=(
        (r"^tornado\.web\.RequestHandler$", ClassRule("tornado", "route", VERB_METHODS)),
    ),
    handler_decorators=tuple(
        (rf"^litestar(\.handlers)?\.{verb}$",
         DecoratorRule("litestar", "route", (verb.upper(),), 0, "path", "name"))
        for verb in ("get", "post", "put", "patch", "delete", "head")
    ),
    families={
        "sanic": Family(
            "sanic",
            verb_routes(SERVER_VERBS, route=RouteDecorator(), websocket=RouteDecorator()),
            middleware=frozenset({"middleware", "on_request", "on_response"}),
            calls={"add_route": Registration("route", view_pos=0, view_kw="handler",
                                             path_pos=1, path_kw="uri", name_kw="name")},
            path_kw="uri",
        ),
        "ninja": Family("ninja",
                        verb_routes(COMMON_VERBS, api_operation=RouteDecorator(path_pos=1)),
                        name_kw="url_name", default_name=False),
    },
    instance_types=(
        (r"^sanic(\.app|\.blueprints)?\.(Sanic|Blueprint)$", "sanic"),
        (r"^ninja\.(NinjaAPI|Router)$", "ninja"),
    ),
    import_families=(
        ImportFamily(r"^ninja(\.|$)", "ninja", 20),
        ImportFamily(r"^sanic(\.|$)", "sanic", 40),
    ),
    web_roots=("sanic", "litestar", "tornado", "ninja"),
    # Pyramid views are plain functions taking ``request`` in ``views.py``, as in Django
    request_view_roots=(("pyramid", "pyramid"),),
)
