"""Authentication: FastAPI's security schemes, auth markers and middleware, what
counts as a credential and what does not verify one.

Library facts as data (see `fastlint.knowledge`); predicates on them live in
`fastlint.model.known`.
"""

from __future__ import annotations

import re

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
