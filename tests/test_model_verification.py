"""What a route's dependency chain does with scheme credentials (FL011, FL012):
consumed or not, verified otherwise, failing open."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import pytest

from fastlint.analysis.route_auth import RouteAuth
from fastlint.analysis.verification import CredentialUse
from fastlint.testing import project_in
from rules.auth.credential_never_verified import (
    CredentialNeverVerified,
    CredentialNeverVerifiedOptions,
)
from rules.auth.fail_open_auth import FailOpenAuth, FailOpenAuthOptions

HEAD = """\
import logging
import os

import httpx
import jwt
from fastapi import Depends, FastAPI, Header, HTTPException
from fastapi.security import APIKeyHeader, HTTPBearer, OAuth2PasswordBearer
from pydantic import BaseModel

app = FastAPI()
oauth2 = OAuth2PasswordBearer(tokenUrl="token")
bearer = HTTPBearer()
api_key = APIKeyHeader(name="X-API-Key")
logger = logging.getLogger(__name__)
API_KEY = os.environ["API_KEY"]
"""


def source(*parts: str) -> str:
    return HEAD + "".join(dedent(part) for part in parts)


def use_of(tmp_path: Path, *parts: str) -> CredentialUse:
    project = project_in(tmp_path, {"main.py": source(*parts)})
    (instance,) = project.instances
    return project.get(RouteAuth).credential_use(instance)


VERIFIED = {
    "jwt.decode": """
        def user(token: str = Depends(oauth2)) -> dict:
            return jwt.decode(token, API_KEY, algorithms=["HS256"])
    """,
    "delegated to an identity service": """
        def user(token: str = Depends(oauth2)) -> dict:
            headers = {"Authorization": f"Bearer {token}"}
            answer = httpx.get("https://id.example/me", headers=headers)
            return answer.json()
    """,
    "compared with a configured key": """
        def user(key: str = Depends(api_key)) -> None:
            if key != API_KEY:
                raise HTTPException(status_code=403)
    """,
    "split from the header, then decoded": """
        def user(creds=Depends(bearer)) -> dict:
            header = f"Bearer {creds.credentials}"
            scheme, _, token = header.partition(" ")
            return jwt.decode(token, API_KEY, algorithms=["HS256"])
    """,
    "decoded by a project helper": """
        def decode(value: str) -> dict:
            return jwt.decode(value, API_KEY, algorithms=["HS256"])

        def user(creds=Depends(bearer)) -> dict:
            return decode(creds.credentials)
    """,
    "handed on, then decoded": """
        def token_of(token: str = Depends(oauth2)) -> str:
            return token

        def user(token: str = Depends(token_of)) -> dict:
            return jwt.decode(token, API_KEY, algorithms=["HS256"])
    """,
    "verified by a method of the object holding it": """
        class AuthContext:
            def __init__(self, token: str | None) -> None:
                self.token = token

            def enforce(self) -> None:
                if self.token is None or self.token != API_KEY:
                    raise HTTPException(status_code=403)

        def user(creds=Depends(bearer)) -> AuthContext:
            context = AuthContext(token=creds.credentials)
            context.enforce()
            return context
    """,
}

NEVER_VERIFIED = {
    "returned as is": """
        def user(token: str = Depends(oauth2)) -> str:
            return token
    """,
    "logged and measured": """
        def user(token: str = Depends(oauth2)) -> dict:
            logger.info("token %s", token)
            print(len(token), str(token))
            return {"ok": True}
    """,
    "stored in a model": """
        class Session(BaseModel):
            token: str

        def user(creds=Depends(bearer)) -> Session:
            return Session(token=creds.credentials)
    """,
    "only its scheme word compared": """
        def user(creds=Depends(bearer)) -> str:
            if creds.scheme != "Bearer":
                raise HTTPException(status_code=401)
            return creds.credentials
    """,
    "a method of the holder that only describes it": """
        class Holder:
            def __init__(self, token: str) -> None:
                self.token = token

            def describe(self) -> dict:
                return {"length": len(self.token)}

        def user(token: str = Depends(oauth2)) -> dict:
            holder = Holder(token)
            return holder.describe()
    """,
    "a string method on it": """
        def user(token: str = Depends(oauth2)) -> str:
            return token.strip()
    """,
    "a helper that stores it": """
        def remember(value: str) -> dict:
            return {"token": value}

        def user(token: str = Depends(oauth2)) -> dict:
            return remember(token)
    """,
}


def route(dependency: str = "user") -> str:
    return f"""
        @app.get("/items")
        def items(u=Depends({dependency})) -> list[int]:
            return []
    """


@pytest.mark.parametrize("body", VERIFIED.values(), ids=list(VERIFIED))
def test_consumed_credentials(tmp_path: Path, body: str) -> None:
    use = use_of(tmp_path, body, route())
    assert use.read and use.consumed and not use.never_verified


@pytest.mark.parametrize("body", NEVER_VERIFIED.values(), ids=list(NEVER_VERIFIED))
def test_credentials_nothing_verifies(tmp_path: Path, body: str) -> None:
    use = use_of(tmp_path, body, route())
    assert use.read and not use.consumed and use.never_verified


def test_authentication_middleware_verifies(tmp_path: Path) -> None:
    middleware = """
        from starlette.authentication import AuthenticationError
        from starlette.middleware.authentication import AuthenticationMiddleware

        class Backend:
            async def authenticate(self, conn):
                raise AuthenticationError("who are you?")

        app.add_middleware(AuthenticationMiddleware, backend=Backend())
    """
    use = use_of(tmp_path, NEVER_VERIFIED["returned as is"], route(), middleware)
    assert use.other and not use.never_verified


def test_unfollowable_dependency_is_unknown(tmp_path: Path) -> None:
    body = """
        from somewhere_else import verify

        def user(token: str = Depends(oauth2), checked=Depends(verify)) -> str:
            return token
    """
    use = use_of(tmp_path, body, route())
    assert use.unknown and not use.never_verified


FAIL_OPEN = """
    optional = OAuth2PasswordBearer(tokenUrl="token", auto_error=False)

    def maybe_user(token: str | None = Depends(optional)) -> dict | None:
        if not token:
            return None
        return jwt.decode(token, API_KEY, algorithms=["HS256"])
