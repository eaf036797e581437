"""FL011 and FL012 tell the truth at runtime: the `verify` fixture is imported for
real, and every route they report serves a caller with a forged or absent
credential, while every route they leave alone turns that caller away."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from paths import FIXTURES

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

from fastlint.testing import lint_fixture

PROJECT = FIXTURES / "verify"
BACKEND = PROJECT / "backend"
# No bearer token; any API key; an empty admin token (the unset ADMIN_TOKEN's value).
ANONYMOUS = {"X-API-Key": "forged", "X-Admin-Token": ""}
CALLS = {
    "GET /api/v1/items/": ("get", "/api/v1/items/"),
    "DELETE /api/v1/items/{item_id}": ("delete", "/api/v1/items/1"),
    "GET /api/v1/feed/": ("get", "/api/v1/feed/"),
    "POST /api/v1/feed/posts": ("post", "/api/v1/feed/posts?text=hi"),
    "GET /api/v1/admin/stats": ("get", "/api/v1/admin/stats"),
    "POST /api/v1/ops/reindex": ("post", "/api/v1/ops/reindex"),
}


@pytest.fixture
def client(monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    # The deployment forgot API_KEY and ADMIN_TOKEN; the signing key is set.
    monkeypatch.delenv("API_KEY", raising=False)
    monkeypatch.delenv("ADMIN_TOKEN", raising=False)
    monkeypatch.setenv("SECRET_KEY", "test-signing-key")
    monkeypatch.syspath_prepend(str(BACKEND))
    for name in [m for m in sys.modules if m == "app" or m.startswith("app.")]:
        monkeypatch.delitem(sys.modules, name)
    app: Any = importlib.import_module("app.main").app
    yield TestClient(app)


def reported(code: str) -> set[str]:
    """The routes findings of `code` are about: their own route, or, for a finding
    at a switch or a dependency (FL012, FL011), the routes it lists as related."""
    found: set[str] = set()
    for finding in lint_fixture(PROJECT).findings:
        if finding.rule != code:
            continue
        if finding.route:
            found.add(finding.route)
        for related in finding.related:
            for suffix in (" is open", " relies on it"):
                if related.message.endswith(suffix):
                    found.add(related.message.removesuffix(suffix))
    return found


def test_the_fixture_serves_the_routes_checked(client: TestClient) -> None:
    openapi = client.get("/openapi.json")
    assert openapi.status_code == 404  # openapi_url=None: read the app's own schema
    schema = client.app.openapi()  # type: ignore[attr-defined]
    served = {f"{m.upper()} {p}" for p, ops in schema["paths"].items() for m in ops}
    assert served == set(CALLS)


def test_never_verified_routes_serve_a_forged_token(client: TestClient) -> None:
    flagged = reported("FL011")
    assert flagged == {"DELETE /api/v1/items/{item_id}"}
    for route, (method, url) in CALLS.items():
        status = client.request(method, url, headers={"Authorization": "Bearer forged"}).status_code
        if route in flagged:
            assert status == 200, (route, status)
    # The verifying dependency of the same scheme turns the forged token away.
    forged = client.get("/api/v1/items/", headers={"Authorization": "Bearer forged.token"})
    assert forged.status_code == 401


def test_fail_open_routes_serve_anonymous_callers(client: TestClient) -> None:
    flagged = reported("FL012")
    assert flagged == {
        "POST /api/v1/feed/posts",
        "GET /api/v1/admin/stats",
        "POST /api/v1/ops/reindex",
    }
    for route in flagged:
        method, url = CALLS[route]
        assert client.request(method, url, headers=ANONYMOUS).status_code == 200, route
    # No Authorization header at all: the optional user is None, and the post is served.
    assert client.post("/api/v1/feed/posts?text=hi").status_code == 200


def test_routes_left_alone_turn_anonymous_callers_away(client: TestClient) -> None:
    flagged = reported("FL011") | reported("FL012") | reported("FL001")
    for route, (method, url) in CALLS.items():
        if route in flagged or route == "GET /api/v1/feed/":
            continue
        assert client.request(method, url).status_code in (401, 403), route
    # The personalised feed is deliberate optional authentication: public without a
    # token, and a forged one is rejected.
    assert client.get("/api/v1/feed/").json() == ["public post"]
    assert client.get("/api/v1/feed/", headers={"Authorization": "Bearer x.y"}).status_code == 401
