"""Naming files (pre-commit): a finding is reported when its cause passes through a
named file, wherever the finding itself lies."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_pre_commit import make_app
from typer.testing import CliRunner

from fastlint.cli import app as cli
from fastlint.engine import lint


def test_removing_auth_from_the_include_fails_on_the_apps_file(tmp_path: Path) -> None:
    """The edit of `app/main.py` that drops `dependencies=[Depends(get_current_user)]`
    from `include_router` opens the routes of `app/routes/items.py`."""
    make_app(tmp_path / "safe", authenticated=True)
    safe = lint([tmp_path / "safe" / "app" / "main.py"], jobs=1)
    assert {Path(f.path).name for f in safe.findings} == {"main.py"}  # the app's own (FL005/6)

    make_app(tmp_path / "open", authenticated=False)
    report = lint([tmp_path / "open" / "app" / "main.py"], jobs=1)
    opened = [f for f in report.findings if Path(f.path).name != "main.py"]
    assert [(f.rule, f.route, Path(f.path).name) for f in opened] == [
        ("FL001", "POST /items/", "items.py")
    ]
    assert {f.rule for f in report.findings} - {f.rule for f in safe.findings} == {"FL001"}


def test_the_hook_command_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_app(tmp_path, authenticated=False)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["check", "--no-cache", "app/main.py"])
    assert result.exit_code == 1
    assert "app/routes/items.py" in result.output and "FL001" in result.output


def test_a_dependency_file_reports_the_routes_it_guards(tmp_path: Path) -> None:
    """Editing the dependency itself (it no longer authenticates) reports the routes
    that rely on it when only the dependency's file is named."""
    make_app(tmp_path, authenticated=True)
    deps = tmp_path / "app" / "deps.py"
    deps.write_text("def get_current_user() -> str:\n    return 'anyone'\n")
    report = lint([deps], jobs=1)
    assert [(f.rule, f.route) for f in report.findings] == [("FL001", "POST /items/")]


def test_unrelated_named_file_reports_nothing_else(tmp_path: Path) -> None:
    make_app(tmp_path, authenticated=False)
    other = tmp_path / "app" / "util.py"
    other.write_text("def helper() -> int:\n    return 1\n")
    assert lint([other], jobs=1).findings == []


def test_without_a_project_marker_the_root_is_the_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "routers").mkdir()
    (tmp_path / "routers" / "__init__.py").write_text("")
    (tmp_path / "routers" / "items.py").write_text(
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n\n"
        "@router.delete('/items/{item_id}')\nasync def drop(item_id: int) -> None:\n"
        "    return None\n"
    )
    (tmp_path / "main.py").write_text(
        "from fastapi import FastAPI\n\nfrom routers import items\n\n"
        "app = FastAPI(openapi_url=None)\napp.include_router(items.router)\n"
    )
    monkeypatch.chdir(tmp_path)
    report = lint([Path("routers/items.py")], jobs=1)
    assert [(f.rule, f.route) for f in report.findings] == [("FL001", "DELETE /items/{item_id}")]


def _outside(tmp_path: Path, marker: bool) -> list[Path]:
    """An app in proj/svc with two routers, named from another folder (issue 23 #9)."""
    svc = tmp_path / "proj" / "svc"
    (svc / "routers").mkdir(parents=True)
    (svc / "__init__.py").write_text("")
    (svc / "routers" / "__init__.py").write_text("")
    (svc / "main.py").write_text(
        "from fastapi import FastAPI\nfrom svc.routers import a, b\n"
        "app = FastAPI(openapi_url=None)\n"
        "app.include_router(a.router)\napp.include_router(b.router)\n"
    )
    for name in ("a", "b"):
        (svc / "routers" / f"{name}.py").write_text(
            "from fastapi import APIRouter\nrouter = APIRouter()\n"
            f"@router.post('/{name}', response_model=dict)\ndef {name}():\n    return {{}}\n"
        )
    if marker:
        (tmp_path / "proj" / "setup.cfg").write_text("")
    return [svc / "routers" / "a.py", svc / "routers" / "b.py"]


@pytest.mark.parametrize("marker", [True, False])
def test_files_named_from_elsewhere_keep_their_app(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, marker: bool
) -> None:
    files = _outside(tmp_path, marker)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for number in range(10):
        (elsewhere / f"noise{number}.py").write_text("from fastapi import FastAPI\n")
    monkeypatch.chdir(elsewhere)
    report = lint(files, jobs=1)
    assert sorted(f.route for f in report.findings if f.rule == "FL001") == ["POST /a", "POST /b"]
    assert report.coverage.unchecked == ()
    assert report.files_analysed <= 6  # the project's files, nothing from the current folder
