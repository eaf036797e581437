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


VERIFIED = """\
from fastapi import Depends, FastAPI, HTTPException, status
from fastapi.security import OAuth2PasswordBearer

app = FastAPI()
oauth2 = OAuth2PasswordBearer(tokenUrl="token")
USERS = {"t-ann": {"name": "ann", "role": "user"}, "t-new": {"name": "new", "role": "pending"}}


def current_user(token: str = Depends(oauth2)) -> dict[str, str]:
    found = USERS.get(token)
    if found is None:
        raise HTTPException(status_code=401)
    return found


def verified_user(user: dict[str, str] = Depends(current_user)) -> dict[str, str]:
    if user["role"] not in ("user", "admin"):
        raise HTTPException(status_code=status.HTTP_401_UNAUTHORIZED)
    return user


@app.post("/admin/purge")
def purge(user: dict[str, str] = Depends(verified_user)) -> dict[str, bool]:
    return {"purged": True}
"""


def test_a_role_test_answering_401_is_no_authorisation(tmp_path: Path) -> None:
    """Turning away pending accounts with 401 verifies; it does not make an admin."""
    found = findings_of(tmp_path, {"app.py": VERIFIED}, "FL025")
    assert [f.route for f in found] == ["POST /admin/purge"]


GATE = """\
import os
import secrets

from fastapi import APIRouter, Depends, FastAPI, Header, HTTPException

app = FastAPI()
PASSWORD = os.environ["APP_PASSWORD"]
NAMES = {"t-ann": "ann"}


def require_password(authorization: str = Header("")) -> None:
    if not secrets.compare_digest(authorization, PASSWORD):
        raise HTTPException(status_code=401)


def current_user(authorization: str = Header("")) -> str:
    name = NAMES.get(authorization)
    if name is None:
        raise HTTPException(status_code=401)
    return name


gated = APIRouter(prefix="/config", dependencies=[Depends(require_password)])
users = APIRouter(prefix="/admin", dependencies=[Depends(current_user)])


@gated.post("/update")
def update_config(values: dict[str, str]) -> dict[str, str]:
    return values


@users.post("/reindex")
def reindex() -> dict[str, bool]:
    return {"reindexed": True}


app.include_router(gated)
app.include_router(users)
"""


def test_a_password_gate_returning_nothing_has_no_roles(tmp_path: Path) -> None:
    """A dependency that returns nothing hands over no identity; one returning the
    user does, and then the route should check what that user may do."""
    found = findings_of(tmp_path, {"app.py": GATE}, "FL025")
    assert [f.route for f in found] == ["POST /admin/reindex"]


CLASS_VIEW = """\
from fastapi import APIRouter, Depends, FastAPI, Header, HTTPException

from views import controller

app = FastAPI()
router = APIRouter(prefix="/households")
USERS = {"t-ann": {"name": "ann", "can_manage": False}}


def current_user(authorization: str = Header("")) -> dict[str, object]:
    found = USERS.get(authorization)
    if found is None:
        raise HTTPException(status_code=401)
    return found


class Checks:
    def __init__(self, user: dict[str, object]) -> None:
        self.user = user

    def can_manage(self) -> None:
        if not self.user["can_manage"]:
            raise HTTPException(status_code=403)


@controller(router)
class HouseholdView:
    user: dict[str, object] = Depends(current_user)

    @property
    def checks(self) -> Checks:
        return Checks(self.user)

    @router.put("/permissions")
    def set_permissions(self, values: dict[str, bool]) -> dict[str, bool]:
        self.checks.can_manage()
        return values

    @router.put("/roles")
    def set_roles(self, values: dict[str, bool]) -> dict[str, bool]:
        return values


app.include_router(router)
"""


def test_a_class_based_view_checks_through_self(tmp_path: Path) -> None:
    """`self.checks.can_manage()` in a view method is the check; `self` holds the caller."""
    views = "def controller(router):\n    return lambda cls: cls\n"
    found = findings_of(tmp_path, {"app.py": CLASS_VIEW, "views.py": views}, "FL025")
    assert [f.route for f in found] == ["PUT /households/roles"]
