"""FL023 against the running shop on sqlite: where it reports, a quote in the name
returns every user; where it does not (bound parameters, an int id), it returns
none."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from shop_fixture import expected, load_shop, reported

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

INJECTION = "nobody' OR '1'='1"


@pytest.fixture
def client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    modules = load_shop(tmp_path, monkeypatch)
    with sqlite3.connect(modules["settings"].DATABASE) as db:
        db.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)")
        db.executemany("INSERT INTO users (name) VALUES (?)", [("ada",), ("bob",), ("eve",)])
    return TestClient(modules["main"].app)


def test_fastlint_reports_the_sql_the_caller_writes() -> None:
    assert reported("FL023") == expected("FL023")
    assert len(expected("FL023")) == 1


def test_reported_query_returns_extra_rows(client: TestClient) -> None:
    assert len(client.get("/users/by-name", params={"name": "ada"}).json()) == 1
    assert len(client.get("/users/by-name", params={"name": INJECTION}).json()) == 3


def test_unreported_queries_return_no_extra_rows(client: TestClient) -> None:
    assert client.get("/users/by-name-bound", params={"name": INJECTION}).json() == []
    assert client.get("/users/by-client", headers={"x-client": INJECTION}).json() == []
    assert len(client.get("/users/by-id/1").json()) == 1
    assert client.get("/users/by-id/1 OR 1=1").status_code == 422
