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

import re

# -- frameworks -------------------------------------------------------------------------

FASTAPI = "fastapi"
CADWYN = "cadwyn"  # versioned FastAPI apps and routers (Apache Airflow)
STARLETTE = "starlette"
FRAMEWORKS = (FASTAPI, STARLETTE)  # their own classes are understood, never unknown
HTTP_METHODS = ("get", "post", "put", "patch", "delete", "head", "options", "trace")
# `<router>.<method>(path)` calls that register a route when called with the endpoint.
ROUTE_METHODS = frozenset({*HTTP_METHODS, "api_route", "websocket"})
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
# Keyword arguments by which auth factories (and FastAPI's schemes) hand out their
# optional variant: `get_current_user(required=False)`, `HTTPBearer(auto_error=False)`.
OPTIONAL_AUTH_FLAGS = (
    ("auto_error", False),
    ("required", False),
    ("strict", False),
    ("optional", True),
    ("allow_anonymous", True),
    ("allow_anon", True),
    ("auto_enforce", False),
)
# Names that stand for "no caller" when passed to an auth factory among the callers
# it lets in (`Authenticator(allowed_subjects={User, Anonymous})`).
ANONYMOUS_CALLER = re.compile(r"^(anonymous|anonymoususer|anon)$", re.I)
# Constant-time comparisons: an endpoint comparing with one checks a secret or signature.
CONSTANT_TIME_COMPARE = frozenset({"hmac.compare_digest", "secrets.compare_digest"})
# Library calls that raise unless a request's signature verifies (webhooks, signed
# interactions): an endpoint making one authenticates its caller by signature.
# (top-level package, method or function name)
SIGNATURE_VERIFIERS = frozenset(
    {
        ("standardwebhooks", "verify"),  # Webhook(secret).verify(body, headers)
        ("svix", "verify"),
        ("stripe", "construct_event"),  # stripe.Webhook.construct_event
        ("stripe", "verify_header"),  # stripe.WebhookSignature.verify_header
        ("cryptography", "verify"),  # <public key>.verify(signature, payload, ...)
        ("nacl", "verify"),  # VerifyKey(...).verify(...)
        ("github_webhook", "verify"),
        # bot frameworks that verify the platform's signature or token first
        ("slack_bolt", "handle"),  # AsyncSlackRequestHandler(app).handle(request)
        ("botbuilder", "process_activity"),  # BotFrameworkAdapter: the Authorization JWT
    }
)
AUTH_MIDDLEWARE = frozenset({"AuthenticationMiddleware"})  # starlette.middleware.authentication
REQUIRES_DECORATOR = "requires"  # starlette.authentication.requires

# -- models ------------------------------------------------------------------------------

PYDANTIC = "pydantic"
PYDANTIC_MODELS = frozenset({"BaseModel", "RootModel", "GenericModel"})  # v1 generics
# `class Form(TypedDict)`: FastAPI reads a TypedDict body like a model.
TYPED_DICT_MODULES = ("typing", "typing_extensions")
TYPED_DICT = "TypedDict"
# Pydantic validators whose checks fastlint cannot see: in `Annotated[...]` metadata,
# and decorators of model methods that validate named fields.
VALIDATOR_MARKERS = frozenset(
    {"AfterValidator", "BeforeValidator", "WrapValidator", "PlainValidator"}
)
FIELD_VALIDATORS = frozenset({"field_validator", "validator"})
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

# -- test code ---------------------------------------------------------------------------

# Folder and file names (globs) of test code: an app built there is a test fixture,
# never a deployment (FL005 and FL006 skip it by default, option `test-paths`).
TEST_PATHS = ("test", "tests", "testing", "test_*.py", "*_test.py", "conftest.py")

# -- rate limiters -----------------------------------------------------------------------

RATE_LIMIT_LIBRARIES = ("slowapi", "fastapi_limiter")
RATE_LIMITERS = frozenset({"SlowAPIMiddleware", "SlowAPIASGIMiddleware", "RateLimiter", "Limiter"})
LIMIT_DECORATORS = ("limit", "shared_limit")  # `@limiter.limit("5/minute")`

# -- authentication and sessions ---------------------------------------------------------

