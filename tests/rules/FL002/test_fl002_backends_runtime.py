"""FL002 matches FastAPI: a route that returns what an authentication backend's
method gives (annotated `-> Response`, reached through the factory parameter's
annotated class, as fastapi-users builds its routers) sends that Response object
as is; the route returning the backend's dict is serialised as JSON, and reported.

The `backends` fixture is imported for real and every route is called.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import pytest
from paths import FIXTURES

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

from fastlint.testing import lint_fixture

PROJECT = FIXTURES / "backends"


@pytest.fixture
def app(monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.syspath_prepend(str(PROJECT))
    for name in [m for m in sys.modules if m == "backends" or m.startswith("backends.")]:
        monkeypatch.delitem(sys.modules, name)
    return importlib.import_module("backends.main").app


def test_backend_responses_are_sent_as_is_and_not_reported(app: Any) -> None:
    reported = {f.route for f in lint_fixture(PROJECT).findings if f.rule == "FL002"}
    assert reported == {"GET /auth/backend", "GET /events", "GET /oauth/providers"}
    client = TestClient(app)
    answers = {
        "POST /auth/login": client.post("/auth/login", params={"user_id": 7}),
        "POST /auth/logout": client.post("/auth/logout"),
        "GET /auth/backend": client.get("/auth/backend"),
    }
    for route, answer in answers.items():
        assert answer.status_code == 200, route
        from_backend = answer.headers.get("x-sent-by") == "transport"
        assert from_backend == (route not in reported), route
    assert answers["POST /auth/login"].json()["access_token"] == "token-7"
    assert answers["GET /auth/backend"].json() == {"name": "bearer", "transport": "BearerTransport"}


def test_a_helper_returning_nothing_leaves_nothing_to_filter(app: Any) -> None:
    reported = {f.route for f in lint_fixture(PROJECT).findings if f.rule == "FL002"}
    client = TestClient(app)
    audit = client.post("/audit")
    assert audit.status_code == 200 and audit.json() is None  # the endpoint returned None
    assert "POST /audit" not in reported
    assert client.get("/events").json() == ["audit"]  # a helper's list, sent as JSON
    assert "GET /events" in reported


def test_an_unannotated_helper_returning_a_redirect_is_a_response(app: Any) -> None:
    reported = {f.route for f in lint_fixture(PROJECT).findings if f.rule == "FL002"}
    client = TestClient(app, follow_redirects=False)
    login = client.get("/oauth/github/login")
    assert login.status_code == 307
    assert login.headers["location"] == "https://idp.example/authorize?provider=github"
    assert "GET /oauth/{provider}/login" not in reported
    assert client.get("/oauth/providers").json() == {"providers": ["github"]}
    assert "GET /oauth/providers" in reported


def test_a_helper_annotated_with_an_optional_response_is_a_response(app: Any) -> None:
    """`-> RedirectResponse | None`: a redirect or nothing, never JSON to filter."""
    reported = {f.route for f in lint_fixture(PROJECT).findings if f.rule == "FL002"}
    client = TestClient(app, follow_redirects=False)
    assert client.get("/sso/start", params={"provider": "okta"}).status_code == 307
    assert client.get("/sso/start").json() is None
    assert "GET /sso/start" not in reported
