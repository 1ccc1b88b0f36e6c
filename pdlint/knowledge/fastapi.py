"""FastAPI and Starlette: app and router decorators, ``add_api_route``, ``Route(...)``,
endpoint and middleware classes, the client address of a Starlette request,
``TestClient.request`` and ``url_path_for``."""

from __future__ import annotations

from pdlint.knowledge.http import ALL_VERBS, VERB_METHODS, verb_routes
from pdlint.knowledge.spec import (
    CallRegistration,
    ClassRule,
    Family,
    ImportFamily,
    Registration,
    RouteDecorator,
    Spec,
    TestClientSpec,
)

ASGI_CALLS = {
    "add_route": Registration("route", view_pos=1, view_kw="endpoint", name_kw="name"),
    "add_websocket_route": Registration("route", view_pos=1, view_kw="endpoint", name_kw="name"),
}

SPEC = Spec(
    name="fastapi",
    handler_classes=(
        (r"^starlette\.endpoints\.HTTPEndpoint$", ClassRule("starlette", "route", VERB_METHODS)),
        (r"^starlette\.endpoints\.WebSocketEndpoint$",
         ClassRule("starlette", "route", frozenset({"on_connect", "on_receive", "on_disconnect"}))),
        (r"^starlette\.middleware\.base\.BaseHTTPMiddleware$",
         ClassRule("starlette", "middleware", frozenset({"dispatch"}))),
    ),
    families={
        "fastapi": Family(
            "fastapi",
            verb_routes(ALL_VERBS, api_route=RouteDecorator(), websocket=RouteDecorator(),
                        route=RouteDecorator(), websocket_route=RouteDecorator()),
            hooks=frozenset({"exception_handler"}), middleware=frozenset({"middleware"}),
            calls={
                "add_api_route": Registration("route", view_pos=1, view_kw="endpoint",
                                              name_kw="name"),
                "add_api_websocket_route": Registration("route", view_pos=1,
                                                        view_kw="endpoint", name_kw="name"),
                **ASGI_CALLS,
            },
        ),
        "starlette": Family(
            "starlette", {"route": RouteDecorator(), "websocket_route": RouteDecorator()},
            hooks=frozenset({"exception_handler"}), middleware=frozenset({"middleware"}),
            calls=ASGI_CALLS,
        ),
    },
    instance_types=(
        (r"^fastapi(\.applications)?\.FastAPI$|^fastapi(\.routing)?\.APIRouter$", "fastapi"),
        (r"^starlette\.(applications\.Starlette|routing\.Router)$", "starlette"),
    ),
    import_families=(
        ImportFamily(r"^fastapi(\.|$)", "fastapi", 10),
        ImportFamily(r"^starlette(\.|$)", "starlette", 70),
    ),
    call_registrations=(
        CallRegistration(r"^starlette\.routing\.(Route|WebSocketRoute)$", "starlette",
                         Registration("route", view_pos=1, view_kw="endpoint", path_kw="path",
                                      name_kw="name", unwrap=True),
                         ("Route", "WebSocketRoute")),
    ),
    web_roots=("fastapi", "starlette"),
    request_sources=(
        (r"(^|\.)request\.client\.host$", "online.ip"),
        # Starlette's `request.client` is a (host, port) named tuple: unpacked or indexed
        (r"(^|\.)request\.client$", "online.ip"),
    ),
    request_containers=("request.query_params", "request.cookies", "request.headers"),
    request_body_calls=("request.json", "request.form", "request.body"),
    test_clients=TestClientSpec(
        method_first=frozenset({"request"}),
        reverse={"url_path_for": "url_for"},
    ),
)
