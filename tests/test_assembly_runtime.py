"""Routes an app gets through the way a server assembles itself are linked.

The `assembly` fixture is imported for real and started (its lifespan wires it):
endpoint-group classes whose base builds `self.router` and calls the subclass's
`setup_routes`, handed to an app class as `**routers` from a dict display and held
as `self.<name>`; that app's route list copied into the served app at start-up
(`app.router.routes = relay.app.routes`); a module imported by name
(`import_module(name)` over a literal list); a sub-app given another router's route
list (`FastAPI(routes=build_routes())`, which returns `router.routes`). Every route
the running app serves is one fastlint links, under the same path, and the
anonymous caller gets in exactly where FL001 reports.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from paths import FIXTURES

from fastlint.engine import lint
from fastlint.testing import import_fixture, project_in, served

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

PROJECT = FIXTURES / "assembly"
KEY = "relay-test-key"


@pytest.fixture
def relay(monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("RELAY_KEY", KEY)
    return import_fixture(monkeypatch, PROJECT, "relay.main")


def test_every_served_route_is_linked(relay: Any) -> None:
    with TestClient(relay.app):  # the lifespan assembles the app
        runtime = {(m, p) for m, p, _ in served(relay.app.routes)}
    project = project_in(PROJECT)
    linked = {(i.route.method_label, i.full_path) for i in project.instances}
    assert runtime == linked
    assert len(runtime) == 6
    assert not project.routing.unattached and not project.routing.notes


def test_the_anonymous_caller_gets_in_exactly_where_fl001_reports(relay: Any) -> None:
    report = lint([PROJECT], jobs=1, root=PROJECT)
    reported = {f.route for f in report.findings if f.rule == "FL001"}
    assert not report.coverage.unchecked
    with TestClient(relay.app) as client:
        routes = list(served(relay.app.routes))
        for method, path, _ in routes:
            url = re.sub(r"\{[^}]+\}", "1", path)
            status = client.request(method, url).status_code
            keyed = client.request(method, url, headers={"x-api-key": KEY}).status_code
            assert keyed == 200, (method, path, keyed)
            assert (status in (401, 403)) != (f"{method} {path}" in reported), (method, path)
    assert reported == {"GET /v2/messages", "GET /status"}
