"""Settings held by typed objects (issue 19, shapes 2 and 3), at runtime on
`_switches/gated`: an auth middleware built with `AuthManager(config: AuthConfig)`
that skips `self.auth_manager.config.exclude_paths` and lets everyone through while
`self.auth_manager.config.type == "none"`. Both are read from the settings class's
defaults through the annotations (`auth_manager: AuthManager`, `config:
AuthConfig`). A websocket's `SocketAuth(manager).authenticate(websocket)` that returns
`True, "guest"` first thing while the type is "none" is the same switch, reported at
its own `if`. An OAuth callback that hands out a token (`create_token`,
`secrets.token_urlsafe`) reads no credential of the caller's: it is open.

In the default configuration the anonymous caller gets in exactly where fastlint
reports; with an auth type configured, the routes FL012 lists turn it away and the
exempt ones stay open.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from paths import FIXTURES

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from fastlint.testing import import_fixture, lint_fixture, served

ROOT = FIXTURES / "_switches"
PROJECT = ROOT / "gated"
CALLS = {
    "GET /api/health": ("GET", "/api/health"),
    "GET /api/auth/callback": ("GET", "/api/auth/callback?code=from-provider"),
    "GET /api/items": ("GET", "/api/items"),
    "DELETE /api/items/{name}": ("DELETE", "/api/items/a"),
}


def answers(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Status per route; the websocket's is 200 when it lets the caller in."""
    app: Any = import_fixture(monkeypatch, ROOT, "gated.main").app
    assert {f"{m} {p}" for m, p, _ in served(app.routes)} == {*CALLS, "WEBSOCKET /api/ws"}
    client = TestClient(app)
    got = {route: client.request(*call).status_code for route, call in CALLS.items()}
    try:
        with client.websocket_connect("/api/ws") as socket:
            got["WEBSOCKET /api/ws"] = 200 if socket.receive_text() == "hello guest" else 500
    except WebSocketDisconnect:
        got["WEBSOCKET /api/ws"] = 403
    return got


def reported() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for finding in lint_fixture(PROJECT, select=["FL001", "FL011", "FL012"]).findings:
        place = f"{finding.rule} {Path(finding.path).name}:{finding.span.line}"
        routes = found.setdefault(place, set())
        if finding.route:
            routes.add(finding.route)
        for related in finding.related:
            if related.message.endswith(" is open"):
                routes.add(related.message.removesuffix(" is open"))
    return found


def test_anonymous_callers_get_in_exactly_where_fastlint_reports(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("GATED_AUTH_TYPE", raising=False)
    got = answers(monkeypatch)
    assert set(got.values()) == {200}
    findings = reported()
    assert findings == {
        "FL001 main.py:13": {"GET /api/health"},
        "FL001 main.py:18": {"GET /api/auth/callback"},
        "FL012 middleware.py:16": {"GET /api/items", "DELETE /api/items/{name}"},
        "FL012 wsauth.py:13": {"WEBSOCKET /api/ws"},
    }
    assert set().union(*findings.values()) == set(got)


def test_configuring_an_auth_type_closes_the_switched_routes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GATED_AUTH_TYPE", "token")
    got = answers(monkeypatch)
    assert {route for route, status in got.items() if status < 400} == {
        "GET /api/health",
        "GET /api/auth/callback",
    }
    assert got["GET /api/items"] == got["DELETE /api/items/{name}"] == 401
    assert got["WEBSOCKET /api/ws"] == 403


def test_the_message_names_the_setting_read_through_the_types() -> None:
    """The middleware's `auth_manager` is the `AuthManager` its annotation names; its
    config is what `load_config()` builds: `AuthConfig(type=GATED_AUTH_TYPE)` when
    the variable is set, else the class default. fastlint names the variable and
    does not settle which branch ships, so the severity is medium."""
    findings = lint_fixture(PROJECT, select=["FL012"]).findings
    (finding,) = [f for f in findings if f.path.endswith("middleware.py")]
    assert finding.message.startswith(
        "2 routes are open to anonymous callers unless "
        '`self.auth_manager.config.type` is not "none" (GATED_AUTH_TYPE, default: cannot be read)'
    )
    assert finding.severity.label == "medium"
