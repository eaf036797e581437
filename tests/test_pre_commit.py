"""pre-commit: named files are checked in the context of their whole project,
and the hook really blocks an insecure commit."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fastlint.demo import HARDENED_APP, INSECURE_APP
from fastlint.engine import lint

ROOT = Path(__file__).resolve().parents[1]

MAIN = """\
from fastapi import Depends, FastAPI

from app.deps import get_current_user
from app.routes import items

app = FastAPI()
app.include_router(items.router, prefix="/items", dependencies=[{deps}])
"""
DEPS = """\
import os

import jwt
from fastapi import Depends
from fastapi.security import OAuth2PasswordBearer

oauth2 = OAuth2PasswordBearer(tokenUrl="token")


def get_current_user(token: str = Depends(oauth2)) -> str:
    return jwt.decode(token, os.environ["JWT_KEY"], algorithms=["HS256"])["sub"]
"""
ITEMS = """\
from fastapi import APIRouter

from app.models import Item

router = APIRouter()


@router.post("/", response_model=Item)
async def create(item: Item):
    return item
"""
MODELS = """\
from pydantic import BaseModel, Field


class Item(BaseModel):
    name: str = Field(max_length=50)
"""


def make_app(root: Path, authenticated: bool) -> Path:
    (root / "app" / "routes").mkdir(parents=True)
    (root / "pyproject.toml").write_text("[project]\nname = 'shop'\n")
    (root / "app" / "main.py").write_text(
        MAIN.format(deps="Depends(get_current_user)" if authenticated else "")
    )
    (root / "app" / "deps.py").write_text(DEPS)
    (root / "app" / "routes" / "items.py").write_text(ITEMS)
    (root / "app" / "models.py").write_text(MODELS)
    return root / "app" / "routes" / "items.py"


def test_a_changed_file_is_seen_in_its_project(tmp_path: Path) -> None:
    items = make_app(tmp_path / "safe", authenticated=True)
    report = lint([items], jobs=1)
    assert report.findings == []  # main.py adds authentication; its own findings stay out
    assert report.files_scanned == 1

    items = make_app(tmp_path / "open", authenticated=False)
    report = lint([items], jobs=1)
    assert [(f.rule, f.route) for f in report.findings] == [("FL001", "POST /items/")]
    assert {Path(f.path).name for f in report.findings} == {"items.py"}


def _pre_commit_available() -> bool:
    if os.environ.get("FASTLINT_SKIP_PRE_COMMIT"):
        return False
    try:
        import pre_commit  # noqa: F401
    except ImportError:
        return False
    # `pre-commit try-repo` needs fastlint as a git checkout (not, e.g., an unpacked sdist).
    return shutil.which("git") is not None and (ROOT / ".git").exists()


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


@pytest.mark.slow
@pytest.mark.skipif(
    not _pre_commit_available(), reason="needs pre-commit, git and a git checkout of fastlint"
)
def test_hook_blocks_an_insecure_commit(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    git(repo, "config", "user.email", "dev@example.invalid")
    git(repo, "config", "user.name", "dev")
    shutil.copy(HARDENED_APP / "main.py", repo / "main.py")
    git(repo, "add", "main.py")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache")}

    def hook(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "fastlint", *args],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )

    clean = hook("--all-files")
    assert clean.returncode == 0, clean.stdout + clean.stderr

    shutil.copy(INSECURE_APP / "main.py", repo / "main.py")
    git(repo, "add", "main.py")  # staged: the hook sees it without --all-files
    insecure = hook()
    assert insecure.returncode == 1, insecure.stdout + insecure.stderr
    assert "FL003" in insecure.stdout and "GET /users/{user_id}" in insecure.stdout
