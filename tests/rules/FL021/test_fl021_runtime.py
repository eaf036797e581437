"""FL021 against the running shop: where it reports, the redirect leaves the site
for the caller's host; where it does not (a relative-path check, a fixed path
prefix), it stays on the site."""

from __future__ import annotations

from pathlib import Path

import pytest
from shop_fixture import expected, load_shop, reported

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

EVIL = "https://evil.example/login"


@pytest.fixture
def client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    return TestClient(load_shop(tmp_path, monkeypatch)["main"].app, follow_redirects=False)


def test_fastlint_reports_the_redirects_the_caller_steers() -> None:
    assert reported("FL021") == expected("FL021")
    assert len(expected("FL021")) == 2


def test_reported_redirects_leave_the_site(client: TestClient) -> None:
    assert client.get("/auth/done", params={"next": EVIL}).headers["location"] == EVIL
    assert client.get("/auth/bounce", params={"to": EVIL}).headers["location"] == EVIL


def test_unreported_redirects_stay_on_the_site(client: TestClient) -> None:
    for target in (EVIL, "//evil.example/x", "/\\evil.example"):
        location = client.get("/auth/done-checked", params={"next": target}).headers["location"]
        assert location == "/" or (location.startswith("/") and not location.startswith("//"))
    assert client.get("/auth/done-checked", params={"next": "/cart"}).headers["location"] == "/cart"
    location = client.get("/auth/item", params={"item_id": "/evil.example"}).headers["location"]
    assert location == "/items//evil.example"  # a path on this site, not another host
