"""Contract: the model says where FastAPI binds each parameter from.

Checked against FastAPI itself: the same source is imported in the test and its
`app.openapi()` says where each request parameter comes from (fastlint never
imports the code it scans; the test does, to know the truth)."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

import pytest

from fastlint.model.parameters import Parameter, path_parameter_names
from fastlint.model.project import Project
from fastlint.testing import project_in

pytest.importorskip("fastapi")

APP = """
from typing import Annotated, Optional, Union
from enum import Enum
from uuid import UUID

from fastapi import (
    BackgroundTasks, Body, Cookie, Depends, FastAPI, Header, Path, Query, Request,
    Response, Security,
)
from fastapi.security import SecurityScopes
from pydantic import BaseModel

from .deps import CurrentUser, get_db, Pager


class Color(str, Enum):
    red = "red"


class Item(BaseModel):
    name: str


class Tag(BaseModel):
    label: str


app = FastAPI()


@app.put("/shops/{shop_id}/items/{item_id}")
def update(
    shop_id: int,
    item_id: Annotated[UUID, Path()],
    item: Item,
    tag: Optional[Tag],
    user: CurrentUser,
    request: Request,
    response: Response,
    tasks: BackgroundTasks,
    scopes: SecurityScopes,
    q: str | None = None,
    color: Color = Color.red,
    limit: Annotated[int, Query(le=100)] = 10,
    tags: list[str] = Query([]),
    token: Annotated[str | None, Header()] = None,
    session: Union[str, None] = Cookie(None),
    note: str = Body("n"),
    db=Depends(get_db),
    pager: Pager = Depends(),
    admin=Security(get_db, scopes=["admin"]),
):
    return {}
"""

DEPS = """
from typing import Annotated

from fastapi import Depends, Header


def get_db(x_tenant: Annotated[str, Header()] = "t"):
    return x_tenant


def get_user(authorization: str = Header("")):
    return authorization


class Pager:
    def __init__(self, page: int = 1, size: int = 10):
        self.page = page


