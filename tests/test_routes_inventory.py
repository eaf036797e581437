"""`fastlint routes` lists exactly the routes FastAPI serves, with where their
authentication is attached.

The fixtures are imported for real (as in tests/rules/FL001/test_fl001_runtime_truth.py) and their
`app.routes` walked, mounted apps included; the inventory is built statically.
"""

from __future__ import annotations

import csv
import importlib
import io
import json
import re
import sys
import types
from pathlib import Path
from typing import Any

import pytest
from paths import FIXTURES

from fastlint.config import Settings
from fastlint.inventory import Inventory, Row
from fastlint.surface import csv_format, json_format, markdown
from fastlint.surface.collect import survey

fastapi = pytest.importorskip("fastapi")
pytest.importorskip("slowapi")
from fastapi.testclient import TestClient  # noqa: E402
from starlette.routing import Mount  # noqa: E402
from starlette.websockets import WebSocketDisconnect  # noqa: E402

LEDGER = FIXTURES / "surface"
WIRING = FIXTURES / "wiring"
DEMO = Path(__file__).parent.parent / "fastlint" / "demo"


def imported(monkeypatch: pytest.MonkeyPatch, root: Path, package: str, module: str) -> Any:
    monkeypatch.syspath_prepend(str(root))
    for name in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
        monkeypatch.delitem(sys.modules, name)
    return importlib.import_module(module)


def in_schema(app: Any, prefix: str = "") -> set[tuple[str, str]]:
    """(method, full path) of every operation in FastAPI's OpenAPI, mounted apps' too."""
    found = {(m.upper(), prefix + p) for p, ops in app.openapi()["paths"].items() for m in ops}
    for route in app.routes:
        if isinstance(route, Mount):
            found |= in_schema(route.app, prefix + route.path)
    return found


def answers(client: Any, method: str, path: str) -> bool:
    """Whether FastAPI serves `method path` (it does not answer 404 or 405)."""
    url = re.sub(r"\{[^}]+\}", "1", path)
    if method == "WEBSOCKET":
        try:
            with client.websocket_connect(url):
                return True
        except WebSocketDisconnect as exc:
            # Starlette closes with 1000 when no route matches.
            return getattr(exc, "code", None) != 1000
        except Exception:  # refused by a dependency: the route exists
            return True
    return client.request(method, url).status_code not in (404, 405)


def assert_runtime_truth(inventory: Inventory, *apps: Any) -> None:
    """Every listed route is served; what OpenAPI shows is exactly the listed routes
    not hidden from it; an unlisted path is not served."""
    schema: set[tuple[str, str]] = set()
    clients = [TestClient(app) for app in apps]
    for app in apps:
        schema |= in_schema(app)
    for r in inventory.rows:
        for method in r.method.split("|"):
            assert any(answers(c, method, r.path) for c in clients), (method, r.path)
    shown = {
        (m, r.path) for r in inventory.rows if r.include_in_schema for m in r.method.split("|")
    }
    assert shown == schema
    assert not any(answers(c, "GET", "/no/such/route") for c in clients)


def listed(inventory: Inventory) -> set[tuple[str, str]]:
    return {(m, row.path) for row in inventory.rows for m in row.method.split("|")}


def inventory_of(root: Path) -> Inventory:
    return survey([root], Settings(), jobs=1, root=root)[0]


def row(inventory: Inventory, label: str) -> Row:
    (found,) = [r for r in inventory.rows if r.label == label]
    return found


@pytest.fixture(scope="module")
def ledger() -> Inventory:
    return inventory_of(LEDGER)


