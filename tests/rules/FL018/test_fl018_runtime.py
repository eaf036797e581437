"""FL018 at runtime: the `massassign` fixture is imported and called as an anonymous
member would; where fastlint reports, the member's `is_admin` or `balance` lands in
the stored record; where it does not, it is dropped."""

from __future__ import annotations

from types import ModuleType

import pytest
from paths import FIXTURES

from fastlint.testing import import_fixture, lint_fixture

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

PROJECT = FIXTURES / "massassign"


@pytest.fixture
def app(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    return import_fixture(monkeypatch, PROJECT, "massassign.main")


def test_reported_routes_take_the_privileged_fields(app: ModuleType) -> None:
    reported = {f.route for f in lint_fixture(PROJECT, select=["FL018"]).findings}
    assert reported == {"POST /accounts/signup", "PATCH /accounts/{email}/profile"}
    client = TestClient(app.app)
    mallory = {"email": "m@example.com", "display_name": "M", "is_admin": True}
    assert client.post("/accounts/signup", json=mallory).json() == {"is_admin": True}
    patch = {"display_name": "M", "balance": 1_000_000}
    assert client.patch("/accounts/m@example.com/profile", json=patch).json() == {
        "balance": 1_000_000
    }


def test_unreported_routes_drop_them(app: ModuleType) -> None:
    client = TestClient(app.app)
    mallory = {"email": "m@example.com", "display_name": "M", "is_admin": True}
    assert client.post("/accounts/register", json=mallory).json() == {"is_admin": False}
    assert client.post("/accounts/invite", json=mallory).json() == {"is_admin": False}
