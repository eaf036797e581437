"""Every way FastAPI and Starlette register a route or a middleware is linked, and
what fastlint says matches what the framework does.

The `registration` fixture is imported for real. Its main app gets its routes as
objects (`routes=[...]`, `Mount(routes=...)`, `Host`, `.routes.append/extend`),
through Starlette's `route`/`websocket_route`/`add_route` and FastAPI's own
methods; each other app gets its middleware in one form (`app.middleware("http")(fn)`,
`add_middleware(BaseHTTPMiddleware, dispatch=fn)`, `middleware=[Middleware(...)]`,
`user_middleware.insert(...)`, wrapping). Every route the running app serves is
one fastlint lists, and the anonymous caller gets in exactly where FL001 reports.
"""

from __future__ import annotations

import importlib
import re
import sys
from typing import Any

import pytest
from paths import FIXTURES

from fastlint.testing import lint_fixture, project_in, served

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

PROJECT = FIXTURES / "registration"
KEY = "switchboard-test-key"
MIDDLEWARE_APPS = ("panel", "board", "console", "kiosk", "gate", "relay", "desk")


@pytest.fixture
def switchboard(monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("SWITCHBOARD_KEY", KEY)
    monkeypatch.syspath_prepend(str(PROJECT))
    for name in [m for m in sys.modules if m == "switchboard" or m.startswith("switchboard.")]:
        monkeypatch.delitem(sys.modules, name)
    return importlib.import_module("switchboard.main")


def anonymous_rejected(client: TestClient, method: str, path: str) -> bool:
    """Whether a caller without the key is turned away (401/403, or a closed socket)."""
    url = re.sub(r"\{[^}]+\}", "1", path)
    if method != "WEBSOCKET":
        return client.request(method, url).status_code in (401, 403)
    try:
        with client.websocket_connect(url):
            return False
    except WebSocketDisconnect as closed:
        return closed.code in (1008, 4001, 4003)


def test_every_served_route_is_linked(switchboard: Any) -> None:
    runtime = {(m, p) for m, p, _ in served(switchboard.app.routes)}
    project = project_in(PROJECT)
    linked = {
        (i.route.method_label, i.full_path)
        for i in project.instances
        if "app" in (i.app.name, *(outer.name for outer in i.outer_apps))
    }
    assert runtime == linked
    assert len(runtime) >= 14
    assert not project.routing.unattached and not project.routing.notes


def test_the_anonymous_caller_gets_in_exactly_where_fl001_reports(switchboard: Any) -> None:
    reported = {f.route for f in lint_fixture(PROJECT).findings if f.rule == "FL001"}
    opened = rejected = 0
    for method, path, host in served(switchboard.app.routes):
        client = TestClient(switchboard.app, base_url=f"http://{host or 'testserver'}")
        is_rejected = anonymous_rejected(client, method, path)
        assert is_rejected != (f"{method} {path}" in reported), (method, path)
        if method != "WEBSOCKET":  # with the key the route answers: it exists there
            keyed = client.request(method, path, headers={"x-api-key": KEY}).status_code
            assert keyed == 200, (method, path, keyed)
        opened += not is_rejected
        rejected += is_rejected
    # Starlette routes on a guarded router, and route objects added to it, are open.
    assert "POST /legacy" in reported and "GET /open-count" in reported
    assert opened >= 10 and rejected == 3


@pytest.mark.parametrize("name", MIDDLEWARE_APPS)
def test_each_middleware_form_is_attached(switchboard: Any, name: str) -> None:
    client = TestClient(getattr(switchboard, name))
    assert client.get("/stats").status_code == 401
    assert client.get("/stats", headers={"x-api-key": KEY}).status_code == 200
    project = project_in(PROJECT)
    (app,) = [a for a in project.apps if a.name == name]
    assert app.middleware or app.middleware_functions
    guarded = {f.route for f in lint_fixture(PROJECT).findings if f.rule == "FL001"}
    labels = {i.label for i in project.instances if i.app is app}
    assert labels == {"GET /stats"} and not labels & guarded


def test_dispatch_functions_run_as_http_middleware() -> None:
    """`app.middleware("http")(fn)` and `BaseHTTPMiddleware(..., dispatch=fn)` in
    every form hand `fn` to the app as its middleware function."""
    project = project_in(PROJECT)
    functions = {
        a.name: [f.fact.name for f in a.middleware_functions]
        for a in project.apps
        if a.middleware_functions
    }
    assert functions == {name: ["check_key"] for name in ("panel", "board", "console", "kiosk")}