"""


def test_optional_user_not_tested_fails_open(tmp_path: Path) -> None:
    use = use_of(tmp_path, FAIL_OPEN, route("maybe_user"))
    assert use.fail_open and "returns None when it is missing" in use.fail_open[0]


def test_optional_user_tested_by_the_route_is_deliberate(tmp_path: Path) -> None:
    body = (
        FAIL_OPEN
        + """
        @app.get("/feed")
        def feed(user=Depends(maybe_user)) -> list[str]:
            if user is None:
                return []
            return ["hello"]
    """
    )
    assert use_of(tmp_path, FAIL_OPEN, body).fail_open == []


def test_optional_user_required_by_another_dependency(tmp_path: Path) -> None:
    body = (
        FAIL_OPEN
        + """
        def required_user(user=Depends(maybe_user)) -> dict:
            if user is None:
                raise HTTPException(status_code=401)
            return user
    """
    )
    assert use_of(tmp_path, FAIL_OPEN, body, route("required_user")).fail_open == []


def test_optional_header_returning_none(tmp_path: Path) -> None:
    body = """
        def user(x_token: str | None = Header(None)) -> dict | None:
            if x_token is None:
                return None
            return jwt.decode(x_token, API_KEY, algorithms=["HS256"])
    """
    assert use_of(tmp_path, body, route()).fail_open


def test_optional_credential_that_raises_when_missing(tmp_path: Path) -> None:
    body = """
        optional = HTTPBearer(auto_error=False)

        def user(creds=Depends(optional)) -> dict:
            if creds is None:
                raise HTTPException(status_code=401)
            return jwt.decode(creds.credentials, API_KEY, algorithms=["HS256"])
    """
    assert use_of(tmp_path, body, route()).fail_open == []


def test_check_switched_off_by_an_empty_setting(tmp_path: Path) -> None:
    body = """
        KEY = os.getenv("SERVICE_API_KEY", "")

        def user(key: str = Depends(api_key)) -> None:
            if not KEY:
                return
            if key != KEY:
                raise HTTPException(status_code=403)
    """
    switches = use_of(tmp_path, body, route()).switches
    # `if not KEY: return`, and the comparison with a key read with an empty default
    assert {(s.setting, s.span.line) for s in switches} == {("KEY", 20)}
    assert any(s.variable == "SERVICE_API_KEY" and s.default_open for s in switches)


def test_required_key_from_the_environment_is_not_fail_open(tmp_path: Path) -> None:
    body = """
        def user(key: str = Depends(api_key)) -> None:
            if key != API_KEY:
                raise HTTPException(status_code=403)
    """
    assert use_of(tmp_path, body, route()).fail_open == []


def test_options_trusted_upstream_and_public_routes(tmp_path: Path) -> None:
    project = project_in(tmp_path, {"main.py": source(NEVER_VERIFIED["returned as is"], route())})
    assert len(list(CredentialNeverVerified().check(project))) == 1
    trusted = CredentialNeverVerified(CredentialNeverVerifiedOptions(trusted_upstream_auth=True))
    assert list(trusted.check(project)) == []
    per_route = CredentialNeverVerified(
        CredentialNeverVerifiedOptions(trusted_routes=("GET /items",))
    )
    assert list(per_route.check(project)) == []
    open_project = project_in(tmp_path / "b", {"main.py": source(FAIL_OPEN, route("maybe_user"))})
    assert len(list(FailOpenAuth().check(open_project))) == 1
    public = FailOpenAuth(FailOpenAuthOptions(public_routes=("GET /items",)))
    assert list(public.check(open_project)) == []


def test_best_effort_identity_beside_a_required_key(tmp_path: Path) -> None:
    """An optional identity for attribution, on a route a required key already
    protects: anonymous callers are turned away by the key check, not let in."""
    body = """
        def user_id_or_none(x_user_token: str | None = Header(None)) -> str | None:
            if not x_user_token:
                return None
            try:
                return jwt.decode(x_user_token, API_KEY, algorithms=["HS256"])["sub"]
            except jwt.InvalidTokenError:
                return None

        def required_key(key: str = Depends(api_key)) -> None:
            if key != API_KEY:
                raise HTTPException(status_code=403)

        @app.post("/items")
        def create(author=Depends(user_id_or_none), _=Depends(required_key)) -> None:
            ...
    """
    use = use_of(tmp_path, body)
    assert use.fail_open and use.closed and use.open_paths == []
    alone = use_of(tmp_path / "b", body.replace(", _=Depends(required_key)", ""))
    assert alone.open_paths and not alone.closed


def test_a_switched_off_check_is_not_closed_by_itself(tmp_path: Path) -> None:
    body = """
        class Settings(BaseModel):
            api_keys: list[str] = []

        settings = Settings()

        def check_key(creds=Depends(HTTPBearer(auto_error=False))) -> str | None:
            if settings.api_keys:
                if creds is None or creds.credentials not in settings.api_keys:
                    raise HTTPException(status_code=401)
                return creds.credentials
            return None
    """
    use = use_of(tmp_path, body, route("check_key"))
    assert not use.closed
    assert [(s.setting, s.default_open) for s in use.switches] == [("settings.api_keys", True)]


TWO_OPTIONAL = """
    basic = HTTPBasic(auto_error=False)
    optional = HTTPBearer(auto_error=False)
    ADMIN_KEY = os.environ.get("ADMIN_KEY", "")
    AUTH_OFF = os.environ.get("AUTH_OFF", "").lower() in {"1", "true"}

    def user(login=Depends(basic), creds=Depends(optional)) -> str | None:
        if creds is not None:
            if ADMIN_KEY and secrets.compare_digest(creds.credentials, ADMIN_KEY):
                return None
            return jwt.decode(creds.credentials, API_KEY, algorithms=["HS256"])["sub"]
        elif login and secrets.compare_digest(login.password, API_KEY):
            return login.username
        if AUTH_OFF:
            return None
        raise HTTPException(status_code=401)
