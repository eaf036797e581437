"""FL025 and FL027 at runtime on the `tenancy` fixture: Bob, a member, reaches the
administration routes fastlint reports and reads Alice's invoice; the routes it
leaves alone refuse him (403 on the audited admin router, 404 on another's receipt)."""

from __future__ import annotations

import importlib
import sys
from types import ModuleType

import pytest
from paths import FIXTURES

from fastlint.testing import lint_fixture

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

PROJECT = FIXTURES / "tenancy"
BOB = {"Authorization": "Bearer t-bob"}


@pytest.fixture
def client(monkeypatch: pytest.MonkeyPatch) -> TestClient:
    monkeypatch.syspath_prepend(str(PROJECT))
    for name in [m for m in sys.modules if m == "tenancy" or m.startswith("tenancy.")]:
        monkeypatch.delitem(sys.modules, name)
    main: ModuleType = importlib.import_module("tenancy.main")
    return TestClient(main.app)


def _reported(code: str) -> set[str]:
    return {f.route for f in lint_fixture(PROJECT, select=[code]).findings if f.route}


def test_a_member_reaches_the_reported_admin_routes(client: TestClient) -> None:
    assert _reported("FL025") == {"POST /admin/reindex", "DELETE /members/{name}"}
    assert client.post("/admin/reindex", headers=BOB).json() == {"reindexed": True}
    assert client.delete("/members/carol", headers=BOB).json() == ["alice", "bob"]
    assert client.get("/admin/audit/log", headers=BOB).status_code == 403


def test_bob_reads_alices_invoice_where_reported(client: TestClient) -> None:
    assert _reported("FL027") == {"GET /invoices/{invoice_id}", "GET /statements/{statement_id}"}
    assert client.get("/invoices/1", headers=BOB).json() == {"owner": "alice", "total": 120}
    assert client.get("/receipts/1", headers=BOB).status_code == 404
    assert client.get("/receipts/2", headers=BOB).json() == {"owner": "bob", "total": 8}


def test_service_loads_by_id_leak_and_org_scoped_ones_do_not(client: TestClient) -> None:
    """`load_statement(statement_id)` ignores the caller: reported, and Bob reads Alice's
    balance; `find_note(note_id, org=current_org)` is scoped to the caller's org."""
    assert client.get("/statements/1", headers=BOB).json() == {"owner": "alice", "balance": 4200}
    assert client.get("/notes/1", headers=BOB).status_code == 404
    assert client.get("/notes/2", headers=BOB).json() == {"org": "globex", "text": "picnic"}


def test_a_child_fetched_through_a_checked_parent_is_scoped(client: TestClient) -> None:
    """`check_folder_owner(user, folder_id)` then `get_file(folder_id, file_id)`: Bob
    cannot reach Alice's file through his own folder or hers."""
    assert client.get("/folders/1/files/7", headers=BOB).status_code == 404
    assert client.get("/folders/2/files/8", headers=BOB).json() == {"file": "b.txt"}
    assert client.get("/folders/2/files/7", headers=BOB).json() == {"file": None}
