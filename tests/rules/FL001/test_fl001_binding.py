"""A helper's parameters are bound per call site (the `binding` fixture): a helper
called as `publish(app, orders.router)` in one module and `publish(diagnostics,
probes.router)` in another serves each router on its own app only, checked against
what FastAPI really serves."""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from paths import FIXTURES

from fastlint.engine import Report
from fastlint.model.project import Project
from fastlint.model.routing import app_label
from fastlint.testing import lint_fixture

fastapi = pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

PROJECT = FIXTURES / "binding"
APPS = {
    "main:app": ("kiosk.main", "app"),
    "diagnostics:diagnostics": ("kiosk.diagnostics", "diagnostics"),
    "factory:kiosk_app": ("kiosk.factory", "kiosk_app"),
    "console:console_app": ("kiosk.console", "console_app"),
}
APP_SUFFIX = re.compile(r" \(app (?P<app>[\w.]+:\w+)\)$")


@pytest.fixture(scope="module")
def linked() -> tuple[Report, Project]:
    projects: list[Project] = []
    report = lint_fixture(PROJECT, on_project=projects.append)
    return report, projects[0]


@pytest.fixture
def kiosk(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    monkeypatch.syspath_prepend(str(PROJECT))
    for name in [m for m in sys.modules if m == "kiosk" or m.startswith("kiosk.")]:
        monkeypatch.delitem(sys.modules, name)
    yield {
        label: getattr(importlib.import_module(module), name)
        for label, (module, name) in APPS.items()
    }


def served_by_fastapi(app: Any) -> set[str]:
    return {
        f"{method.upper()} {path}"
        for path, operations in app.openapi()["paths"].items()
        for method in operations
    }


def served_by_model(project: Project) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for instance in project.instances:
        label = f"{instance.route.method_label} {instance.full_path}"
        found.setdefault(app_label(instance.app), set()).add(label)
    return found


def test_every_app_serves_what_fastapi_serves(
    linked: tuple[Report, Project], kiosk: dict[str, Any]
) -> None:
    """Each router on the app its call site pairs it with, under that site's prefix."""
    model = served_by_model(linked[1])
    for label, app in kiosk.items():
        assert model[label] == served_by_fastapi(app), label
    assert model["main:app"] == {
        "GET /api/orders",
        "POST /api/orders",
        "GET /reports/daily",
        "POST /feedback/form",
        "GET /billing/invoices",
        "GET /status",
    }


def test_unauthenticated_routes_are_exactly_the_open_ones(
    linked: tuple[Report, Project], kiosk: dict[str, Any]
) -> None:
    reported: dict[str, set[str]] = {label: set() for label in APPS}
    for finding in linked[0].findings:
        if finding.rule != "FL001" or finding.related[0].path.endswith("test_wiring.py"):
            continue  # the project's tests build their own apps
        assert finding.route is not None
        app = next(
            label for label in APPS if Path(finding.related[0].path).stem == label.split(":")[0]
        )
        reported[app].add(APP_SUFFIX.sub("", finding.route))
    checked = 0
    for label, app in kiosk.items():
        client = TestClient(app)
        for route in sorted(served_by_fastapi(app)):
            method, path = route.split(" ")
            status = client.request(method, path).status_code
            assert (status == 401) != (route in reported[label]), (label, route, status)
            checked += 1
    assert checked == 16
    assert reported["diagnostics:diagnostics"] == {
        "GET /diag/ping",
        "GET /diag/threads",
        "GET /nested/ping",
        "GET /nested/threads",
        "GET /status",
    }


def test_a_test_calling_the_helper_adds_nothing_to_the_real_apps(
    linked: tuple[Report, Project],
) -> None:
    """The project's test calls the helpers with its own app and router: that router
    is served by the test's apps only, under the prefixes the test passes."""
    scratch = sorted(
        (f.route or "", Path(f.related[0].path).name)
        for f in linked[0].findings
        if f.path.endswith("test_wiring.py") and f.rule == "FL001"
    )
    assert scratch == [
        ("GET /nested/scratch", "test_wiring.py"),
        ("GET /t/scratch", "test_wiring.py"),
    ]


def test_a_route_a_helper_adds_names_each_app(linked: tuple[Report, Project]) -> None:
    """`add_status(app)` called by three apps: one finding per app, each with its own
    identity; two test apps both named `app` give one finding, not two alike."""
    status = [f for f in linked[0].findings if f.path.endswith("kiosk/wiring.py")]
    assert sorted(f.route or "" for f in status) == [
        "GET /status (app diagnostics:diagnostics)",
        "GET /status (app main:app)",
        "GET /status (app test_wiring:app)",
    ]
    assert len({f.fingerprint("kiosk/wiring.py") for f in status}) == 3


def test_a_helper_called_from_many_places_is_still_linked(tmp_path: Path) -> None:
    """Past the number of call sites followed one by one, every site's arguments
    stand for each parameter (more routes served, none lost)."""
    package = tmp_path / "many"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "wire.py").write_text(
        "def attach(app, router):\n    app.include_router(router)\n", encoding="utf-8"
    )
    lines = ["from fastapi import APIRouter, FastAPI", "from many.wire import attach", ""]
    for number in range(80):
        lines += [
            f"app{number} = FastAPI()",
            f"router{number} = APIRouter()",
            f"@router{number}.get('/r{number}')",
            f"def handler{number}() -> int:",
            f"    return {number}",
            f"attach(app{number}, router{number})",
        ]
    (package / "apps.py").write_text("\n".join(lines) + "\n", encoding="utf-8")
    projects: list[Project] = []
    lint_fixture(tmp_path, on_project=projects.append, select=["FL001"])
    served = served_by_model(projects[0])
    assert len(served) == 80
    assert all(f"GET /r{n}" in served[f"apps:app{n}"] for n in range(80))
