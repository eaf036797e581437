"""FL013, FL014 and FL015 on idioms met in real code bases: each case that must stay
silent next to the closest case that must still be reported."""

from __future__ import annotations

from pathlib import Path

from fastlint.findings import Finding
from fastlint.testing import findings_of


def findings(tmp_path: Path, source: str, code: str) -> list[Finding]:
    return findings_of(tmp_path, {"main.py": source}, code)


# -- FL014: a claim check turned off in the decode and made by hand after it ------------

CLAIMS = """\
    import os
    import time

    import jwt

    SECRET = os.environ["LINK_SECRET"]


    def read_link(token: str) -> dict:
        claims = jwt.decode(
            token, SECRET, algorithms=["HS256"], options={{"verify_exp": False}}
        )
        {check}
        return claims
    """


def test_expiry_checked_by_hand_after_the_decode(tmp_path: Path) -> None:
    check = 'if claims["exp"] < time.time():\n            raise ValueError("expired")'
    assert findings(tmp_path, CLAIMS.format(check=check), "FL014") == []


def test_expiry_never_checked_is_reported(tmp_path: Path) -> None:
    found = findings(tmp_path, CLAIMS.format(check="pass"), "FL014")
    assert [f.message for f in found] == [
        "`jwt.decode` turns off `verify_exp`"
        " [medium, not high: only weaknesses of medium severity were found]"
    ]


# -- FL015: a placeholder test before forwarding the caller's own key ------------------

FORWARD = """\
    from typing import Annotated

    from fastapi import Depends, FastAPI, HTTPException
    from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

    app = FastAPI()
    bearer = HTTPBearer(auto_error=False)


    class Provider:
        def models(self, api_key: str | None = None) -> list[str]:
            return []


    provider = Provider()


    @app.get("/models")
    def models(
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)] = None,
    ) -> list[str]:
        if credentials is not None and credentials.credentials != "secret":
            {branch}
        return provider.models()
    """


def test_placeholder_before_forwarding_the_callers_key(tmp_path: Path) -> None:
    branch = "return provider.models(api_key=credentials.credentials)"
    assert findings(tmp_path, FORWARD.format(branch=branch), "FL015") == []


def test_placeholder_that_guards_a_rejection_is_reported(tmp_path: Path) -> None:
    branch = "raise HTTPException(status_code=401)"
    found = findings(tmp_path, FORWARD.format(branch=branch), "FL015")
    assert [f.severity.label for f in found] == ["high"]
    assert 'hard-coded "secret"' in found[0].message


def test_placeholder_before_keeping_the_callers_key(tmp_path: Path) -> None:
    branch = "provider.key = credentials.credentials"
    assert findings(tmp_path, FORWARD.format(branch=branch), "FL015") == []


# -- FL014: tokens the identity provider gave the app, not the caller ------------------

CALLBACK = """\
    import os

    import httpx
    import jwt
    from fastapi import FastAPI, Header

    app = FastAPI()
    TOKEN_URL = os.environ["IDP_TOKEN_URL"]


    @app.get("/sso/callback")
    async def callback(code: str) -> dict:
        async with httpx.AsyncClient() as client:
            response = (await client.post(TOKEN_URL, data={{"code": code}})).json()
        claims = jwt.decode({token}, options={{"verify_signature": False}})
        return {{"email": claims["email"]}}


    @app.get("/whoami")
    def whoami(authorization: str = Header()) -> dict:
        token = authorization.removeprefix("Bearer ")
        return jwt.decode(token, options={{"verify_signature": False}})
    """


def test_provider_tokens_read_without_verification(tmp_path: Path) -> None:
    for token in ('response["id_token"]', 'response["access_token"]'):
        found = findings(tmp_path, CALLBACK.format(token=token), "FL014")
        assert [f.subject for f in found] == ["whoami jwt.decode"], token


def test_claim_required_and_checked_by_the_caller(tmp_path: Path) -> None:
    source = """\
        import os

        import jwt

        SECRET = os.environ["ENVELOPE_SECRET"]


        def open_envelope(compact: str) -> dict:
            return jwt.decode(
                compact,
                SECRET,
                algorithms=["HS256"],
                options={"verify_exp": False, "require": ["exp"]},
            )
        """
    assert findings(tmp_path, source, "FL014") == []


def test_one_algorithm_chosen_per_key_is_not_a_mix(tmp_path: Path) -> None:
    source = """\
        import os

        import jwt

        KEYS = {"hmac": ("HS256", os.environ["HMAC_KEY"]), "rsa": ("RS256", os.environ["RSA_PUB"])}


        def read(token: str, kind: str) -> dict:
            algorithm = "HS256" if kind == "hmac" else "RS256"
            return jwt.decode(token, KEYS[kind][1], algorithms=[algorithm])


        def read_any(token: str) -> dict:
            return jwt.decode(token, os.environ["KEY"], algorithms=["HS256", "RS256"])
        """
    found = findings(tmp_path, source, "FL014")
    assert [f.subject for f in found] == ["read_any jwt.decode"]


def test_expiry_checked_by_a_helper_of_the_caller(tmp_path: Path) -> None:
    source = """\
        import os
        import time

        import jwt
        from fastapi import Header, HTTPException

        SECRET = os.environ["API_KEY_SECRET"]
        NO_EXP = {"verify_exp": False}


        def decode_before_cache(x_api_key: str) -> dict:
            return jwt.decode(x_api_key, SECRET, algorithms=["HS256"], options=NO_EXP)


        def validate_expiry(payload: dict) -> None:
            if payload["exp"] <= time.time():
                raise HTTPException(status_code=403, detail="expired")


        def org_from_key(x_api_key: str = Header()) -> str:
            payload = decode_before_cache(x_api_key)
            validate_expiry(payload)
            return str(payload["sub"])
        """
    assert findings(tmp_path, source, "FL014") == []
    unchecked = source.replace("            validate_expiry(payload)\n", "")
    assert len(findings(tmp_path, unchecked, "FL014")) == 1


def test_sso_client_helpers_and_peeks_verified_by_the_caller(tmp_path: Path) -> None:
    source = """\
        import os

        import jwt
        from fastapi import Depends, FastAPI
        from fastapi.security import OAuth2PasswordBearer

        app = FastAPI()
        scheme = OAuth2PasswordBearer(tokenUrl="token")
        KEY = os.environ["JWT_PUBLIC_KEY"]


        def sso_roles(access_token: str) -> list[str]:
            return jwt.decode(access_token, options={"verify_signature": False}).get("roles", [])


        def unverified_claims(token: str) -> dict:
            return jwt.decode(token, options={"verify_signature": False})


        def current_user(token: str = Depends(scheme)) -> dict:
            if unverified_claims(token).get("iss") == "partner":
                return jwt.decode(token, KEY, algorithms=["RS256"], audience="partner")
            return jwt.decode(token, KEY, algorithms=["RS256"], audience="app")


        def roles_from(token: str) -> list[str]:
            return jwt.decode(token, options={"verify_signature": False}).get("roles", [])


        @app.get("/me")
        def me(user: dict = Depends(current_user)) -> dict:
            return user
        """
    found = findings(tmp_path, source, "FL014")
    assert [f.subject for f in found] == ["roles_from jwt.decode"]


def test_expiry_read_by_hand_after_the_decode(tmp_path: Path) -> None:
    check = 'expires_at = claims.get("exp")\n        claims["expires_at"] = int(expires_at or 0)'
    assert findings(tmp_path, CLAIMS.format(check=check), "FL014") == []
