"""FL020 against the running shop: where it reports, the server fetches the URL the
caller chose (a mocked transport records it: nothing leaves the machine); where it
does not (an allowlist check, a value in the query string after a fixed host),
the attacker's host is never fetched."""

from __future__ import annotations

from pathlib import Path

import pytest
from shop_fixture import expected, load_shop, reported

pytest.importorskip("fastapi")
import httpx
from fastapi.testclient import TestClient

METADATA = "http://169.254.169.254/latest/meta-data"


@pytest.fixture
def shop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[TestClient, list[str]]:
    modules = load_shop(tmp_path, monkeypatch)
    fetched: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        fetched.append(str(request.url))
        return httpx.Response(200, json={})

    client = httpx.Client(transport=httpx.MockTransport(answer))
    monkeypatch.setattr(modules["services.fetcher"], "http_client", client)
    return TestClient(modules["main"].app), fetched


def test_fastlint_reports_the_fetches_the_caller_steers() -> None:
    assert reported("FL020") == expected("FL020")
    assert len(expected("FL020")) == 2


def test_reported_fetches_go_where_the_caller_says(shop: tuple[TestClient, list[str]]) -> None:
    client, fetched = shop
    assert client.get("/fetch/preview", params={"url": METADATA}).status_code == 200
    assert (
        client.post("/fetch/webhook", params={"callback": " http://10.0.0.5/admin"}).status_code
        == 200
    )
    assert [httpx.URL(u).host for u in fetched] == ["169.254.169.254", "10.0.0.5"]


def test_unreported_fetches_stay_on_the_partner_host(shop: tuple[TestClient, list[str]]) -> None:
    client, fetched = shop
    assert client.get("/fetch/allowed", params={"url": METADATA}).status_code == 400
    assert (
        client.get("/fetch/allowed", params={"url": "https://api.partner.example/x"}).status_code
        == 200
    )
    assert client.get("/fetch/search", params={"q": "@169.254.169.254/#"}).status_code == 200
    assert {httpx.URL(u).host for u in fetched} == {"api.partner.example"}
