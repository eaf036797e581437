"""FastAPI and Starlette: apps, routers, routes, responses, parameters, wiring.

Library facts as data (see `fastlint.knowledge`); predicates on them live in
`fastlint.model.known`.
"""

from __future__ import annotations

FASTAPI = "fastapi"
CADWYN = "cadwyn"  # versioned FastAPI apps and routers (Apache Airflow)
STARLETTE = "starlette"
FRAMEWORKS = (FASTAPI, STARLETTE)  # their own classes are understood, never unknown
HTTP_METHODS = ("get", "post", "put", "patch", "delete", "head", "options", "trace")
# `<router>.<method>(path)` calls that register a route when called with the endpoint:
# FastAPI's, and Starlette's `route`/`websocket_route` (on APIRouter, FastAPI and the
# Starlette app and router of Starlette before 1.0).
ROUTE_METHODS = frozenset({*HTTP_METHODS, "api_route", "websocket", "route", "websocket_route"})
# `<app>.<method>(arg)` calls that register the function they are called with, as a
# decorator or as a call (`app.middleware("http")(dispatch)`).
REGISTERING_METHODS = frozenset({*ROUTE_METHODS, "middleware"})
# Classes of route objects, put in a `routes=[...]` list or appended to `.routes`:
# each registers one route (Starlette's are called without FastAPI's parameters).
ROUTE_CLASSES = frozenset({"APIRoute", "APIWebSocketRoute", "Route", "WebSocketRoute"})
WEBSOCKET_ROUTE_CLASSES = frozenset({"APIWebSocketRoute", "WebSocketRoute"})
# Route objects that serve another app or a list of routes below a path or a host.
MOUNT_CLASSES = frozenset({"Mount", "Host"})
# Registering methods that make a Starlette route (no FastAPI parameters).
STARLETTE_ROUTE_METHODS = ("route", "websocket_route")
# `<container>.routes.<method>(...)`: list methods that add route objects.
ROUTE_LIST_METHODS = frozenset({"append", "extend", "insert"})
STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
JSON_RESPONSES = frozenset({"JSONResponse", "ORJSONResponse", "UJSONResponse"})
REDIRECT_RESPONSE = "RedirectResponse"
# Template engines whose `TemplateResponse(...)` renders a page (Starlette/FastAPI).
TEMPLATE_ENGINES = frozenset({"Jinja2Templates"})
TEMPLATE_RESPONSE_METHODS = frozenset({"TemplateResponse"})
# Library methods that return a Starlette response, by the library of their receiver:
# Authlib's `oauth.google.authorize_redirect(...)`, Slack Bolt's `handler.handle(req)`.
# Library functions that return an `HTMLResponse` (FastAPI's docs pages, served by hand).
RESPONSE_FUNCTIONS = frozenset(
    {
        "fastapi.openapi.docs.get_swagger_ui_html",
        "fastapi.openapi.docs.get_redoc_html",
        "fastapi.openapi.docs.get_swagger_ui_oauth2_redirect_html",
    }
)
RESPONSE_METHODS: dict[str, tuple[str, ...]] = {
    "authorize_redirect": ("authlib",),
    "handle": ("slack_bolt",),
}
HTTP_EXCEPTIONS = frozenset({"HTTPException", "WebSocketException"})
DEPENDS = "Depends"
SECURITY = "Security"
# FastAPI's parameter functions and the source each declares (`fastlint.model.parameters`).
PARAMETER_MARKERS = {
    "Path": "path",
    "Query": "query",
    "Header": "header",
    "Cookie": "cookie",
    "Body": "body",
    "Form": "form",
    "File": "file",
    DEPENDS: "dependency",
    SECURITY: "dependency",
}
# Classes FastAPI injects into parameters itself (and their subclasses).
INJECTED_CLASSES = frozenset(
    {"Request", "Response", "BackgroundTasks", "SecurityScopes", "WebSocket", "HTTPConnection"}
)
# Methods that include routers into an app or router (Cadwyn's versioned apps too).
INCLUDE_METHODS = ("include_router", "generate_and_include_versioned_routers")
# Methods whose calls wire routers, sub-apps, middleware and routes together.
WIRING_METHODS = frozenset(
    {
        "include_router",
        "generate_and_include_versioned_routers",  # Cadwyn
        "mount",
        "host",
        "add_middleware",
        "add_api_route",
        "add_api_websocket_route",
        "add_route",
        "add_websocket_route",
        "add_exception_handler",
    }
)
# Classes whose instances are apps or routers (FastAPI, Starlette, Cadwyn), by final
# name: the prefilter reads a file that imports a function building one of these.
APP_CLASSES = frozenset({"FastAPI", "Starlette", "Cadwyn", "APIRouter", "VersionedAPIRouter"})
# Response classes whose `set_cookie` sets a cookie (and their subclasses, by name).
RESPONSE_SUFFIX = "Response"
MIDDLEWARE_MODULES = ("starlette.middleware", "fastapi.middleware")
