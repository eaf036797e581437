"""FL030 against the running shop: where it reports, `;` runs the caller's command
(it writes a marker file); where it does not (an argument list without a shell,
`shlex.quote`, an Enum), the marker is never written."""

from __future__ import annotations

from pathlib import Path

import pytest
from shop_fixture import expected, load_shop, reported

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient


@pytest.fixture
def client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    return TestClient(load_shop(tmp_path, monkeypatch)["main"].app)


def test_fastlint_reports_the_commands_the_caller_writes() -> None:
    assert reported("FL030") == expected("FL030")
    assert len(expected("FL030")) == 1


def test_reported_command_runs_the_callers_command(client: TestClient, tmp_path: Path) -> None:
    marker = tmp_path / "files" / "pwned"
    assert client.post("/convert/shell", params={"name": "a.png; touch pwned"}).status_code == 200
    assert marker.exists()


def test_unreported_commands_do_not(client: TestClient, tmp_path: Path) -> None:
    marker = tmp_path / "files" / "pwned"
    attack = {"name": "a.png; touch pwned"}
    assert client.post("/convert/list", params=attack).status_code == 200
    assert client.post("/convert/quoted", params={**attack, "fmt": "png"}).status_code == 200
    assert (
        client.post("/convert/quoted", params={**attack, "fmt": "png; touch pwned"}).status_code
        == 422
    )
    assert not marker.exists()
