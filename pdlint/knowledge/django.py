"""Django: class-based views, view decorators, URL confs, signals, middleware, models,
forms, the test client and ``reverse``; flash messages and signed cookies."""

from __future__ import annotations

from pdlint.knowledge.http import MIDDLEWARE_METHODS, VERB_METHODS
from pdlint.knowledge.spec import (
    CallRegistration,
    ClassRule,
    DecoratorRule,
    Family,
    Registration,
    SinkKind,
    Spec,
    StoreSink,
    TestClientSpec,
)

VIEW_METHODS = VERB_METHODS | {
    "dispatch", "form_valid", "get_queryset", "get_object", "get_context_data",
}

SPEC = Spec(
    name="django",
    handler_classes=(
        (r"^django\.(views|contrib\.\w+\.views)(\.\w+)*\.\w*View$",
         ClassRule("django", "view", VIEW_METHODS)),
        (r"^django\.utils\.deprecation\.MiddlewareMixin$",
         ClassRule("django", "middleware", MIDDLEWARE_METHODS)),
    ),
    routed_class_methods={"django": VIEW_METHODS},
    handler_decorators=(
        (r"^django\.dispatch(\.dispatcher)?\.receiver$", DecoratorRule("django", "signal")),
        (r"^django\.views\.decorators\.http\.require_GET$",
         DecoratorRule("django", "view", ("GET",))),
        (r"^django\.views\.decorators\.http\.require_POST$",
         DecoratorRule("django", "view", ("POST",))),
        (r"^django\.views\.decorators\.http\.require_safe$",
         DecoratorRule("django", "view", ("GET", "HEAD"))),
        # Other view-only decorators (csrf_exempt, cache_page, require_http_methods…);
        # ``sensitive_variables`` also decorates plain functions, so it is left out.
        (r"^django\.views\.decorators\.\w+\.(?!sensitive_variables$)\w+$",
         DecoratorRule("django", "view")),
        (r"^django\.contrib\.auth\.decorators\.(login_required|permission_required"
         r"|user_passes_test)$",
         DecoratorRule("django", "view")),
        (r"^django\.contrib\.admin\.views\.decorators\.staff_member_required$",
         DecoratorRule("django", "view")),
        (r"^django\.contrib\.admin\.(decorators\.)?action$", DecoratorRule("django", "view")),
    ),
    families={
        "django-signal": Family("django", calls={
            "connect": Registration("signal", view_pos=0, view_kw="receiver", path_pos=None,
                                    classes=False),
        }),
    },
    instance_types=((r"^django\.dispatch(\.dispatcher)?\.Signal$", "django-signal"),),
    call_registrations=(
        CallRegistration(r"^django\.(urls|urls\.conf|conf\.urls)\.(path|re_path|url)$", "django",
                         Registration("view", view_pos=1, view_kw="view", path_kw="route",
                                      name_kw="name", unwrap=True),
                         ("path", "re_path", "url")),
    ),
    #: Django's own signals (``post_save.connect(handler)``) are module attributes.
    signal_modules=(r"^django\.(db\.models|core|contrib\.auth|test|db\.backends)\.signals\.\w+$",),
    request_view_roots=(("django", "django"),),
    request_sources=(
        (r"(^|\.)(request\.)?user\.(email|username)$", ""),  # classified by name
    ),
    request_containers=(
        "request.POST", "request.GET", "request.body", "request.FILES", "request.COOKIES",
        "request.headers", "request.META", "form.cleaned_data", "self.cleaned_data",
    ),
    model_bases=(
        ("django-form", r"^django\.forms\."),
        ("django", r"^django\.(db\.models(\.base)?\.Model|contrib\.auth\.(models|base_user)"
                   r"\.Abstract\w*User|contrib\.gis\.db\.models\.Model)$"),
    ),
    test_clients=TestClientSpec(
        method_first=frozenset({"generic"}),
        reverse={"reverse": "reverse", "reverse_lazy": "reverse"},
    ),
    # password hashers; translated messages (Django, Flask-Babel) are the application's text
    sanitizers=(
        r"django\.contrib\.auth\.hashers\.\w+", r"make_password", r"check_password",
        r"(django\.utils\.translation\.)?(_|gettext|gettext_lazy|ugettext|ugettext_lazy"
        r"|pgettext|pgettext_lazy|ngettext|ngettext_lazy|lazy_gettext|_l)",
    ),
    stores=(
        StoreSink(SinkKind.STORAGE, "cookie", methods=frozenset({"set_signed_cookie"})),
        StoreSink(SinkKind.STORAGE, "messages", prefixes=("django.contrib.messages.",)),
    ),
)
