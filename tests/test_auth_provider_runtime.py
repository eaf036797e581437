"""An app whose routes ask an authentication provider chosen by configuration
(`self.provider.authenticate_or_raise(headers)`, the `provider` fixture): fastlint
cannot read the provider, so those routes count as possibly authenticated and are
listed as unresolved; the route that never asks is reported. Checked at runtime with
the provider configured."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from helpers import FIXTURES, lint_fixture

fastapi = pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

PROJECT = FIXTURES / "provider"


@pytest.fixture
def vault(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.syspath_prepend(str(PROJECT))
    monkeypatch.setenv("VAULT_AUTH_PROVIDER", "vault.auth:TokenProvider")
    for name in [m for m in sys.modules if m == "vault" or m.startswith("vault.")]:
        monkeypatch.delitem(sys.modules, name)
    yield importlib.import_module("vault.server").app


def test_reported_routes_are_the_open_ones(vault: Any) -> None:
    report = lint_fixture(PROJECT)
    reported = {f.route for f in report.findings if f.path.endswith("server.py") and f.route}
    assert reported == {"GET /health"}
    unresolved = {n.message for n in report.notes if "authenticate_or_raise" in n.message}
    assert sorted(m.split(":")[0] for m in unresolved) == [
        "DELETE /secrets/{name}",
        "GET /secrets",
        "GET /secrets/{name}",
    ]
    client = TestClient(vault)
    for method, path in (("GET", "/secrets"), ("GET", "/secrets/db"), ("DELETE", "/secrets/db")):
        assert client.request(method, path).status_code == 401, path
        signed = {"Authorization": "Bearer vault-token"}
        assert client.request(method, path, headers=signed).status_code < 300, path
    assert client.get("/health").status_code == 200


def test_a_dependency_appended_when_a_key_is_configured_authenticates(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`deps = []`, `if api_key: deps.append(Depends(require_key))`, then
    `dependencies=deps`: authentication that exists under a condition counts."""
    monkeypatch.syspath_prepend(str(PROJECT))
    monkeypatch.setenv("EMBED_API_KEY", "k-1")
    for name in [m for m in sys.modules if m == "vault" or m.startswith("vault.")]:
        monkeypatch.delitem(sys.modules, name)
    app = importlib.import_module("vault.embed").embed_app
    report = lint_fixture(PROJECT)
    reported = {f.route for f in report.findings if f.path.endswith("embed.py") and f.route}
    assert reported == {"GET /health"}
    client = TestClient(app)
    assert client.post("/embed", params={"text": "hi"}).status_code == 401
    signed = {"Authorization": "Bearer k-1"}
    assert client.post("/embed", params={"text": "hi"}, headers=signed).status_code == 200
    assert client.get("/health").status_code == 200


def test_credentials_handed_to_a_checking_helper(monkeypatch: pytest.MonkeyPatch) -> None:
    """A websocket handing its `apikey` to a helper that checks it, and an endpoint
    reading an `X-API-Key` header that a helper rejects with 403, authenticate; the
    websocket that reads no credential is reported."""
    monkeypatch.syspath_prepend(str(PROJECT))
    for name in [m for m in sys.modules if m == "vault" or m.startswith("vault.")]:
        monkeypatch.delitem(sys.modules, name)
    app = importlib.import_module("vault.live").live_app
    report = lint_fixture(PROJECT, select=["FL001"])  # unauthenticated routes only
    reported = {f.route for f in report.findings if f.path.endswith("live.py") and f.route}
    assert reported == {"WEBSOCKET /echo/{topic}"}
    client = TestClient(app)
    with client.websocket_connect("/live/news") as socket:
        assert socket.receive_text() == "invalid credential"
    with client.websocket_connect("/live/news?apikey=k-1") as socket:
        assert socket.receive_text() == "org-1:news"
    with client.websocket_connect("/echo/news") as socket:
        assert socket.receive_text() == "news"  # open: reported
    assert client.post("/sessions", headers={"X-API-Key": "wrong"}).status_code == 403
    assert client.post("/sessions", headers={"X-API-Key": "k-1"}).json() == {"org": "org-1"}
