"""Questions about library classes and functions, answered from `fastlint.knowledge`.

Names are matched on the top-level package and the final name, so
`fastapi.security.oauth2.OAuth2PasswordBearer` and
`fastapi.security.OAuth2PasswordBearer` are the same thing.
"""

from __future__ import annotations

from collections.abc import Collection

from fastlint import knowledge as kb
from fastlint.knowledge import (
    ASYMMETRIC_ALGORITHMS,
    BASE64_DECODERS,
    CALLER_WORDS,
    HMAC_ALGORITHMS,
    HTTP_METHODS,
    JOSE_DECODERS,
    JSON_RESPONSES,
    JWT_DECODERS,
    JWT_UNVERIFIED_CLAIMS,
    QUERY_METHODS,
    ROLE_WORDS,
    SECURITY_SCHEMES,
    STATE_CHANGING,
)
from fastlint.model.values import External

__all__ = [
    "ASYMMETRIC_ALGORITHMS",
    "BASE64_DECODERS",
    "CALLER_WORDS",
    "HMAC_ALGORITHMS",
    "HTTP_METHODS",
    "JOSE_DECODERS",
    "JSON_RESPONSES",
    "JWT_DECODERS",
    "JWT_UNVERIFIED_CLAIMS",
    "QUERY_METHODS",
    "ROLE_WORDS",
    "SECURITY_SCHEMES",
    "STATE_CHANGING",
]


def _is(ext: External, packages: Collection[str], names: Collection[str]) -> bool:
    return ext.top in packages and ext.last in names


def is_fastapi_app(ext: External) -> bool:
    return _is(ext, (kb.FASTAPI,), ("FastAPI",)) or _is(ext, (kb.CADWYN,), ("Cadwyn",))


def is_starlette_app(ext: External) -> bool:
    return _is(ext, (kb.STARLETTE,), ("Starlette",))


def is_router(ext: External) -> bool:
    return _is(ext, (kb.FASTAPI,), ("APIRouter",)) or _is(
        ext, (kb.CADWYN,), ("VersionedAPIRouter",)
    )


# Methods that include routers into an app or router (Cadwyn's versioned apps too).
INCLUDE_METHODS = ("include_router", "generate_and_include_versioned_routers")


def is_depends(ext: External) -> bool:
    return _is(ext, (kb.FASTAPI,), (kb.DEPENDS,))


def is_security_marker(ext: External) -> bool:
    return _is(ext, (kb.FASTAPI,), (kb.SECURITY,))


def is_security_scheme(ext: External) -> bool:
    return _is(ext, (kb.FASTAPI,), SECURITY_SCHEMES)


def is_http_exception(ext: External) -> bool:
    return _is(ext, kb.FRAMEWORKS, kb.HTTP_EXCEPTIONS)


def is_auth_middleware(ext: External) -> bool:
    return _is(ext, kb.FRAMEWORKS, kb.AUTH_MIDDLEWARE)


def is_requires_decorator(ext: External) -> bool:
    """Starlette's `@requires("authenticated")`."""
    return ext.top == kb.STARLETTE


def is_redirect_response(ext: External) -> bool:
    return ext.last == kb.REDIRECT_RESPONSE


def is_framework(ext: External) -> bool:
    """FastAPI/Starlette's own classes and functions: understood, never unknown."""
    return ext.top in kb.FRAMEWORKS


def is_rate_limit_name(name: str) -> bool:
    """Names of rate limiters by convention: slowapi's middlewares, fastapi-limiter,
    fastapi-guard, asgi-ratelimit and in-house `*RateLimit*`/`*Throttl*` classes."""
    folded = name.lower().replace("_", "")
    return "ratelimit" in folded or "throttl" in folded or folded.startswith("slowapi")


def is_rate_limiter(ext: External) -> bool:
    if ext.top in kb.RATE_LIMIT_LIBRARIES:
        return ext.last in kb.RATE_LIMITERS
    return is_rate_limit_name(ext.last)


def is_pydantic_model(ext: External) -> bool:
    return _is(ext, (kb.PYDANTIC,), kb.PYDANTIC_MODELS) or _is(
        ext, (kb.SQLMODEL,), kb.SQLMODEL_MODELS
    )


def is_response_class(ext: External) -> bool:
    """Any Starlette/FastAPI response class, or anything named `*Response`."""
    return ext.last.endswith("Response")


def is_json_response(ext: External) -> bool:
    return ext.last in JSON_RESPONSES


def is_jwt_library(ext: External) -> bool:
    """PyJWT (`jwt`), python-jose (`jose`) and Authlib (`authlib`)."""
    return ext.top in kb.JWT_LIBRARIES


def is_session_library(ext: External) -> bool:
    """Signing and session helpers: itsdangerous, fastapi-users, passlib."""
    return ext.top in kb.SESSION_LIBRARIES


def is_server(ext: External) -> bool:
    """ASGI servers started from code (`uvicorn.run(...)`)."""
    return ext.top in kb.SERVERS


def is_middleware_module(ext: External) -> bool:
    """Starlette's and FastAPI's bundled middleware (`starlette.middleware.cors`...)."""
    return any(ext.qualname.startswith(module + ".") for module in kb.MIDDLEWARE_MODULES)