JWT_LIBRARIES = ("jwt", "jose", "authlib")
# Calls whose argument is a signing or verification key: qualified name -> (position,
# keyword) of the key. PyJWT, python-jose, authlib's jose, the standard library's HMAC,
# itsdangerous' signers and serializers, fastapi-users' JWT strategy.
SIGNING_KEY_ARGUMENTS: dict[str, tuple[int, str]] = {
    "jwt.encode": (1, "key"),
    "jwt.decode": (1, "key"),
    "jose.jwt.encode": (1, "key"),
    "jose.jwt.decode": (1, "key"),
    "jose.jws.sign": (1, "key"),
    "jose.jws.verify": (1, "key"),
    "authlib.jose.jwt.encode": (2, "key"),
    "authlib.jose.jwt.decode": (1, "key"),
    "hmac.new": (0, "key"),
    "hmac.digest": (0, "key"),
    **{
        f"itsdangerous{module}.{cls}": (0, "secret_key")
        for module in ("", ".serializer", ".url_safe", ".timed", ".signer")
        for cls in (
            "Serializer",
            "URLSafeSerializer",
            "TimedSerializer",
            "URLSafeTimedSerializer",
            "Signer",
            "TimestampSigner",
        )
    },
    **{
        f"fastapi_users.authentication{module}.JWTStrategy": (0, "secret")
        for module in ("", ".strategy", ".strategy.jwt")
    },
}
# Keys shorter than this many bytes are brute-forceable for HMAC-SHA256 (RFC 7518 §3.2).
HMAC_MIN_KEY_BYTES = 32
# Settings fields fastapi-jwt-auth (`AuthJWT.load_config`) reads its signing key from,
# and the decorator (or function) that hands it the settings, in the library and forks.
AUTHJWT_KEY_FIELDS = frozenset({"authjwt_secret_key"})
AUTHJWT_LIBRARIES = ("fastapi_jwt_auth", "fastapi_another_jwt_auth", "async_fastapi_jwt_auth")
AUTHJWT_LOAD_CONFIG = tuple(
    f"{library}{module}.AuthJWT.load_config"
    for library in AUTHJWT_LIBRARIES
    for module in ("", ".auth_jwt")
)
# fastapi-users' user manager (`class UserManager(BaseUserManager[User, UUID])`) signs
# password-reset and verification tokens with these class attributes.
USER_MANAGER_LIBRARIES = ("fastapi_users",)
USER_MANAGER_BASES = frozenset({"BaseUserManager"})
USER_MANAGER_SECRETS = frozenset({"reset_password_token_secret", "verification_token_secret"})
# Publicly known keys: the FastAPI tutorial's example key, and placeholders (compared
# lower-cased with everything but letters and digits removed).
PUBLIC_KEYS = frozenset({"09d25e094faa6ca2556c818166b7a9563b93f7099f6f0f4caa6cf63b88e8d3e7"})
PLACEHOLDER_KEYS = frozenset(
    {
        "secret",
        "secretkey",
        "mysecret",
        "mysecretkey",
        "supersecret",
        "supersecretkey",
        "yoursecret",
        "yoursecretkey",
        "yoursecretkeyhere",
        "jwtsecret",
        "jwtsecretkey",
        "yourjwtsecret",
        "changeme",
        "changethis",
        "changeit",
        "password",
        "key",
        "test",
        "testing",
        "dev",
        "development",
        "default",
        "insecure",
        "notsecret",
        "xxx",
    }
)
PLACEHOLDER_MARKERS = (
    "changeme",
    "changethis",
    "replaceme",
    "yoursecret",
    "insecure",
    "placeholder",
    "fillmein",
)
# Response classes whose `set_cookie` sets a cookie (and their subclasses, by name).
RESPONSE_SUFFIX = "Response"
# Cookies whose name says they carry credentials, and those meant to be read by
# scripts (CSRF double-submit tokens), which must not be HttpOnly.
CREDENTIAL_COOKIE_NAMES = ("session", "sid", "token", "jwt", "auth", "access", "refresh")
SCRIPT_COOKIE_NAMES = ("csrf", "xsrf")
# Calls whose result is a credential: token encoders and generators.
CREDENTIAL_FACTORIES = (
    "jwt.encode",
    "jose.jwt.encode",
    "authlib.jose.jwt.encode",
    "secrets.token_hex",
    "secrets.token_urlsafe",
    "secrets.token_bytes",
)
# Project functions whose name says they make a credential: `create_access_token`,
# `generate_refresh_token`, `encode_jwt` (a regular expression on the lower-cased name).
TOKEN_FUNCTION_PATTERN = r"(create|generate|make|issue|encode|sign|mint|new)\w*(token|jwt)"
SESSION_MIDDLEWARE = frozenset({"SessionMiddleware"})
# fastapi-users' cookie transport: its cookie carries the login token; `cookie_secure`
# and `cookie_httponly` default to true, `cookie_samesite` to "lax".
COOKIE_TRANSPORTS = tuple(
    f"fastapi_users.authentication{module}.CookieTransport"
    for module in ("", ".transport", ".transport.cookie")
)
SESSION_LIBRARIES = ("itsdangerous", "fastapi_users", "passlib")
SIGNING_LIBRARIES = ("hmac",)  # `hmac.new(key, ...)`: a key written in the code (FL008)
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
# A name is not a credential's when it ends like this: it names something about one
# (`token_type`, `api_key_name`, `secret_url`).
NOT_CREDENTIAL_SUFFIXES = ("type", "kind", "name", "url", "uri", "id", "hint", "expires", "length")
# Attributes of a scheme's credentials that hold the secret part.
CREDENTIAL_ATTRIBUTES = frozenset({"credentials", "password"})
# `fastapi.security` login forms: `Depends()` on one reads a username and password.
PASSWORD_FORMS = frozenset({"OAuth2PasswordRequestForm", "OAuth2PasswordRequestFormStrict"})
# Words in the call a local name is read from that make its fields configuration
# (`settings = get_settings()`), not a stored record (`user = get_user(name)`).
SETTINGS_WORDS = ("setting", "config", "conf", "env", "secret")
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
# Words in a module's or function's name that say it is the client side of single
# sign-on: the tokens it reads come from the identity provider, not from the caller.
SSO_CLIENT_WORDS = ("sso", "oauth", "oidc", "openid", "saml")
# Words in a call's name that mean it checks what the caller may do (given the caller).
AUTHORIZATION_WORDS = (
    *ROLE_WORDS,
    *("authoriz", "authoris", "allowed", "forbid", "can_", "has_access", "check_access"),
)
SERVERS = ("uvicorn",)
MIDDLEWARE_MODULES = ("starlette.middleware", "fastapi.middleware")
# Calls that do not verify a credential passed to them: they print, log, measure,
# convert or store it (builtins by name; any method of these names, e.g. `logger.info`).
NON_VERIFYING_BUILTINS = frozenset(
    {"print", "len", "str", "repr", "bool", "bytes", "type", "id", "hash", "isinstance"}
    | {"dict", "list", "tuple", "set", "frozenset", "setattr", "format"}
)
LOGGING_METHODS = frozenset(
    {"debug", "info", "warning", "warn", "error", "exception", "critical", "log", "print"}
)
LOGGING_PACKAGES = ("logging", "loguru", "structlog")
# Words that only name an authentication scheme: comparing with them checks nothing.
SCHEME_WORDS = frozenset({"bearer", "basic", "token", "digest", "apikey"})
# Parameter names (of a header, cookie or query value), header names and settings that
# carry a credential (searched in the lower-cased name, `-` read as `_`).
CREDENTIAL_PARAMETER = (
    r"token|api_?key|apikey|authori[sz]ation|secret|session|credential|jwt|bearer|password"
    r"|passwd|signature|(?:admin|access|auth|master)_?key|(?:^|_)otp(?:$|_)"
)
# Values a credential is compared with that are not secrets: scheme words, placeholders.
NOT_SECRETS = SCHEME_WORDS | frozenset({"", "null", "none", "undefined", "true", "false"})

