"""FL016 at runtime: the `errortext` fixture is imported and called; every response
fastlint reports carries the internal text of the exception (a DSN with its password,
an internal address), and the look-alikes it leaves alone carry none."""

from __future__ import annotations

from types import ModuleType

import pytest
from paths import FIXTURES

from fastlint.testing import import_fixture, lint_fixture

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

PROJECT = FIXTURES / "errortext"
KEY = {"x-api-key": "k-reports"}


@pytest.fixture
def main(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.setenv("REPORTS_KEY", "k-reports")
    return import_fixture(monkeypatch, PROJECT, "errortext.main")


def _reported() -> set[tuple[str, int]]:
    report = lint_fixture(PROJECT, select=["FL016"])
    return {(f.path.rsplit("/", 1)[-1], f.span.line) for f in report.findings}


def test_reported_responses_carry_the_exception_text(main: ModuleType) -> None:
    client = TestClient(main.app)
    leaks = {
        ("reports.py", 17): client.get("/reports/0", headers=KEY),
        ("reports.py", 19): client.get("/reports/1", headers=KEY),
        ("reports.py", 28): client.get("/reports/1/summary", headers=KEY),
        ("main.py", 22): TestClient(main.admin, raise_server_exceptions=False).get(
            "/jobs/3", headers=KEY
        ),
    }
    assert set(leaks) == _reported()
    assert [r.status_code for r in leaks.values()] == [404, 500, 502, 500]
    texts = [r.text for r in leaks.values()]
    assert "no report 0" in texts[0]
    assert all("report-pw@10.0.0.5" in text for text in texts[1:3])
    assert "10.0.0.7:9000" in texts[3]


def test_look_alikes_send_no_internal_text(main: ModuleType) -> None:
    client = TestClient(main.app)
    safe = client.get("/reports/1/safe", headers=KEY)
    assert safe.status_code == 500 and "10.0.0.5" not in safe.text
    assert "RuntimeError" in safe.text
    invalid = client.get("/reports/not-a-number", headers=KEY)
    assert invalid.status_code == 422  # the validation handler: written for the caller
