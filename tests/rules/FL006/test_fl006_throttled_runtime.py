"""FL006 matches Starlette: in-house limiters that answer 429 limit the app.

The `throttled` fixture is imported for real: a dependency made by a factory, a
dependency calling a helper, an app-level dependency (`FastAPI(dependencies=...)`),
a middleware function and a middleware class each
turn callers away with 429 after a few requests, and FL006 does not report their
apps; a dependency that only looks at an upstream's 429 limits nothing, and its
app is reported.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterable
from types import ModuleType

import pytest
from paths import FIXTURES

from fastlint.config import Settings
from fastlint.findings import Finding
from fastlint.testing import lint_fixture

pytest.importorskip("fastapi")
from fastapi import FastAPI
from fastapi.testclient import TestClient

PROJECT = FIXTURES / "throttled"


@pytest.fixture
def load(monkeypatch: pytest.MonkeyPatch) -> object:
    monkeypatch.syspath_prepend(str(PROJECT))
    for name in [m for m in sys.modules if m == "throttled" or m.startswith("throttled.")]:
        monkeypatch.delitem(sys.modules, name)

    def module(name: str) -> ModuleType:
        return importlib.import_module(f"throttled.{name}")

    return module


def _answers(app: FastAPI, method: str, path: str, times: int = 5) -> list[int]:
    client = TestClient(app)
    return [client.request(method, path).status_code for _ in range(times)]


def _reported_apps() -> set[str]:
    found = [f for f in lint_fixture(PROJECT).findings if f.rule == "FL006"]
    return {f.message.split("`")[1] + "@" + f.path.rsplit("/", 1)[-1] for f in found}


def test_limiters_answering_429_are_seen(load) -> None:  # type: ignore[no-untyped-def]
    auth, upload, gate = load("auth_app"), load("upload_app"), load("gate_app")
    report = load("report_app")
    assert _answers(report.app, "POST", "/exports") == [200, 200, 429, 429, 429]
    assert _answers(auth.app, "POST", "/auth/login") == [200, 200, 200, 429, 429]
    assert _answers(upload.app, "POST", "/upload") == [200, 200, 429, 429, 429]
    assert _answers(upload.edge, "GET", "/ping") == [200, 200, 429, 429, 429]
    assert _answers(gate.app, "GET", "/status") == [200, 200, 429, 429, 429]
    reported = _reported_apps()
    limited = {"app@auth_app.py", "app@upload_app.py", "edge@upload_app.py", "app@gate_app.py"}
    limited |= {"app@report_app.py"}
    assert not limited & reported


def test_a_limiter_class_used_by_an_endpoint_is_seen_by_its_name(load) -> None:  # type: ignore[no-untyped-def]
    """The sign-in route refuses a source after two failures with 429 (through an
    exception handler the limiter's exception reaches): its app is limited."""
    login = load("login_app")
    client = TestClient(login.app)
    answers = [client.post("/login", params={"password": "guess"}).status_code for _ in range(4)]
    assert answers == [200, 200, 429, 429]
    assert "app@login_app.py" not in _reported_apps()


def test_a_dependency_reading_an_upstream_429_limits_nothing(load) -> None:  # type: ignore[no-untyped-def]
    gate = load("gate_app")
    assert _answers(gate.proxy, "GET", "/relay", times=10) == [200] * 10
    assert _reported_apps() == {"proxy@gate_app.py", "plain@global_app.py"}


def test_an_app_level_dependency_answering_429_limits_every_route(load) -> None:  # type: ignore[no-untyped-def]
    """`FastAPI(dependencies=[Depends(limit)])` runs `limit` before every route: it
    limits the app; an app-level dependency that answers 415 limits nothing."""
    glob = load("global_app")
    assert _answers(glob.app, "GET", "/items") == [200, 200, 429, 429, 429]
    assert _answers(glob.plain, "GET", "/items", times=10) == [200] * 10
    reported = _reported_apps()
    assert "app@global_app.py" not in reported
    assert "plain@global_app.py" in reported


def test_apps_in_test_code_are_reported_only_when_asked() -> None:
    """Apps built in test code are fixtures, never deployed: FL005 and FL006 skip
    them by default (documented, option `test-paths`); `[]` reports them."""
    every_file = Settings(
        root=PROJECT,
        rule_options={"FL005": {"test_paths": ()}, "FL006": {"test_paths": ()}},
    )
    default = lint_fixture(PROJECT).findings
    asked = lint_fixture(PROJECT, settings=every_file).findings

    def deployment_findings(findings: Iterable[Finding]) -> set[tuple[str, str]]:
        return {
            (f.rule, f.path.rsplit("/", 1)[-1])
            for f in findings
            if f.rule in ("FL005", "FL006") and f.message.split("`")[1] in ("app", "stub")
        }

    assert deployment_findings(default) == set()
    assert deployment_findings(asked) == {
        ("FL005", "test_smoke.py"),
        ("FL006", "test_smoke.py"),
        ("FL005", "conftest.py"),
        ("FL006", "conftest.py"),
    }
    # the route rules still check test code, as ruff and bandit do
    assert any(f.rule == "FL001" and f.path.endswith("test_smoke.py") for f in default)
