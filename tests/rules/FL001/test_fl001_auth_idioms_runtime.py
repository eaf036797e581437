"""Authentication idioms of production code, checked against FastAPI at runtime.

The `gatekeeper` fixture is imported for real: gates built by a factory whose
local subclass delegates `__call__` to its base (`super().__call__`), class-based
views registered by an in-house `@controller(router)` decorator with dependencies
as (inherited) class attributes, and `APIRouter` subclasses that pass
`dependencies=[...]` to `super().__init__`, and endpoints answering 401 in their
own body, for a missing token or for a failed captcha, and optional authentication
(a factory's optional variant, a dependency that returns early without a token).
Every route is called without credentials: it answers 401/403 exactly when
fastlint did not report it.
"""

from __future__ import annotations

import importlib
import re
import sys
from typing import Any

import pytest
from paths import FIXTURES

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

from fastlint.testing import lint_fixture

PROJECT = FIXTURES / "gatekeeper"
# Query values the endpoints need to get past their non-authentication checks.
PARAMS = {"text": "x", "email": "a@b.c", "captcha": "solved"}


@pytest.fixture
def desk_app(monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.syspath_prepend(str(PROJECT))
    for name in [m for m in sys.modules if m == "desk" or m.startswith("desk.")]:
        monkeypatch.delitem(sys.modules, name)
    return importlib.import_module("desk.main").app


@pytest.mark.slow
def test_rejected_routes_are_exactly_the_unreported_ones(desk_app: Any) -> None:
    findings = lint_fixture(PROJECT).findings
    reported = {f.route for f in findings if f.rule in ("FL001", "FL011", "FL012")}
    client = TestClient(desk_app)
    open_routes, closed_routes = set(), set()
    for path, operations in desk_app.openapi()["paths"].items():
        for method in operations:
            url = re.sub(r"\{[^}]+\}", "1", path)
            anonymous = client.request(method.upper(), url, params=PARAMS)
            agent = client.request(
                method.upper(),
                url,
                params=PARAMS,
                headers={"Authorization": "Bearer agent-token"},
            )
            label = f"{method.upper()} {path}"
            if anonymous.status_code in (401, 403):
                closed_routes.add(label)
                assert agent.status_code != 401, label  # the gate admits real callers
            else:
                open_routes.add(label)
    assert open_routes == reported
    # Each idiom has routes on both sides.
    assert {"GET /tickets/", "DELETE /tickets/{ticket_id}"} <= closed_routes  # factory gate
    assert {"GET /queues/", "POST /queues/{queue}"} <= closed_routes  # class-based view
    assert {"GET /reports/daily", "GET /private/exports/csv"} <= closed_routes  # router class
    assert open_routes == {
        "GET /tickets/welcome",
        "GET /board/",
        "POST /board/announce",
        "GET /archive/",
        "POST /signup/",  # its 401 is for a failed captcha
        "GET /signup/beta",  # its 401 is for a closed feature
        "GET /feed/",  # current_user(required=False)
        "GET /feed/suggested",  # returns early without a token
        "GET /kiosk/menu",  # hands the optional basic credentials on unchecked
    }
    assert {"GET /feed/mine", "GET /feed/saved"} <= closed_routes
    assert "GET /signup/me" in closed_routes  # its 401 follows the Authorization header
    assert "GET /kiosk/screen" in closed_routes  # basic or bearer, else 401


def test_optional_authentication_is_reported_as_such() -> None:
    """Routes whose authentication lets anonymous callers through say so."""
    messages = {f.route: f.message for f in lint_fixture(PROJECT).findings if f.rule == "FL001"}
    for route in ("GET /feed/", "GET /feed/suggested", "GET /board/"):
        assert "authentication is optional" in messages[route], messages[route]
    assert "`current_user` called with `required=False`" in messages["GET /feed/"]
    assert "returns without checking when `principal` is missing" in messages["GET /feed/suggested"]
    for route in ("GET /archive/", "POST /signup/"):
        assert "authentication is optional" not in messages[route]
