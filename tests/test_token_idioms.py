"""FL013, FL014 and FL015 on idioms met in real code bases: each case that must stay
silent next to the closest case that must still be reported."""

from __future__ import annotations

import textwrap
from pathlib import Path

from helpers import lint_fixture

from fastlint.findings import Finding


def findings(tmp_path: Path, source: str, code: str) -> list[Finding]:
    (tmp_path / "main.py").write_text(textwrap.dedent(source), encoding="utf-8")
    return [f for f in lint_fixture(tmp_path).findings if f.rule == code]


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
    assert [f.message for f in found] == ["`jwt.decode` turns off `verify_exp`"]


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
