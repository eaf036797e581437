"""FL029 at runtime: the `resetlinks` fixture is imported and called with
`Host: evil.example`; every link fastlint reports (in the response or in the captured
e-mail) points at evil.example, and the look-alikes it leaves alone either build the
link from the configured public URL or refuse the request (TrustedHostMiddleware, 400)."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from types import ModuleType

import pytest
from paths import FIXTURES

from fastlint.testing import lint_fixture

pytest.importorskip("fastapi")
pytest.importorskip("email_validator")
from fastapi.testclient import TestClient
from httpx import Response

PROJECT = FIXTURES / "resetlinks"
EVIL = {"x-client-key": "k-accounts", "host": "evil.example"}
VICTIM = {"email": "alice@example.com"}


@pytest.fixture
def main(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.setenv("RESETLINKS_KEY", "k-accounts")
    monkeypatch.syspath_prepend(str(PROJECT))
    for name in [m for m in sys.modules if m == "resetlinks" or m.startswith("resetlinks.")]:
        monkeypatch.delitem(sys.modules, name)
    return importlib.import_module("resetlinks.main")


def _reported() -> set[tuple[str, int]]:
    report = lint_fixture(PROJECT, select=["FL029"])
    return {(f.path.rsplit("/", 1)[-1], f.span.line) for f in report.findings}


def _mailed(call: Callable[[], Response]) -> str:
    """The body of the one e-mail the request `call` makes sends."""
    outbox = sys.modules["resetlinks.services.mail"].OUTBOX
    outbox.clear()
    response = call()
    assert response.status_code == 200, response.text
    assert len(outbox) == 1 and outbox[0][0] == "alice@example.com"
    return str(outbox[0][1])


def test_reported_links_point_at_the_attackers_host(main: ModuleType) -> None:
    client = TestClient(main.app)
    partners = TestClient(main.partners)
    links = {
        ("links.py", 8): _mailed(
            lambda: client.post("/password/forgot", headers=EVIL, json=VICTIM)
        ),
        ("accounts.py", 31): client.post("/verification/resend", headers=EVIL).json()["url"],
        ("accounts.py", 42): _mailed(
            lambda: client.post("/invitations", headers=EVIL, json=VICTIM)
        ),
        ("main.py", 27): _mailed(
            lambda: partners.post(
                "/partners/invitations", headers=EVIL, params={"email": "alice@example.com"}
            ),
        ),
    }
    assert set(links) == _reported()
    for link in links.values():
        assert link.startswith(("http://evil.example/", "https://evil.example/")), link
    assert "token=" in links[("links.py", 8)]


def test_look_alikes_do_not_send_the_attackers_host(main: ModuleType) -> None:
    client = TestClient(main.app)
    public = _mailed(lambda: client.post("/password/forgot-public", headers=EVIL, json=VICTIM))
    assert public.startswith("https://accounts.example.com/password/reset?token=")
    staff = TestClient(main.staff)
    refused = staff.post("/staff/invitations", headers=EVIL, params={"email": "a@example.com"})
    assert refused.status_code == 400
    honest = {**EVIL, "host": "staff.example.com"}
    sent = _mailed(
        lambda: staff.post("/staff/invitations", headers=honest, params=VICTIM),
    )
    assert sent == "http://staff.example.com/staff/join"
