"""FL003 matches FastAPI: a generic wrapper used as `Page[Client]` sends Client's
fields, and a route without a response model that returns its request body sends
the body back, password included.

The `generic` fixture is imported for real; every route is called and the schema
FastAPI generates is read.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

import pytest
from paths import FIXTURES

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

from fastlint.testing import lint_fixture

PROJECT = FIXTURES / "generic"
KEY = {"X-Staff-Key": "staff"}


@pytest.fixture
def clinic(monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.syspath_prepend(str(PROJECT))
    for name in [m for m in sys.modules if m == "clinic" or m.startswith("clinic.")]:
        monkeypatch.delitem(sys.modules, name)
    return importlib.import_module("clinic.main").app


def _walk(value: Any) -> set[str]:
    """Every key of a JSON document."""
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _walk(v)}
    if isinstance(value, list):
        return {k for v in value for k in _walk(v)}
    return set()


def test_sensitive_fields_sent_exactly_by_the_reported_routes(clinic: Any) -> None:
    reported = {
        f.route: f.message.split("`")[1]
        for f in lint_fixture(PROJECT).findings
        if f.rule == "FL003"
    }
    assert reported == {
        "GET /clients": "Page.items.api_key",
        "GET /clients/first": "Envelope.data.api_key",
        "POST /signup": "SignupIn.password",
    }
    client = TestClient(clinic)
    body = {"email": "a@example.com", "password": "correct horse battery"}
    calls = {
        "GET /clients": client.get("/clients", headers=KEY),
        "GET /clients/public": client.get("/clients/public", headers=KEY),
        "GET /clients/first": client.get("/clients/first", headers=KEY),
        "POST /signup": client.post("/signup", json=body, headers=KEY),
        "POST /signup/checked": client.post("/signup/checked", json=body, headers=KEY),
    }
    smtp = client.get("/credentials/smtp", headers=KEY).json()
    assert smtp["password"] == "***" and smtp["password_rules"]["min_length"] == 12
    for route, answer in calls.items():
        assert answer.status_code == 200, route
        leaked = _walk(answer.json()) & {"api_key", "password"}
        assert bool(leaked) == (route in reported), (route, leaked)


def test_generic_schema_carries_the_argument_fields(clinic: Any) -> None:
    schemas = clinic.openapi()["components"]["schemas"]
    assert "api_key" in schemas["Client"]["properties"]
    pages = [s for name, s in schemas.items() if name.startswith("Page")]  # Page[...] forms
    refs = {p["properties"]["items"]["items"]["$ref"] for p in pages}
    assert refs == {"#/components/schemas/Client", "#/components/schemas/ClientOut"}


def test_pydantic_v1_generic_model_is_substituted_too(tmp_path: Path) -> None:
    (tmp_path / "api.py").write_text(
        "from typing import Generic, TypeVar\n"
        "from fastapi import FastAPI\n"
        "from pydantic import BaseModel\n"
        "from pydantic.generics import GenericModel\n"
        "T = TypeVar('T')\n"
        "class Page(GenericModel, Generic[T]):\n"
        "    results: list[T]\n"
        "class Account(BaseModel):\n"
        "    hashed_password: str\n"
        "app = FastAPI()\n"
        "@app.get('/accounts', response_model=Page[Account])\n"
        "async def accounts(): ...\n",
        encoding="utf-8",
    )
    messages = [f.message for f in lint_fixture(tmp_path).findings if f.rule == "FL003"]
    assert messages == ["GET /accounts returns `Page.results.hashed_password`, a sensitive field"]


def test_the_password_flow_of_a_security_scheme_is_not_a_password(clinic: Any) -> None:
    """`flows.password` beside `flows.clientCredentials` (an OpenAPI security scheme)
    holds the password grant's token URL: sent, and not reported."""
    routes = {f.route for f in lint_fixture(PROJECT).findings if f.rule == "FL003"}
    scheme = TestClient(clinic).get("/auth/scheme", headers=KEY).json()
    assert scheme["flows"]["password"] == {"tokenUrl": "/token", "scopes": {}}
    assert "GET /auth/scheme" not in routes


def test_mappings_named_like_secrets_are_reported(tmp_path: Path) -> None:
    """A mapping may hold the secret (`client_secret: {"value": "ek_..."}`); only a
    `password` among OAuth flows is a grant."""
    (tmp_path / "api.py").write_text(
        "from fastapi import FastAPI\n"
        "from pydantic import BaseModel\n"
        "class Session(BaseModel):\n"
        "    client_secret: dict[str, object] | None = None\n"
        "    password: dict[str, object] | None = None\n"
        "app = FastAPI()\n"
        "@app.get('/session', response_model=Session)\n"
        "async def session(): ...\n",
        encoding="utf-8",
    )
    messages = [f.message for f in lint_fixture(tmp_path).findings if f.rule == "FL003"]
    assert messages == [
        "GET /session returns `Session.client_secret`, a sensitive field",
        "GET /session returns `Session.password`, a sensitive field",
    ]
