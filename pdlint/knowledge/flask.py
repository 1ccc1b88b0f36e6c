"""Flask and its relatives (Quart, Flask-RESTful/RESTX, APIFlask, flask-smorest): app and
blueprint routes, hooks, ``add_url_rule``, method views, the werkzeug request, the test
client and ``url_for``; cookies and ``flash``."""

from __future__ import annotations

from pdlint.knowledge.http import COMMON_VERBS, VERB_METHODS, verb_routes
from pdlint.knowledge.spec import (
    ClassRule,
    Family,
    ImportFamily,
    Registration,
    RouteDecorator,
    SinkKind,
    Spec,
    StoreSink,
    TestClientSpec,
)

VIEW_METHODS = VERB_METHODS | {"dispatch_request"}

HOOKS = frozenset({
    "before_request", "after_request", "teardown_request", "before_app_request",
    "after_app_request", "teardown_app_request", "errorhandler", "app_errorhandler",
})
CALLS = {
    "add_url_rule": Registration("route", view_pos=2, view_kw="view_func", path_kw="rule",
                                 name_pos=1, name_kw="endpoint", unwrap=True),
}

SPEC = Spec(
    name="flask",
    handler_classes=(
        (r"^flask\.views\.(MethodView|View)$", ClassRule("flask", "route", VIEW_METHODS)),
        (r"^quart\.views\.(MethodView|View)$", ClassRule("quart", "route", VIEW_METHODS)),
        (r"^(flask_restful|flask_restx|flask_restplus)\.Resource$",
         ClassRule("flask", "route", VERB_METHODS)),
    ),
    routed_class_methods={"flask": VIEW_METHODS, "quart": VIEW_METHODS},
    families={
        "flask": Family("flask", verb_routes(COMMON_VERBS, route=RouteDecorator()),
                        hooks=HOOKS, calls=CALLS, path_kw="rule", name_kw="endpoint"),
        "quart": Family("quart", verb_routes(COMMON_VERBS, route=RouteDecorator(),
                                             websocket=RouteDecorator()),
                        hooks=HOOKS, calls=CALLS, path_kw="rule", name_kw="endpoint"),
        "restful": Family("flask", calls={
            "add_resource": Registration("route", view_pos=0, view_kw="resource", path_pos=None,
                                         name_kw="endpoint", extra_paths=True),
        }),
    },
    instance_types=(
        (r"^(flask(\.app)?\.Flask|flask(\.blueprints)?\.Blueprint|flask_smorest\.Blueprint"
         r"|apiflask\.(APIFlask|APIBlueprint))$", "flask"),
        (r"^quart(\.app|\.blueprints)?\.(Quart|Blueprint)$", "quart"),
        (r"^(flask_restful|flask_restx|flask_restplus)\.(Api|Namespace)$", "restful"),
    ),
    import_families=(
        ImportFamily(r"^quart(\.|$)", "quart", 30),
        # flask_restful implies flask: the more specific family first
        ImportFamily(r"^(flask_restful|flask_restx|flask_restplus)(\.|$)", "restful", 50),
        ImportFamily(r"^(flask|flask_\w+|apiflask)(\.|$)", "flask", 60),
    ),
    web_roots=("flask", r"flask_\w+", "quart"),
    request_sources=(
        (r"(^|\.)request\.remote_addr$", "online.ip"),
        (r"(^|\.)request\.access_route$", "online.ip"),
        (r"(^|\.)request\.(user_agent|headers\.user_agent)$", "online.user_agent"),
    ),
    request_containers=(
        "request.data", "request.json", "request.form", "request.args", "request.values",
        "request.files", "request.cookies", "request.headers", "request.environ",
        "request.stream",
    ),
    request_body_calls=("request.get_json", "request.get_data"),
    test_clients=TestClientSpec(
        # ``with app.test_client() as c``
        weak_receivers=frozenset({"c"}),
        reverse={"url_for": "url_for"},
    ),
    stores=(
        StoreSink(SinkKind.STORAGE, "cookie", methods=frozenset({"set_cookie"})),
        StoreSink(SinkKind.STORAGE, "messages", prefixes=("flask.flash",)),
    ),
)
