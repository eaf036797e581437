"""A class that registers routes through its own wrappers of `add_api_route`
(`def add_api_route(self, path, endpoint, **kwargs)`, and a wrapper of that wrapper
passing `dependencies=` on): each call of a wrapper is one route, declared where the
path is written, with the methods and dependencies its caller passed through
`**kwargs`.

The `wrappers` fixture is imported for real: every route it serves is one fastlint
links, findings sit on the lines the `# expect:` comments name, and the anonymous
caller gets in exactly where FL001 reports.
"""

from __future__ import annotations

from typing import Any

import pytest
from paths import FIXTURES

from fastlint.engine import lint
from fastlint.testing import actual, expectations, import_fixture, project_in, served

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

PROJECT = FIXTURES / "wrappers"
KEY = "console-test-key"


@pytest.fixture
def console(monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("CONSOLE_KEY", KEY)
    return import_fixture(monkeypatch, PROJECT, "console.main")


def test_every_served_route_is_linked_where_its_path_is_written(console: Any) -> None:
    runtime = {(m, p) for m, p, _ in served(console.app.routes)}
    project = project_in(PROJECT)
    linked = {(i.route.method_label, i.full_path) for i in project.instances}
    assert runtime == linked and len(runtime) == 4
    lines = {i.route.span.line for i in project.instances}
    assert len(lines) == 4  # one line per wrapper call, none inside the wrappers
    assert not project.routing.unattached and not project.routing.notes


def test_the_anonymous_caller_gets_in_exactly_where_fl001_reports(console: Any) -> None:
    report = lint([PROJECT], jobs=1, root=PROJECT)
    assert actual(report, PROJECT) == expectations(PROJECT)
    reported = {f.route for f in report.findings if f.rule == "FL001"}
    client = TestClient(console.app)
    for method, path, _ in served(console.app.routes):
        status = client.request(method, path).status_code
        keyed = client.request(method, path, headers={"x-api-key": KEY}).status_code
        assert keyed == 200, (method, path, keyed)
        assert (status in (401, 403)) != (f"{method} {path}" in reported), (method, path)
    assert reported == {"GET /v1/status", "POST /v1/echo"}
