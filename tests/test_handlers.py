"""Handler recognition (domain.md §3.3) on hand-built facts.

The facts are built by hand rather than extracted so that these tests pin down the contract
between the extractor and the recogniser (which names are resolved how) independently of
the extractor's progress. Negative cases matter as much as positive ones: a helper taken for
an untagged handler is a false PDL101 finding.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from pdlint.facts import CallFact, ClassFact, FileFacts, FunctionFact, ParamFact, Span
from pdlint.frameworks import HandlerInfo
from pdlint.frameworks.handlers import find_handlers

SPAN = Span(1, 1, 1, 1)

# -- builders ---------------------------------------------------------------------------


def call(callee: str, *strings: str | None, refs: Sequence[str | None] = (),
         kw: dict[str, str] | None = None, kwrefs: dict[str, str] | None = None,
         span: Span = SPAN) -> CallFact:
    """A call fact; ``strings`` are the literal positional arguments (None: not a string)."""
    return CallFact(
        index=0, callee=callee, written=callee.rsplit(".", 1)[-1], span=span,
        arg_refs=tuple(refs), strings=tuple(strings),
        kwarg_strings=tuple((kw or {}).items()), kwarg_refs=tuple((kwrefs or {}).items()),
    )


Decorator = str | CallFact


def fn(symbol: str, *decorators: Decorator, params: Sequence[str] = ("request",),
       cls: str | None = None, calls: Sequence[CallFact] = ()) -> FunctionFact:
    """A function; a CallFact decorator stands for ``@callee(...)``."""
    names = tuple(d.callee or "" if isinstance(d, CallFact) else d for d in decorators)
    return FunctionFact(
        symbol=symbol, name=symbol.rsplit(".", 1)[-1], span=SPAN, end_line=2,
        decorators=names, class_symbol=cls,
        params=tuple(ParamFact(p) for p in params),
        decorator_calls=tuple(d for d in decorators if isinstance(d, CallFact)),
        calls=tuple(calls),
    )


def method(cls: str, name: str, *decorators: Decorator,
           params: Sequence[str] = ("self", "request")) -> FunctionFact:
    return fn(f"{cls}.{name}", *decorators, params=params, cls=cls)


def klass(symbol: str, *bases: str) -> ClassFact:
    return ClassFact(symbol=symbol, name=symbol.rsplit(".", 1)[-1], span=SPAN, end_line=9,
                     bases=bases, decorators=())


def module(name: str, *, functions: Sequence[FunctionFact] = (),
           classes: Sequence[ClassFact] = (), imports: dict[str, str] | None = None,
           instances: dict[str, str] | None = None, calls: Sequence[CallFact] = (),
           is_test: bool = False) -> FileFacts:
    return FileFacts(
        path=name.replace(".", "/") + ".py", module=name, is_test=is_test,
        classes=tuple(classes), functions=tuple(functions),
        imports=tuple((imports or {}).items()), instances=tuple((instances or {}).items()),
        module_calls=tuple(calls),
    )


def at(line: int, col: int, end_line: int, end_col: int) -> Span:
    return Span(line, col, end_line, end_col)


# -- Flask / Quart ------------------------------------------------------------------------


def test_flask_routes_on_a_module_level_app() -> None:
    facts = module(
        "shop.app",
        imports={"Flask": "flask.Flask"},
        instances={"app": "flask.Flask"},
        functions=[
            fn("shop.app.profile", call("shop.app.app.route", "/profile/<int:id>")),
            fn("shop.app.signup", call("shop.app.app.post", "/signup", kw={"endpoint": "join"})),
            fn("shop.app.track", "shop.app.app.before_request", params=()),
            fn("shop.app.helper", params=("user",)),
        ],
    )
    handlers = find_handlers([facts])
    assert set(handlers) == {"shop.app.profile", "shop.app.signup", "shop.app.track"}
    assert handlers["shop.app.profile"] == HandlerInfo(
        "shop.app.profile", "flask", "route", ("/profile/<int:id>",), ("profile",), ())
    assert handlers["shop.app.signup"].methods == ("POST",)
    assert handlers["shop.app.signup"].route_names == ("join",)
    assert handlers["shop.app.track"].kind == "hook"


def test_flask_app_imported_from_the_package_and_blueprint_reexported() -> None:
    package = module("shop", imports={"Flask": "flask.Flask", "main": "shop.main.main"},
                     instances={"app": "flask.Flask"})
    main = module("shop.main", imports={"Blueprint": "flask.Blueprint"},
                  instances={"main": "flask.Blueprint"})
    views = module(
        "shop.views",
        imports={"app": "shop.app", "main": "shop.main"},
        functions=[
            fn("shop.views.home", call("shop.app.route", "/")),
            # ``from shop import main`` resolves through shop/__init__.py's re-export
            fn("shop.views.about", call("shop.main.get", "/about")),
        ],
    )
    handlers = find_handlers([views, main, package])
    assert handlers["shop.views.home"].framework == "flask"
    assert handlers["shop.views.about"].methods == ("GET",)
    assert handlers["shop.views.about"].routes == ("/about",)


def test_flask_factory_app_is_recognised_by_name_and_import() -> None:
    facts = module(
        "shop.factory",
        imports={"Flask": "flask.Flask"},
        functions=[
            fn("shop.factory.create_app", params=()),
            fn("shop.factory.create_app.index", call("app.route", "/")),
            fn("shop.factory.create_app.orders", call("orders_bp.delete", "/orders/<id>")),
        ],
    )
    handlers = find_handlers([facts])
    assert set(handlers) == {"shop.factory.create_app.index", "shop.factory.create_app.orders"}
    assert handlers["shop.factory.create_app.orders"].methods == ("DELETE",)


def test_flask_add_url_rule_with_function_and_method_view() -> None:
    rule = call("app.add_url_rule", "/users/", None, None,
                refs=(None, None, "shop.views.UserAPI.as_view"), span=at(10, 5, 10, 60))
    as_view = call("shop.views.UserAPI.as_view", "users", span=at(10, 30, 10, 59))
    plain = call("app.add_url_rule", "/ping", "ping", None, refs=(None, None, "shop.views.ping"))
    views = module(
        "shop.views",
        imports={"MethodView": "flask.views.MethodView"},
        classes=[klass("shop.views.UserAPI", "flask.views.MethodView")],
        functions=[
            method("shop.views.UserAPI", "get", params=("self",)),
            method("shop.views.UserAPI", "post", params=("self",)),
            method("shop.views.UserAPI", "_load", params=("self",)),
            fn("shop.views.ping", params=()),
        ],
    )
    app = module("shop.app", imports={"Flask": "flask.Flask", "views": "shop.views"},
                 functions=[fn("shop.app.create_app", params=(), calls=[as_view, rule, plain])])
    handlers = find_handlers([app, views])
    assert set(handlers) == {"shop.views.UserAPI.get", "shop.views.UserAPI.post", "shop.views.ping"}
    get = handlers["shop.views.UserAPI.get"]
    assert (get.framework, get.routes, get.methods) == ("flask", ("/users/",), ("GET",))
    assert get.class_symbol == "shop.views.UserAPI"
    assert get.route_names == ("users",)  # the endpoint given to as_view()
    assert handlers["shop.views.ping"].route_names == ("ping",)


def test_flask_restful_resource_and_add_resource() -> None:
    facts = module(
        "api.resources",
        imports={"Resource": "flask_restful.Resource", "Api": "flask_restful.Api"},
        instances={"api": "flask_restful.Api"},
        classes=[klass("api.resources.User", "flask_restful.Resource")],
        functions=[method("api.resources.User", "get", params=("self", "user_id"))],
        calls=[call("api.resources.api.add_resource", None, "/users/<int:user_id>", "/me",
                    refs=("api.resources.User",))],
    )
    info = find_handlers([facts])["api.resources.User.get"]
    assert info.routes == ("/users/<int:user_id>", "/me")
    assert info.methods == ("GET",)


def test_quart_app_and_websocket() -> None:
    facts = module(
        "chat.app", imports={"Quart": "quart.Quart"}, instances={"app": "quart.Quart"},
        functions=[fn("chat.app.ws", call("chat.app.app.websocket", "/ws"), params=())],
    )
    assert find_handlers([facts])["chat.app.ws"].framework == "quart"


# -- FastAPI / Starlette ------------------------------------------------------------------


def test_fastapi_app_and_router_decorators() -> None:
    routes = module(
        "api.users",
        imports={"APIRouter": "fastapi.APIRouter"},
        instances={"router": "fastapi.APIRouter"},
        functions=[
            fn("api.users.read_me", call("api.users.router.get", "/me", kw={"name": "me"})),
            fn("api.users.any_method", call("api.users.router.api_route", "/any")),
            fn("api.users.events", call("api.users.router.websocket", "/events"),
               params=("websocket",)),
        ],
    )
    main = module(
        "api.main",
        imports={"FastAPI": "fastapi.FastAPI", "users": "api.users"},
        instances={"app": "fastapi.FastAPI"},
        functions=[
            fn("api.main.add_timing", call("api.main.app.middleware", "http"),
               params=("request", "call_next")),
            fn("api.main.health", params=()),
        ],
        calls=[call("api.main.app.add_api_route", "/health", refs=(None, "api.main.health"))],
    )
    handlers = find_handlers([routes, main])
    assert handlers["api.users.read_me"] == HandlerInfo(
        "api.users.read_me", "fastapi", "route", ("/me",), ("me",), ("GET",))
    assert handlers["api.users.any_method"].methods == ()
    assert handlers["api.users.events"].routes == ("/events",)
    assert handlers["api.main.add_timing"].kind == "middleware"
    assert handlers["api.main.health"].routes == ("/health",)


def test_starlette_routes_endpoints_and_middleware() -> None:
    facts = module(
        "web.app",
        imports={"Route": "starlette.routing.Route",
                 "HTTPEndpoint": "starlette.endpoints.HTTPEndpoint"},
        classes=[
            klass("web.app.Profile", "starlette.endpoints.HTTPEndpoint"),
            klass("web.app.Audit", "starlette.middleware.base.BaseHTTPMiddleware"),
            klass("web.app.Chat", "starlette.endpoints.WebSocketEndpoint"),
        ],
        functions=[
            fn("web.app.homepage"),
            method("web.app.Profile", "get"),
            method("web.app.Profile", "render", params=("self", "user")),
            method("web.app.Audit", "dispatch", params=("self", "request", "call_next")),
            method("web.app.Chat", "on_receive", params=("self", "websocket", "data")),
        ],
        calls=[
            call("starlette.routing.Route", "/", refs=(None, "web.app.homepage"),
                 kw={"name": "home"}),
            call("starlette.routing.Route", "/profile", refs=(None, "web.app.Profile")),
            call("starlette.routing.WebSocketRoute", "/chat", refs=(None, "web.app.Chat")),
        ],
    )
    handlers = find_handlers([facts])
    assert set(handlers) == {"web.app.homepage", "web.app.Profile.get", "web.app.Audit.dispatch",
                             "web.app.Chat.on_receive"}
    assert handlers["web.app.homepage"].route_names == ("home",)
    assert handlers["web.app.Profile.get"].routes == ("/profile",)
    assert handlers["web.app.Audit.dispatch"].kind == "middleware"
    assert handlers["web.app.Chat.on_receive"].routes == ("/chat",)


# -- Django -------------------------------------------------------------------------------


def _django_app() -> list[FileFacts]:
    views = module(
        "accounts.views",
        imports={"render": "django.shortcuts.render",
                 "UpdateView": "django.views.generic.UpdateView",
                 "login_required": "django.contrib.auth.decorators.login_required"},
        classes=[klass("accounts.views.ProfileView",
                       "django.contrib.auth.mixins.LoginRequiredMixin",
                       "django.views.generic.UpdateView")],
        functions=[
            fn("accounts.views.profile"),
            fn("accounts.views.settings_page"),
            fn("accounts.views.unrouted", params=("request",)),
            fn("accounts.views.client_ip", params=("request",)),
            method("accounts.views.ProfileView", "get_object", params=("self", "queryset")),
            method("accounts.views.ProfileView", "form_valid", params=("self", "form")),
            method("accounts.views.ProfileView", "build_context", params=("self",)),
        ],
    )
    urls = module(
        "accounts.urls",
        imports={"path": "django.urls.path", "re_path": "django.urls.re_path",
                 "views": "accounts.views",
                 "login_required": "django.contrib.auth.decorators.login_required"},
        # in evaluation order: a nested call comes right before the call it is an argument of
        calls=[
            call("django.urls.path", "profile/<int:pk>/", None,
                 refs=(None, "accounts.views.profile"), kw={"name": "profile"}),
            call("accounts.views.ProfileView.as_view", span=at(5, 20, 5, 50)),
            call("django.urls.path", "edit/", None,
                 refs=(None, "accounts.views.ProfileView.as_view"), kw={"name": "edit"},
                 span=at(5, 5, 5, 70)),
            call("django.contrib.auth.decorators.login_required",
                 refs=("accounts.views.settings_page",), span=at(6, 30, 6, 70)),
            call("django.urls.re_path", r"^settings/$", None,
                 refs=(None, "django.contrib.auth.decorators.login_required"),
                 span=at(6, 5, 6, 80)),
            call("django.urls.include", "api.urls", span=at(7, 20, 7, 45)),
            call("django.urls.path", "api/", None, refs=(None, "django.urls.include"),
                 span=at(7, 5, 7, 50)),
        ],
    )
    return [views, urls]


def test_django_urlconf_routes_functions_and_class_based_views() -> None:
    handlers = find_handlers(_django_app())
    assert handlers["accounts.views.profile"] == HandlerInfo(
        "accounts.views.profile", "django", "view", ("profile/<int:pk>/",), ("profile",), ())
    assert handlers["accounts.views.settings_page"].routes == (r"^settings/$",)
    form_valid = handlers["accounts.views.ProfileView.form_valid"]
    assert (form_valid.kind, form_valid.routes, form_valid.route_names, form_valid.methods) == (
        "view", ("edit/",), ("edit",), ("POST",))
    assert form_valid.class_symbol == "accounts.views.ProfileView"
    assert "accounts.views.ProfileView.get_object" in handlers
    assert "accounts.views.ProfileView.build_context" not in handlers


def test_wrapped_views_are_not_taken_from_a_sibling_route() -> None:
    # Spans as coarse as the whole ``urlpatterns = [...]`` statement: only call order tells
    # which nested call belongs to which path().
    whole = at(3, 1, 8, 2)
    views = module("blog.views", functions=[fn("blog.views.a"), fn("blog.views.b")])
    urls = module("blog.urls", imports={"path": "django.urls.path"}, calls=[
        call("django.views.decorators.csrf.csrf_exempt", refs=("blog.views.a",), span=whole),
        call("django.urls.path", "a/", None,
             refs=(None, "django.views.decorators.csrf.csrf_exempt"), span=whole),
        call("blog.factory.make_view", "b", span=whole),
        call("django.urls.path", "b/", None, refs=(None, "blog.factory.make_view"), span=whole),
    ])
    handlers = find_handlers([views, urls])
    assert handlers["blog.views.a"].routes == ("a/",)
    assert "blog.views.b" not in handlers


def test_django_urlconf_is_the_truth_for_the_views_it_routes() -> None:
    handlers = find_handlers(_django_app())
    # accounts/urls.py routes accounts.views: its unrouted ``request`` functions are helpers
    assert "accounts.views.unrouted" not in handlers
    assert "accounts.views.client_ip" not in handlers


def test_django_views_module_convention_without_urlconf() -> None:
    views = module(
        "blog.views",
        imports={"render": "django.shortcuts.render"},
        functions=[
            fn("blog.views.post_detail", params=("request", "pk"),
               calls=[call("blog.views.client_ip", refs=("request",))]),
            fn("blog.views.client_ip", params=("request",)),
            fn("blog.views.format_name", params=("user",)),
            fn("blog.views._private", params=("request",)),
            fn("blog.views.post_detail.inner", params=("request",)),
        ],
    )
    split = module("shop.views.orders", imports={"render": "django.shortcuts.render"},
                   functions=[fn("shop.views.orders.order_list")])
    handlers = find_handlers([views, split])
    assert set(handlers) == {"blog.views.post_detail", "shop.views.orders.order_list"}
    assert handlers["blog.views.post_detail"].kind == "view"


def test_django_view_decorators_and_signals() -> None:
    facts = module(
        "shop.hooks",
        imports={"require_POST": "django.views.decorators.http.require_POST",
                 "receiver": "django.dispatch.receiver"},
        functions=[
            fn("shop.hooks.checkout", "django.views.decorators.http.require_POST"),
            fn("shop.hooks.any_methods",
               call("django.views.decorators.http.require_http_methods")),
            fn("shop.hooks.on_save", call("django.dispatch.receiver", refs=(
                "django.db.models.signals.post_save",)), params=("sender", "instance")),
            fn("shop.hooks.on_login", params=("sender", "user")),
            fn("shop.hooks.scrubbed", "django.views.decorators.debug.sensitive_variables",
               params=("user",)),
        ],
    )
    apps = module(
        "shop.apps",
        imports={"user_logged_in": "django.contrib.auth.signals.user_logged_in"},
        functions=[fn("shop.apps.ShopConfig.ready", params=("self",), cls="shop.apps.ShopConfig",
                      calls=[call("django.contrib.auth.signals.user_logged_in.connect",
                                  refs=("shop.hooks.on_login",))])],
        classes=[klass("shop.apps.ShopConfig", "django.apps.AppConfig")],
    )
    handlers = find_handlers([facts, apps])
    assert handlers["shop.hooks.checkout"].methods == ("POST",)
    assert handlers["shop.hooks.any_methods"].kind == "view"
    assert handlers["shop.hooks.on_save"].kind == "signal"
    assert handlers["shop.hooks.on_login"] == HandlerInfo(
        "shop.hooks.on_login", "django", "signal")
    assert "shop.hooks.scrubbed" not in handlers
    assert "shop.apps.ShopConfig.ready" not in handlers


def test_django_middleware_by_base_and_by_shape() -> None:
    mixin = module(
        "core.audit",
        classes=[klass("core.audit.AuditMiddleware", "django.utils.deprecation.MiddlewareMixin")],
        functions=[method("core.audit.AuditMiddleware", "process_request"),
                   method("core.audit.AuditMiddleware", "_remember", params=("self", "user"))],
    )
    shaped = module(
        "core.middleware",
        classes=[klass("core.middleware.Geo"), klass("core.middleware.Helper")],
        functions=[
            method("core.middleware.Geo", "__init__", params=("self", "get_response")),
            method("core.middleware.Geo", "__call__"),
            method("core.middleware.Helper", "__call__", params=("self", "value")),
            fn("core.middleware.timing", params=("get_response",)),
            fn("core.middleware.timing.middleware"),
        ],
    )
    handlers = find_handlers([mixin, shaped])
    assert set(handlers) == {"core.audit.AuditMiddleware.process_request",
                             "core.middleware.Geo.__call__", "core.middleware.timing.middleware"}
    assert {h.kind for h in handlers.values()} == {"middleware"}
    assert {h.framework for h in handlers.values()} == {"django"}


# -- DRF ----------------------------------------------------------------------------------


def test_drf_api_view_viewsets_through_project_bases_actions_and_router() -> None:
    core = module(
        "core.api",
        imports={"viewsets": "rest_framework.viewsets"},
        classes=[klass("core.api.BaseViewSet", "rest_framework.viewsets.ModelViewSet")],
        functions=[method("core.api.BaseViewSet", "get_queryset", params=("self",))],
    )
    api = module(
        "users.api",
        imports={"BaseViewSet": "core.api.BaseViewSet",
                 "api_view": "rest_framework.decorators.api_view",
                 "action": "rest_framework.decorators.action"},
        classes=[klass("users.api.UserViewSet", "core.api.BaseViewSet"),
                 klass("users.api.Exporter")],
        functions=[
            fn("users.api.me", call("rest_framework.decorators.api_view")),
            method("users.api.UserViewSet", "perform_create", params=("self", "serializer")),
            method("users.api.UserViewSet", "export",
                   call("rest_framework.decorators.action", kw={"url_path": "export"})),
            method("users.api.UserViewSet", "clean_email", params=("self", "value")),
            method("users.api.Exporter", "get", params=("self", "key")),
        ],
    )
    urls = module(
        "users.urls",
        imports={"routers": "rest_framework.routers", "UserViewSet": "users.api.UserViewSet"},
        instances={"router": "rest_framework.routers.DefaultRouter"},
        calls=[call("users.urls.router.register", "users", refs=(None, "users.api.UserViewSet"),
                    kw={"basename": "user"})],
    )
    handlers = find_handlers([urls, api, core])
    assert handlers["users.api.me"].framework == "drf"
    create = handlers["users.api.UserViewSet.perform_create"]
    assert (create.framework, create.routes, create.route_names, create.methods) == (
        "drf", ("users",), ("user",), ("POST",))
    assert handlers["users.api.UserViewSet.export"].routes == ("export", "users")
    assert "core.api.BaseViewSet.get_queryset" in handlers
    assert "users.api.UserViewSet.clean_email" not in handlers
    assert "users.api.Exporter.get" not in handlers


def test_receivers_already_replaced_by_their_type() -> None:
    # The extractor types locals and instances: ``router.register(...)`` may arrive as
    # ``rest_framework.routers.DefaultRouter.register``, ``app.add_url_rule`` inside
    # ``create_app()`` as ``flask.Flask.add_url_rule``.
    api = module(
        "users.api",
        classes=[klass("users.api.UserViewSet", "rest_framework.viewsets.ModelViewSet")],
        functions=[method("users.api.UserViewSet", "list")],
        calls=[call("rest_framework.routers.DefaultRouter.register", "users",
                    refs=(None, "users.api.UserViewSet"))],
    )
    app = module(
        "shop.app", imports={"Flask": "flask.Flask"},
        functions=[fn("shop.app.ping", params=()),
                   fn("shop.app.create_app", params=(), calls=[
                       call("flask.Flask.add_url_rule", "/ping",
                            refs=(None, None, "shop.app.ping")),
                       call("typer.Typer.add_url_rule", "/x", refs=(None, None, "shop.app.nope")),
                   ]),
                   fn("shop.app.nope", params=())],
    )
    handlers = find_handlers([api, app])
    assert set(handlers) == {"users.api.UserViewSet.list", "shop.app.ping"}
    assert handlers["users.api.UserViewSet.list"].routes == ("users",)
    assert handlers["shop.app.ping"].route_names == ("ping",)


def test_project_signal_connect() -> None:
    facts = module(
        "shop.signals",
        imports={"Signal": "django.dispatch.Signal"},
        instances={"order_placed": "django.dispatch.Signal"},
        functions=[fn("shop.signals.notify", params=("sender", "order"))],
        calls=[call("shop.signals.order_placed.connect", refs=("shop.signals.notify",))],
    )
    assert find_handlers([facts])["shop.signals.notify"].kind == "signal"


def test_framework_base_reexported_by_a_project_module() -> None:
    compat = module("core.compat", imports={"APIView": "rest_framework.views.APIView"})
    views = module(
        "shop.api",
        imports={"APIView": "core.compat.APIView"},
        classes=[klass("shop.api.Orders", "core.compat.APIView")],
        functions=[method("shop.api.Orders", "get")],
    )
    assert find_handlers([compat, views])["shop.api.Orders.get"].framework == "drf"


# -- task queues --------------------------------------------------------------------------


def test_celery_tasks() -> None:
    celery = module("proj.celery", imports={"Celery": "celery.Celery"},
                    instances={"app": "celery.Celery"})
    tasks = module(
        "proj.tasks",
        imports={"shared_task": "celery.shared_task", "app": "proj.celery.app",
                 "Task": "celery.Task"},
        classes=[klass("proj.tasks.Export", "celery.Task")],
        functions=[
            fn("proj.tasks.send_welcome", "celery.shared_task", params=("user_id",)),
            fn("proj.tasks.purge", call("proj.celery.app.task", kw={}), params=("self",)),
            method("proj.tasks.Export", "run", params=("self", "user_id")),
            method("proj.tasks.Export", "helper", params=("self",)),
        ],
    )
    factory = module("other.tasks", imports={"make_celery": "other.factory.make_celery"},
                     instances={"celery_app": "other.factory.make_celery"},
                     functions=[fn("other.tasks.sync", call("other.tasks.celery_app.task"),
                                   params=("self",))])
    handlers = find_handlers([tasks, celery, factory,
                              module("other.factory", imports={"Celery": "celery.Celery"},
                                     functions=[fn("other.factory.make_celery", params=())])])
    assert {s for s, h in handlers.items() if h.kind == "task"} == {
        "proj.tasks.send_welcome", "proj.tasks.purge", "proj.tasks.Export.run", "other.tasks.sync"}
    assert {h.framework for h in handlers.values()} == {"celery"}


def test_dramatiq_rq_and_huey() -> None:
    facts = module(
        "jobs.work",
        imports={"dramatiq": "dramatiq", "Queue": "rq.Queue", "RedisHuey": "huey.RedisHuey",
                 "djhuey_task": "huey.contrib.djhuey.task"},
        instances={"huey": "huey.RedisHuey"},
        functions=[
            fn("jobs.work.notify", call("dramatiq.actor"), params=("user_id",)),
            fn("jobs.work.export", params=("user_id",)),
            fn("jobs.work.later", params=("user_id",)),
            fn("jobs.work.remind", params=("user_id",)),
            fn("jobs.work.by_path", params=("user_id",)),
            fn("jobs.work.schedule", params=("user",), calls=[
                call("q.enqueue", refs=("jobs.work.export", None)),
                call("q.enqueue_in", refs=(None, "jobs.work.later")),
                call("q.enqueue", refs=("jobs.work.Missing",)),
                call("q.enqueue_call", kwrefs={"func": "jobs.work.remind"}),
                call("q.enqueue", "jobs.work.by_path", None),
                call("q.enqueue", "not a path", None),
            ]),
            fn("jobs.work.cleanup", call("jobs.work.huey.periodic_task"), params=()),
            fn("jobs.work.reindex", call("huey.contrib.djhuey.task"), params=()),
        ],
    )
    handlers = find_handlers([facts])
    assert {s: h.framework for s, h in handlers.items()} == {
        "jobs.work.notify": "dramatiq", "jobs.work.export": "rq", "jobs.work.later": "rq",
        "jobs.work.remind": "rq", "jobs.work.by_path": "rq", "jobs.work.cleanup": "huey",
        "jobs.work.reindex": "huey"}
    assert {h.kind for h in handlers.values()} == {"task"}


# -- aiohttp and others -----------------------------------------------------------------


def test_aiohttp_route_table_and_router_calls() -> None:
    facts = module(
        "svc.web",
        imports={"web": "aiohttp.web"},
        instances={"routes": "aiohttp.web.RouteTableDef"},
        functions=[
            fn("svc.web.index", call("svc.web.routes.get", "/")),
            fn("svc.web.anything", call("svc.web.routes.route", "PATCH", "/any")),
            fn("svc.web.login"),
            fn("svc.web.logout"),
            fn("svc.web.feed"),
            fn("svc.web.main", params=(), calls=[
                call("app.router.add_post", "/login", refs=(None, "svc.web.login")),
                call("app.router.add_route", "DELETE", "/logout",
                     refs=(None, None, "svc.web.logout")),
                call("aiohttp.web.get", "/feed", refs=(None, "svc.web.feed")),
            ]),
        ],
    )
    handlers = find_handlers([facts])
    assert handlers["svc.web.index"].methods == ("GET",)
    assert handlers["svc.web.anything"].methods == ("PATCH",)
    assert handlers["svc.web.anything"].routes == ("/any",)
    assert handlers["svc.web.login"].routes == ("/login",)
    assert handlers["svc.web.logout"].methods == ("DELETE",)
    assert handlers["svc.web.feed"].framework == "aiohttp"
    assert "svc.web.main" not in handlers


def test_litestar_and_ninja() -> None:
    facts = module(
        "svc.api",
        imports={"get": "litestar.get", "NinjaAPI": "ninja.NinjaAPI"},
        instances={"api": "ninja.NinjaAPI"},
        functions=[fn("svc.api.users", call("litestar.get", "/users"), params=()),
                   fn("svc.api.me", call("svc.api.api.get", "/me", kw={"url_name": "me"}))],
    )
    handlers = find_handlers([facts])
    assert handlers["svc.api.users"].routes == ("/users",)
    assert handlers["svc.api.me"] == HandlerInfo(
        "svc.api.me", "ninja", "route", ("/me",), ("me",), ("GET",))


# -- negatives ----------------------------------------------------------------------------


def test_plain_code_is_never_a_handler() -> None:
    models = module(
        "shop.models",
        imports={"models": "django.db.models"},
        classes=[klass("shop.models.Customer", "django.db.models.Model"),
                 klass("shop.models.Cache")],
        functions=[
            method("shop.models.Customer", "save", params=("self",)),
            method("shop.models.Cache", "get", params=("self", "key")),
        ],
    )
    misc = module(
        "shop.misc",
        imports={"Flask": "flask.Flask", "Typer": "typer.Typer"},
        # ``web_app`` looks app-like, but its type is known and is not a web framework
        instances={"web_app": "typer.Typer", "registry": "shop.misc.Registry"},
        classes=[klass("shop.misc.Registry")],
        functions=[
            fn("shop.misc.lookup", params=("config",), calls=[
                call("config.get", "key", refs=(None, "shop.misc.fallback")),
                call("dict.get", refs=("shop.misc.fallback",)),
            ]),
            fn("shop.misc.fallback", params=()),
            fn("shop.misc.registered", call("shop.misc.registry.route", "/x"), params=()),
            fn("shop.misc.plugin", call("plugins.route", "/x"), params=()),
            fn("shop.misc.command", call("shop.misc.web_app.get", "/x"), params=()),
            fn("shop.misc.cached", call("shop.misc.memo.get"), params=()),
            fn("shop.misc.project_decorated", call("shop.routing.get", "/x"), params=()),
        ],
    )
    routing = module("shop.routing", functions=[fn("shop.routing.get", params=("path",))])
    assert find_handlers([models, misc, routing]) == {}


def test_name_heuristics_need_the_framework_imported_somewhere() -> None:
    facts = module("tool.cli", functions=[fn("tool.cli.run", call("app.route", "/"), params=())])
    assert find_handlers([facts]) == {}


def test_views_module_convention_needs_django_in_the_project() -> None:
    facts = module("gui.views", imports={"tk": "tkinter"},
                   functions=[fn("gui.views.show", params=("request",))])
    assert find_handlers([facts]) == {}


def test_views_module_of_a_decorator_routed_framework_has_no_convention_views() -> None:
    facts = module("site.views", imports={"Flask": "flask.Flask"},
                   functions=[fn("site.views.helper", params=("request",))])
    admin = module("site.legacy", imports={"settings": "django.conf.settings"})
    assert find_handlers([facts, admin]) == {}


def test_test_and_generated_files_are_ignored() -> None:
    app = module("tests.test_app", imports={"Flask": "flask.Flask"},
                 instances={"app": "flask.Flask"}, is_test=True,
                 functions=[fn("tests.test_app.view", call("tests.test_app.app.route", "/"))])
    assert find_handlers([app]) == {}


# -- determinism --------------------------------------------------------------------------


def test_result_is_sorted_and_independent_of_file_order() -> None:
    files = [*_django_app(), module(
        "shop.app", imports={"Flask": "flask.Flask"}, instances={"app": "flask.Flask"},
        functions=[fn("shop.app.a", call("shop.app.app.route", "/a")),
                   fn("shop.app.b", call("shop.app.app.route", "/b"),
                      call("shop.app.app.route", "/c"))],
    )]
    expected = find_handlers(files)
    assert list(expected) == sorted(expected)
    assert expected["shop.app.b"].routes == ("/b", "/c")
    for seed in range(5):
        shuffled = files[:]
        random.Random(seed).shuffle(shuffled)
        assert find_handlers(shuffled) == expected


def test_dramatiq_generic_actor_and_aiohttp_middleware() -> None:
    actor = ClassFact(symbol="svc.jobs.Confirm", name="Confirm", span=SPAN, end_line=5,
                      bases=("dramatiq.GenericActor",), decorators=())
    facts = module(
        "svc.jobs",
        imports={"dramatiq": "dramatiq", "web": "aiohttp.web"},
        functions=[
            fn("svc.jobs.Confirm.perform", params=("self", "customer_id"), cls="svc.jobs.Confirm"),
            fn("svc.jobs.Confirm.helper", params=("self",), cls="svc.jobs.Confirm"),
            fn("svc.jobs.audit", "aiohttp.web.middleware", params=("request", "handler")),
        ],
        classes=[actor],
    )
    handlers = find_handlers([facts])
    assert {s: (h.framework, h.kind) for s, h in handlers.items()} == {
        "svc.jobs.Confirm.perform": ("dramatiq", "task"),
        "svc.jobs.audit": ("aiohttp", "middleware"),
    }
