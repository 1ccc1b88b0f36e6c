"""HTTP vocabulary shared by the web framework specs (verbs, handler method names)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from pdlint.knowledge.spec import RouteDecorator

ALL_VERBS = ("get", "post", "put", "patch", "delete", "head", "options", "trace")
COMMON_VERBS = ("get", "post", "put", "patch", "delete")
SERVER_VERBS = ("get", "post", "put", "patch", "delete", "head", "options")  # sanic, aiohttp
HTTP_VERBS = frozenset(verb.upper() for verb in ALL_VERBS)

#: HTTP methods implied by a handler method's name (class-based views, DRF viewsets).
METHOD_VERBS: Mapping[str, tuple[str, ...]] = {
    **{verb: (verb.upper(),) for verb in ALL_VERBS},
    **{f"on_{verb}": (verb.upper(),) for verb in ALL_VERBS},
    "list": ("GET",),
    "retrieve": ("GET",),
    "create": ("POST",),
    "perform_create": ("POST",),
    "update": ("PUT", "PATCH"),
    "perform_update": ("PUT", "PATCH"),
    "partial_update": ("PATCH",),
    "destroy": ("DELETE",),
    "perform_destroy": ("DELETE",),
    "form_valid": ("POST",),
}

VERB_METHODS = frozenset(ALL_VERBS)

#: Methods of a middleware class (Django's protocol; ``__call__`` for WSGI/ASGI wrappers).
MIDDLEWARE_METHODS = frozenset({
    "__call__", "__acall__", "process_request", "process_view", "process_response",
    "process_exception", "process_template_response",
})
MIDDLEWARE_PROCESS = MIDDLEWARE_METHODS - {"__call__", "__acall__"}


def verb_routes(verbs: Iterable[str], **extra: RouteDecorator) -> dict[str, RouteDecorator]:
    """``@app.get``, ``@app.post`` … each implying its method, plus ``extra`` decorators."""
    routes = {verb: RouteDecorator((verb.upper(),)) for verb in verbs}
    routes.update(extra)
    return routes
