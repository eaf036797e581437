"""FL008 hardcoded-signing-secret."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator
from dataclasses import dataclass

from fastlint.analysis.keys import KeySettings
from fastlint.findings import Finding, Related, Severity
from fastlint.knowledge import jwt_sessions
from fastlint.model.api import Anchor, CallSite, Possible, Project, Scoped, known
from fastlint.rule import Rule

TEST_PATHS = ("test", "tests", "testing", "test_*.py", "*_test.py", "conftest.py")
PUBLIC_KEY_MARKERS = ("-----BEGIN PUBLIC KEY", "-----BEGIN CERTIFICATE", "-----BEGIN RSA PUBLIC")


@dataclass(frozen=True)
class HardcodedSigningSecretOptions:
    """`[tool.fastlint.rules.FL008]`."""

    # Path parts (folders or file names, globs) whose files are not checked: tests
    # sign tokens with throwaway keys. Set to [] to check tests too.
    test_paths: tuple[str, ...] = TEST_PATHS


class HardcodedSigningSecret(Rule):
    """
    ## What it does
    Reports a string or bytes literal that reaches a signing or verification key:
    `jwt.encode(payload, key)` and `jwt.decode(token, key)` (PyJWT, python-jose,
    authlib's jose), `SessionMiddleware(secret_key=...)`, itsdangerous signers and
    serializers (`URLSafeTimedSerializer(secret_key)`), `hmac.new(key, ...)`,
    fastapi-users' `JWTStrategy(secret=...)` and its user manager's
    `reset_password_token_secret`/`verification_token_secret` class attributes,
    and fastapi-jwt-auth's `authjwt_secret_key` setting (of the settings object a
    function decorated with `@AuthJWT.load_config` returns). A function imported or
    bound under another name (`from jwt import encode as sign`, `import jwt as
    pyjwt`) is recognised, and so is a project subclass of a signing class
    (`IatJWTStrategy(secret=...)`).

    The key is followed across modules: constants, class attributes, settings-class
    field defaults, `os.getenv("K", "<literal>")`/`os.environ.get` fallbacks, `or`
    chains (`config.secret or os.getenv("K") or DEFAULT_KEY`: the last literal is
    what runs when nothing is set) and `KEY.encode()`. A fallback or a settings
    default is reported as the default used when the environment variable is unset:
    deployments that forget the variable run with the key from the repository. The
    key may be given by position or keyword (`JWTStrategy("<literal>", 3600)`).

    The finding is critical when the key is publicly known (the FastAPI tutorial's
    example key, `"secret"`, `"changeme"`, `"your-secret-key"`-like placeholders) or
    is shorter than 32 bytes (an HMAC key that short is brute-forced offline from one
    token); high otherwise. Files under test folders are skipped (option
    `test-paths`), and so is a key a test hands to project code
    (`AuthService(secret="unit-test-secret")` in a test, the class reading
    `self._secret`).

    ## Why is this bad?
    Anyone who can read the repository, a wheel or a container image can sign their
    own tokens, sessions or signed URLs with the key and become any user
    (CWE-798 Use of Hard-coded Credentials, CWE-321 Use of Hard-coded Cryptographic
    Key, CWE-1188 Insecure Default Initialization of Resource; OWASP API2:2023
    Broken Authentication). Tutorial keys and placeholders are in every attacker's
    word list.

    ## Options
    - `test-paths`: folder or file name globs whose files are not checked
      (default `["test", "tests", "testing", "test_*.py", "*_test.py",
      "conftest.py"]`; `[]` checks every file).

    ## Known limits
    - Empty strings are not reported (they usually mean "unset" and fail validation
      elsewhere); PEM public keys given to `jwt.decode` are not secrets and are not
      reported, nor are keys of `jwt.decode(..., options={"verify_signature": False})`.
    - For a project subclass of a signing class (`class IatJWTStrategy(JWTStrategy)`)
      only the key given by keyword (`secret=...`) is read: the subclass may
      reorder its constructor's parameters.
    - Keys passed through `**kwargs` are not seen, nor fastapi-jwt-auth settings
      given as a list of `(name, value)` pairs rather than a settings object.
    - A user manager secret written as a class attribute without an annotation
      (`reset_password_token_secret = SECRET`) is reported on the `class` line (the
      attribute's own line is not recorded): a suppression comment goes there.
    - A key held by an object (`self.secret`) is every value its class's methods
      assign to it: a literal fallback is reported even when a check elsewhere
      (refusing to start without the variable) keeps it from being used in
      production.
    - A key chosen by a condition (`"dev" if DEBUG else os.environ["KEY"]`) is
      reported: the literal branch is still in the code that ships.
    - A key that reaches a helper through a parameter (`def encode(*, secret)`
      called with `settings.SECRET`) is reported at the helper's call, and the
      message may not name the settings field the value came from.
    """

    code = "FL008"
    name = "hardcoded-signing-secret"
    summary = "Signing or verification key written in the source code"
    severity = Severity.HIGH
    severity_reasons = (("critical", "the key is a well-known or trivially guessed value"),)
    cwe = 798
    also_cwe = (321, 1188)
    owasp = "API2:2023"
    owasp_title = "Broken Authentication"
    precision = "high"
    requires = (KeySettings,)
    security_severity = "8.1"
    fix = (
        "Read the key from the environment with no default: a required settings field "
        '(`secret_key: SecretStr` with no default) or `os.environ["SECRET_KEY"]`, and '
        "remove the literal (rotate the key if it was ever deployed)."
    )
    invalid = (
        """\
import os

import jwt

SECRET_KEY = os.getenv("SECRET_KEY", "change-me")


def create_access_token(user_id: str) -> str:
    return jwt.encode({"sub": user_id}, SECRET_KEY, algorithm="HS256")  # expect: FL008
""",
        {
            "auth/__init__.py": "",
            "auth/config.py": """\
JWT_SECRET = "k7Qz-billing-signing-key-2f9d1c0a8e7b"
""",
            "auth/tokens.py": """\
import jwt

from auth.config import JWT_SECRET


def create_access_token(user_id: str) -> str:
    return jwt.encode({"sub": user_id}, JWT_SECRET, algorithm="HS256")  # expect: FL008
""",
        },
        """\
import os

import jwt
from fastapi_users.authentication import JWTStrategy

DEFAULT_KEY = "k7Qz-billing-signing-key-2f9d1c0a8e7b"


def create_access_token(user_id: str, config: dict) -> str:
    key = config.get("secret") or os.getenv("JWT_SECRET") or DEFAULT_KEY
    return jwt.encode({"sub": user_id}, key.encode(), algorithm="HS256")  # expect: FL008


def get_jwt_strategy() -> JWTStrategy:
    return JWTStrategy("k7Qz-strategy-signing-key-9e8d7c6b5a4f", 3600)  # expect: FL008
""",
    )
    valid = (
        """\
import jwt
from pydantic import SecretStr
from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    secret_key: SecretStr


settings = Settings()


def create_access_token(user_id: str) -> str:
    key = settings.secret_key.get_secret_value()
    return jwt.encode({"sub": user_id}, key, algorithm="HS256")
""",
        {
            "auth/__init__.py": "",
            "auth/config.py": """\
import os

JWT_SECRET = os.environ["JWT_SECRET"]
""",
            "auth/tokens.py": """\
import jwt

from auth.config import JWT_SECRET


def create_access_token(user_id: str) -> str:
    return jwt.encode({"sub": user_id}, JWT_SECRET, algorithm="HS256")
""",
        },
    )

    Options = HardcodedSigningSecretOptions
    options: HardcodedSigningSecretOptions

    def check(self, project: Project) -> Iterator[Finding]:
        for name, (position, keyword) in jwt_sessions.SIGNING_KEY_ARGUMENTS.items():
            for site in project.calls.of(name):
                if self._skipped(project, site.path):
                    continue
                given = site.arg(position, keyword)
                if given is None:
                    continue
                if name.endswith(".decode") and _unverified(project, site):
                    continue
                written = site.name or name
                label = f"`{written}`"
                if written.rsplit(".", 1)[-1] != name.rsplit(".", 1)[-1]:
                    label += f" (`{name}`)"  # called by another name
                yield from self._report(project, Scoped(given, site.ctx), site.anchor, label)
            # A project subclass may reorder its constructor: only the keyword is read.
            for site in project.calls.of_subclasses(name):
                given = site.kwarg(keyword)
                if given is not None and not self._skipped(project, site.path):
                    label = f"`{site.name or 'a subclass'}` (a `{name.rsplit('.', 1)[-1]}`)"
                    yield from self._report(project, Scoped(given, site.ctx), site.anchor, label)
        seen = set()  # one finding per call, however many apps it configures
        for app in project.apps:
            for middleware in app.middleware:
                if not middleware.is_class(known.is_session_middleware):
                    continue
                where = (middleware.path, middleware.span)
                if self._skipped(project, middleware.path) or where in seen:
                    continue
                seen.add(where)
                key = middleware.arg(0, "secret_key")
                if key is not None:
                    label = "`SessionMiddleware`"
                    yield from self._report(project, key, middleware.anchor, label)
        for setting in project.get(KeySettings).all:
            if not self._skipped(project, setting.anchor.path):
                yield from self._report(project, setting.key, setting.anchor, setting.label)

    def _skipped(self, project: Project, path: str) -> bool:
        """Whether a file is in a test folder (or is a test module), below the root."""
        parts = project.relative_path(path).split("/")
        globs = self.options.test_paths
        return any(fnmatch.fnmatchcase(part, glob) for part in parts for glob in globs)

    def _report(
        self, project: Project, key: Scoped, anchor: Anchor, label: str
    ) -> Iterator[Finding]:
        for possible in project.literal(key).known:
            value = possible.value
            if not isinstance(value, (str, bytes)) or not value:
                continue
            text = value.decode("latin-1") if isinstance(value, bytes) else value
            if text.lstrip().startswith(PUBLIC_KEY_MARKERS):
                continue
            if possible.where is not None and self._skipped(project, possible.where.path):
                continue  # a throwaway key a test hands in (`AuthService("unit-test-secret")`)
            why = _why_critical(text, value)
            severity = Severity.CRITICAL if why else None
            related: tuple[Related, ...] = ()
            where = possible.where
            if where is not None and where.span is not None and where.span != anchor.span:
                related = (
                    Related(where.path, where.span, f"the key is written here ({where.what})"),
                )
            message = f"{label} uses a hardcoded key{_origin(possible)}" + (
                f": {why}" if why else ""
            )
            yield self.finding(anchor, message, related=related, severity=severity)
            return  # one finding per key argument


def _origin(possible: Possible) -> str:
    variable = possible.variable
    if possible.settings is not None:
        field = f"{possible.settings.cls}.{possible.settings.field}"
        return f", the default of settings field `{field}` used when `{variable}` is unset"
    if possible.env is not None and possible.is_fallback:
        name = f"`{variable}`" if variable else "the variable"
        return f", the fallback default used when {name} is unset"
    if possible.where is not None:
        return f" ({possible.where.what})"
    return ""


def _why_critical(text: str, value: str | bytes) -> str | None:
    known_key = known.publicly_known_key(text)
    if known_key:
        return known_key
    size = len(value if isinstance(value, bytes) else value.encode())
    least = jwt_sessions.HMAC_MIN_KEY_BYTES
    if size < least:
        return f"it is {size} bytes long, shorter than the {least} HMAC needs"
    return None


def _unverified(project: Project, site: CallSite) -> bool:
    """`options={"verify_signature": False}`: the key is not used."""
    options = site.kwarg("options")
    if options is None:
        return False
    for possible in project.literal(Scoped(options, site.ctx)).known:
        if isinstance(possible.value, dict) and possible.value.get("verify_signature") is False:
            return True
    return False