# -- secure configuration: CORS and development servers ---------------------------------

CORS_MIDDLEWARE = "CORSMiddleware"  # starlette.middleware.cors, fastapi.middleware.cors
# Entries of `allow_origins` that let any web site in ("null": sandboxed frames, files).
ANY_ORIGIN = frozenset({"*", "null"})
# fastapi-guard (package `guard`): `SecurityConfig` configures CORS too, with these
# defaults (its origins default to every origin).
GUARD_CONFIGS = ("guard.SecurityConfig", "guard.models.SecurityConfig")
GUARD_CORS_DEFAULTS: dict[str, object] = {
    "enable_cors": False,
    "cors_allow_origins": ["*"],
    "cors_allow_credentials": False,
}
# Calls that start uvicorn from code, with the server's options as keywords.
SERVER_RUNS = ("uvicorn.run", "uvicorn.main.run", "uvicorn.Config", "uvicorn.config.Config")
# A `uvicorn.Config(...)` serves only when handed to a server: one of these, called in
# the same body (a config built to read its `reload_dirs` serves nothing).
SERVER_CONFIGS = ("uvicorn.Config", "uvicorn.config.Config")
SERVER_CLASSES = ("uvicorn.Server", "uvicorn.server.Server")
# Host values that bind every interface ("" too: the socket's INADDR_ANY).
ALL_INTERFACES = frozenset({"0.0.0.0", "::", "[::]", ""})
SERVER_TLS_OPTIONS = ("ssl_keyfile", "ssl_certfile")
# Bandit's check for the same bind (B104): its `# nosec` marks a bind as reviewed.
BANDIT_BIND_CHECKS = frozenset({"B104", "hardcoded_bind_all_interfaces"})
# A server started by a development command (a function, or a click/typer command,
# with one of these words in its name) reloads on purpose: `server develop`, `dev`.
DEVELOPMENT_WORDS = frozenset({"dev", "develop", "development", "devserver"})
COMMAND_DECORATORS = frozenset({"command"})  # `@cli.command("develop")`, typer's too

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
    *SIGNING_LIBRARIES,
    *SERVERS,
    *MIDDLEWARE_MODULES,
    *AUTHJWT_LIBRARIES,
    "SecurityConfig",  # fastapi-guard
    DEPENDS,
    SECURITY,
    "APIRouter",
    "include_router",
    "add_api_route",
    "BaseModel",
    "fastlint",  # suppression comments
    "noqa: FL",
)
