"""FL012 (b) tells the truth at runtime on the `keyswitch` fixture (an inference
server whose key options are empty by default): every route it reports serves an
anonymous caller, and every key check it leaves alone turns that caller away.
The three switched-off forms: `expected and (... != f"Bearer {expected}")` with the
option held in a local name, `if settings.api_keys:` around the check, and
`option and not compare_digest(...)`. Checked through a `dependencies` list held in
a variable too (`check_key = [Depends(...)]`)."""

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

PROJECT = FIXTURES / "keyswitch"
CALLS = {
    "POST /v1/completions": ("post", "/v1/completions?prompt=hi"),
    "GET /v1/models": ("get", "/v1/models"),
    "POST /v1/ops/flush": ("post", "/v1/ops/flush"),
    "GET /v1/metrics": ("get", "/v1/metrics"),
    "POST /v1/admin/unload": ("post", "/v1/admin/unload"),
    "POST /v1/cache/clear": ("post", "/v1/cache/clear"),
    "GET /v1/cache/stats": ("get", "/v1/cache/stats"),
}
FORGED = {"Authorization": "Bearer forged"}


@pytest.fixture
def client(monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.syspath_prepend(str(PROJECT))
    for name in [m for m in sys.modules if m == "inference" or m.startswith("inference.")]:
        monkeypatch.delitem(sys.modules, name)
    app: Any = importlib.import_module("inference.server").app
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
    schema = client.app.openapi()  # type: ignore[attr-defined]
    served = {f"{m.upper()} {p}" for p, ops in schema["paths"].items() for m in ops}
    assert served == set(CALLS)


def test_switched_off_checks_serve_anonymous_callers(client: TestClient) -> None:
    flagged = reported("FL012")
    assert flagged == {"POST /v1/completions", "GET /v1/models", "POST /v1/ops/flush"}
    for route in flagged:
        method, url = CALLS[route]
        assert client.request(method, url).status_code == 200, route
    assert not reported("FL001")


def test_a_key_held_in_a_context_object(client: TestClient) -> None:
    """Verified by the object's method: not reported, a forged key is turned away.
    Only described by it: FL011, and the forged key is served."""
    assert reported("FL011") == {"GET /v1/cache/stats"}
    assert client.get("/v1/cache/stats", headers=FORGED).status_code == 200
    assert client.post("/v1/cache/clear", headers=FORGED).status_code == 401


def test_checks_left_alone_fail_closed(client: TestClient) -> None:
    flagged = reported("FL012") | reported("FL011")
    for route, (method, url) in CALLS.items():
        if route not in flagged:
            assert client.request(method, url).status_code in (401, 403, 503), route


def test_a_configured_key_closes_the_reported_routes(client: TestClient) -> None:
    shared = importlib.import_module("inference.shared")
    settings = importlib.import_module("inference.settings").server_settings
    shared.args.api_key = shared.args.ops_key = "configured"
    settings.api_keys = ["configured"]
    for route in ("POST /v1/completions", "GET /v1/models", "POST /v1/ops/flush"):
        method, url = CALLS[route]
        assert client.request(method, url).status_code == 401, route
    assert (
        client.post(
            "/v1/completions?prompt=hi", headers={"Authorization": "Bearer configured"}
        ).status_code
        == 200
    )
