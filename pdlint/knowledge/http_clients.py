"""HTTP clients (requests, httpx, urllib, urllib3, aiohttp's client, http.client): data
sent with them goes to whoever the URL names. The recipient is a function's declared
``to=``, else the host of a literal URL, else an unknown HTTP endpoint; never the library."""

from __future__ import annotations

from pdlint.knowledge.spec import Recipient, Spec, TestClientSpec

SPEC = Spec(
    name="http-clients",
    recipients=(
        Recipient("requests.", None),
        Recipient("httpx.", None),
        Recipient("urllib.request.", None),
        Recipient("urllib3.", None),
        Recipient("aiohttp.", None),
        Recipient("http.client.", None),
    ),
    # their first argument is a bare host ("api.example.com:443"), not a URL
    host_constructors=("http.client.HTTPConnection", "http.client.HTTPSConnection"),
    # tests that send real requests name URLs: ``requests.get("/x")`` hits a route
    test_clients=TestClientSpec(weak_receivers=frozenset({"requests", "httpx"}),
                                method_first=frozenset({"request"})),
)
