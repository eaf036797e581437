"""FL025 and apps with one kind of caller: a middleware that checks one shared
password (no user, no roles) leaves nothing to authorise, so its `/admin` routes are
not reported; when the endpoint reads the request (where a middleware may have put
the user), or a dependency hands over the caller, they are."""

from __future__ import annotations

from pathlib import Path

from fastlint.testing import findings_of

APP = """\
import os
import secrets

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse

app = FastAPI()
PASSWORD = os.environ["API_PASSWORD"]


@app.middleware("http")
async def shared_password(request: Request, call_next):
    given = request.headers.get("Authorization", "")
    if not secrets.compare_digest(given, f"Basic {PASSWORD}"):
        return JSONResponse({"detail": "unauthorized"}, status_code=401)
    return await call_next(request)


@app.post("/admin/vacuum")
def vacuum() -> dict[str, bool]:
    return {"vacuumed": True}


@app.post("/admin/reset")
def reset(request: Request) -> dict[str, str]:
    return {"by": str(request.state.user)}


def current_user(request: Request) -> str:
    user = request.headers.get("X-User")
    if user is None:
        raise HTTPException(status_code=401)
    return user


@app.post("/admin/rotate")
def rotate(user: str = Depends(current_user)) -> dict[str, str]:
    return {"by": user}
"""


def test_one_shared_password_has_no_roles_to_check(tmp_path: Path) -> None:
    found = findings_of(tmp_path, {"app.py": APP}, "FL025")
    assert sorted(f.route for f in found if f.route) == ["POST /admin/reset", "POST /admin/rotate"]
