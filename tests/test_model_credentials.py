"""An endpoint's own 401 is authentication only when its body reads a credential;
optional authentication is recorded apart (Evidence.optional), never as `auth`."""

from __future__ import annotations

from textwrap import dedent

import pytest

from fastlint.analysis.route_auth import RouteAuth
from fastlint.testing import project_of

HEAD = """\
from fastapi import APIRouter, Cookie, Depends, FastAPI, Header, HTTPException, Request
from fastapi.security import HTTPBearer

app = FastAPI()
bearer = HTTPBearer(auto_error=False)
"""


def evidence_of(body: str) -> tuple[list[str], list[str]]:
    source = dedent(HEAD) + dedent(body)
    model = project_of({"main.py": source})
    (instance,) = model.instances
    verdict = model.get(RouteAuth).of(instance)
    return [p.what for p in verdict.proofs], list(verdict.optional)


@pytest.mark.parametrize(
    "body",
    [
        """
        @app.get("/a")
        async def a(authorization: str = Header("")):
            if not authorization.startswith("Bearer "):
                raise HTTPException(401)
        """,
        """
        @app.get("/a")
        async def a(sid: str = Cookie("", alias="session_id")):
            if sid != "s":
                raise HTTPException(status_code=401)
        """,
        """
        @app.get("/a")
        async def a(request: Request):
            if request.state.user is None:
                raise HTTPException(401)
        """,
        """
        @app.get("/a")
        async def a(request: Request):
            if "user_id" not in request.session:
                raise HTTPException(401)
        """,
        """
        @app.get("/a")
        async def a(request: Request):
            key = request.headers["X-API-Key"]
            if key != "k":
                raise HTTPException(401)
        """,
        """
        def check(request):
            if request.cookies.get("sid") is None:
                raise HTTPException(401)

        @app.get("/a")
        async def a(request: Request):
            check(request)
        """,
    ],
)
def test_an_endpoint_401_after_reading_a_credential_authenticates(body: str) -> None:
    auth, _ = evidence_of(body)
    assert auth and "after reading" in auth[0]


@pytest.mark.parametrize(
    "body",
    [
        """
        @app.post("/signup")
        async def signup(captcha: str = ""):
            if captcha != "ok":
                raise HTTPException(401, detail="invalid token in captcha")
        """,
        """
        FEATURE = False

        @app.get("/beta")
        async def beta(request: Request):
            if not FEATURE:
                raise HTTPException(401)
        """,
    ],
)
def test_an_endpoint_401_for_something_else_is_not_authentication(body: str) -> None:
    assert evidence_of(body) == ([], [])


def test_a_factory_asked_for_its_optional_variant_is_optional() -> None:
    body = """
    def current_user(required: bool = True):
        async def dependency(token=Depends(bearer)):
            if token is None and required:
                raise HTTPException(401)
            return token
        return dependency

    @app.get("/a")
    async def a(user=Depends(current_user(required=False))):
        return user
    """
    auth, optional = evidence_of(body)
    assert auth == []
    assert "`current_user` called with `required=False`" in optional


def test_the_same_factory_strict_authenticates() -> None:
    body = """
    def current_user(required: bool = True):
        async def dependency(token=Depends(bearer)):
            if token is None and required:
                raise HTTPException(401)
            return token
        return dependency

    @app.get("/a")
    async def a(user=Depends(current_user())):
        return user
    """
    auth, _ = evidence_of(body)
    assert auth


def test_returning_early_without_the_token_is_optional() -> None:
    body = """
    def verify(token):
        if token.credentials != "t":
            raise HTTPException(401)
        return token

    async def maybe_user(token=Depends(bearer)):
        if not token:
            return None
        return verify(token)

    @app.get("/a")
    async def a(user=Depends(maybe_user)):
        return user
    """
    auth, optional = evidence_of(body)
    assert auth == []
    assert "`maybe_user` returns without checking when `token` is missing" in optional


def test_an_exception_subclass_handed_a_status_by_name_rejects() -> None:
    """`raise ProxyError("...", status.HTTP_403_FORBIDDEN)` in a method the
    dependency's `__call__` runs on a helper object."""
    body = """
    from fastapi import status

    class ProxyError(HTTPException):
        def __init__(self, detail, code=400):
            super().__init__(detail=detail, status_code=code)

    class Access:
        def __init__(self, token):
            self.token = token

        async def enforce(self):
            if self.token is None:
                raise ProxyError("denied", status.HTTP_403_FORBIDDEN)

    class ProxyAuth:
        def __init__(self, auto_enforce):
            self.auto_enforce = auto_enforce

        async def __call__(self, token=Depends(bearer)):
            access = Access(token)
            if self.auto_enforce:
                await access.enforce()
            return access

    @app.get("/a", dependencies=[Depends(ProxyAuth(auto_enforce=True))])
    async def a():
        return 1
    """
    auth, _ = evidence_of(body)
    assert auth == ["`__call__` calls `enforce`, which ProxyError(403)"]
    lenient = body.replace("auto_enforce=True))]", "auto_enforce=False))]")
    assert evidence_of(lenient) == (
        [],
        [
            "an optional security scheme (auto_error=False)",
            "`ProxyAuth` called with `auto_enforce=False`",
        ],
    )


AUTHENTICATOR = """
class Anonymous: ...
class User: ...

class _Authenticator:
    def __init__(self, allowed):
        self.allowed = allowed

    async def __call__(self, subject):
        if subject is None and Anonymous not in self.allowed:
            raise HTTPException(401)
        return subject

def Authenticator(allowed):
    class _Bound(_Authenticator):
        async def __call__(self, subject=Depends(bearer)):
            return await super().__call__(subject)
    return _Bound(allowed)

_Web = Authenticator(allowed={User, ALLOWED})

@app.get("/a")
async def a(subject=Depends(_Web)):
    return subject
"""


def test_an_authenticator_that_lets_anonymous_callers_in_is_optional() -> None:
    auth, optional = evidence_of(AUTHENTICATOR.replace("ALLOWED", "Anonymous"))
    assert auth == []
    assert "`Authenticator` called with `Anonymous` allowed" in optional


def test_the_same_authenticator_without_anonymous_callers_authenticates() -> None:
    auth, _ = evidence_of(AUTHENTICATOR.replace("ALLOWED", "User"))
    assert auth == ["`__call__` raises HTTPException(401)"]


SIGNED_WEBHOOK = """
import hmac

SECRET = b"s"

@app.post("/hook")
async def hook(request: Request, signature: str = Header("")):
    body = await request.body()
    expected = hmac.new(SECRET, body, "sha256").hexdigest()
    if not COMPARE(expected, signature):
        raise HTTPException(status_code=403)
"""


def test_a_webhook_checking_its_signature_in_constant_time_authenticates() -> None:
    auth, _ = evidence_of(SIGNED_WEBHOOK.replace("COMPARE", "hmac.compare_digest"))
    assert auth == ["`hook` raises HTTPException(403) after a constant-time comparison"]


def test_a_plain_comparison_and_a_403_is_not_a_signature_check() -> None:
    assert evidence_of(
        SIGNED_WEBHOOK.replace("not COMPARE(expected, signature)", "expected != signature")
    ) == ([], [])
