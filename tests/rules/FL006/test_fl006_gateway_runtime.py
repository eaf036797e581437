"""FL006 matches Starlette: a middleware factory limits the app it wraps, and apps
mounted in an app run inside its middleware, so a deployment is reported once.

The `gateway` fixture is imported for real.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import pytest
from paths import FIXTURES

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

from fastlint.testing import lint_fixture

PROJECT = FIXTURES / "gateway"


@pytest.fixture
def gateway(monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.syspath_prepend(str(PROJECT))
    for name in [m for m in sys.modules if m == "gateway" or m.startswith("gateway.")]:
        monkeypatch.delitem(sys.modules, name)
    return importlib.import_module("gateway.main")


def test_factory_limiter_throttles_the_app_and_its_mounted_apps(gateway: Any) -> None:
    client = TestClient(gateway.app)
    answers = [client.get(path).status_code for path in ("/a", "/files/b", "/files/c", "/d")]
    assert answers == [404, 404, 404, 429]  # the mounted app's requests count too
    reported = [f for f in lint_fixture(PROJECT).findings if f.rule == "FL006"]
    assert all("`app`" not in f.message and "`files`" not in f.message for f in reported)


def test_unlimited_deployment_is_reported_once_with_its_mounted_apps(gateway: Any) -> None:
    client = TestClient(gateway.portal)
    assert all(client.get(f"/admin/x{i}").status_code == 404 for i in range(10))
    (finding,) = [f for f in lint_fixture(PROJECT).findings if f.rule == "FL006"]
    assert finding.message.startswith("FastAPI app `portal` has no rate limiting")
    related = {r.message.split("`")[1]: r.span.line for r in finding.related}
    assert related == {"admin": 15, "partners": 16, "reports": 17}