def test_ledger_lists_exactly_what_fastapi_serves(
    ledger: Inventory, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = imported(monkeypatch, LEDGER, "ledger", "ledger.main").app
    assert len(listed(ledger)) == 10
    assert_runtime_truth(ledger, app)


def test_hidden_routes_and_websockets_are_listed_though_openapi_omits_them(
    ledger: Inventory, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = imported(monkeypatch, LEDGER, "ledger", "ledger.main").app
    schema = in_schema(app)
    hidden = {(r.method, r.path) for r in ledger.rows if r.include_in_schema is False}
    assert hidden == {("GET", "/v1/reports/export"), ("WEBSOCKET", "/v1/reports/live")}
    assert not hidden & schema
    assert all(answers(TestClient(app), method, path) for method, path in hidden)


def test_authentication_names_what_provides_it_and_where_it_is_attached(
    ledger: Inventory,
) -> None:
    def sources(label: str) -> list[tuple[str, str]]:
        return [(s.level, s.where) for s in row(ledger, label).auth_sources]

    main = "ledger/main.py"
    reports = "ledger/routers/reports.py"
    assert sources("GET /v1/accounts/{account_id}") == [("include", f"{main}:14")]
    assert "`current_user`" in row(ledger, "GET /v1/accounts/{account_id}").auth_sources[0].what
    assert sources("DELETE /v1/accounts/{account_id}") == [
        ("include", f"{main}:14"),
        ("route", "ledger/routers/accounts.py:20"),
    ]
    assert sources("GET /v1/reports/summary") == [("router", f"{reports}:5")]
    freeze = row(ledger, "POST /v1/accounts/{account_id}/freeze").auth_sources
    assert [(s.provider, s.level) for s in freeze] == [
        ("current_user", "include"),
        ("current_user", "endpoint"),
    ]
    assert freeze[0].brief() == f"current_user via include at {main}:14"
    assert {level for level, _ in sources("GET /internal/queue")} == {"app"}
    assert row(ledger, "GET /internal/queue").mounted_in == "main:app"
    assert row(ledger, "POST /signup").authentication == "none"
    assert row(ledger, "GET /home").authentication == "optional"
    assert row(ledger, "GET /health").authentication == "none"


def test_each_row_carries_what_a_reviewer_asks(ledger: Inventory) -> None:
    account = row(ledger, "GET /v1/accounts/{account_id}")
    assert (account.handler, account.response_model, account.tags) == (
        "read_account",
        "Account",
        ("accounts",),
    )
    assert account.file.endswith("routers/accounts.py") and account.line == 16
    assert row(ledger, "GET /health").rate_limit and not row(ledger, "POST /signup").rate_limit
    assert row(ledger, "GET /home").response_model == "Response"
    assert row(ledger, "POST /signup").response_model == "none"
    assert row(ledger, "POST /v1/accounts/{account_id}/freeze").deprecated is True
    assert row(ledger, "DELETE /v1/accounts/{account_id}").authorization == (
        "scopes: accounts:write",
    )
    assert "answers 403" in row(ledger, "POST /v1/accounts/{account_id}/freeze").authorization[0]
    assert row(ledger, "WEBSOCKET /v1/reports/live").websocket
    assert "FL001" in row(ledger, "POST /signup").findings
    assert "FL001" not in row(ledger, "GET /v1/accounts/{account_id}").findings


def test_routes_no_app_serves_are_listed_apart(ledger: Inventory) -> None:
    assert [(u.label, u.router) for u in ledger.unattached] == [("GET /drafts/", "drafts")]
    assert all(r.path != "/drafts/" for r in ledger.rows)


def test_order_is_stable(ledger: Inventory) -> None:
    again = inventory_of(LEDGER)
    assert [r.key for r in again.rows] == [r.key for r in ledger.rows]
    order = [(r.app, r.path, r.method) for r in ledger.rows]
    assert order == sorted(order)


def test_filters(ledger: Inventory) -> None:
    open_routes = ledger.filtered(unauthenticated=True)
    assert {r.label for r in open_routes.rows} == {"GET /health", "GET /home", "POST /signup"}
    assert {r.label for r in ledger.filtered(methods=("POST",)).rows} == {
        "POST /signup",
        "POST /v1/accounts/{account_id}/freeze",
    }
    assert {r.path for r in ledger.filtered(path="/v1/reports/*").rows} == {
        "/v1/reports/export",
        "/v1/reports/live",
        "/v1/reports/summary",
    }
    assert len(ledger.filtered(path="/v1/**").rows) == 6
    assert ledger.filtered(path="/v1/*").rows == []


def test_wiring_fixture_matches_runtime(monkeypatch: pytest.MonkeyPatch) -> None:
    inventory = inventory_of(WIRING)
    main = imported(monkeypatch, WIRING, "shop", "shop.main").app
    internal = importlib.import_module("shop.internal").internal
    assert_runtime_truth(inventory, main, internal)
    catalog = row(inventory, "GET /v1/catalog/products")
    assert [s.level for s in catalog.auth_sources] == ["include"]
    assert row(inventory, "GET /public/catalog/products").authentication == "none"


@pytest.mark.parametrize("name", ["insecure", "hardened"])
def test_demo_apps_match_runtime(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # The demos import uvicorn only to run themselves (`__main__`): a stand-in will do.
    monkeypatch.setitem(
        sys.modules, "uvicorn", sys.modules.get("uvicorn", types.ModuleType("uvicorn"))
    )
    pytest.importorskip("email_validator")
    inventory = inventory_of(DEMO / name)
    monkeypatch.syspath_prepend(str(DEMO / name))
    monkeypatch.delitem(sys.modules, "main", raising=False)
    app = importlib.import_module("main").app
    assert inventory.rows
    assert_runtime_truth(inventory, app)


def test_machine_formats_carry_every_row(ledger: Inventory) -> None:
    document = json.loads(json_format.render(ledger))
    assert (document["schema"], document["version"]) == ("fastlint-routes", 1)
    assert len(document["routes"]) == len(ledger.rows)
    assert document["counts"]["not_served"] == 1
    first = document["routes"][0]
    assert {"app", "method", "path", "authentication", "auth_sources", "findings"} <= set(first)
    rows = list(csv.DictReader(io.StringIO(csv_format.render(ledger))))
    assert [r["path"] for r in rows] == [r.path for r in ledger.rows]
    text = markdown.render(ledger)
    assert text.count("\n| main:app |") == 9
    assert "served by no app" in text


def test_markdown_and_csv_neutralise_hostile_text() -> None:
    hostile = Row("a:app", "GET", "/x|<img src=x>", "h", "f.py", 1, "none", tags=("=cmd()",))
    shown = markdown.render(Inventory([hostile]))
    assert "<img" not in shown and "\\|" in shown
    assert "'=cmd()" in csv_format.render(Inventory([hostile]))


def test_cli_routes_formats_and_filters(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from fastlint.cli import app

    runner = CliRunner()
    result = runner.invoke(app, ["routes", str(LEDGER), "-f", "json", "--unauthenticated"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert {r["path"] for r in document["routes"]} == {"/health", "/home", "/signup"}
    result = runner.invoke(app, ["routes", str(LEDGER), "-f", "csv", "--method", "delete"])
    assert [r["path"] for r in csv.DictReader(io.StringIO(result.stdout))] == [
        "/v1/accounts/{account_id}"
    ]
    out = tmp_path / "routes.md"
    result = runner.invoke(app, ["routes", str(LEDGER), "-f", "markdown", "-o", str(out)])
    assert result.exit_code == 0 and "| main:app | POST | /signup |" in out.read_text()
    result = runner.invoke(app, ["routes", str(LEDGER), "--path", "/internal/*"])
    assert result.exit_code == 0 and "/internal/queue" in result.stdout
    assert "/signup" not in result.stdout
    assert runner.invoke(app, ["routes", str(tmp_path / "missing")]).exit_code == 2
