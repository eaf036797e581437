"""Routes real servers wire indirectly are linked, or at least said to be unchecked.

The `services` fixture is imported for real: routers held as `self.router` on
service objects handed to the app class through `**routers`; a dict of router
modules included with `app.include_router(ROUTERS.get(kind).setup())`; a package
folder named `build/` (a default exclusion, and in `.gitignore`) holding routes the
app includes; a plugin that registers a route on the app it is given, in a module
that names no framework and is imported by name at run time
(`importlib.import_module(f"studio.plugins.{name}")` over a literal list). Every
route the running app serves is checked, and the anonymous caller gets in exactly
where FL001 reports.
"""

from __future__ import annotations

import importlib
import re
import sys
from typing import Any

import pytest
from paths import FIXTURES

from fastlint.testing import lint_fixture, served

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

from fastlint.engine import lint

PROJECT = FIXTURES / "services"
KEY = "studio-test-key"


@pytest.fixture
def studio(monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("STUDIO_KEY", KEY)
    monkeypatch.syspath_prepend(str(PROJECT))
    for name in [m for m in sys.modules if m == "studio" or m.startswith("studio.")]:
        monkeypatch.delitem(sys.modules, name)
    return importlib.import_module("studio.main")


def test_every_served_route_is_checked(studio: Any) -> None:
    report = lint([PROJECT], jobs=1, root=PROJECT)
    reported = {f.route for f in report.findings if f.rule == "FL001"}
    unchecked = {u.label for u in report.coverage.unchecked}
    assert unchecked == set()  # the plugin's module is imported by name: followed
    client = TestClient(studio.app)
    checked = 0
    for method, path, _ in served(studio.app.routes):
        label = f"{method} {path}"
        url = re.sub(r"\{[^}]+\}", "1", path)
        status = client.request(method, url).status_code
        keyed = client.request(method, url, headers={"x-api-key": KEY}).status_code
        assert keyed == 200, (label, keyed)
        assert (status in (401, 403)) != (label in reported), (label, status)
        checked += 1
    assert checked == 9 and report.coverage.served == 9
    opened = {"GET /api/v1/builds", "GET /api/v1/chat/rooms", "GET /api/v1/tracks", "GET /metrics"}
    assert opened <= reported


def test_findings_name_full_paths() -> None:
    """Routes are named as served: the prefix a module constant holds, resolved."""
    routes = {f.route for f in lint_fixture(PROJECT).findings if f.route} - {"GET /metrics"}
    assert routes and all(r.split(" ", 1)[1].startswith("/api/v1/") for r in routes)
