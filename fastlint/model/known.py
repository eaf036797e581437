"""Questions about library classes and functions, answered from `fastlint.knowledge`.

Names are matched on the top-level package and the final name, so
`fastapi.security.oauth2.OAuth2PasswordBearer` and
`fastapi.security.OAuth2PasswordBearer` are the same thing.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Collection

from fastlint.knowledge import (
    environment,
    fastapi_starlette,
    jwt_sessions,
    pydantic_models,
    rate_limiters,
    security_schemes,
    servers_cors,
)
from fastlint.model.values import ClassVal, External


def _is(ext: External, packages: Collection[str], names: Collection[str]) -> bool:
    return ext.top in packages and ext.last in names


def is_fastapi_app(ext: External) -> bool:
    return _is(ext, (fastapi_starlette.FASTAPI,), ("FastAPI",)) or _is(
        ext, (fastapi_starlette.CADWYN,), ("Cadwyn",)
    )


def is_starlette_app(ext: External) -> bool:
    return _is(ext, (fastapi_starlette.STARLETTE,), ("Starlette",))


def is_starlette_router(ext: External) -> bool:
    """Starlette's own `Router`, an ASGI app made of a list of routes."""
    return _is(ext, (fastapi_starlette.STARLETTE,), ("Router",))


def is_router(ext: External) -> bool:
    return _is(ext, (fastapi_starlette.FASTAPI,), ("APIRouter",)) or _is(
        ext, (fastapi_starlette.CADWYN,), ("VersionedAPIRouter",)
    )


def route_object(ext: External) -> str | None:
    """What a FastAPI/Starlette routing class makes: "route", "websocket", "mount"
    (`Mount`, `Host`), else None."""
    if ext.top not in fastapi_starlette.FRAMEWORKS:
        return None
    if ext.last in fastapi_starlette.WEBSOCKET_ROUTE_CLASSES:
        return "websocket"
    if ext.last in fastapi_starlette.ROUTE_CLASSES:
        return "route"
    return "mount" if ext.last in fastapi_starlette.MOUNT_CLASSES else None


def is_base_http_middleware(ext: External) -> bool:
    """Starlette's `BaseHTTPMiddleware`, which runs its `dispatch=` function."""
    return _is(ext, fastapi_starlette.FRAMEWORKS, ("BaseHTTPMiddleware",))


def is_depends(ext: External) -> bool:
    return _is(ext, (fastapi_starlette.FASTAPI,), (fastapi_starlette.DEPENDS,))


def is_security_marker(ext: External) -> bool:
    return _is(ext, (fastapi_starlette.FASTAPI,), (fastapi_starlette.SECURITY,))


def is_security_scheme(ext: External) -> bool:
    return _is(ext, (fastapi_starlette.FASTAPI,), security_schemes.SECURITY_SCHEMES)


def is_password_form(ext: External) -> bool:
    """`OAuth2PasswordRequestForm`: the login form a password is read from."""
    return _is(ext, (fastapi_starlette.FASTAPI,), security_schemes.PASSWORD_FORMS)


def is_http_exception(ext: External) -> bool:
    return _is(ext, fastapi_starlette.FRAMEWORKS, fastapi_starlette.HTTP_EXCEPTIONS)


def is_constant_time_compare(ext: External) -> bool:
    return ext.qualname in security_schemes.CONSTANT_TIME_COMPARE


def is_signature_verifier(ext: External) -> bool:
    """A library call that raises unless a signature verifies (`Webhook(...).verify`)."""
    return (ext.top, ext.last) in security_schemes.SIGNATURE_VERIFIERS


def is_auth_middleware(ext: External) -> bool:
    return _is(ext, fastapi_starlette.FRAMEWORKS, security_schemes.AUTH_MIDDLEWARE)


def is_requires_decorator(ext: External) -> bool:
    """Starlette's `@requires("authenticated")`."""
    return ext.top == fastapi_starlette.STARLETTE


def is_redirect_response(ext: External) -> bool:
    return ext.last == fastapi_starlette.REDIRECT_RESPONSE


def is_framework(ext: External) -> bool:
    """FastAPI/Starlette's own classes and functions: understood, never unknown."""
    return ext.top in fastapi_starlette.FRAMEWORKS


def in_test_code(relative_path: str, globs: Collection[str] = environment.TEST_PATHS) -> bool:
    """Whether a file (its path below the project's folder, `/`-separated) is test
    code: a folder or the file itself matches one of the globs."""
    parts = relative_path.split("/")
    return any(fnmatch.fnmatchcase(part, glob) for part in parts for glob in globs)


def is_rate_limit_name(name: str) -> bool:
    """Names of rate limiters by convention: slowapi's middlewares, fastapi-limiter,
    fastapi-guard, asgi-ratelimit and in-house `*RateLimit*`/`*Throttl*` classes."""
    folded = name.lower().replace("_", "")
    return "ratelimit" in folded or "throttl" in folded or folded.startswith("slowapi")


def is_rate_limiter(ext: External) -> bool:
    if ext.top in rate_limiters.RATE_LIMIT_LIBRARIES:
        return ext.last in rate_limiters.RATE_LIMITERS
    return is_rate_limit_name(ext.last)


