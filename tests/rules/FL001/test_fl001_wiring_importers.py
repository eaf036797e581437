"""An app built by a file that names no FastAPI word (the `launcher` fixture):
`main.py` calls `create_app()` and `register_routes(app)` imported from a module
the prefilter keeps. The prefilter reads it, so every route is served, as at runtime."""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from paths import FIXTURES

from fastlint import engine, prefilter
from fastlint.facts.types import ModuleFacts
from fastlint.model.project import Project
from fastlint.pipeline.importers import wiring_names
from fastlint.results import Report
from fastlint.source import analyse_source
from fastlint.testing import lint_fixture

fastapi = pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

PROJECT = FIXTURES / "launcher"
APPS = {"fleetd.server.main": "app", "fleetd.gateway.entry": "gateway"}


@pytest.fixture(scope="module")
def report() -> Report:
    return lint_fixture(PROJECT)


@pytest.fixture
def apps(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    monkeypatch.syspath_prepend(str(PROJECT))
    for name in [m for m in sys.modules if m == "fleetd" or m.startswith("fleetd.")]:
        monkeypatch.delitem(sys.modules, name)
    yield {module: getattr(importlib.import_module(module), attr) for module, attr in APPS.items()}


def read_files() -> set[str]:
    """The files a prefiltered run over the fixture reads."""
    seen: list[Project] = []
    engine.lint([PROJECT], jobs=1, root=PROJECT, on_project=seen.append)
    return {str(Path(p).relative_to(PROJECT)) for p in seen[0].modules}


def test_every_route_is_served(report: Report) -> None:
    counts = report.coverage.counts()
    assert counts["routes"] == 5
    assert counts["served"] == 5
    assert counts["not_checked"] == 0


def test_the_files_that_build_the_app_are_read_and_nothing_else() -> None:
    files = read_files()
    assert "fleetd/server/main.py" in files  # imports create_app, register_routes
    assert "fleetd/gateway/__init__.py" in files  # re-exports them
    assert "fleetd/gateway/entry.py" in files  # imports them from the package
    assert "fleetd/cli.py" not in files  # imports a module, but nothing that builds an app


def test_runtime_truth(report: Report, apps: dict[str, Any]) -> None:
    """The routes the apps serve are the routes fastlint checked, and those it
    reported as unauthenticated are exactly those that answer without a token."""
    reported = {(f.route or "").split(" (app")[0] for f in report.findings if f.rule == "FL001"}
    served: set[str] = set()
    for app in apps.values():
        with TestClient(app) as client:
            for path, operations in app.openapi()["paths"].items():
                for method in map(str.upper, operations):
                    label = f"{method} {path}"
                    served.add(label)
                    url = re.sub(r"\{[^}]+\}", "p", path)
                    status = client.request(method, url, params={"name": "n"}).status_code
                    assert (status == 401) != (label in reported), (label, status)
    assert len(served) == report.coverage.counts()["served"]
    assert reported <= served


def test_the_prefilter_hands_back_the_imports_of_a_file_it_skips(tmp_path: Path) -> None:
    skipped = tmp_path / "main.py"
    skipped.write_text(
        "import os.path\nfrom . import boot\n\ndef main():\n"
        "    from .app import create_app as make\n    return make()\n"
    )
    keep, imports = prefilter.screen_file(str(skipped))
    assert not keep
    assert set(imports) == {("os.path", 0, None), ("", 1, "boot"), ("app", 1, "create_app")}
    kept = tmp_path / "app.py"
    kept.write_text("from fastapi import FastAPI\n")
    assert prefilter.screen_file(str(kept)) == (True, ())


def names_of(source: str) -> set[str]:
    facts = analyse_source("m.py", source.encode())
    assert isinstance(facts, ModuleFacts)
    return set(wiring_names(facts, frozenset()))


def test_wiring_names() -> None:
    app = (PROJECT / "fleetd" / "server" / "app.py").read_text()
    assert names_of(app) == {"create_app", "register_routes"}
    gateway = (PROJECT / "fleetd" / "gateway" / "factory.py").read_text()
    assert names_of(gateway) == {"routes", "make_gateway", "attach_routes"}
    assert names_of("from .factory import build\n\napp = build()\n") == set()
    holder = (
        "from fastapi import FastAPI\n\nclass Server:\n    def __init__(self):\n"
        "        self.app = FastAPI()\n\nserver = Server()\n"
    )
    assert names_of(holder) == {"Server", "server"}


def test_a_session_mount_is_not_wiring() -> None:
    """`requests.Session.mount` shares its name with Starlette's: alone, it builds no app."""
    client = (
        "import requests\n\nclass Client:\n    def __init__(self):\n"
        "        self.session = requests.Session()\n"
        '        self.session.mount("https://", object())\n'
    )
    assert names_of(client) == set()
