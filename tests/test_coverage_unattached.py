"""Route decorators on a receiver fastlint cannot resolve are counted as not
checked, never dropped: every route the app really serves is either checked or
listed as not checked."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

from fastlint import engine

fastapi = pytest.importorskip("fastapi")

HOLDER = """\
from fastapi import FastAPI


class Api:
    def __init__(self, app: FastAPI) -> None:
        self.app = app

    def register_routes(self) -> None:
        @self.app.get("/v1")
        async def root() -> dict[str, str]:
            return {"api": "v1"}

        @self.app.post("/v1/chat")
        async def chat(text: str) -> dict[str, str]:
            return {"echo": text}


def create_app() -> FastAPI:
    app = FastAPI()
    Api(app).register_routes()
    return app


app = create_app()
"""

NOT_FASTAPI = """\
class Cache:
    def get(self, key: str):
        return lambda function: function


cache = Cache()


@cache.get("settings")
def settings() -> dict[str, str]:
    return {}
"""


def test_routes_on_an_unresolved_receiver_are_not_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "holder"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "api.py").write_text(HOLDER)
    (package / "cache.py").write_text(NOT_FASTAPI)
    report = engine.lint([tmp_path], jobs=1, root=tmp_path)
    counts = report.coverage.counts()
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "holder.api", raising=False)
    served = importlib.import_module("holder.api").app.openapi()["paths"]
    runtime = sum(len(operations) for operations in served.values())
    assert runtime == 2
    assert counts["routes"] == runtime  # `@cache.get(...)` is no route
    assert counts["served"] + counts["not_checked"] == runtime
    unchecked = {(Path(u.path).name, u.label) for u in report.coverage.unchecked}
    assert unchecked <= {("api.py", "GET /v1"), ("api.py", "POST /v1/chat")}
    assert len(unchecked) == counts["not_checked"]
    if unchecked:
        assert report.coverage.summary is not None


ASSIGNED = """\
from fastapi import APIRouter, FastAPI

REGISTRATION = True
router = APIRouter(prefix="/auth")


def register(name: str) -> dict[str, str]:
    return {"registered": name}


if REGISTRATION:
    register = router.post("/register")(register)


def dispatch(handlers: dict, name: str, event: object) -> object:
    result = handlers.get(name)(event)  # a lookup, no route
    return result


class Plugins:
    def __init__(self, target) -> None:
        self.target = target

    def load(self) -> None:
        self.target.add_api_route("/plugin", register, methods=["POST"])


app = FastAPI()
app.include_router(router)
Plugins(app).load()
"""


def test_call_form_assigned_and_added_routes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`handler = router.post(path)(handler)` is a route; `add_api_route` on a
    receiver fastlint cannot resolve is not checked; a dict lookup is no route."""
    (tmp_path / "assigned.py").write_text(ASSIGNED)
    report = engine.lint([tmp_path], jobs=1, root=tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "assigned", raising=False)
    paths = importlib.import_module("assigned").app.openapi()["paths"]
    assert sorted(paths) == ["/auth/register", "/plugin"]
    counts = report.coverage.counts()
    assert counts["routes"] == 2
    assert counts["served"] + counts["not_checked"] == 2
    assert {u.label for u in report.coverage.unchecked} <= {"POST /plugin"}  # register: served


PLUGIN = """\
class AuthPlugin:
    def install(self, app):
        app.add_middleware(KeyCheck)
        app.middleware("http")(check_key)


class KeyCheck:
    def __init__(self, app):
        self.app = app


async def check_key(request, call_next):
    return await call_next(request)
"""


def test_middleware_on_an_unresolved_app_is_noted(tmp_path: Path) -> None:
    """A middleware registered on an app fastlint cannot resolve may authenticate
    routes it sees: it is recorded, never dropped."""
    from fastlint.testing import project_in

    project = project_in(tmp_path, {"plugin.py": PLUGIN})
    found = sorted((line, message) for _, line, message in project.routing.unresolved_middleware)
    assert found == [
        (3, "add_middleware: could not resolve the app"),
        (4, "middleware: could not resolve the app"),
    ]


REFLECTED = {
    "hub/__init__.py": "",
    "hub/routers/__init__.py": "",
    "hub/routers/items.py": """\
from fastapi import APIRouter

router = APIRouter()


@router.get("/items")
async def items() -> list[str]:
    return []
""",
    "hub/main.py": """\
import sys

from fastapi import FastAPI

app = FastAPI()
for name in sys.argv[1:]:
    app.include_router(getattr(sys.modules[name], "router"))
""",
}


def test_an_include_not_followed_is_named_as_what_may_serve_unchecked_routes(
    tmp_path: Path,
) -> None:
    for relative, source in REFLECTED.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(source)
    coverage = engine.lint([tmp_path], jobs=1, root=tmp_path).coverage
    assert [u.label for u in coverage.unchecked] == ["GET /items"]
    assert coverage.unresolved_includes == 1
    assert coverage.summary is not None
    assert "1 include_router/mount call fastlint could not follow may serve them" in (
        coverage.summary
    )
