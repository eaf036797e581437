"""Feature switches are not authentication (issue 19, shape 3), checked at runtime on
`_switches/features`.

A dependency or a first check in the endpoint that refuses every caller while a
setting is off (`if not settings.enable_debug: raise HTTPException(403)`) reads no
credential: while the default keeps the feature off nobody gets in, so the route is
off and not reported; while the default turns it on everybody gets in, so FL001
reports it. A route registered only under `if settings.enable_admin_ui:`, or under a
local flag set from a setting (`offline_docs = False`, `if settings.static_path is
not None and Path(...).is_dir(): offline_docs = True`), is not served by default;
nor is a router picked from a table by names a setting lists (`for name in
settings.api_servers: include_router(servers.get(name.lower()).setup())`) when the
default list does not name it.

Turning each setting on at runtime serves the route to anyone: the switch, and
nothing else, is what keeps it from anonymous callers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from paths import FIXTURES

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

from fastlint.analysis.route_auth import RouteAuth
from fastlint.testing import import_fixture, lint_fixture, project_in

ROOT = FIXTURES / "_switches"
PROJECT = ROOT / "features"
CALLS = {
    "GET /debug/threads": ("GET", "/debug/threads"),
    "POST /preview/render": ("POST", "/preview/render"),
    "POST /unload": ("POST", "/unload"),
    "GET /health": ("GET", "/health"),
    "GET /admin-ui": ("GET", "/admin-ui"),
    "GET /offline-docs": ("GET", "/offline-docs"),
    "GET /v1/models": ("GET", "/v1/models"),
    "GET /kobold/version": ("GET", "/kobold/version"),
}
SWITCHES = ("FEAT_DEBUG", "FEAT_PREVIEW", "FEAT_UNLOAD", "FEAT_ADMIN_UI", "FEAT_STATIC_PATH")


@pytest.fixture(autouse=True)
def nothing_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in SWITCHES:
        monkeypatch.delenv(name, raising=False)


def answers(monkeypatch: pytest.MonkeyPatch, servers: list[str] | None = None) -> dict[str, int]:
    main: Any = import_fixture(monkeypatch, ROOT, "features.main")
    app = main.app
    if servers is not None:
        monkeypatch.setattr(main.settings, "api_servers", servers)
        app = main.create_app()
    client = TestClient(app)
    return {route: client.request(*call).status_code for route, call in CALLS.items()}


def test_anonymous_callers_get_in_exactly_where_fastlint_reports(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    got = answers(monkeypatch)
    assert {route for route, status in got.items() if status < 400} == {
        "POST /preview/render",
        "GET /health",
        "GET /v1/models",
    }
    assert got["GET /debug/threads"] == got["POST /unload"] == 403
    not_served = {got["GET /admin-ui"], got["GET /offline-docs"], got["GET /kobold/version"]}
    assert not_served == {404}
    report = lint_fixture(PROJECT, select=["FL001", "FL011", "FL012"])
    assert {(f.rule, f.route) for f in report.findings} == {
        ("FL001", "POST /preview/render"),
        ("FL001", "GET /health"),
        ("FL001", "GET /v1/models"),
    }


def test_each_switch_alone_opens_its_routes(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("FEAT_DEBUG", "1")
    monkeypatch.setenv("FEAT_UNLOAD", "1")
    monkeypatch.setenv("FEAT_ADMIN_UI", "1")
    monkeypatch.setenv("FEAT_STATIC_PATH", str(tmp_path))
    monkeypatch.setenv("FEAT_PREVIEW", "0")
    got = answers(monkeypatch, servers=["Kobold"])
    assert {route for route, status in got.items() if status < 400} == {
        "GET /debug/threads",
        "POST /unload",
        "GET /admin-ui",
        "GET /offline-docs",
        "GET /health",
        "GET /kobold/version",
    }
    assert got["POST /preview/render"] == 403


def test_routes_says_what_turns_them_on() -> None:
    project = project_in(PROJECT)
    auth = project.get(RouteAuth)
    labels = {i.label: auth.of(i).label for i in project.instances}
    assert labels == {
        "GET /debug/threads": "off unless `settings.enable_debug` is true",
        "POST /unload": "off unless `settings.allow_unload` is true",
        "GET /admin-ui": "off unless `settings.enable_admin_ui` is true",
        "GET /offline-docs": "off unless `settings.static_path` is set",
        "POST /preview/render": "open",
        "GET /health": "open",
        "GET /v1/models": "open",
        "GET /kobold/version": "off unless `settings.api_servers` is a list with 'kobold'",
    }
