"""Questions about library classes and functions, answered from `fastlint.knowledge`.

Names are matched on the top-level package and the final name, so
`fastapi.security.oauth2.OAuth2PasswordBearer` and
`fastapi.security.OAuth2PasswordBearer` are the same thing.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Collection

from fastlint import knowledge as kb
from fastlint.knowledge import (
    ANONYMOUS_CALLER,
    ASYMMETRIC_ALGORITHMS,
    AUTHORIZATION_WORDS,
    BASE64_DECODERS,
    CALLER_WORDS,
    CREDENTIAL_COOKIE_NAMES,
    HMAC_ALGORITHMS,
    HMAC_MIN_KEY_BYTES,
    HTTP_METHODS,
    JOSE_DECODERS,
    JSON_RESPONSES,
    JWT_DECODERS,
    JWT_UNVERIFIED_CLAIMS,
    OPTIONAL_AUTH_FLAGS,
    QUERY_METHODS,
    ROLE_WORDS,
    SECURITY_SCHEMES,
    SIGNING_KEY_ARGUMENTS,
    SSO_CLIENT_WORDS,
    STATE_CHANGING,
    TEST_PATHS,
)
from fastlint.model.values import ClassVal, External

__all__ = [
    "ALL_INTERFACES",
    "ANONYMOUS_CALLER",
    "ASYMMETRIC_ALGORITHMS",
    "AUTHORIZATION_WORDS",
    "BANDIT_BIND_CHECKS",
    "BASE64_DECODERS",
    "CALLER_WORDS",
    "COOKIE_TRANSPORTS",
    "CREDENTIAL_COOKIE_NAMES",
    "GUARD_CONFIGS",
    "GUARD_CORS_DEFAULTS",
    "HMAC_ALGORITHMS",
    "HMAC_MIN_KEY_BYTES",
    "HTTP_METHODS",
    "JOSE_DECODERS",
    "JSON_RESPONSES",
    "JWT_DECODERS",
    "JWT_UNVERIFIED_CLAIMS",
    "OPTIONAL_AUTH_FLAGS",
    "QUERY_METHODS",
    "ROLE_WORDS",
    "SECURITY_SCHEMES",
    "SERVER_CLASSES",
    "SERVER_CONFIGS",
    "SERVER_RUNS",
    "SERVER_TLS_OPTIONS",
    "SIGNING_KEY_ARGUMENTS",
    "SSO_CLIENT_WORDS",
    "STATE_CHANGING",
    "TEST_PATHS",
]

# Secure configuration (FL007, FL010): what rules read through the model API.
ALL_INTERFACES = kb.ALL_INTERFACES
BANDIT_BIND_CHECKS = kb.BANDIT_BIND_CHECKS
COOKIE_TRANSPORTS = kb.COOKIE_TRANSPORTS
GUARD_CONFIGS = kb.GUARD_CONFIGS
GUARD_CORS_DEFAULTS = kb.GUARD_CORS_DEFAULTS
SERVER_CLASSES = kb.SERVER_CLASSES
SERVER_CONFIGS = kb.SERVER_CONFIGS
SERVER_RUNS = kb.SERVER_RUNS
SERVER_TLS_OPTIONS = kb.SERVER_TLS_OPTIONS


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


def is_password_form(ext: External) -> bool:
    """`OAuth2PasswordRequestForm`: the login form a password is read from."""
    return _is(ext, (kb.FASTAPI,), kb.PASSWORD_FORMS)


def is_http_exception(ext: External) -> bool:
    return _is(ext, kb.FRAMEWORKS, kb.HTTP_EXCEPTIONS)


def is_constant_time_compare(ext: External) -> bool:
    return ext.qualname in kb.CONSTANT_TIME_COMPARE


def is_signature_verifier(ext: External) -> bool:
    """A library call that raises unless a signature verifies (`Webhook(...).verify`)."""
    return (ext.top, ext.last) in kb.SIGNATURE_VERIFIERS


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


def in_test_code(relative_path: str, globs: Collection[str] = TEST_PATHS) -> bool:
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


def is_typed_dict(ext: External) -> bool:
    return ext.top in kb.TYPED_DICT_MODULES and ext.last == kb.TYPED_DICT


def is_validator_marker(ext: External) -> bool:
    """Pydantic's `AfterValidator(...)` and the like, in `Annotated[...]` metadata."""
    return ext.top == kb.PYDANTIC and ext.last in kb.VALIDATOR_MARKERS


def is_field_validator(ext: External) -> bool:
    """Pydantic's `@field_validator(...)` (v2) and `@validator(...)` (v1)."""
    return ext.top == kb.PYDANTIC and ext.last in kb.FIELD_VALIDATORS


def is_template_engine(ext: External) -> bool:
    """Starlette's (FastAPI's) `Jinja2Templates`."""
    return ext.top in ("starlette", "fastapi") and ext.last in kb.TEMPLATE_ENGINES


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


def is_non_verifying(ext: External) -> bool:
    """Calls that print, log, measure, convert or store a value (`len`, `logging.info`)."""
    if ext.top == "builtins":
        return ext.last in kb.NON_VERIFYING_BUILTINS
    return ext.top in kb.LOGGING_PACKAGES


def is_credential_name(name: str) -> bool:
    """A header, cookie or query parameter name (or alias, header key, setting) that
    carries a credential: `x-api-key`, `access_token`; not `token_type`, `api_key_name`."""
    normal = name.lower().replace("-", "_")
    if normal.rsplit("_", 1)[-1] in kb.NOT_CREDENTIAL_SUFFIXES:
        return False
    return re.search(kb.CREDENTIAL_PARAMETER, normal) is not None


def is_cors_middleware(ext: External) -> bool:
    """Starlette's `CORSMiddleware` (FastAPI re-exports it)."""
    return _is(ext, kb.FRAMEWORKS, (kb.CORS_MIDDLEWARE,))


def is_session_middleware(cls: ClassVal | External) -> bool:
    return isinstance(cls, External) and _is(cls, kb.FRAMEWORKS, kb.SESSION_MIDDLEWARE)


def is_cookie_response(cls: ClassVal | External) -> bool:
    """A Starlette/FastAPI response class, or a project class named `*Response`
    (whose `set_cookie` is Starlette's unless it overrides it)."""
    if isinstance(cls, External):
        return cls.top in kb.FRAMEWORKS and cls.last.endswith(kb.RESPONSE_SUFFIX)
    return cls.fact.name.endswith(kb.RESPONSE_SUFFIX) and "set_cookie" not in cls.fact.methods


def is_credential_factory(qualname: str) -> bool:
    return qualname in kb.CREDENTIAL_FACTORIES


def publicly_known_key(key: str) -> str | None:
    """Why a signing key is known to everyone (the FastAPI tutorial's key, a
    placeholder), or None."""
    if key.strip().lower() in kb.PUBLIC_KEYS:
        return "it is the FastAPI tutorial's example key, known to everyone"
    folded = re.sub(r"[^a-z0-9]", "", key.lower())
    if folded in kb.PLACEHOLDER_KEYS or any(m in folded for m in kb.PLACEHOLDER_MARKERS):
        return "it is a well-known placeholder"
    return None


def is_script_cookie(name: str) -> bool:
    """A cookie scripts must read (a CSRF double-submit token): never HttpOnly."""
    return any(word in name.lower() for word in kb.SCRIPT_COOKIE_NAMES)


def is_token_function_name(name: str) -> bool:
    """`create_access_token`, `generate_refresh_token`, `encode_jwt`..."""
    return re.search(kb.TOKEN_FUNCTION_PATTERN, name.lower()) is not None
