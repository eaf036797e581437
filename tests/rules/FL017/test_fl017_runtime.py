"""FL017 at runtime: the `auditlog` fixture is imported for real and called with
TestClient; the log lines fastlint reports carry the secret or personal value sent,
and the look-alikes it leaves alone (a `SecretStr`, a non-credential header, a
length) carry none."""

from __future__ import annotations

import logging

import pytest
from paths import FIXTURES

from fastlint.testing import import_fixture, lint_fixture

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

PROJECT = FIXTURES / "auditlog"
AUTH = {"Authorization": "Bearer tok-7f3a"}


@pytest.fixture
def client(monkeypatch: pytest.MonkeyPatch) -> TestClient:
    monkeypatch.setenv("SESSION_TOKEN", "tok-7f3a")
    return TestClient(import_fixture(monkeypatch, PROJECT, "auditlog.main").app)


def _reported_lines() -> set[int]:
    report = lint_fixture(PROJECT, select=["FL017"])
    return {f.span.line for f in report.findings}


def test_reported_log_lines_carry_the_values(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="auditlog")
    sent = {"username": "bob", "email": "bob@example.com", "password": "hunter2-pw"}
    assert client.post("/accounts/register", json=sent).status_code == 200
    profile = {"display_name": "Bob", "phone_number": "+44 20 7946 0958"}
    assert client.put("/accounts/profile", json=profile, headers=AUTH).status_code == 200
    assert client.get("/accounts/session", headers=AUTH).status_code == 200
    assert client.get("/accounts/whoami", headers=AUTH).status_code == 200
    by_line = {r.lineno: r.getMessage() for r in caplog.records}
    leaked = {
        line
        for line, text in by_line.items()
        if any(secret in text for secret in ("hunter2-pw", "+44 20 7946 0958", "tok-7f3a"))
    }
    assert leaked == _reported_lines() == {14, 26, 34, 40}


def test_look_alikes_log_nothing_sensitive(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="auditlog")
    change = {"username": "bob", "new_password": "s3cret-new"}
    assert client.post("/accounts/password", json=change, headers=AUTH).status_code == 200
    keys = {**AUTH, "x-api-key": "k-123456"}
    assert client.get("/accounts/keys", headers=keys).status_code == 200
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "**********" in text  # pydantic masks the SecretStr
    assert "s3cret-new" not in text and "k-123456" not in text
