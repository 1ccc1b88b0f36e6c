"""aiohttp's server side: route tables, ``web.get(...)`` and ``router.add_*`` registrations,
class views, middleware, the peer address. (Its client is in :mod:`.http_clients`.)"""

from __future__ import annotations

from pdlint.knowledge.http import SERVER_VERBS, VERB_METHODS, verb_routes
from pdlint.knowledge.spec import (
    CallRegistration,
    ClassRule,
    DecoratorRule,
    Family,
    ImportFamily,
    Registration,
    RouteDecorator,
    Spec,
)

SPEC = Spec(
    name="aiohttp",
    handler_classes=(
        (r"^aiohttp\.web(_urldispatcher)?\.View$", ClassRule("aiohttp", "route", VERB_METHODS)),
    ),
    handler_decorators=(
        (r"^aiohttp\.web(_middlewares)?\.middleware$", DecoratorRule("aiohttp", "middleware")),
    ),
    families={
        "aiohttp": Family(
            "aiohttp",
            verb_routes(SERVER_VERBS, route=RouteDecorator(path_pos=1, method_pos=0),
                        view=RouteDecorator()),
            default_name=False,
        ),
    },
    instance_types=((r"^aiohttp\.web(_routedef)?\.RouteTableDef$", "aiohttp"),),
    import_families=(ImportFamily(r"^aiohttp(\.|$)", "aiohttp", 80),),
    call_registrations=(
        *(
            CallRegistration(rf"^aiohttp\.web\.{verb}$", "aiohttp",
                             Registration("route", view_pos=1, view_kw="handler",
                                          methods=(verb.upper(),)), (verb,))
            for verb in SERVER_VERBS
        ),
        CallRegistration(r"^aiohttp\.web\.view$", "aiohttp",
                         Registration("route", view_pos=1, view_kw="handler"), ("view",)),
        CallRegistration(r"^aiohttp\.web\.route$", "aiohttp",
                         Registration("route", view_pos=2, view_kw="handler", path_pos=1,
                                      method_pos=0), ("route",)),
        # ``app.router.add_get(...)``: distinctive enough to need no receiver type.
        *(
            CallRegistration(rf"(^|\.)router\.add_{verb}$", "aiohttp",
                             Registration("route", view_pos=1, view_kw="handler",
                                          methods=(verb.upper(),)), (f"add_{verb}",))
            for verb in SERVER_VERBS
        ),
        CallRegistration(r"(^|\.)router\.add_view$", "aiohttp",
                         Registration("route", view_pos=1, view_kw="handler"), ("add_view",)),
        CallRegistration(r"(^|\.)router\.add_route$", "aiohttp",
                         Registration("route", view_pos=2, view_kw="handler", path_pos=1,
                                      method_pos=0), ("add_route",)),
    ),
    web_roots=("aiohttp",),
    request_sources=((r"(^|\.)request\.remote$", "online.ip"),),
    # ``web.json_response(…)`` answers the caller (a response), it sends to no one
    not_recipients=("aiohttp.web.", "aiohttp.web_"),
)
