"""`fastlint routes --diff REF` and `fastlint check --diff REF` on a temporary git
repository: each commit makes one kind of change to a small app's attack surface."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fastlint.cli import app as cli

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

SECURITY = """\
from fastapi import Depends
from fastapi.security import HTTPBearer

bearer = HTTPBearer()


def current_user(token=Depends(bearer)):
    return token.credentials
"""

ITEMS = """\
from fastapi import APIRouter
from pydantic import BaseModel


class Item(BaseModel):
    id: int


router = APIRouter(prefix="/items")


@router.get("/{item_id}", response_model=Item)
def read_item(item_id: int):
    return Item(id=item_id)


@router.delete("/{item_id}", response_model=Item)
def delete_item(item_id: int):
    return Item(id=item_id)
"""

MAIN = """\
from fastapi import Depends, FastAPI

from shop.items import router
from shop.security import current_user

app = FastAPI()
app.include_router(router, dependencies=[Depends(current_user)])


@app.get("/health", response_model=dict)
def health():
    return {"ok": True}
"""

runner = CliRunner()


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def commit(repo: Path, files: dict[str, str], message: str) -> None:
    for name, text in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", message)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    files = {"shop/__init__.py": "", "shop/security.py": SECURITY, "shop/items.py": ITEMS}
    commit(root, {**files, "shop/main.py": MAIN}, "base")
    return root


def routes_diff(repo: Path, ref: str = "HEAD~1", fmt: str = "json") -> tuple[int, str]:
    result = runner.invoke(cli, ["routes", str(repo), "--isolated", "--diff", ref, "-f", fmt])
    return result.exit_code, result.stdout


def changes(document: dict[str, object]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for changed in document["changed"]:  # type: ignore[attr-defined]
        label = f"{changed['after']['method']} {changed['after']['path']}"
        found[label] = [c["kind"] for c in changed["changes"]]
    return found


@pytest.mark.slow
def test_removing_an_include_dependency_opens_the_routes_behind_it(repo: Path) -> None:
    commit(repo, {"shop/main.py": MAIN.replace(", dependencies=[Depends(current_user)]", "")}, "x")
    code, out = routes_diff(repo)
    document = json.loads(out)
    assert code == 1
    assert changes(document) == {
        "DELETE /items/{item_id}": ["authentication_lost"],
        "GET /items/{item_id}": ["authentication_lost"],
    }
    assert document["added"] == document["removed"] == []
    assert document["opens"] == 2
    code, text = routes_diff(repo, fmt="text")
    assert (
        code == 1 and "! main:app GET /items/{item_id}: authentication removed: now public" in text
    )


def test_an_unauthenticated_post_is_an_added_open_route(repo: Path) -> None:
    added = MAIN + '\n\n@app.post("/orders", response_model=dict)\ndef order():\n    return {}\n'
    commit(repo, {"shop/main.py": added}, "add POST /orders")
    code, out = routes_diff(repo)
    document = json.loads(out)
    assert code == 1
    assert [(r["method"], r["path"], r["authentication"]) for r in document["added"]] == [
        ("POST", "/orders", "none")
    ]
    assert document["changed"] == [] and document["opens"] == 1
    code, markdown = routes_diff(repo, fmt="markdown")
    assert "| added | main:app | POST /orders | anonymous callers reach it |" in markdown
    assert "1 unauthenticated route(s) (1 write)" in markdown


def test_dropping_a_response_model_is_reported_and_fails(repo: Path) -> None:
    dropped = ITEMS.replace(
        '@router.delete("/{item_id}", response_model=Item)', '@router.delete("/{item_id}")'
    )
    commit(repo, {"shop/items.py": dropped}, "drop response model")
    code, out = routes_diff(repo)
    assert code == 1
    assert changes(json.loads(out)) == {"DELETE /items/{item_id}": ["response_model_removed"]}


def test_moving_code_reports_nothing(repo: Path) -> None:
    # The endpoints move to another module (the router with them), in another order.
    moved = ITEMS.replace("\n\n@router.get", "\n\n# reading\n\n\n@router.get")
    head, _, tail = moved.partition('@router.get("/{item_id}"')
    get_block, _, delete_block = tail.partition("\n\n\n@router.delete")
    moved = head + "@router.delete" + delete_block + '\n\n\n@router.get("/{item_id}"' + get_block
    commit(
        repo,
        {
            "shop/items.py": "",
            "shop/catalog.py": moved,
            "shop/main.py": MAIN.replace("from shop.items import", "from shop.catalog import"),
        },
        "move",
    )
    code, out = routes_diff(repo)
    document = json.loads(out)
    assert (document["added"], document["removed"], document["changed"]) == ([], [], [])
    listed = runner.invoke(cli, ["routes", str(repo), "--isolated", "-f", "json"]).stdout
    moved_rows = json.loads(listed)["routes"]
    assert len(moved_rows) == 3
    assert {Path(r["file"]).name for r in moved_rows} == {"catalog.py", "main.py"}
    assert code == 0
    code, markdown = routes_diff(repo, fmt="markdown")
    assert code == 0 and "No route added, removed or changed." in markdown


def test_gaining_authentication_is_reported_without_failing(repo: Path) -> None:
    guarded = MAIN.replace(
        '@app.get("/health", response_model=dict)',
        '@app.get("/health", response_model=dict, dependencies=[Depends(current_user)])',
    )
    commit(repo, {"shop/main.py": guarded}, "guard health")
    code, out = routes_diff(repo)
    assert code == 0
    assert changes(json.loads(out)) == {"GET /health": ["authentication_gained"]}


def test_the_working_tree_is_compared_and_left_untouched(repo: Path) -> None:
    (repo / "shop" / "main.py").write_text(
        MAIN + '\n\n@app.delete("/all")\ndef wipe():\n    return None\n'
    )
    status = git(repo, "status", "--porcelain")
    code, out = routes_diff(repo, ref="HEAD")
    assert code == 1 and json.loads(out)["added"][0]["path"] == "/all"
    assert git(repo, "status", "--porcelain") == status
    assert "wipe" in (repo / "shop" / "main.py").read_text()
    assert git(repo, "worktree", "list").count("\n") == 1


def test_check_diff_reports_only_the_findings_the_change_introduced(repo: Path) -> None:
    before = runner.invoke(cli, ["check", str(repo), "--isolated", "--no-cache", "-f", "json"])
    old = {(f["rule"], f.get("route")) for f in json.loads(before.stdout)["findings"]}
    assert ("FL001", "GET /health") in old
    added = MAIN + '\n\n@app.post("/orders", response_model=dict)\ndef order():\n    return {}\n'
    # Unrelated lines above the old finding move it; it is not reported again.
    commit(repo, {"shop/main.py": "# a comment\n\n" + added}, "add POST /orders")
    result = runner.invoke(
        cli, ["check", str(repo), "--isolated", "--diff", "HEAD~1", "-f", "json"]
    )
    found = {(f["rule"], f.get("route")) for f in json.loads(result.stdout)["findings"]}
    assert ("FL001", "POST /orders") in found
    assert not found & old
    assert result.exit_code == 1
    clean = runner.invoke(cli, ["check", str(repo), "--isolated", "--diff", "HEAD", "-f", "json"])
    assert json.loads(clean.stdout)["findings"] == [] and clean.exit_code == 0


@pytest.mark.parametrize("ref", ["no-such-branch", "--output=x", ""])
def test_bad_revisions_are_usage_errors(repo: Path, ref: str) -> None:
    code, _ = routes_diff(repo, ref=ref)
    assert code == 2
    result = runner.invoke(cli, ["check", str(repo), "--isolated", "--diff", ref])
    assert result.exit_code == 2


def test_outside_a_git_repository_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "main.py").write_text(MAIN)
    code, _ = routes_diff(tmp_path)
    assert code == 2
