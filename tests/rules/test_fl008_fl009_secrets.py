"""FL008 hardcoded-signing-secret and FL009 insecure-auth-cookie on small projects,
and the model answers they rely on (bytes literals, assignment spans, receivers)."""

from __future__ import annotations

from pathlib import Path

from fastlint.rules.secrets.hardcoded_signing_secret import HardcodedSigningSecret
from fastlint.rules.secrets.insecure_auth_cookie import InsecureAuthCookie

from fastlint.config import Settings
from fastlint.findings import Finding, Severity
from fastlint.testing import findings_of, literal_of, project_of

TUTORIAL_KEY = "09d25e094faa6ca2556c818166b7a9563b93f7099f6f0f4caa6cf63b88e8d3e7"
LONG_KEY = "k7Qz-billing-signing-key-2f9d1c0a8e7b6d5c"  # 41 bytes, not a placeholder


def fl008(tmp_path: Path, files: dict[str, str], **kwargs: object) -> list[Finding]:
    return findings_of(tmp_path, files, "FL008", **kwargs)


def fl009(tmp_path: Path, files: dict[str, str]) -> list[Finding]:
    return findings_of(tmp_path, files, "FL009")


# -- the model -------------------------------------------------------------------------


def test_bytes_literals_keep_their_value() -> None:
    project = project_of({"app.py": 'KEY = b"webhook"\nJOINED = b"a" b"b"\n'})
    assert literal_of(project, "app.py", "KEY").value == b"webhook"
    assert literal_of(project, "app.py", "JOINED").value == b"ab"


def test_module_constants_carry_their_span() -> None:
    project = project_of({"app.py": 'import os\n\n\nKEY = "abc"\n'})
    where = literal_of(project, "app.py", "KEY").possible[0].where
    assert where is not None and where.span is not None
    assert (where.span.line, where.what) == (4, "`KEY`")


def test_receiver_classes_of_parameters_and_constructed_responses() -> None:
    project = project_of(
        {
            "app.py": """\
            from fastapi import Response
            from fastapi.responses import JSONResponse


            def a(response: Response, other) -> None:
                response.set_cookie("k", "v")
                other.set_cookie("k", "v")
                r = JSONResponse({})
                r.set_cookie("k", "v")
            """
        }
    )
    sites = project.calls.named("set_cookie")
    classes = [
        [getattr(c, "qualname", None) for c in project.calls.receiver_classes(s)] for s in sites
    ]
    assert classes == [["fastapi.Response"], [], ["fastapi.responses.JSONResponse"]]


def test_relative_paths_start_at_the_common_folder() -> None:
    project = project_of({"app/main.py": "", "tests/test_main.py": ""})
    assert project.relative_path("/project/tests/test_main.py") == "tests/test_main.py"


# -- FL008 -----------------------------------------------------------------------------


def test_tutorial_key_across_modules_is_critical(tmp_path: Path) -> None:
    found = fl008(
        tmp_path,
        {
            "app/config.py": f'SECRET_KEY = "{TUTORIAL_KEY}"\n',
            "app/security.py": """\
            from jose import jwt

            from .config import SECRET_KEY


            def token(sub: str) -> str:
                return jwt.encode({"sub": sub}, SECRET_KEY, algorithm="HS256")
            """,
            "app/__init__.py": "",
        },
    )
    assert len(found) == 1
    (finding,) = found
    assert finding.severity is Severity.CRITICAL
    assert finding.path.endswith("security.py") and finding.span.line == 7
    assert "FastAPI tutorial" in finding.message
    assert [(Path(r.path).name, r.span.line) for r in finding.related] == [("config.py", 1)]


def test_env_fallback_is_reported_as_a_fallback(tmp_path: Path) -> None:
    found = fl008(
        tmp_path,
        {
            "app.py": f"""\
            import os

            import jwt

            KEY = os.getenv("JWT_KEY", "{LONG_KEY}")


            def decode(token: str) -> dict:
                return jwt.decode(token, KEY, algorithms=["HS256"])
            """
        },
    )
    assert [(f.span.line, f.severity) for f in found] == [(9, Severity.HIGH)]
    assert "fallback default used when `JWT_KEY` is unset" in found[0].message


