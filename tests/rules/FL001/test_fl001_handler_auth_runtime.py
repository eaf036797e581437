"""Authentication written in an endpoint's body (the `handler` fixture), checked
against the running app: a class-based server whose endpoints hand the request's
headers to the server's own checking method, a websocket that reads a query token
and closes with 1008, and the negatives (a 401 for a switched-off feature, one of
them in an endpoint that reads an API key; a 1008 for a full room) that stay
findings because they are open to any caller."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from paths import FIXTURES

from fastlint.testing import lint_fixture

fastapi = pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402
from starlette.websockets import WebSocketDisconnect  # noqa: E402

PROJECT = FIXTURES / "handler"


@pytest.fixture
def desk(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.syspath_prepend(str(PROJECT))
    monkeypatch.delenv("DESK_BETA", raising=False)
    for name in [m for m in sys.modules if m == "desk" or m.startswith("desk.")]:
        monkeypatch.delitem(sys.modules, name)
    yield lambda module: importlib.import_module(f"desk.{module}")


def reported(path_end: str) -> set[str]:
    report = lint_fixture(PROJECT)
    return {
        f.route
        for f in report.findings
        if f.rule == "FL001" and f.path.endswith(path_end) and f.route
    }


def test_a_method_that_checks_the_headers_authenticates(desk: Any) -> None:
    assert reported("server.py") == {"GET /ping"}
    client = TestClient(desk("server").app)
    signed = {"Authorization": "Bearer desk-token"}
    for method, path in (("GET", "/tickets"), ("DELETE", "/tickets/t-1")):
        assert client.request(method, path).status_code == 401, path
        wrong = {"Authorization": "Bearer nope"}
        assert client.request(method, path, headers=wrong).status_code == 401, path
        assert client.request(method, path, headers=signed).status_code == 200, path
    assert client.get("/ping").status_code == 200


def test_a_401_that_is_not_about_a_credential_stays_a_finding(desk: Any) -> None:
    assert reported("features.py") == {"GET /beta/report", "GET /diagnostics"}
    client = TestClient(desk("features").features_app)
    assert client.get("/beta/report").status_code == 401  # switched off, for everyone
    any_key = {"X-API-Key": "anything"}
    assert client.get("/diagnostics", headers=any_key).status_code == 401


def test_a_websocket_closing_with_1008_after_reading_its_token(desk: Any) -> None:
    assert reported("live.py") == {"WEBSOCKET /feeds/lobby", "WEBSOCKET /feeds/room"}
    client = TestClient(desk("live").live_app)
    with client.websocket_connect("/feeds/agents/q1") as socket:
        with pytest.raises(WebSocketDisconnect) as closed:
            socket.receive_text()
        assert closed.value.code == 1008
    with client.websocket_connect("/feeds/agents/q1?token=agent-token") as socket:
        assert socket.receive_text() == "queue q1"
    with client.websocket_connect("/feeds/lobby") as socket:
        assert socket.receive_text() == "welcome"  # open: reported
    with client.websocket_connect("/feeds/room") as socket:
        assert socket.receive_text() == "joined"  # anyone may join: reported
