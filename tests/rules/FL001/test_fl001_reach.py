"""Reachability idioms of production apps (the `reach` fixture), checked against
what FastAPI really serves, and what a run says about the routes it could not check."""

from __future__ import annotations

import importlib
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from paths import FIXTURES
from typer.testing import CliRunner

from fastlint.cli import app as cli
from fastlint.engine import Report
from fastlint.registry import ALL_RULES
from fastlint.report import json_format, sarif
from fastlint.report.options import ReportOptions
from fastlint.testing import lint_files, lint_fixture

fastapi = pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402
from starlette.routing import Mount  # noqa: E402

PROJECT = FIXTURES / "reach"
SERVED_BY = {"main.py": "main:app", "server.py": "server:app", "__init__.py": "main:app"}
APP_SUFFIX = re.compile(r" \(app (?P<app>[\w.]+:\w+)\)$")


@pytest.fixture(scope="module")
def report() -> Report:
    return lint_fixture(PROJECT)


@pytest.fixture
def portal(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    monkeypatch.syspath_prepend(str(PROJECT))
    for name in [m for m in sys.modules if m == "portal" or m.startswith("portal.")]:
        monkeypatch.delitem(sys.modules, name)
    yield {
        "main:app": importlib.import_module("portal.main").app,
        "server:app": importlib.import_module("portal.server").server.app,
    }


def served_routes(app: Any, prefix: str = "") -> Iterator[tuple[str, str]]:
    """(method, full path) of every HTTP route, mounted apps included."""
    for path, operations in app.openapi()["paths"].items():
        for method in operations:
            yield method.upper(), prefix + path
    for route in app.routes:
        if isinstance(route, Mount):
            yield from served_routes(route.app, prefix + route.path)


def by_app(report: Report, apps: list[str]) -> dict[str, set[str]]:
    """FL001 routes per served app (the app a finding names as related; the legacy
    app in `legacy/__init__.py` is mounted in `main:app`)."""
    found: dict[str, set[str]] = {name: set() for name in apps}
    for finding in report.findings:
        if finding.rule != "FL001":
            continue
        assert finding.route is not None
        app = SERVED_BY[Path(finding.related[0].path).name]
        match = APP_SUFFIX.search(finding.route)
        assert match is None or match["app"] == app
        found[app].add(APP_SUFFIX.sub("", finding.route))
    return found


@pytest.mark.slow
def test_runtime_truth(report: Report, portal: dict[str, Any]) -> None:
    """Every route the apps serve (after their lifespan ran) answers 401 exactly when
    fastlint did not report it, except routes fastlint says it could not check."""
    reported = by_app(report, list(portal))
    not_checked = {r.label for r in report.coverage.unchecked}
    checked = 0
    for name, app in portal.items():
        with TestClient(app) as client:  # runs the lifespan, which includes routers
            for method, path in sorted(set(served_routes(app))):
                label = f"{method} {path}"
                status = client.request(method, re.sub(r"\{[^}]+\}", "1", path)).status_code
                if label in not_checked:
                    assert status not in (401, 403), label  # open, and said to be unchecked
                    continue
                rejected = status in (401, 403)
                assert rejected != (label in reported[name]), (name, label, status)
                if not rejected:
                    reported[name].discard(label)
                checked += 1
    assert checked == 13
    # Every reported route is one that the app really serves.
    assert reported == {name: set() for name in portal}


def test_routes_served_by_two_apps_have_distinct_identities(report: Report) -> None:
    status = [f for f in report.findings if f.path.endswith("status.py")]
    assert sorted(f.route or "" for f in status) == [
        "GET /status/ (app main:app)",
        "GET /status/ (app server:app)",
    ]
    assert len({f.fingerprint("portal/routers/status.py") for f in status}) == 2


def test_paths(report: Report) -> None:
    routes = {f.route for f in report.findings if f.route}
    assert "GET /legacy/ping" in routes  # sub-app mounted at "/": no "//"
    # not included anywhere visible: not checked, so no finding names it
    assert not any(r.endswith("/publish") for r in routes)
    unchecked = {u.label for u in report.coverage.unchecked}
    assert "POST /drafts/publish" in unchecked  # listed with its router's own prefix
    assert "GET /reports-api/reports/" in routes  # loop over an imported dict's items()


def test_coverage_counts(report: Report) -> None:
    coverage = report.coverage
    assert [(Path(u.path).name, u.label, u.router) for u in coverage.unchecked] == [
        ("drafts.py", "POST /drafts/publish", "router")
    ]
    assert coverage.routes == 13
    assert coverage.served == 12
    assert coverage.unresolved_includes == 1  # the importlib-loaded drafts router
    assert coverage.summary is not None and coverage.summary.startswith(
        "1 route in 1 router is served by no app fastlint could see"
    )
    document = json.loads(json_format.render(report, ALL_RULES, ReportOptions()))
    assert document["coverage"]["not_checked"] == 1
    assert document["coverage"]["not_checked_routes"][0]["route"] == "POST /drafts/publish"
    notifications = json.loads(sarif.render(report, ALL_RULES, ReportOptions()))["runs"][0][
        "invocations"
    ][0]["toolExecutionNotifications"]
    assert [n["level"] for n in notifications] == ["warning", "note"]


def test_a_routers_only_folder_warns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(PROJECT)
    result = CliRunner().invoke(cli, ["check", "portal/routers", "--no-cache", "--isolated"])
    assert "served by no app fastlint could see, so they were not checked" in result.output
    assert "no findings" not in result.output or "Warning:" in result.output
    verbose = CliRunner().invoke(
        cli, ["check", "portal/routers", "--no-cache", "--isolated", "-f", "concise", "-v"]
    )
    assert "POST /accounts/ping (router `router`) is served by no app" in verbose.output


def test_star_import_respects_all(tmp_path: Path) -> None:
    """A name left out of `__all__` is not bound by `from .x import *`: unknown, and
    said so, never taken for authentication nor for its absence."""
    report = lint_files(
        tmp_path,
        {
            "pkg/__init__.py": "from .deps import *\n",
            "pkg/deps.py": "__all__ = ['open_dep']\n\n\ndef open_dep() -> int:\n    return 1\n\n\n"
            "def hidden() -> int:\n    return 2\n",
            "main.py": "from fastapi import Depends, FastAPI\n"
            "from pkg import hidden, open_dep\n\n"
            "app = FastAPI(openapi_url=None)\n\n\n"
            "@app.get('/a')\nasync def a(x: int = Depends(open_dep)) -> int:\n    return x\n\n\n"
            "@app.get('/b')\nasync def b(x: int = Depends(hidden)) -> int:\n    return x\n",
        },
    )
    assert {f.route for f in report.findings if f.rule == "FL001"} == {"GET /a"}
    assert any("`hidden`" in n.message for n in report.notes)


def test_local_loops_and_values(tmp_path: Path) -> None:
    report = lint_files(
        tmp_path,
        {
            "main.py": "from fastapi import APIRouter, FastAPI\n\n"
            "one = APIRouter()\ntwo = APIRouter()\n\n\n"
            "@one.get('/one')\nasync def a() -> int:\n    return 1\n\n\n"
            "@two.get('/two')\nasync def b() -> int:\n    return 2\n\n\n"
            "app = FastAPI(openapi_url=None)\n"
            "for r in {'x': one}.values():\n    app.include_router(r)\n"
            "for prefix, r2 in [('/p', two)]:\n    app.include_router(r2, prefix=prefix)\n",
        },
    )
    assert {f.route for f in report.findings if f.rule == "FL001"} == {"GET /one", "GET /p/two"}
    assert report.coverage.unchecked == ()


def test_startup_handler_and_an_app_held_by_an_instance(tmp_path: Path) -> None:
    report = lint_files(
        tmp_path,
        {
            "routes.py": "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n\n"
            "@router.post('/jobs')\nasync def run() -> int:\n    return 1\n",
            "wiring.py": "def attach(app) -> None:\n    from routes import router\n\n"
            "    app.include_router(router)\n",
            "server.py": "from fastapi import FastAPI\n\nfrom wiring import attach\n\n\n"
            "class Server:\n    def __init__(self) -> None:\n"
            "        self.app = FastAPI(openapi_url=None)\n\n"
            "        @self.app.on_event('startup')\n        async def startup() -> None:\n"
            "            attach(self.app)\n\n\nserver = Server()\napp = server.app\n",
        },
    )
    assert {f.route for f in report.findings if f.rule == "FL001"} == {"POST /jobs"}


def test_cadwyn_versioned_routers(tmp_path: Path) -> None:
    """Cadwyn's `VersionedAPIRouter` is a router; `generate_and_include_versioned_routers`
    includes every router it is given into the `Cadwyn` app."""
    report = lint_files(
        tmp_path,
        {
            "main.py": "from cadwyn import Cadwyn, VersionedAPIRouter\n\n"
            "one = VersionedAPIRouter(prefix='/one')\ntwo = VersionedAPIRouter()\n\n\n"
            "@one.put('/x')\nasync def a() -> int:\n    return 1\n\n\n"
            "@two.get('/y')\nasync def b() -> int:\n    return 2\n\n\n"
            "app = Cadwyn(versions=None, openapi_url=None)\n"
            "app.generate_and_include_versioned_routers(one, two)\n",
        },
    )
    assert {f.route for f in report.findings if f.rule == "FL001"} == {"PUT /one/x", "GET /y"}


def test_star_imports_that_come_back_end(tmp_path: Path) -> None:
    """A package re-exports a module that imports names back from the package."""
    report = lint_files(
        tmp_path,
        {
            "pkg/__init__.py": "from .a import *\nfrom .b import *\n",
            "pkg/a.py": "from pkg import helper\n\n\ndef user() -> str:\n    return helper()\n",
            "pkg/b.py": "from pkg import user, missing\n\n\ndef helper() -> str:\n    return ''\n",
            "main.py": "from fastapi import Depends, FastAPI\n\nfrom pkg import missing, user\n\n"
            "app = FastAPI(openapi_url=None)\n\n\n"
            "@app.get('/a')\nasync def a(x: str = Depends(user)) -> str:\n    return x\n",
        },
    )
    assert report.errors == []
    assert {f.route for f in report.findings if f.rule == "FL001"} == {"GET /a"}


def test_alternative_apps_of_one_variable_are_one_deployment(tmp_path: Path) -> None:
    report = lint_files(
        tmp_path,
        {
            "main.py": "import os\n\nfrom fastapi import FastAPI\n\n"
            "if os.environ.get('DEBUG'):\n    app = FastAPI(debug=True, openapi_url=None)\n"
            "else:\n    app = FastAPI(openapi_url=None)\n\n\n"
            "@app.post('/x')\nasync def x() -> int:\n    return 1\n",
        },
    )
    # No app suffix: both branches build the one app `main:app`. (One finding per
    # branch remains, with one fingerprint: merging them is the rules' unique-fingerprint work.)
    assert {f.route for f in report.findings if f.rule == "FL001"} == {"POST /x"}


def test_an_app_rebound_through_a_helper_keeps_its_routers(tmp_path: Path) -> None:
    """`app = add_state(app=app)` after the includes: the app they were made on stays."""
    report = lint_files(
        tmp_path,
        {
            "main.py": "from fastapi import APIRouter, FastAPI\n\nrouter = APIRouter()\n\n\n"
            "@router.post('/x')\nasync def x() -> int:\n    return 1\n\n\n"
            "def add_state(app: FastAPI) -> FastAPI:\n    app.state.ready = True\n"
            "    return app\n\n\n"
            "def create_app() -> FastAPI:\n    app = FastAPI(openapi_url=None)\n"
            "    app.include_router(router)\n    app = add_state(app=app)\n    return app\n\n\n"
            "application = create_app()\n",
        },
    )
    assert {f.route for f in report.findings if f.rule == "FL001"} == {"POST /x"}
    assert report.coverage.unchecked == ()


def test_a_method_that_wires_the_app_it_is_given(tmp_path: Path) -> None:
    """`self._configure_routes(app)` inside the class that builds the app."""
    report = lint_files(
        tmp_path,
        {
            "server.py": "from fastapi import APIRouter, FastAPI\n\nrouter = APIRouter()\n\n\n"
            "@router.delete('/x')\nasync def x() -> None:\n    return None\n\n\n"
            "class Server:\n    def __init__(self) -> None:\n        self.app = self._build()\n\n"
            "    def _build(self) -> FastAPI:\n        app = FastAPI(openapi_url=None)\n"
            "        self._configure_routes(app)\n        return app\n\n"
            "    def _configure_routes(self, app: FastAPI) -> None:\n"
            "        app.include_router(router)\n",
        },
    )
    assert {f.route for f in report.findings if f.rule == "FL001"} == {"DELETE /x"}