def test_settings_default_and_required_field(tmp_path: Path) -> None:
    found = fl008(
        tmp_path,
        {
            "app.py": """\
            from fastapi import FastAPI
            from pydantic_settings import BaseSettings
            from starlette.middleware.sessions import SessionMiddleware


            class Settings(BaseSettings):
                session_key: str = "secret"
                signing_key: str


            settings = Settings()
            app = FastAPI()
            app.add_middleware(SessionMiddleware, secret_key=settings.session_key)
            app.add_middleware(SessionMiddleware, secret_key=settings.signing_key)
            """
        },
    )
    assert [(f.span.line, f.severity) for f in found] == [(13, Severity.CRITICAL)]
    assert "settings field `Settings.session_key` used when `SESSION_KEY` is unset" in (
        found[0].message
    )


def test_short_hmac_key_and_values_that_are_not_secrets(tmp_path: Path) -> None:
    found = fl008(
        tmp_path,
        {
            "app.py": f"""\
            import hashlib
            import hmac
            import os

            import jwt
            from itsdangerous import URLSafeTimedSerializer

            PUBLIC = "-----BEGIN PUBLIC KEY-----\\nMFkw\\n-----END PUBLIC KEY-----"
            links = URLSafeTimedSerializer("{LONG_KEY}")


            def sign(body: bytes) -> str:
                return hmac.new(b"k3y", body, hashlib.sha256).hexdigest()


            def others(token: str) -> None:
                jwt.decode(token, PUBLIC, algorithms=["ES256"])
                jwt.decode(token, "x", options={{"verify_signature": False}})
                jwt.decode(token, os.environ["KEY"], algorithms=["HS256"])
                jwt.decode(token, os.getenv("KEY", ""), algorithms=["HS256"])
            """
        },
    )
    assert [(f.span.line, f.severity) for f in found] == [
        (9, Severity.HIGH),
        (13, Severity.CRITICAL),
    ]
    assert "3 bytes long" in found[1].message


def test_test_folders_are_skipped_unless_configured(tmp_path: Path) -> None:
    files = {
        "app/__init__.py": "",
        "app/main.py": "import fastapi\n",
        "tests/test_tokens.py": 'import jwt\n\njwt.encode({}, "secret")\n',
    }
    assert fl008(tmp_path, files) == []
    every_file = Settings(root=tmp_path, rule_options={"FL008": {"test_paths": ()}})
    found = fl008(tmp_path, files, settings=every_file)
    assert [(Path(f.path).name, f.span.line) for f in found] == [("test_tokens.py", 3)]


def test_functions_called_by_another_name(tmp_path: Path) -> None:
    found = fl008(
        tmp_path,
        {
            "app.py": """\
            import jwt as pyjwt
            from jose.jwt import decode as jose_decode
            from jwt import decode as read_token

            sign = pyjwt.encode


            def tokens(token: str, claims: dict) -> None:
                pyjwt.encode(claims, "secret")
                read_token(token, "secret", algorithms=["HS256"])
                sign(claims, "secret")
                jose_decode(token, "secret")
            """
        },
    )
    assert [(f.span.line, f.message.split(" uses")[0]) for f in found] == [
        (9, "`pyjwt.encode`"),
        (10, "`read_token` (`jwt.decode`)"),
        (11, "`sign` (`jwt.encode`)"),
        (12, "`jose_decode` (`jose.jwt.decode`)"),
    ]


