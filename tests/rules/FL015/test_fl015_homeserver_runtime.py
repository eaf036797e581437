"""FL015 on the `homeserver` fixture, imported for real: the literal a body model's
password is compared with logs anyone in, and the bearer token the metrics check
builds in an f-string is the configured secret; the sign-up form comparing two of
the caller's own passwords is not reported."""

from __future__ import annotations

import importlib
import sys
from types import ModuleType

import pytest
from paths import FIXTURES

from fastlint.testing import lint_fixture

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

PROJECT = FIXTURES / "homeserver"


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.setenv("HOME_METRICS_TOKEN", "scrape-me-please")
    monkeypatch.syspath_prepend(str(PROJECT))
    for name in [m for m in sys.modules if m == "homeserver" or m.startswith("homeserver.")]:
        monkeypatch.delitem(sys.modules, name)
    return importlib.import_module("homeserver.main")


def _reported() -> dict[str, str]:
    found = [f for f in lint_fixture(PROJECT).findings if f.rule == "FL015"]
    return {f"{f.path.rsplit('/', 1)[-1]}:{f.span.line}": f.severity.name.lower() for f in found}


def test_the_hard_coded_password_logs_in_and_is_reported(server: ModuleType) -> None:
    client = TestClient(server.app)
    assert client.post("/login", json={"username": "admin", "password": "root"}).status_code == 200
    assert client.post("/login", json={"username": "admin", "password": "x"}).status_code == 401
    source = (PROJECT / "homeserver" / "main.py").read_text().splitlines()
    line = next(i for i, text in enumerate(source, 1) if 'body.password != "root"' in text)
    assert _reported()[f"main.py:{line}"] == "high"


def test_the_configured_token_in_an_f_string_is_reported(server: ModuleType) -> None:
    client = TestClient(server.app)
    good = {"Authorization": "Bearer scrape-me-please"}
    assert client.get("/metrics", headers=good).status_code == 200
    assert client.get("/metrics", headers={"Authorization": "Bearer no"}).status_code == 401
    source = (PROJECT / "homeserver" / "security.py").read_text().splitlines()
    line = next(i for i, text in enumerate(source, 1) if 'f"Bearer {METRICS_TOKEN}"' in text)
    assert _reported()[f"security.py:{line}"] == "medium"


def test_two_passwords_the_caller_sent_are_not_a_secret(server: ModuleType) -> None:
    client = TestClient(server.app)
    same = {"password": "a", "password_confirm": "a"}
    assert client.post("/signup", json=same).status_code == 200
    assert client.post("/signup", json={**same, "password_confirm": "b"}).status_code == 400
    assert len(_reported()) == 2  # the login and the metrics check, nothing in /signup
