"""JWT, signing and session libraries: decoders, signing keys, cookies, credentials.

Library facts as data (see `fastlint.knowledge`); predicates on them live in
`fastlint.model.known`.
"""

from __future__ import annotations

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