def test_a_key_held_by_the_object_that_signs(tmp_path: Path) -> None:
    found = fl008(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/config.py": 'GUEST_KEY = "guest-mode-signing-key-not-for-accounts"\n',
            "app/auth.py": """\
            import os

            import jwt

            from .config import GUEST_KEY


            class TokenService:
                def __init__(self, secret: str | None = None) -> None:
                    self.secret = secret or os.environ.get("TOKEN_SECRET")
                    if not self.secret:
                        self.secret = GUEST_KEY
                    self.partner_secret = os.environ["PARTNER_SECRET"]

                def issue(self, claims: dict) -> str:
                    return jwt.encode(claims, self.secret, algorithm="HS256")

                def issue_partner(self, claims: dict) -> str:
                    return jwt.encode(claims, self.partner_secret, algorithm="HS256")
            """,
        },
    )
    assert [(f.span.line, f.severity) for f in found] == [(16, Severity.HIGH)]
    assert found[0].message == "`jwt.encode` uses a hardcoded key (`GUEST_KEY`)"
    assert [(Path(r.path).name, r.span.line) for r in found[0].related] == [("config.py", 1)]


USER_MANAGER = """\
import os
import uuid

from fastapi_users import BaseUserManager, IntegerIDMixin
from fastapi_users.manager import BaseUserManager as Base

from .settings import settings

SECRET = "SECRET"


class UserManager(IntegerIDMixin, BaseUserManager[dict, int]):
    reset_password_token_secret = SECRET
    verification_token_secret: str = settings.verification_secret


class AdminManager(Base):
    reset_password_token_secret = os.environ["RESET_SECRET"]
    verification_token_secret = settings.verification_secret


class Unrelated:
    reset_password_token_secret = SECRET
"""

USER_SETTINGS = """\
from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    verification_secret: str = "verify-accounts-1c2d3e4f5a6b7c8d9e0f1a2b3c4d"


settings = Settings()
"""


def test_fastapi_users_manager_secrets(tmp_path: Path) -> None:
    found = fl008(
        tmp_path,
        {"app/__init__.py": "", "app/users.py": USER_MANAGER, "app/settings.py": USER_SETTINGS},
    )
    assert [(f.span.line, f.severity, f.message) for f in found] == [
        (
            12,
            Severity.CRITICAL,
            "`UserManager.reset_password_token_secret` uses a hardcoded key (`SECRET`): "
            "it is a well-known placeholder",
        ),
        (
            14,
            Severity.HIGH,
            "`UserManager.verification_token_secret` uses a hardcoded key, the default of "
            "settings field `Settings.verification_secret` used when `VERIFICATION_SECRET` "
            "is unset",
        ),
        (
            17,
            Severity.HIGH,
            "`AdminManager.verification_token_secret` uses a hardcoded key, the default of "
            "settings field `Settings.verification_secret` used when `VERIFICATION_SECRET` "
            "is unset",
        ),
    ]
    assert [(Path(r.path).name, r.span.line) for r in found[0].related] == [("users.py", 9)]


