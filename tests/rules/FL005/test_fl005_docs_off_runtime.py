"""FL005 matches FastAPI: a falsy `openapi_url` serves no schema, /docs or /redoc.

The `docs_off` fixture is imported for real; each app is asked for its schema and
docs pages. An app publishes them exactly when fastlint reported it.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import pytest
from paths import FIXTURES

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

from fastlint.testing import lint_fixture

PROJECT = FIXTURES / "docs_off"


@pytest.fixture
def console(monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.syspath_prepend(str(PROJECT))
    for name in [m for m in sys.modules if m == "console" or m.startswith("console.")]:
        monkeypatch.delitem(sys.modules, name)
    return importlib.import_module("console.main")


def test_docs_served_exactly_where_reported(console: Any) -> None:
    reported = {
        f.message.split("`")[1]
        for f in lint_fixture(PROJECT).findings
        if f.rule == "FL005" and f.path.endswith("main.py")
    }
    assert reported == {"public"}
    for name in ("api", "admin", "partners", "public"):
        client = TestClient(getattr(console, name))
        served = {
            url: client.get(url).status_code == 200
            for url in ("/openapi.json", "/schema.json", "/docs", "/redoc")
        }
        assert any(served.values()) == (name in reported), (name, served)


def test_mounted_apps_serve_their_docs_where_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    """`reports` (mounted at /reports) publishes /reports/openapi.json, as reported;
    `pages` (mounted at /) is answered by the site's own /openapi.json, /docs and
    /redoc first, so its docs are never served, and it is not reported."""
    monkeypatch.syspath_prepend(str(PROJECT))
    for name in [m for m in sys.modules if m == "console" or m.startswith("console.")]:
        monkeypatch.delitem(sys.modules, name)
    portal = importlib.import_module("console.portal")
    found = [f for f in lint_fixture(PROJECT).findings if f.rule == "FL005"]
    messages = {f.message.split("`")[1]: f.message for f in found if "portal" in f.path}
    assert set(messages) == {"site", "reports", "legacy"}
    assert "`/reports/openapi.json`" in messages["reports"]
    # a mount path fastlint cannot read: the URLs as the app writes them, no `<...>`
    assert "serves `/openapi.json`, `/docs` and `/redoc`" in messages["legacy"]
    assert TestClient(portal.site).get("/legacy/openapi.json").status_code == 200
    client = TestClient(portal.site)
    assert client.get("/openapi.json").json()["info"]["title"] == "Site"
    assert client.get("/reports/openapi.json").json()["info"]["title"] == "Reports"
    assert client.get("/reports/docs").status_code == 404
    assert client.get("/about").json() == {"page": "about"}  # pages is served at /
