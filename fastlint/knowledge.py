"""What fastlint knows about the libraries FastAPI apps are built from, as data.

One table for everything: the model's predicates (`fastlint.model.known`), the
module index (which top-level names are libraries, never project files) and the
prefilter (which words make a file worth parsing) all read it. Adding a library
here is enough for the prefilter to reach the files that use it.

Names are matched on the top-level package and the final name, so
`fastapi.security.oauth2.OAuth2PasswordBearer` and
`fastapi.security.OAuth2PasswordBearer` are the same thing.
"""

from __future__ import annotations

# -- frameworks -------------------------------------------------------------------------

FASTAPI = "fastapi"
CADWYN = "cadwyn"  # versioned FastAPI apps and routers (Apache Airflow)
STARLETTE = "starlette"
FRAMEWORKS = (FASTAPI, STARLETTE)  # their own classes are understood, never unknown
HTTP_METHODS = ("get", "post", "put", "patch", "delete", "head", "options", "trace")
STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
JSON_RESPONSES = frozenset({"JSONResponse", "ORJSONResponse", "UJSONResponse"})
REDIRECT_RESPONSE = "RedirectResponse"
HTTP_EXCEPTIONS = frozenset({"HTTPException", "WebSocketException"})
DEPENDS = "Depends"
SECURITY = "Security"
# `fastapi.security` schemes: a dependency on one of these reads credentials.
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
# Methods whose calls wire routers, sub-apps, middleware and routes together.
WIRING_METHODS = frozenset(
    {
        "include_router",
        "generate_and_include_versioned_routers",  # Cadwyn
        "mount",
        "add_middleware",
        "add_api_route",
        "add_api_websocket_route",
        "add_route",
        "add_websocket_route",
        "add_exception_handler",
    }
)
AUTH_MIDDLEWARE = frozenset({"AuthenticationMiddleware"})  # starlette.middleware.authentication
REQUIRES_DECORATOR = "requires"  # starlette.authentication.requires

# -- models ------------------------------------------------------------------------------

PYDANTIC = "pydantic"
PYDANTIC_MODELS = frozenset({"BaseModel", "RootModel"})
SQLMODEL = "sqlmodel"
SQLMODEL_MODELS = frozenset({"SQLModel"})

# Classes pydantic reads as a body, not a scalar, in a parameter.
PYDANTIC_COMPLEX = frozenset({"BaseModel", "RootModel", "SQLModel", "Json"})
# Settings classes, and the field factories whose argument is a default.
SETTINGS_PACKAGES = (PYDANTIC, "pydantic_settings")
SETTINGS_BASE = "BaseSettings"
FIELD_FACTORIES = ((PYDANTIC, "Field"), (SQLMODEL, "Field"), ("pydantic_settings", "Field"))

# -- the environment ---------------------------------------------------------------------

ENV_GETTERS = frozenset({"os.getenv", "os.environ.get"})
ENVIRON = "os.environ"

# -- rate limiters -----------------------------------------------------------------------

RATE_LIMIT_LIBRARIES = ("slowapi", "fastapi_limiter")
RATE_LIMITERS = frozenset({"SlowAPIMiddleware", "SlowAPIASGIMiddleware", "RateLimiter", "Limiter"})
LIMIT_DECORATORS = ("limit", "shared_limit")  # `@limiter.limit("5/minute")`

# -- authentication and sessions ---------------------------------------------------------

JWT_LIBRARIES = ("jwt", "jose", "authlib")
SESSION_LIBRARIES = ("itsdangerous", "fastapi_users", "passlib")
# Functions that decode a JWT (verifying it unless told otherwise), by library.
JWT_DECODERS = frozenset(
    {"jwt.decode", "jwt.api_jwt.decode", "jose.jwt.decode", "authlib.jose.jwt.decode"}
)
JOSE_DECODERS = frozenset({"jose.jwt.decode"})  # python-jose: `algorithms` is optional
# Functions that read a JWT without verifying it.
JWT_UNVERIFIED_CLAIMS = frozenset({"jose.jwt.get_unverified_claims"})
JWT_UNVERIFIED_HEADERS = frozenset(
    {
        "jwt.get_unverified_header",
        "jose.jwt.get_unverified_header",
        "jose.jwt.get_unverified_headers",
    }
)
BASE64_DECODERS = frozenset({"base64.urlsafe_b64decode", "base64.b64decode", "base64.decodebytes"})
HMAC_ALGORITHMS = ("HS",)  # HS256, HS384, HS512
ASYMMETRIC_ALGORITHMS = ("RS", "ES", "PS", "EdDSA")
# Words that make a request value a credential: a header, cookie or query
# parameter's name or alias, a header read by name (`-` and `_` are the same).
CREDENTIAL_WORDS = (
    "token",
    "api_key",
    "apikey",
    "admin_key",
    "access_key",
    "auth_key",
    "master_key",
    "secret_key",
    "secret",
    "signature",
    "password",
    "passwd",
    "otp",
    "authorization",
)
# ...unless the name ends like this: it names something about the credential.
NOT_CREDENTIAL_SUFFIXES = ("type", "kind", "name", "url", "uri", "id", "hint", "expires", "length")
# Attributes of a scheme's credentials that hold the secret part.
CREDENTIAL_ATTRIBUTES = frozenset({"credentials", "password"})
# Values a credential is compared with that are not secrets: scheme words, placeholders.
NOT_SECRETS = frozenset(
    {"", "bearer", "basic", "digest", "token", "null", "none", "undefined", "true", "false"}
)
HMAC_DIGESTS = frozenset({"hexdigest", "digest"})  # `hmac.new(...).hexdigest()`, `hmac.digest`
# Calls that query a database or store with their arguments (by method name).
QUERY_METHODS = frozenset(
    {
        "execute",
        "scalar",
        "scalars",
        "filter",
        "filter_by",
        "where",
        "get",
        "find",
        "find_one",
        "find_many",
        "select",
        "query",
        "fetch",
        "fetchrow",
        "fetchval",
        "get_by_id",
    }
)
# Words in a dependency parameter's name that mean it holds the authenticated caller.
CALLER_WORDS = ("user", "account", "principal", "identity", "auth", "caller", "claims", "member")
# Words in a dependency's name that mean it checks roles, scopes or permissions.
ROLE_WORDS = ("admin", "superuser", "role", "scope", "permission", "privilege", "staff")
SERVERS = ("uvicorn",)
MIDDLEWARE_MODULES = ("starlette.middleware", "fastapi.middleware")

# -- the module index --------------------------------------------------------------------

# Top-level packages an import always means the library of, never a project file.
LIBRARY_PACKAGES = frozenset(
    {
        FASTAPI,
        STARLETTE,
        PYDANTIC,
        "pydantic_settings",
        SQLMODEL,
        *RATE_LIMIT_LIBRARIES,
        "typing",
        "typing_extensions",
        "os",
    }
)

# -- the prefilter -----------------------------------------------------------------------

# A file that mentions none of these words cannot declare a route, a model, a
# dependency or a middleware, nor use a library a rule looks at: it is not parsed
# unless a file that matters imports it.
PREFILTER_WORDS = (
    FASTAPI,
    STARLETTE,
    PYDANTIC,
    SQLMODEL,
    *RATE_LIMIT_LIBRARIES,
    *JWT_LIBRARIES,
    *SESSION_LIBRARIES,
    *SERVERS,
    *MIDDLEWARE_MODULES,
    DEPENDS,
    SECURITY,
    "APIRouter",
    "include_router",
    "add_api_route",
    "BaseModel",
    "fastlint",  # suppression comments
    "noqa: FL",
)
