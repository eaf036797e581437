"""What fastlint says about authentication matches what FastAPI does at runtime.

The `wiring` fixture is imported for real; every route is called without
credentials. A route answers 401/403 exactly when fastlint did not report it.
"""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from paths import FIXTURES

from fastlint.testing import lint_fixture

fastapi = pytest.importorskip("fastapi")
pytest.importorskip("slowapi")
from fastapi.testclient import TestClient  # noqa: E402
from starlette.routing import Mount  # noqa: E402

PROJECT = FIXTURES / "wiring"


@pytest.fixture
def shop(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    monkeypatch.syspath_prepend(str(PROJECT))
    for name in [m for m in sys.modules if m == "shop" or m.startswith("shop.")]:
        monkeypatch.delitem(sys.modules, name)
    yield {
        "main": importlib.import_module("shop.main").app,
        "internal": importlib.import_module("shop.internal").internal,
    }


def served_routes(app: Any, prefix: str = "") -> Iterator[tuple[str, str]]:
    """(method, full path) for every HTTP route, mounted apps included.

    FastAPI's own OpenAPI generation lists included routes with their full paths,
    whatever the FastAPI version's internal router layout.
    """
    for path, operations in app.openapi()["paths"].items():
        for method in operations:
            yield method.upper(), prefix + path
    for route in app.routes:
        if isinstance(route, Mount):
            yield from served_routes(route.app, prefix + route.path)


def test_unauthenticated_routes_are_exactly_the_reported_ones(shop: dict[str, Any]) -> None:
    reported = {f.route for f in lint_fixture(PROJECT).findings if f.rule == "FL001"}
    checked = 0
    for app in shop.values():
        client = TestClient(app)
        for method, path in served_routes(app):
            url = re.sub(r"\{[^}]+\}", "1", path)
            status = client.request(method, url).status_code
            rejected = status in (401, 403)
            assert rejected != (f"{method} {path}" in reported), (method, path, status)
            checked += 1
    assert checked >= 9
    assert len(reported) == 4


NESTED = """\
from fastapi import APIRouter, FastAPI

inner = APIRouter(prefix="/c")
outer = APIRouter(prefix="/v")
app = FastAPI()


@inner.get("/d", response_model=None)
async def leaf():
    return None


@outer.post("/e", response_model=None)
async def other():
    return None


outer.include_router(inner, prefix="/b")
app.include_router(outer, prefix="/a")
"""


def test_full_paths_match_fastapi(tmp_path: Path) -> None:
    (tmp_path / "nested.py").write_text(NESTED)
    reported = {f.route for f in lint_fixture(tmp_path).findings if f.rule == "FL001"}
    namespace: dict[str, Any] = {}
    exec(compile(NESTED, "nested.py", "exec"), namespace)  # the test, not fastlint, runs it
    served = {f"{method} {path}" for method, path in served_routes(namespace["app"])}
    assert reported == served == {"GET /a/v/b/c/d", "POST /a/v/e"}
