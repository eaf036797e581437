"""What fastlint knows about the libraries FastAPI apps are built from.

Names are matched on the top-level package and the final name, so
`fastapi.security.oauth2.OAuth2PasswordBearer` and
`fastapi.security.OAuth2PasswordBearer` are the same thing.
"""

from __future__ import annotations

from fastlint.model.values import External

SECURITY_SCHEMES = frozenset(
    {
        "OAuth2PasswordBearer",
        "OAuth2AuthorizationCodeBearer",
        "OAuth2",
        "OpenIdConnect",
        "HTTPBearer",
        "HTTPBasic",
        "HTTPDigest",
        "APIKeyHeader",
        "APIKeyQuery",
        "APIKeyCookie",
    }
)
HTTP_METHODS = ("get", "post", "put", "patch", "delete", "head", "options", "trace")
STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
JSON_RESPONSES = frozenset({"JSONResponse", "ORJSONResponse", "UJSONResponse"})


def _is(ext: External, packages: tuple[str, ...], *names: str) -> bool:
    return ext.top in packages and ext.last in names


def is_fastapi_app(ext: External) -> bool:
    return _is(ext, ("fastapi",), "FastAPI") or _is(ext, ("cadwyn",), "Cadwyn")


def is_starlette_app(ext: External) -> bool:
    return _is(ext, ("starlette",), "Starlette")


def is_router(ext: External) -> bool:
    return _is(ext, ("fastapi",), "APIRouter") or _is(ext, ("cadwyn",), "VersionedAPIRouter")


# Methods that include routers into an app or router (Cadwyn's versioned apps too).
INCLUDE_METHODS = ("include_router", "generate_and_include_versioned_routers")


def is_depends(ext: External) -> bool:
    return _is(ext, ("fastapi",), "Depends")


def is_security_marker(ext: External) -> bool:
    return _is(ext, ("fastapi",), "Security")


def is_security_scheme(ext: External) -> bool:
    return ext.top == "fastapi" and ext.last in SECURITY_SCHEMES


def is_http_exception(ext: External) -> bool:
    return _is(ext, ("fastapi", "starlette"), "HTTPException", "WebSocketException")


def is_auth_middleware(ext: External) -> bool:
    return _is(ext, ("starlette", "fastapi"), "AuthenticationMiddleware")


def is_framework(ext: External) -> bool:
    """FastAPI/Starlette's own classes and functions: understood, never unknown."""
    return ext.top in ("fastapi", "starlette")


def is_rate_limit_name(name: str) -> bool:
    """Names of rate limiters by convention: slowapi's middlewares, fastapi-limiter,
    fastapi-guard, asgi-ratelimit and in-house `*RateLimit*`/`*Throttl*` classes."""
    folded = name.lower().replace("_", "")
    return "ratelimit" in folded or "throttl" in folded or folded.startswith("slowapi")


def is_rate_limiter(ext: External) -> bool:
    if ext.top in ("slowapi", "fastapi_limiter"):
        return ext.last in ("SlowAPIMiddleware", "SlowAPIASGIMiddleware", "RateLimiter", "Limiter")
    return is_rate_limit_name(ext.last)


def is_pydantic_model(ext: External) -> bool:
    return _is(ext, ("pydantic",), "BaseModel", "RootModel") or _is(ext, ("sqlmodel",), "SQLModel")


def is_response_class(ext: External) -> bool:
    """Any Starlette/FastAPI response class, or anything named `*Response`."""
    return ext.last.endswith("Response")


def is_json_response(ext: External) -> bool:
    return ext.last in JSON_RESPONSES
