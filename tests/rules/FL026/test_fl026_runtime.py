"""FL026 at runtime: the `hiddenapi` fixture is imported; the routes fastlint reports
are missing from `app.openapi()` and answer an anonymous caller, while hidden routes
it leaves alone answer 401."""

from __future__ import annotations

import importlib
import sys
from types import ModuleType

import pytest
from paths import FIXTURES

from fastlint.testing import lint_fixture

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

PROJECT = FIXTURES / "hiddenapi"


@pytest.fixture
def main(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.setenv("HIDDEN_API_KEY", "k-hidden")
    monkeypatch.syspath_prepend(str(PROJECT))
    for name in [m for m in sys.modules if m == "hiddenapi" or m.startswith("hiddenapi.")]:
        monkeypatch.delitem(sys.modules, name)
    return importlib.import_module("hiddenapi.main")


def test_reported_routes_are_undocumented_and_open(main: ModuleType) -> None:
    reported = {f.route for f in lint_fixture(PROJECT, select=["FL026"]).findings}
    assert reported == {"GET /reports/v0/export", "POST /internal/cache/flush"}
    documented = set(main.app.openapi()["paths"])
    assert documented == {"/reports"}
    client = TestClient(main.app)
    assert client.get("/reports/v0/export").json() == ["q3", "salaries"]
    assert client.post("/internal/cache/flush").json() == {"flushed": True}


def test_hidden_routes_left_alone_are_closed(main: ModuleType) -> None:
    client = TestClient(main.app)
    assert client.get("/reports/v0/archive").status_code == 422  # no key header at all
    assert client.get("/reports/v0/archive", headers={"x-api-key": "guess"}).status_code == 401
    assert client.post("/tools/reindex", headers={"x-api-key": "guess"}).status_code == 401
    ok = client.post("/tools/reindex", headers={"x-api-key": "k-hidden"})
    assert ok.json() == {"reindexed": True}


def test_routes_refusing_remote_callers_are_left_alone(main: ModuleType) -> None:
    """TestClient's caller is `testclient`, not a local address: refused (403)."""
    client = TestClient(main.app)
    assert client.get("/internal/diagnostics").status_code == 403
    assert client.get("/internal/peers", headers={"x-forwarded-for": "1.2.3.4"}).status_code == 403


def test_a_docs_page_under_another_path_is_left_alone(main: ModuleType) -> None:
    """`/swagger` is the schema's own viewer: it shows what `/openapi.json` lists."""
    page = TestClient(main.app).get("/swagger")
    assert page.status_code == 200
    assert "swagger-ui" in page.text
    assert "/swagger" not in main.app.openapi()["paths"]


def test_a_catch_all_answering_gone_is_left_alone(main: ModuleType) -> None:
    """A hidden catch-all that only answers 410 reaches nothing."""
    assert TestClient(main.app).get("/api/v0/reports/export").status_code == 410
