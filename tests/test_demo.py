"""The bundled reference app: exactly the expected findings; the hardened twin none,
and the hardened twin really is secure at runtime."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from fastlint.demo import HARDENED_APP, INSECURE_APP
from fastlint.engine import lint


def test_insecure_app_findings() -> None:
    report = lint([INSECURE_APP], jobs=1)
    found = sorted((f.rule, f.subject) for f in report.findings)
    assert found == [
        ("FL002", "POST /users"),
        ("FL003", "GET /users/{user_id} UserProfile.internal_id"),
        ("FL004", "UserCreate.email"),
        ("FL004", "UserCreate.username"),
        ("FL005", "app app"),
        ("FL006", "app app"),
        ("FL010", "<module> uvicorn.run"),
        ("FL015", "get_current_user compares token"),
        ("FL017", "create_user builtins.print"),
    ]
    assert not report.errors


def test_hardened_app_is_clean() -> None:
    report = lint([HARDENED_APP], jobs=1)
    assert report.findings == []
    assert not report.errors
    assert report.files_scanned == 2


# -- runtime proof ---------------------------------------------------------------------

pytest.importorskip("slowapi")
pytest.importorskip("email_validator")
from fastapi.testclient import TestClient  # noqa: E402

ADMIN, USER = "admin-token", "user-token"


def load_hardened(monkeypatch: pytest.MonkeyPatch, **env: str) -> ModuleType:
    """A fresh copy of the hardened app, built under the given environment."""
    monkeypatch.setenv("API_TOKENS", f"{ADMIN}:alice:admin|user,{USER}:bob:user")
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    spec = importlib.util.spec_from_file_location("hardened_main", HARDENED_APP / "main.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "hardened_main", module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def client(monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    module = load_hardened(monkeypatch, APP_ENV="production", RATE_LIMIT="100/minute")
    yield TestClient(module.app)


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_requires_a_token(client: TestClient) -> None:
    assert (
        client.post("/users", json={"username": "carol", "email": "c@example.com"}).status_code
        == 401
    )
    assert client.get("/users/1").status_code == 401
    assert client.get("/users/1", headers=auth("wrong")).status_code == 401


def test_requires_the_admin_role(client: TestClient) -> None:
    body = {"username": "carol", "email": "c@example.com"}
    assert client.post("/users", json=body, headers=auth(USER)).status_code == 403


def test_rejects_an_overlong_username(client: TestClient) -> None:
    body = {"username": "x" * 33, "email": "c@example.com"}
    assert client.post("/users", json=body, headers=auth(ADMIN)).status_code == 422


def test_admin_can_create_and_read(client: TestClient) -> None:
    body = {"username": "carol", "email": "c@example.com"}
    created = client.post("/users", json=body, headers=auth(ADMIN))
    assert created.status_code == 200
    assert created.json() == {"message": "User carol created successfully"}
    profile = client.get("/users/7", headers=auth(USER))
    assert profile.status_code == 200
    assert "internal_id" not in profile.json()


def test_docs_hidden_in_production(client: TestClient) -> None:
    for path in ("/docs", "/redoc", "/openapi.json"):
        assert client.get(path).status_code == 404


def test_docs_served_in_development(monkeypatch: pytest.MonkeyPatch) -> None:
    module = load_hardened(monkeypatch, APP_ENV="development")
    assert TestClient(module.app).get("/openapi.json").status_code == 200


def test_rate_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    module = load_hardened(monkeypatch, APP_ENV="production", RATE_LIMIT="3/minute")
    client = TestClient(module.app)
    statuses = [client.get("/users/1", headers=auth(USER)).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_demo_files_ship_in_the_package() -> None:
    assert Path(INSECURE_APP, "main.py").is_file()
    assert Path(HARDENED_APP, "main.py").is_file()


def test_no_tokens_configured_lets_nobody_in(monkeypatch: pytest.MonkeyPatch) -> None:
    module = load_hardened(monkeypatch, APP_ENV="production", API_TOKENS="")
    client = TestClient(module.app)
    for token in ("", ADMIN, "admin-token-but-longer"):
        assert client.get("/users/1", headers=auth(token)).status_code == 401
