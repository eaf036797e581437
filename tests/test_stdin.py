"""Standard input: an editor's unsaved buffer analysed as the file it stands for,
with the rest of its project read from disk."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fastlint.cli import app
from fastlint.engine import lint
from fastlint.testing import cli_runner

runner = cli_runner()
ITEMS = "app/api/routes/items.py"

MAIN = """\
from fastapi import FastAPI

from app.api.routes import items

app = FastAPI(openapi_url=None)
app.include_router(items.router, prefix="/api/items")
"""
DEPS = """\
from fastapi import Header, HTTPException


async def current_user(authorization: str = Header()) -> str:
    if not authorization:
        raise HTTPException(status_code=401)
    return authorization
"""
SAVED = """\
from fastapi import APIRouter, Depends

from app.deps import current_user

router = APIRouter(dependencies=[Depends(current_user)])


@router.get("/", response_model=None)
async def list_items() -> None:
    return None
"""
# The unsaved buffer: the router lost its dependency; a route was added.
BUFFER = """\
from fastapi import APIRouter

router = APIRouter()


@router.get("/", response_model=None)
async def list_items() -> None:
    return None


@router.delete("/{item_id}", response_model=None)
async def delete_item(item_id: int) -> None:
    return None
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name, text in {
        "app/__init__.py": "",
        "app/main.py": MAIN,
        "app/deps.py": DEPS,
        "app/api/__init__.py": "",
        "app/api/routes/__init__.py": "",
        ITEMS: SAVED,
    }.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "shop"\n[tool.fastlint]\n')
    monkeypatch.chdir(tmp_path)
    return tmp_path


def check(*args: str, stdin: str = BUFFER) -> tuple[int, str, str]:
    result = runner.invoke(app, ["check", *args], input=stdin.encode())
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.stdout, result.stderr


def findings(stdout: str) -> list[tuple[str, str, int, str]]:
    return [
        (f["rule"], f["path"], f["line"], f.get("route", ""))
        for f in json.loads(stdout)["findings"]
    ]


def test_the_saved_file_is_clean(project: Path) -> None:
    result = runner.invoke(app, ["check", ITEMS, "-f", "json", "--select", "FL001"])
    assert result.exit_code == 0 and findings(result.stdout) == []


def test_the_buffer_is_analysed_as_that_file_in_its_project(project: Path) -> None:
    code, out, _ = check("-", "--stdin-filename", ITEMS, "-f", "json", "--select", "FL001")
    assert code == 1
    # The routes' full paths come from app/main.py, read from disk.
    assert findings(out) == [
        ("FL001", ITEMS, 6, "GET /api/items/"),
        ("FL001", ITEMS, 11, "DELETE /api/items/{item_id}"),
    ]
    assert (project / ITEMS).read_text() == SAVED  # the file itself is untouched


def test_only_the_buffer_is_reported(project: Path) -> None:
    code, out, _ = check("-", "--stdin-filename", ITEMS, "-f", "json")
    assert code == 1 and {path for _, path, _, _ in findings(out)} == {ITEMS}


def test_the_text_report_shows_the_buffer(project: Path) -> None:
    _, out, _ = check("-", "--stdin-filename", ITEMS, "--select", "FL001")
    assert f"{ITEMS}:11:1" in out
    assert '11 │ @router.delete("/{item_id}", response_model=None)' in out


def test_sarif_snippets_come_from_the_buffer(project: Path) -> None:
    _, out, _ = check("-", "--stdin-filename", ITEMS, "-f", "sarif", "--select", "FL001")
    results = json.loads(out)["runs"][0]["results"]
    location = results[1]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == ITEMS
    assert location["region"]["snippet"]["text"].startswith("@router.delete")


def test_a_fixed_buffer_passes_while_the_disk_still_fails(project: Path) -> None:
    (project / ITEMS).write_text(BUFFER)
    assert check(ITEMS, "--select", "FL001", stdin="")[0] == 1
    code, out, _ = check(
        "-", "--stdin-filename", ITEMS, "-f", "json", "--select", "FL001", stdin=SAVED
    )
    assert code == 0 and findings(out) == []


def test_the_cache_keeps_the_disk_version(project: Path) -> None:
    """Buffers are never cached: the next run on disk sees the disk."""
    for _ in range(2):
        check("-", "--stdin-filename", ITEMS, "--select", "FL001")
        result = runner.invoke(app, ["check", ITEMS, "-f", "json", "--select", "FL001"])
        assert result.exit_code == 0 and findings(result.stdout) == []


NEW_APP = """\
from fastapi import FastAPI

from app.api.routes import items

admin = FastAPI(openapi_url=None)
admin.include_router(items.router, prefix="/admin/items")


@admin.post("/reset", response_model=None)
async def reset() -> None:
    return None
"""


def test_a_new_file_not_yet_saved(project: Path) -> None:
    new = "app/admin.py"
    code, out, _ = check(
        "-", "--stdin-filename", new, "-f", "json", "--select", "FL001", stdin=NEW_APP
    )
    # items.py, read from disk, is authenticated: only the new route is reported.
    assert code == 1 and findings(out) == [("FL001", new, 9, "POST /reset")]
    assert not (project / new).exists()


def test_a_syntax_error_in_the_buffer_is_reported_under_its_name(project: Path) -> None:
    code, out, _ = check("-", "--stdin-filename", ITEMS, "-f", "concise", stdin="def (:\n")
    assert code == 1 and out.startswith(f"{ITEMS}:1:")


def test_the_engine_hook(project: Path) -> None:
    target = project / ITEMS
    report = lint([target], jobs=1, root=project, overrides={str(target): BUFFER.encode()})
    assert [(f.rule, f.route) for f in report.findings if f.rule == "FL001"] == [
        ("FL001", "GET /api/items/"),
        ("FL001", "DELETE /api/items/{item_id}"),
    ]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["-"], "--stdin-filename"),
        (["-", "app/main.py", "--stdin-filename", ITEMS], "cannot be combined"),
    ],
)
def test_usage_errors(project: Path, arguments: list[str], message: str) -> None:
    code, _, err = check(*arguments)
    assert code == 2 and message in err