def is_pydantic_model(ext: External) -> bool:
    return _is(ext, (pydantic_models.PYDANTIC,), pydantic_models.PYDANTIC_MODELS) or _is(
        ext, (pydantic_models.SQLMODEL,), pydantic_models.SQLMODEL_MODELS
    )


def is_response_class(ext: External) -> bool:
    """Any Starlette/FastAPI response class, or anything named `*Response`."""
    return ext.last.endswith("Response")


def is_typed_dict(ext: External) -> bool:
    return ext.top in pydantic_models.TYPED_DICT_MODULES and ext.last == pydantic_models.TYPED_DICT


def is_validator_marker(ext: External) -> bool:
    """Pydantic's `AfterValidator(...)` and the like, in `Annotated[...]` metadata."""
    return ext.top == pydantic_models.PYDANTIC and ext.last in pydantic_models.VALIDATOR_MARKERS


def is_field_validator(ext: External) -> bool:
    """Pydantic's `@field_validator(...)` (v2) and `@validator(...)` (v1)."""
    return ext.top == pydantic_models.PYDANTIC and ext.last in pydantic_models.FIELD_VALIDATORS


def is_template_engine(ext: External) -> bool:
    """Starlette's (FastAPI's) `Jinja2Templates`."""
    return ext.top in ("starlette", "fastapi") and ext.last in fastapi_starlette.TEMPLATE_ENGINES


def is_json_response(ext: External) -> bool:
    return ext.last in fastapi_starlette.JSON_RESPONSES


def is_jwt_library(ext: External) -> bool:
    """PyJWT (`jwt`), python-jose (`jose`) and Authlib (`authlib`)."""
    return ext.top in jwt_sessions.JWT_LIBRARIES


def is_session_library(ext: External) -> bool:
    """Signing and session helpers: itsdangerous, fastapi-users, passlib."""
    return ext.top in jwt_sessions.SESSION_LIBRARIES


def is_server(ext: External) -> bool:
    """ASGI servers started from code (`uvicorn.run(...)`)."""
    return ext.top in servers_cors.SERVERS


def is_middleware_module(ext: External) -> bool:
    """Starlette's and FastAPI's bundled middleware (`starlette.middleware.cors`...)."""
    return any(
        ext.qualname.startswith(module + ".") for module in fastapi_starlette.MIDDLEWARE_MODULES
    )


def is_non_verifying(ext: External) -> bool:
    """Calls that print, log, measure, convert or store a value (`len`, `logging.info`)."""
    if ext.top == "builtins":
        return ext.last in security_schemes.NON_VERIFYING_BUILTINS
    return ext.top in security_schemes.LOGGING_PACKAGES


def is_credential_name(name: str) -> bool:
    """A header, cookie or query parameter name (or alias, header key, setting) that
    carries a credential: `x-api-key`, `access_token`; not `token_type`, `api_key_name`."""
    normal = name.lower().replace("-", "_")
    if normal.rsplit("_", 1)[-1] in security_schemes.NOT_CREDENTIAL_SUFFIXES:
        return False
    return re.search(security_schemes.CREDENTIAL_PARAMETER, normal) is not None


def is_cors_middleware(ext: External) -> bool:
    """Starlette's `CORSMiddleware` (FastAPI re-exports it)."""
    return _is(ext, fastapi_starlette.FRAMEWORKS, (servers_cors.CORS_MIDDLEWARE,))


def is_session_middleware(cls: ClassVal | External) -> bool:
    return isinstance(cls, External) and _is(
        cls, fastapi_starlette.FRAMEWORKS, jwt_sessions.SESSION_MIDDLEWARE
    )


def is_cookie_response(cls: ClassVal | External) -> bool:
    """A Starlette/FastAPI response class, or a project class named `*Response`
    (whose `set_cookie` is Starlette's unless it overrides it)."""
    if isinstance(cls, External):
        return cls.top in fastapi_starlette.FRAMEWORKS and cls.last.endswith(
            fastapi_starlette.RESPONSE_SUFFIX
        )
    return (
        cls.fact.name.endswith(fastapi_starlette.RESPONSE_SUFFIX)
        and "set_cookie" not in cls.fact.methods
    )


def is_credential_factory(qualname: str) -> bool:
    return qualname in jwt_sessions.CREDENTIAL_FACTORIES


def publicly_known_key(key: str) -> str | None:
    """Why a signing key is known to everyone (the FastAPI tutorial's key, a
    placeholder), or None."""
    if key.strip().lower() in jwt_sessions.PUBLIC_KEYS:
        return "it is the FastAPI tutorial's example key, known to everyone"
    folded = re.sub(r"[^a-z0-9]", "", key.lower())
    if folded in jwt_sessions.PLACEHOLDER_KEYS or any(
        m in folded for m in jwt_sessions.PLACEHOLDER_MARKERS
    ):
        return "it is a well-known placeholder"
    return None


def is_script_cookie(name: str) -> bool:
    """A cookie scripts must read (a CSRF double-submit token): never HttpOnly."""
    return any(word in name.lower() for word in jwt_sessions.SCRIPT_COOKIE_NAMES)


def is_token_function_name(name: str) -> bool:
    """`create_access_token`, `generate_refresh_token`, `encode_jwt`..."""
    return re.search(jwt_sessions.TOKEN_FUNCTION_PATTERN, name.lower()) is not None
