"""FL022's StaticFiles check at runtime: a mount of the working folder serves the
project's `.env` to an anonymous caller, where fastlint reports it; a mount of a
`static` folder does not, and is not reported."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from fastlint.testing import lint_files

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

APP = """\
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

app = FastAPI(openapi_url=None)
app.mount("/assets", StaticFiles(directory="."))
app.mount("/static", StaticFiles(directory="static"))
"""


def test_the_working_folder_mount_serves_the_env_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = lint_files(tmp_path, {"main.py": APP}, select=["FL022"])
    assert [f.span.line for f in report.findings] == [5]
    (tmp_path / ".env").write_text("DATABASE_PASSWORD=hunter2\n")
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "site.css").write_text("body {}")
    monkeypatch.chdir(tmp_path)  # StaticFiles resolves its folder where the server runs
    spec = importlib.util.spec_from_file_location("static_app", tmp_path / "main.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    client = TestClient(module.app)
    assert "hunter2" in client.get("/assets/.env").text
    assert client.get("/static/site.css").text == "body {}"
    assert client.get("/static/../.env").status_code == 404