CurrentUser = Annotated[str, Depends(get_user)]
"""

EXPECTED = {
    "shop_id": "path",
    "item_id": "path",
    "item": "body",
    "tag": "body",
    "user": "dependency",
    "request": "special",
    "response": "special",
    "tasks": "special",
    "scopes": "special",
    "q": "query",
    "color": "query",
    "limit": "query",
    "tags": "query",
    "token": "header",
    "session": "cookie",
    "note": "body",
    "db": "dependency",
    "pager": "dependency",
    "admin": "dependency",
}


@pytest.fixture
def shop(tmp_path: Path) -> Project:
    return project_in(
        tmp_path, {"shopapp/__init__.py": "", "shopapp/main.py": APP, "shopapp/deps.py": DEPS}
    )


def endpoint_parameters(project: Project) -> dict[str, Parameter]:
    (route,) = project.routes
    assert route.endpoint is not None
    return {p.name: p for p in project.parameters(route.endpoint, route.path)}


def test_every_source_follows_fastapis_rules(shop: Project) -> None:
    found = endpoint_parameters(shop)
    assert {name: p.source for name, p in found.items()} == EXPECTED
    assert all(p.why is None for p in found.values())


def test_markers_and_dependencies_are_kept(shop: Project) -> None:
    found = endpoint_parameters(shop)
    assert found["limit"].marker is not None and found["limit"].marker.kwarg("le") is not None
    assert found["db"].dependency is not None
    assert found["pager"].dependency == found["pager"].annotation  # bare Depends(): the type
    assert found["user"].dependency is not None  # through the `CurrentUser` alias
    assert found["q"].marker is None and found["q"].default is not None
    span = found["shop_id"].span
    assert span is not None and (span.end_column - span.column) == len("shop_id")


def test_dependency_parameters_and_class_dependencies(shop: Project) -> None:
    deps = {f.fact.name: f for f in (v for v in _functions(shop)) if f.path.endswith("deps.py")}
    assert [(p.name, p.source) for p in shop.parameters(deps["get_db"])] == [("x_tenant", "header")]
    init = next(f for f in _functions(shop) if f.fact.name == "__init__")
    assert [(p.name, p.source) for p in shop.parameters(init)] == [
        ("page", "query"),
        ("size", "query"),
    ]


def test_a_name_in_the_path_is_a_path_parameter_only_there(tmp_path: Path) -> None:
    project = project_in(
        tmp_path,
        {
            "one.py": """
                from fastapi import FastAPI
                app = FastAPI()
                @app.get("/{slug}")
                def f(slug: str): ...
            """
        },
    )
    endpoint = project.routes[0].endpoint
    assert endpoint is not None
    assert [p.source for p in project.parameters(endpoint, "/{slug}")] == ["path"]
    assert [p.source for p in project.parameters(endpoint, "/x")] == ["query"]
    assert [p.source for p in project.parameters(endpoint)] == ["query"]
    assert path_parameter_names("/a/{b}/{c:path}") == {"b", "c"}


def test_forms_files_and_unknown_types(tmp_path: Path) -> None:
    """Form and File need python-multipart at runtime: checked statically only."""
    project = project_in(
        tmp_path,
        {
            "up.py": """
                from typing import Annotated
                from fastapi import FastAPI, File, Form, UploadFile
                from sqlalchemy.orm import Session
                app = FastAPI()
                class Plain:
                    pass
                @app.post("/up")
                def up(
                    doc: UploadFile,
                    docs: list[UploadFile],
                    maybe: UploadFile | None,
                    title: Annotated[str, Form()],
                    raw: bytes = File(),
                    extra: dict[str, int] = None,
                    db: Session = None,
                    thing: Plain = None,
                ): ...
            """
        },
    )
    endpoint = project.routes[0].endpoint
    assert endpoint is not None
    found = {p.name: p for p in project.parameters(endpoint, "/up")}
    assert {n: p.source for n, p in found.items()} == {
        "doc": "file",
        "docs": "file",
        "maybe": "file",
        "title": "form",
        "raw": "file",
        "extra": "body",
        "db": "unknown",
        "thing": "unknown",
    }
    assert found["db"].why is not None and "sqlalchemy.orm.Session" in found["db"].why
    assert found["thing"].why is not None and "Plain" in found["thing"].why


def _functions(project: Project) -> list[Any]:
    return [b.function for b in project.calls.bodies if b.function is not None]


# -- runtime truth ----------------------------------------------------------------------


@pytest.fixture
def runtime_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shop: Project) -> Any:
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in [m for m in sys.modules if m == "shopapp" or m.startswith("shopapp.")]:
        monkeypatch.delitem(sys.modules, name)
    return importlib.import_module("shopapp.main").app


def test_sources_match_fastapis_openapi(shop: Project, runtime_app: Any) -> None:
    schema = runtime_app.openapi()
    (operation,) = schema["paths"]["/shops/{shop_id}/items/{item_id}"].values()
    runtime = {(p["name"], p["in"]) for p in operation["parameters"]}
    body_ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    body = schema["components"]["schemas"][body_ref.rsplit("/", 1)[-1]]["properties"]
    runtime |= {(name, "body") for name in body}

    static: set[tuple[str, str]] = set()
    route = shop.routes[0]
    assert route.endpoint is not None
    pending = [route.endpoint]
    seen = set()
    while pending:  # the endpoint and, depth first, what it depends on
        function = pending.pop()
        seen.add(function)
        for parameter in shop.parameters(function, route.path):
            if parameter.source == "dependency":
                assert parameter.dependency is not None
                where = parameter.marker_ctx or parameter.ctx
                for value in shop.resolver.evaluate(parameter.dependency, where):
                    target = _callable(shop, value)
                    if target is not None and target not in seen:
                        pending.append(target)
            elif parameter.source != "special":
                name = (
                    parameter.name.replace("_", "-")
                    if parameter.source == "header"
                    else parameter.name
                )
                static.add((name, parameter.source))
    assert static == runtime


def _callable(project: Project, value: Any) -> Any:
    from fastlint.model.values import ClassVal, FunctionVal

    if isinstance(value, FunctionVal):
        return value
    if isinstance(value, ClassVal) and "__init__" in value.fact.methods:
        return next(
            b.function
            for b in project.calls.bodies
            if b.function is not None and b.function.fact is value.fact.methods["__init__"]
        )
    return None


def test_parameters_in_the_layered_fixture() -> None:
    """Dependencies through `Annotated` aliases of another module, a path
    parameter under a router prefix, a SQLModel body, keyword-only parameters."""
    from paths import FIXTURES

    project = project_in(FIXTURES / "layered")
    sources = {}
    for instance in project.instances:
        endpoint = instance.route.endpoint
        assert endpoint is not None
        for parameter in project.parameters(endpoint, instance.full_path):
            sources[(endpoint.fact.name, parameter.name)] = parameter.source
    assert sources[("read_item", "session")] == "dependency"
    assert sources[("read_item", "current_user")] == "dependency"
    assert sources[("read_item", "item_id")] == "path"
    assert sources[("create_item", "item_in")] == "body"
    assert "unknown" not in sources.values()
    # Without the route's path, `item_id` is a query parameter, as FastAPI would make it.
    read_item = next(i.route.endpoint for i in project.instances if i.route.path == "/{item_id}")
    assert read_item is not None
    assert [p.source for p in project.parameters(read_item)][-1] == "query"