"""


def two_optional(tmp_path: Path, body: str) -> CredentialUse:
    head = "import secrets\nfrom fastapi.security import HTTPBasic\n"
    dropped = """
        @app.get("/items", dependencies=[Depends(user)])
        def items() -> list[int]:
            return []
    """
    return use_of(tmp_path, head, body, dropped)


def test_credentials_returned_only_when_present_turn_anonymous_away(tmp_path: Path) -> None:
    """Two optional schemes, each checked where it is present, then 401: the
    `return None` for the admin key needs a credential, the one for `AUTH_OFF`
    is a switch that ships off."""
    use = two_optional(tmp_path, TWO_OPTIONAL)
    assert use.fail_open == [] and use.closed
    assert [(s.setting, s.default_open) for s in use.switches] == [("AUTH_OFF", False)]
    # The admin key is compared only once it is known to be set: no switch for it.
    assert not any("ADMIN_KEY" in (s.setting, s.variable) for s in use.switches)


def test_an_optional_credential_handed_on_unchecked_still_fails_open(tmp_path: Path) -> None:
    lenient = TWO_OPTIONAL.replace(
        "        elif login and secrets.compare_digest(login.password, API_KEY):\n"
        "            return login.username\n",
        "        return login\n",
    )
    assert two_optional(tmp_path, lenient).fail_open
    on_by_default = TWO_OPTIONAL.replace('get("AUTH_OFF", "")', 'get("AUTH_OFF", "1")')
    use = two_optional(tmp_path / "b", on_by_default)
    assert [(s.setting, s.default_open) for s in use.switches] == [("AUTH_OFF", True)]
    assert not use.closed


def test_a_default_identity_for_callers_who_send_nothing_is_a_switch(tmp_path: Path) -> None:
    """`if not settings.require_auth and creds is None: return default_admin()`:
    the test reads the credential, but only its absence."""
    body = """
        class Settings(BaseModel):
            require_auth: bool = False

        settings = Settings()
        optional = HTTPBearer(auto_error=False)

        def default_admin() -> dict:
            return {"sub": "admin"}

        def user(creds=Depends(optional)) -> dict:
            if not settings.require_auth and creds is None:
                return default_admin()
            if creds is None:
                raise HTTPException(status_code=401)
            return jwt.decode(creds.credentials, API_KEY, algorithms=["HS256"])
    """
    use = use_of(tmp_path, body, route())
    assert [(s.setting, s.default_open) for s in use.switches] == [("settings.require_auth", True)]


@pytest.mark.parametrize(
    ("built", "default_open"),
    [("Settings()", False), ("Settings(**load_file('app.toml'))", None)],
)
def test_a_settings_object_built_from_a_file_has_no_readable_default(
    tmp_path: Path, built: str, default_open: bool | None
) -> None:
    """The class default is what ships only when nothing is passed in: a settings
    object built from a config file may have the bypass switched on."""
    body = f"""
        class Settings(BaseModel):
            bypass_auth: bool = False

        def load_file(name: str) -> dict:
            return {{}}

        settings = {built}

        def user(token: str = Depends(oauth2)) -> dict:
            if settings.bypass_auth:
                return dict(sub="dev")
            return jwt.decode(token, API_KEY, algorithms=["HS256"])
    """
    use = use_of(tmp_path, body, route())
    assert [(s.setting, s.default_open) for s in use.switches] == [
        ("settings.bypass_auth", default_open)
    ]
