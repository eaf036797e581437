"""The request data-flow analysis: which parameters are sources (by type), what the
Request, UploadFile and WebSocket objects give, what dependencies return, and how
values move between functions."""

from __future__ import annotations

from sources import project_of

from fastlint.analysis.request_flow import RequestFlow

HEAD = """\
import os
from enum import Enum
from typing import Annotated, Literal
from uuid import UUID

from fastapi import Depends, FastAPI, Query, Request, UploadFile, WebSocket
from pydantic import BaseModel

app = FastAPI()


class Color(str, Enum):
    red = "red"


class Item(BaseModel):
    name: str
    count: int

"""


def reached(body: str) -> list[str]:
    """The names of the routes whose `os.system(...)` call a request value reaches."""
    project = project_of({"app/main.py": HEAD + body})
    return sorted((h.route or "").split()[-1] for h in project.get(RequestFlow).hits("command"))


def test_text_carries_and_safe_types_do_not() -> None:
    body = """
@app.get("/str")
def a(v: str): os.system(v)
@app.get("/int")
def b(v: int): os.system(f"x {v}")
@app.get("/uuid")
def c(v: UUID): os.system(f"x {v}")
@app.get("/enum")
def d(v: Color): os.system(f"x {v.value}")
@app.get("/literal")
def e(v: Literal["a", "b"]): os.system(v)
@app.get("/pattern")
def f(v: Annotated[str, Query(pattern="^[a-z0-9_-]+$")]): os.system(v)
@app.get("/loose")
def g(v: Annotated[str, Query(pattern="^.+$")]): os.system(v)
@app.get("/optional")
def h(v: str | None = None): os.system(v)
"""
    assert reached(body) == ["/loose", "/optional", "/str"]


def test_request_objects_give_their_data_only() -> None:
    body = """
@app.get("/query")
def a(request: Request): os.system(request.query_params["v"])
@app.post("/json")
async def b(request: Request): os.system((await request.json())["v"])
@app.get("/app")
def c(request: Request): os.system(request.app.state.command)
@app.post("/upload")
def d(file: UploadFile): os.system(file.filename)
@app.websocket("/ws")
async def e(ws: WebSocket): os.system(await ws.receive_text())
"""
    assert reached(body) == ["/json", "/query", "/upload", "/ws"]


def test_model_fields_by_type_dependencies_and_helpers() -> None:
    body = """
def command_of(v: str = Query()) -> str:
    return "run " + v


def run(command: str) -> None:
    os.system(command)


class Runner:
    def go(self, command: str) -> None:
        os.system(command.strip())


@app.post("/name")
def a(item: Item): os.system(item.name)
@app.post("/count")
def b(item: Item): os.system(f"x {item.count}")
@app.get("/dependency")
def c(command: str = Depends(command_of)): run(command)
@app.get("/service")
def d(v: str): Runner().go(v)
"""
    assert reached(body) == ["/dependency", "/name", "/service"]
