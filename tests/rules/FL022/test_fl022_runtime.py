"""FL022 against the running shop: where it reports, a parent-folder step reads a file
outside the files folder; where it does not (an `is_relative_to` check, an int id), it cannot."""

from __future__ import annotations

from pathlib import Path

import pytest
from shop_fixture import expected, load_shop, reported

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient


@pytest.fixture
def client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    app = load_shop(tmp_path, monkeypatch)["main"].app
    (tmp_path / "secret.txt").write_text("db-password")
    (tmp_path / "files" / "guide.txt").write_text("welcome")
    (tmp_path / "files" / "report-7.txt").write_text("report seven")
    return TestClient(app)


def test_fastlint_reports_the_paths_the_caller_steers() -> None:
    assert reported("FL022") == expected("FL022")
    assert len(expected("FL022")) == 1


def test_reported_read_escapes_the_files_folder(client: TestClient) -> None:
    assert client.get("/files/docs/guide.txt").text == "welcome"
    assert client.get("/files/docs/..%2Fsecret.txt").text == "db-password"


def test_unreported_reads_stay_in_the_files_folder(client: TestClient) -> None:
    assert client.get("/files/checked/guide.txt").text == "welcome"
    assert client.get("/files/checked/..%2Fsecret.txt").status_code == 404
    assert client.get("/files/reports/7").text == "report seven"
    assert client.get("/files/reports/..%2Fsecret").status_code in (404, 422)
