"""FL005 matches FastAPI: a falsy `openapi_url` serves no schema, /docs or /redoc.

The `docs_off` fixture is imported for real; each app is asked for its schema and
docs pages. An app publishes them exactly when fastlint reported it.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import pytest
from helpers import FIXTURES, lint_fixture

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

PROJECT = FIXTURES / "docs_off"


@pytest.fixture
def console(monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.syspath_prepend(str(PROJECT))
    for name in [m for m in sys.modules if m == "console" or m.startswith("console.")]:
        monkeypatch.delitem(sys.modules, name)
    return importlib.import_module("console.main")


def test_docs_served_exactly_where_reported(console: Any) -> None:
    reported = {
        f.message.split("`")[1] for f in lint_fixture(PROJECT).findings if f.rule == "FL005"
    }
    assert reported == {"public"}
    for name in ("api", "admin", "partners", "public"):
        client = TestClient(getattr(console, name))
        served = {
            url: client.get(url).status_code == 200
            for url in ("/openapi.json", "/schema.json", "/docs", "/redoc")
        }
        assert any(served.values()) == (name in reported), (name, served)
