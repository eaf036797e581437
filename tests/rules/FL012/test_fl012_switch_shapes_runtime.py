"""FL012 at the switch, for dependencies a setting adds (issue 19, shape 3), checked
at runtime on `_switches/keyed`: a server whose key defaults to unset.

The forms: a `dependencies` list built empty and grown under `if config.api_key is
not None:` (or with `+=` at module level under an `argparse` flag parsed elsewhere),
the same as a conditional expression in a variable, one written in the
`include_router` call (`... if config.api_key else None`), a websocket whose
helper returns early while the key is None, and an in-body check under
`if expected := os.environ.get(...)`. Authentication on both sides of a switch, or an
opt-out that defaults to off, leaves its routes closed and is not reported.

In the default configuration the anonymous caller gets in exactly where fastlint
reports; with the key configured, the same routes turn it away.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from paths import FIXTURES

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from fastlint.analysis.route_auth import RouteAuth
from fastlint.testing import import_fixture, lint_fixture, project_in, served

ROOT = FIXTURES / "_switches"
PROJECT = ROOT / "keyed"
CALLS = {
    "GET /health": ("GET", "/health"),
    "POST /upload": ("POST", "/upload"),
    "GET /models": ("GET", "/models"),
    "DELETE /models/{name}": ("DELETE", "/models/small"),
    "POST /chat": ("POST", "/chat"),
    "POST /admin/reset": ("POST", "/admin/reset"),
    "POST /ops/flush": ("POST", "/ops/flush"),
    "GET /local/stats": ("GET", "/local/stats"),
    "POST /generate": ("POST", "/generate"),
    "GET /jobs": ("GET", "/jobs"),
}
SWITCHED = {
    "GET /models",
    "DELETE /models/{name}",
    "POST /chat",
    "POST /admin/reset",
    "GET /jobs",
}


@pytest.fixture(autouse=True)
def nothing_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "KEYED_API_KEY",
        "KEYED_UPLOAD_KEY",
        "KEYED_DEV_NO_AUTH",
        "KEYED_STRICT",
        "KEYED_ARGS",
    ):
        monkeypatch.delenv(name, raising=False)


def app(monkeypatch: pytest.MonkeyPatch) -> Any:
    return import_fixture(monkeypatch, ROOT, "keyed.main").app


def answers(client: TestClient) -> dict[str, int]:
    return {route: client.request(*call).status_code for route, call in CALLS.items()}


def socket_accepts(client: TestClient) -> bool:
    try:
        with client.websocket_connect("/stream") as socket:
            return socket.receive_text() == "hello"
    except WebSocketDisconnect:
        return False


def reported() -> dict[str, set[str]]:
    """Each FL001/FL011/FL012 finding's place (`FLxxx file:line`) and the routes it
    is about: its own, or, for a finding at a switch, those it lists as open."""
    found: dict[str, set[str]] = {}
    for finding in lint_fixture(PROJECT, select=["FL001", "FL011", "FL012"]).findings:
        routes = found.setdefault(
            f"{finding.rule} {Path(finding.path).name}:{finding.span.line}", set()
        )
        if finding.route:
            routes.add(finding.route)
        for related in finding.related:
            if related.message.endswith(" is open"):
                routes.add(related.message.removesuffix(" is open"))
    return found


def test_the_fixture_serves_the_routes_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    routes = {(method, path) for method, path, _ in served(app(monkeypatch).routes)}
    assert routes == {
        ("GET", "/health"),
        ("POST", "/upload"),
        ("GET", "/models"),
        ("DELETE", "/models/{name}"),
        ("POST", "/chat"),
        ("POST", "/admin/reset"),
        ("POST", "/ops/flush"),
        ("GET", "/local/stats"),
        ("POST", "/generate"),
        ("GET", "/jobs"),
        ("WEBSOCKET", "/stream"),
    }


def test_anonymous_callers_get_in_exactly_where_fastlint_reports(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    client = TestClient(app(monkeypatch))
    got = answers(client)
    open_routes = {route for route, status in got.items() if status < 400}
    assert open_routes == SWITCHED | {"GET /health", "POST /upload", "POST /generate"}
    assert {got["POST /ops/flush"], got["GET /local/stats"]} <= {401, 403}
    assert socket_accepts(client)
    findings = reported()
    assert findings == {
        "FL001 routes.py:19": {"GET /health"},
        # reads `max_tokens` and calls a helper answering 403 over budget: a token
        # count, not a credential
        "FL001 routes.py:77": {"POST /generate"},
        "FL012 main.py:10": {"GET /jobs"},
        "FL012 main.py:20": {"GET /models", "DELETE /models/{name}"},
        "FL012 main.py:24": {"POST /chat"},
        "FL012 main.py:27": {"POST /admin/reset"},
        "FL012 keys.py:20": {"WEBSOCKET /stream"},
        "FL012 routes.py:56": {"POST /upload"},
    }
    flagged = set().union(*findings.values()) - {"WEBSOCKET /stream"}
    assert flagged == open_routes


def test_configuring_the_key_closes_the_routes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEYED_API_KEY", "k")
    monkeypatch.setenv("KEYED_UPLOAD_KEY", "u")
    monkeypatch.setenv("KEYED_ARGS", "--token t")
    client = TestClient(app(monkeypatch))
    got = answers(client)
    assert {route for route, status in got.items() if status < 400} == {
        "GET /health",
        "POST /generate",
    }
    assert not socket_accepts(client)
    assert client.get("/models", headers={"x-api-key": "k"}).status_code == 200


def test_the_messages_name_the_setting_and_its_default() -> None:
    report = lint_fixture(PROJECT, select=["FL012"])
    by_line = {(Path(f.path).name, f.span.line): f for f in report.findings}
    grown = by_line[("main.py", 20)]
    assert grown.message.startswith(
        "2 routes are open to anonymous callers unless `config.api_key` is set "
        "(KEYED_API_KEY, default: unset)"
    )
    assert grown.severity.label == "high"
    flag = by_line[("main.py", 10)]  # an argparse flag parsed in another module
    assert flag.message.startswith(
        "1 route is open to anonymous callers unless `args.token` is set (default: unset)"
    )
    walrus = by_line[("routes.py", 56)]
    assert walrus.message.startswith(
        "1 route is open to anonymous callers unless KEYED_UPLOAD_KEY is set (default: unset)"
    )


def test_routes_notes_a_switch_whose_default_keeps_them_closed() -> None:
    project = project_in(PROJECT)
    auth = project.get(RouteAuth)
    verdicts = {i.label: auth.of(i) for i in project.instances}
    assert verdicts["GET /local/stats"].label == "authenticated"
    (noted,) = verdicts["GET /local/stats"].noted_switches
    assert (noted.setting, noted.default_open) == ("config.dev_no_auth", False)
    assert verdicts["POST /ops/flush"].label == "authenticated"
    assert not verdicts["POST /ops/flush"].noted_switches
    assert verdicts["GET /models"].label == "open unless KEYED_API_KEY"
