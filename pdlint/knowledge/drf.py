"""Django REST framework: API views and viewsets, ``@api_view``/``@action``, routers and
serializers (whose validated data is a request body)."""

from __future__ import annotations

from pdlint.knowledge.http import VERB_METHODS
from pdlint.knowledge.spec import (
    ClassRule,
    DecoratorRule,
    Family,
    ImportFamily,
    Registration,
    Spec,
)

METHODS = VERB_METHODS | {
    "list", "create", "retrieve", "update", "partial_update", "destroy",
    "perform_create", "perform_update", "perform_destroy", "get_queryset", "get_object",
}

SPEC = Spec(
    name="drf",
    # DRF views are Django views too: this spec comes before django's in the registry.
    handler_classes=(
        (r"^rest_framework\.(views\.APIView|generics\.\w*APIView|viewsets\.\w*ViewSet)$",
         ClassRule("drf", "view", METHODS)),
    ),
    # a viewset routed by a Django URL conf serves its DRF methods
    routed_class_methods={"drf": METHODS, "django": METHODS},
    handler_decorators=(
        (r"^rest_framework\.decorators\.api_view$", DecoratorRule("drf", "view")),
        (r"^rest_framework\.decorators\.(action|detail_route|list_route)$",
         DecoratorRule("drf", "view", path_kw="url_path", name_kw="url_name")),
    ),
    families={
        "drf-router": Family("drf", calls={
            "register": Registration("view", view_pos=1, view_kw="viewset", path_kw="prefix",
                                     name_kw="basename"),
        }),
    },
    instance_types=((r"^rest_framework\.routers\.\w*Router$", "drf-router"),),
    import_families=(ImportFamily(r"^rest_framework(\.|$)", "drf-router", 90),),
    request_view_roots=(("rest_framework", "django"),),
    request_containers=(
        "request.data", "request.query_params",
        "serializer.validated_data", "serializer.data", "serializer.initial_data",
    ),
    model_bases=(("drf", r"^rest_framework\.serializers\.\w*Serializer$"),),
)
