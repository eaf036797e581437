"""FL025 on the `guards` fixture: role checks made by callable-class dependencies
behind `Annotated` aliases (a scope list given to the constructor, a role test in
`__call__`, a policy function handed in, a project exception answering 403) and an
inline `if not caller["is_admin"]: raise` are seen; the one route that checks
nothing is reported, and Bob, a viewer, reaches only that one."""

from __future__ import annotations

import importlib
import sys
from types import ModuleType

import pytest
from paths import FIXTURES

from fastlint.testing import lint_fixture

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

PROJECT = FIXTURES / "guards"
BOB = {"Authorization": "Bearer t-bob"}
ALICE = {"Authorization": "Bearer t-alice"}
GUARDED = [
    ("PUT", "/members/scoped/carol"),
    ("POST", "/members/billing/gina"),
    ("PATCH", "/members/policy/hank"),
    ("POST", "/members/flagged/ivan"),
    ("DELETE", "/members/owned/dave"),
]


@pytest.fixture
def client(monkeypatch: pytest.MonkeyPatch) -> TestClient:
    monkeypatch.syspath_prepend(str(PROJECT))
    for name in [m for m in sys.modules if m == "guards" or m.startswith("guards.")]:
        monkeypatch.delitem(sys.modules, name)
    main: ModuleType = importlib.import_module("guards.main")
    return TestClient(main.app)


def test_only_the_unchecked_route_is_reported() -> None:
    reported = {f.route for f in lint_fixture(PROJECT, select=["FL025"]).findings if f.route}
    assert reported == {"DELETE /members/{name}"}


def test_a_viewer_reaches_the_reported_route_and_no_other(client: TestClient) -> None:
    assert "erin" not in client.delete("/members/erin", headers=BOB).json()
    for method, path in GUARDED:
        # refused: 403, or the inline test's project error (400)
        assert client.request(method, path, headers=BOB).status_code in (400, 403), path
        assert client.request(method, path, headers=ALICE).status_code == 200, path
