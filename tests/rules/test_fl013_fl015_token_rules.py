"""FL013, FL014 and FL015 beyond their documented examples: each variant the manual
names, the cases that must stay silent, severities, options, and (FL014) runtime
proof that what is reported really lets a forged token in."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from fastlint.config import Settings
from fastlint.findings import Finding, Severity
from fastlint.testing import findings_of

APP = """\
import os

import jwt
from fastapi import Depends, FastAPI, HTTPException
from fastapi.security import OAuth2PasswordBearer

app = FastAPI()
oauth2_scheme = OAuth2PasswordBearer(tokenUrl="token")
SECRET_KEY = os.environ.get("SECRET_KEY", "")


def get_current_user(token: str = Depends(oauth2_scheme)) -> dict:
    try:
        claims = {decode}
    except jwt.InvalidTokenError:
        raise HTTPException(status_code=401) from None
    return claims


@app.get("/me")
def me(user: dict = Depends(get_current_user)) -> dict:
    return {{"sub": user["sub"]}}
"""


def findings(tmp_path: Path, source: str, code: str, **settings: object) -> list[Finding]:
    kwargs = {"settings": Settings(root=tmp_path, **settings)} if settings else {}  # type: ignore[arg-type]
    return findings_of(tmp_path, {"main.py": source}, code, **kwargs)


def decoding(decode: str) -> str:
    return APP.format(decode=decode)


# -- FL014 ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("decode", "words", "severity"),
    [
        (
            'jwt.decode(token, SECRET_KEY, algorithms=["HS256"], '
            'options={"verify_signature": False})',
            "verify_signature",
            Severity.CRITICAL,
        ),
        ("jwt.decode(token, SECRET_KEY, verify=False)", "verify=False", Severity.CRITICAL),
        (
            'jwt.decode(token, SECRET_KEY, algorithms=["HS256", "none"])',
            '"none"',
            Severity.CRITICAL,
        ),
        ('jwt.decode(token, SECRET_KEY, algorithms=["HS256", "ES256"])', "HMAC", Severity.CRITICAL),
        (
            'jwt.decode(token, SECRET_KEY, algorithms=[jwt.get_unverified_header(token)["alg"]])',
            "token's own header",
            Severity.CRITICAL,
        ),
        (
            'jwt.decode(token, SECRET_KEY, algorithms=["HS256"], options={"verify_exp": False})',
            "verify_exp",
            Severity.HIGH,  # medium, one step worse on the authentication path
        ),
    ],
)
def test_weak_decodes_on_the_auth_path(
    tmp_path: Path, decode: str, words: str, severity: Severity
) -> None:
    found = findings(tmp_path, decoding(decode), "FL014")
    assert len(found) == 1, found
    assert words in found[0].message and "GET /me" in found[0].message
    assert found[0].severity == severity
    assert found[0].related and found[0].related[0].message == "authenticated by this call"


def test_options_through_a_settings_dict_off_the_auth_path(tmp_path: Path) -> None:
    source = """\
        import jwt
        from pydantic_settings import BaseSettings


        class Settings(BaseSettings):
            JWT_OPTIONS: dict = {"verify_signature": False, "verify_aud": False}


        settings = Settings()


        def read(token: str) -> dict:
            return jwt.decode(token, "k", algorithms=["HS256"], options=settings.JWT_OPTIONS)
        """
    found = findings(tmp_path, source, "FL014")
    assert [f.severity for f in found] == [Severity.MEDIUM]  # no served route runs it
    assert "verify_signature" in found[0].message


def test_jose_without_algorithms_and_manual_payload_decoding(tmp_path: Path) -> None:
    source = """\
        import base64
        import json

        from fastapi import Depends, FastAPI, Header
        from jose import jwt

        app = FastAPI()


        def read(token: str, key: str) -> dict:
            return jwt.decode(token, key)


        def claims(token: str) -> dict:
            payload = token.split(".")[1]
            return json.loads(base64.urlsafe_b64decode(payload + "=="))


        def expiry(token: str) -> int:  # a client reading its own token: not reported
            payload = token.split(".")[1]
            return json.loads(base64.urlsafe_b64decode(payload + "=="))["exp"]


        def current_user(authorization: str = Header()) -> dict:
            return claims(authorization.removeprefix("Bearer "))


        @app.get("/me")
        def me(user: dict = Depends(current_user)) -> dict:
            return user
        """
    found = findings(tmp_path, source, "FL014")
    messages = sorted(f.message for f in found)
    assert len(found) == 2
    assert "by hand" in messages[0] and "no `algorithms`" in messages[1]


def test_verified_decodes_and_peeks_are_not_reported(tmp_path: Path) -> None:
    source = """\
        import jwt
        from jose import jwt as jose_jwt

        KEYS = {"a": "k"}


        def verified(token: str) -> dict:
            kid = jwt.get_unverified_header(token)["kid"]
            return jwt.decode(token, KEYS[kid], algorithms=["RS256"])


        def issuer_first(token: str) -> dict:
            issuer = jose_jwt.get_unverified_claims(token)["iss"]
            return jose_jwt.decode(token, KEYS[issuer], algorithms=["RS256"])


        def hs_only(token: str) -> dict:
            return jwt.decode(token, "k", algorithms=["HS256", "HS512"])
        """
    assert findings(tmp_path, source, "FL014") == []


# -- FL015 ------------------------------------------------------------------------------


def test_credentials_compared_with_literals_and_secrets(tmp_path: Path) -> None:
    source = """\
        import os
        from typing import Annotated

        from fastapi import Cookie, Depends, FastAPI, Header, HTTPException, Request
        from fastapi.security import HTTPBasic, HTTPBasicCredentials, HTTPBearer

        app = FastAPI()
        bearer = HTTPBearer()
        basic = HTTPBasic()
        TOKENS = os.getenv("TOKENS", "").split(",")


        def by_bearer(creds=Depends(bearer)) -> None:
            token = creds.credentials
            if token not in TOKENS:
                raise HTTPException(status_code=401)


        def by_basic(creds: HTTPBasicCredentials = Depends(basic)) -> None:
            if creds.password != "hunter2":
                raise HTTPException(status_code=401)


        def by_cookie(session_token: Annotated[str, Cookie()] = "") -> None:
            if session_token in ("abc", "def"):
                return
            raise HTTPException(status_code=401)


        def by_header(request: Request) -> None:
            auth = request.headers.get("authorization", "").removeprefix("Bearer ")
            if auth != "letmein":
                raise HTTPException(status_code=401)


        def by_alias(key: Annotated[str, Header(alias="X-Api-Key")]) -> None:
            if key == os.environ["API_KEY"]:
                return
            raise HTTPException(status_code=401)


        @app.get("/a", dependencies=[Depends(by_bearer), Depends(by_basic)])
        def a() -> None: ...


        @app.get("/b", dependencies=[Depends(by_cookie), Depends(by_header), Depends(by_alias)])
        def b() -> None: ...
        """
    found = sorted((f.subject, f.severity) for f in findings(tmp_path, source, "FL015"))
    assert found == [
        ("by_alias compares key", Severity.MEDIUM),
        ("by_basic compares creds.password", Severity.HIGH),
        ("by_bearer compares creds.credentials", Severity.MEDIUM),
        ("by_cookie compares session_token", Severity.HIGH),
        ("by_header compares authorization", Severity.HIGH),
    ]


def test_comparisons_that_are_not_secrets_are_not_reported(tmp_path: Path) -> None:
    source = """\
        from typing import Annotated

        from fastapi import Depends, FastAPI, Header, HTTPException
        from fastapi.security import HTTPBearer

        app = FastAPI()
        bearer = HTTPBearer(auto_error=False)


        def check(
            creds=Depends(bearer),
            authorization: Annotated[str | None, Header()] = None,
            token_type: Annotated[str, Header()] = "access",
        ) -> None:
            if creds is None or creds.credentials == "" or creds.scheme.lower() != "bearer":
                raise HTTPException(status_code=401)
            if authorization == "null" or token_type == "refresh":
                raise HTTPException(status_code=401)


        def lookup(api_key: str, stored: dict) -> bool:
            return api_key == "x"  # a helper's parameter, not bound by FastAPI


        @app.get("/", dependencies=[Depends(check)])
        def index() -> None: ...
        """
    assert findings(tmp_path, source, "FL015") == []


# -- FL013 ------------------------------------------------------------------------------

ROUTES = """\
    from fastapi import Depends, FastAPI, Form
    from fastapi.security import OAuth2PasswordBearer

    app = FastAPI()
    scheme = OAuth2PasswordBearer(tokenUrl="token")


    def current_user(token: str = Depends(scheme)) -> dict:
        return {"id": 1}


    def require_admin(user: dict = Depends(current_user)) -> dict:
        return user


    @app.post("/notes")
    def add_note(db: dict, user: dict = Depends(current_user), owner_id: int = Form()) -> None:
        db.execute("insert", owner_id)


    @app.get("/notes")
    def notes(tenant: str, user: dict = Depends(current_user)) -> None: ...


    @app.get("/admin/notes", dependencies=[Depends(require_admin)])
    def all_notes(user_id: int | None = None) -> None: ...


    @app.get("/public")
    def public(user_id: int) -> None: ...
    """


def test_identity_parameters(tmp_path: Path) -> None:
    found = findings(tmp_path, ROUTES, "FL013")
    assert [(f.subject, f.severity) for f in found] == [("add_note.owner_id", Severity.HIGH)]
    assert "passed to `db.execute`" in found[0].message


def test_identity_names_are_an_option(tmp_path: Path) -> None:
    rules = {"FL013": {"identity_names": ("tenant",)}}
    found = findings(tmp_path, ROUTES, "FL013", rule_options=rules)
    assert [(f.subject, f.severity) for f in found] == [("notes.tenant", Severity.MEDIUM)]


# -- runtime truth ----------------------------------------------------------------------


def load(tmp_path: Path, decode: str, monkeypatch: pytest.MonkeyPatch) -> object:
    monkeypatch.setenv("SECRET_KEY", "a-secret-key-that-is-long-enough-for-hs256")
    file = tmp_path / "main.py"
    file.write_text(decoding(decode), encoding="utf-8")
    spec = importlib.util.spec_from_file_location("forged_main", file)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "forged_main", module)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("decode", "reported", "status"),
    [
        (
            'jwt.decode(token, SECRET_KEY, algorithms=["HS256"], '
            'options={"verify_signature": False})',
            True,
            200,
        ),
        ('jwt.decode(token, SECRET_KEY, algorithms=["HS256"])', False, 401),
    ],
)
def test_a_forged_token_gets_in_exactly_where_fl014_reports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, decode: str, reported: bool, status: int
) -> None:
    jwt = pytest.importorskip("jwt")
    from fastapi.testclient import TestClient

    module = load(tmp_path, decode, monkeypatch)
    forged = jwt.encode({"sub": "admin"}, "an-attacker-chosen-key-long-enough-for-hs256")
    response = TestClient(module.app).get(  # type: ignore[attr-defined]
        "/me", headers={"Authorization": f"Bearer {forged}"}
    )
    assert response.status_code == status
    assert bool(findings(tmp_path, decoding(decode), "FL014")) is reported


def test_a_name_rebound_from_itself_ends(tmp_path: Path) -> None:
    source = """\
        from fastapi import Depends, FastAPI, Header, HTTPException

        app = FastAPI()


        def check(x_token: str = Header()) -> None:
            x_token = x_token.strip()
            x_token = x_token.removeprefix("Bearer ").split(" ")[0]
            if x_token != "s3cret":
                raise HTTPException(status_code=401)


        @app.get("/", dependencies=[Depends(check)])
        def index() -> None: ...
        """
    found = findings(tmp_path, source, "FL015")
    assert [f.subject for f in found] == ["check compares x_token"]


def test_path_parameters_and_request_bodies_are_not_secrets(tmp_path: Path) -> None:
    source = """\
        from fastapi import Depends, FastAPI, HTTPException
        from fastapi.security import HTTPBearer
        from pydantic import BaseModel

        app = FastAPI()
        bearer = HTTPBearer()


        class Patch(BaseModel):
            key: str
            token: str


        @app.patch("/variables/{variable_key}", dependencies=[Depends(bearer)])
        def patch(variable_key: str, body: Patch, refresh_token: str = "") -> None:
            if variable_key != body.key or refresh_token != body.token:
                raise HTTPException(status_code=400)
        """
    assert findings(tmp_path, source, "FL015") == []