def test_fastapi_jwt_auth_settings(tmp_path: Path) -> None:
    found = fl008(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/config.py": """\
            from pydantic import BaseModel
            from pydantic_settings import BaseSettings


            class JWTSettings(BaseModel):
                authjwt_secret_key: str = "secret"


            class FromEnvironment(BaseSettings):
                authjwt_secret_key: str


            class Other(BaseModel):
                secret_key: str = "secret"
            """,
            "app/auth.py": f"""\
            from async_fastapi_jwt_auth import AuthJWT
            from fastapi_jwt_auth import AuthJWT as Tokens

            from .config import FromEnvironment, JWTSettings, Other


            @Tokens.load_config
            def get_config():
                return JWTSettings()


            @AuthJWT.load_config
            def given_here():
                return JWTSettings(authjwt_secret_key="{LONG_KEY}")


            @AuthJWT.load_config
            def from_environment():
                return FromEnvironment()


            def other():
                return Other()


            def by_call():
                return JWTSettings()


            AuthJWT.load_config(other)
            AuthJWT.load_config(by_call)
            """,
        },
    )
    assert [(f.span.line, f.severity) for f in found] == [
        (8, Severity.CRITICAL),
        (13, Severity.HIGH),
        (26, Severity.CRITICAL),
    ]
    assert found[0].message == (
        "`AuthJWT` setting `authjwt_secret_key` (from `get_config`) uses a hardcoded key "
        "(`JWTSettings.authjwt_secret_key`): it is a well-known placeholder"
    )
    assert [(Path(r.path).name, r.span.line) for r in found[0].related] == [("config.py", 6)]


# -- FL009 -----------------------------------------------------------------------------

LOGIN = """\
import secrets

import jwt
from fastapi import FastAPI, Response
from fastapi.responses import JSONResponse
from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    cookie_secure: bool = False


settings = Settings()
app = FastAPI()


def make_token() -> str:
    return jwt.encode({}, settings.__class__.__name__)


@app.post("/login")
def login(response: Response, unknown_object) -> JSONResponse:
    response.set_cookie("session_id", "v", secure=settings.cookie_secure, httponly=True)
    response.set_cookie(key="preferences", value=make_token(), httponly=True)
    response.set_cookie("remember", secrets.token_urlsafe(), secure=True, httponly=False)
    response.set_cookie("auth", "v", secure=False, httponly=True, samesite="none")
    response.set_cookie("auth", "v", secure=True, httponly=True, samesite="none")
    response.set_cookie("theme", "dark")
    response.set_cookie("xsrf-token", "v", secure=True)
    unknown_object.set_cookie("session", "v")
    result = JSONResponse({})
    result.set_cookie("refresh_token", "v", secure=True)
    return result
"""


def test_cookie_flags(tmp_path: Path) -> None:
    found = fl009(tmp_path, {"app.py": LOGIN})
    assert [(f.span.line, f.message) for f in found] == [
        (24, "cookie `preferences` is set without `secure=True`"),
        (25, "cookie `remember` is set without `httponly=True`"),
        (
            26,
            'cookie `auth` is set without `secure=True` and with `samesite="none"` but no `secure`',
        ),
        (32, "cookie `refresh_token` is set without `httponly=True`"),
    ]
    assert {f.severity for f in found} == {Severity.MEDIUM}


def test_a_csrf_cookie_named_by_a_library_constant(tmp_path: Path) -> None:
    """The cookie's name is a library constant (not a known string): the names written
    for it say it is a CSRF cookie, which scripts must read."""
    found = fl009(
        tmp_path,
        {
            "app.py": """\
            import secrets

            from fastapi import FastAPI, Response
            from fastapi_users.router.oauth import CSRF_TOKEN_COOKIE_NAME, SESSION_COOKIE

            app = FastAPI()


            def remember_csrf(response: Response, csrf_token: str) -> None:
                response.set_cookie(CSRF_TOKEN_COOKIE_NAME, csrf_token, secure=True, httponly=False)


            def remember_session(response: Response, session: str) -> None:
                response.set_cookie(SESSION_COOKIE, session, secure=True, httponly=False)


            @app.get("/authorize")
            def authorize(response: Response) -> dict[str, str]:
                remember_csrf(response, secrets.token_urlsafe(32))
                remember_session(response, secrets.token_urlsafe(32))
                return {}
            """
        },
    )
    assert [(f.span.line, f.message) for f in found] == [
        (14, "cookie carrying a token is set without `httponly=True`")
    ]


def test_flags_written_out_are_read_beside_star_arguments(tmp_path: Path) -> None:
    """`**extra` may give the flags that are not written out, never those that are."""
    found = fl009(
        tmp_path,
        {
            "app.py": """\
            from fastapi import FastAPI, Response
            from starlette.middleware.sessions import SessionMiddleware

            app = FastAPI()
            options = {"https_only": True}
            app.add_middleware(SessionMiddleware, secret_key="k" * 40, **options)
            app.add_middleware(SessionMiddleware, secret_key="k" * 40, same_site="none", **options)


            @app.get("/callback")
            def callback(response: Response, max_age: int | None) -> None:
                extra = {"max_age": max_age} if max_age is not None else {}
                response.set_cookie("token", "t", secure=True, httponly=False, **extra)
                response.set_cookie("session", "s", secure=True, **extra)
            """
        },
    )
    assert [(f.span.line, f.message) for f in found] == [
        (7, '`SessionMiddleware` sets its session cookie with `same_site="none"`'),
        (13, "cookie `token` is set without `httponly=True`"),
    ]


def test_session_middleware_flags(tmp_path: Path) -> None:
    found = fl009(
        tmp_path,
        {
            "app.py": """\
            import os

            from fastapi import FastAPI
            from starlette.middleware import Middleware
            from starlette.middleware.sessions import SessionMiddleware

            KEY = os.environ["SESSION_KEY"]
            HTTPS = os.getenv("HTTPS_ONLY", "true") == "true"
            app = FastAPI(middleware=[Middleware(SessionMiddleware, secret_key=KEY)])
            app.add_middleware(SessionMiddleware, secret_key=KEY, https_only=HTTPS)
            app.add_middleware(SessionMiddleware, secret_key=KEY, https_only=True, same_site="none")
            app.add_middleware(SessionMiddleware, secret_key=KEY, https_only=True)
            """
        },
    )
    assert [(f.span.line, f.message) for f in found] == [
        (9, "`SessionMiddleware` sets its session cookie without `https_only=True`"),
        (11, '`SessionMiddleware` sets its session cookie with `same_site="none"`'),
    ]


def test_a_session_middleware_shared_by_two_apps_is_reported_once(tmp_path: Path) -> None:
    """An app built in either branch of an `if`, configured by one helper: two apps,
    one `add_middleware` call, one finding per rule."""
    files = {
        "svc/__init__.py": "",
        "svc/setup.py": """\
        import os

        from starlette.middleware.sessions import SessionMiddleware


        def configure(app) -> None:
            app.add_middleware(SessionMiddleware, secret_key=os.getenv("SESSION_KEY", "dev"))
        """,
        "svc/main.py": """\
        import os

        from fastapi import FastAPI

        from .setup import configure

        if os.getenv("DEBUG"):
            app = FastAPI(debug=True)
        else:
            app = FastAPI(docs_url=None)
        configure(app)
        """,
    }
    for code in ("FL008", "FL009"):
        found = findings_of(tmp_path, files, code)
        assert [(Path(f.path).name, f.span.line) for f in found] == [("setup.py", 7)], code


def test_fastapi_users_cookie_transport(tmp_path: Path) -> None:
    found = fl009(
        tmp_path,
        {
            "auth.py": """\
            import os

            from fastapi_users.authentication import CookieTransport
            from fastapi_users.authentication.transport.cookie import CookieTransport as Cookies

            SECURE = os.getenv("COOKIE_SECURE", "true") == "true"

            default = CookieTransport()
            insecure = CookieTransport(cookie_secure=False)
            scripts = Cookies("auth", 3600, "/", None, True, False)
            cross_site = CookieTransport(cookie_secure=False, cookie_samesite="none")
            configured = CookieTransport(cookie_secure=SECURE, cookie_samesite="none")
            strict = CookieTransport(cookie_secure=True, cookie_httponly=True)
            """
        },
    )
    prefix = "fastapi-users' `CookieTransport` sets its login cookie with "
    assert [(f.span.line, f.message.removeprefix(prefix)) for f in found] == [
        (9, "`cookie_secure` off"),
        (10, "`cookie_httponly` off"),
        (11, '`cookie_secure` off and `cookie_samesite="none"` without `cookie_secure`'),
    ]


def test_rules_are_registered() -> None:
    from fastlint.registry import ALL_RULES

    assert HardcodedSigningSecret in ALL_RULES and InsecureAuthCookie in ALL_RULES
    assert (HardcodedSigningSecret.code, HardcodedSigningSecret.name) == (
        "FL008",
        "hardcoded-signing-secret",
    )
    assert (InsecureAuthCookie.code, InsecureAuthCookie.name) == ("FL009", "insecure-auth-cookie")
