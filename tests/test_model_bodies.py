"""Contract: per function, the model answers with comparisons (inside `and`/`or`/`not`
too), `if` guards and how their branch ends, except handlers, names read and
`with ... as` bindings; and with the app's exception handlers and Starlette routes."""

from __future__ import annotations

from pathlib import Path

import pytest

from fastlint.facts.expr import Attr, BoolOp, Call, Compare, Const, Name, UnaryOp
from fastlint.model.bodies import Body
from fastlint.model.project import Project
from fastlint.model.values import FunctionVal
from fastlint.testing import project_in

SOURCE = """
from fastapi import FastAPI, HTTPException, Request
from starlette.responses import JSONResponse

import jwt

app = FastAPI(exception_handlers={404: not_found})


def check(user, token, role):
    if user is None or not (token == "x" and role in ("admin", "owner")):  # line 11
        raise HTTPException(status_code=401)
    elif 0 < user.age <= 130:  # line 13
        return user
    if user.banned:  # line 15
        log(user)
    for item in user.items:
        if not item:
            continue
    try:
        data = jwt.decode(token, "k")
    except (jwt.ExpiredSignatureError, ValueError) as exc:  # line 22
        if exc:
            raise HTTPException(status_code=401) from exc
        return None
    except Exception:  # line 26
        raise
    except:  # line 28
        pass
    with open("f") as handle, lock:  # line 30
        text = handle.read()
    return data


def empty():
    pass


@app.exception_handler(HTTPException)  # line 39
async def on_http(request: Request, exc: HTTPException):
    return JSONResponse({}, status_code=exc.status_code)


async def on_value(request, exc):
    return JSONResponse({})


async def not_found(request, exc):
    return JSONResponse({})


async def legacy(request):
    return JSONResponse({})


app.add_exception_handler(ValueError, on_value)  # line 56
app.add_route("/legacy", legacy, methods=["GET", "post"])  # line 57
app.add_websocket_route("/ws", legacy)  # line 58
"""


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return project_in(tmp_path, {"app.py": SOURCE})


def body(project: Project, name: str) -> Body:
    found = [
        b for b in project.calls.bodies if b.function is not None and b.function.fact.name == name
    ]
    assert len(found) == 1
    function = found[0].function
    assert isinstance(function, FunctionVal)
    assert project.calls.body_of(function) is found[0]
    return found[0]


def test_comparisons_inside_boolean_operators_and_chains(project: Project) -> None:
    found = [(c.left, c.op, c.right, c.span.line) for c in body(project, "check").comparisons]
    assert (Name("user"), "is", Const(None), 11) in found
    assert (Name("token"), "==", Const("x"), 11) in found
    assert any(op == "in" and line == 11 for _, op, _, line in found)
    age = Attr(Name("user"), "age")
    assert (Const(0), "<", age, 13) in found and (age, "<=", Const(130), 13) in found
    assert body(project, "empty").comparisons == []


def test_guards_say_how_their_branch_ends(project: Project) -> None:
    guards = {g.span.line: g for g in body(project, "check").guards}
    raising = guards[11]
    assert raising.outcome == "raise"
    assert isinstance(raising.value, Call) and raising.value.kwarg("status_code") == Const(401)
    assert isinstance(raising.test, BoolOp) and raising.test.op == "or"
    negated = raising.test.values[1]
    assert isinstance(negated, UnaryOp) and negated.op == "not"
    assert isinstance(negated.operand, BoolOp) and isinstance(negated.operand.values[0], Compare)
    assert guards[13].outcome == "return" and guards[13].value == Name("user")
    assert guards[15].outcome == "falls through" and guards[15].value is None
    assert guards[18].outcome == "continue"
    assert guards[23].outcome == "raise"  # nested in an except handler
    assert raising.span.column == 8  # the test, after `if `


def test_except_handlers(project: Project) -> None:
    handlers = {h.span.line: h for h in body(project, "check").handlers}
    typed = handlers[22]
    assert typed.types == (Attr(Name("jwt"), "ExpiredSignatureError"), Name("ValueError"))
    assert typed.name == "exc" and not typed.reraises
    assert len(typed.raises) == 1 and typed.returns == (Const(None),)
    assert handlers[26].types == (Name("Exception"),) and handlers[26].reraises
    assert handlers[26].raises == () and handlers[26].name is None
    assert handlers[28].types == () and not handlers[28].reraises


def test_names_read_and_with_bindings(project: Project) -> None:
    check = body(project, "check")
    assert {
        "user",
        "token",
        "role",
        "jwt",
        "HTTPException",
        "log",
        "exc",
        "handle",
    } <= check.names_read
    assert "data" in check.names_read and "text" not in check.names_read
    assert "item" in check.names_read  # read by `if not item`
    (binding,) = check.with_bindings  # `lock` binds nothing
    assert binding.name == "handle" and isinstance(binding.value, Call)
    assert binding.span.line == 30
    assert body(project, "empty").names_read == frozenset()


def test_exception_handlers_of_the_app(project: Project) -> None:
    found = {
        (h.span.line, _written(h.exception), h.handler.fact.name if h.handler else None)
        for h in project.exception_handlers
    }
    assert found == {
        (7, "404", "not_found"),
        (39, "HTTPException", "on_http"),
        (56, "ValueError", "on_value"),
    }
    assert all(h.app.is_fastapi for h in project.exception_handlers)


def test_starlette_routes_of_the_app(project: Project) -> None:
    routes = {r.span.line: r for r in project.starlette_routes}
    assert set(routes) == {57, 58}
    assert routes[57].route_path == "/legacy" and routes[57].methods == ("GET", "POST")
    assert routes[58].methods == ("WEBSOCKET",)
    assert all(r.endpoint is not None and r.endpoint.fact.name == "legacy" for r in routes.values())
    # The routing model serves them as Starlette routes: FastAPI binds no parameters.
    linked = [(r.path, r.methods, r.starlette) for r in project.routes]
    assert linked == [("/legacy", ("GET", "POST"), True), ("/ws", ("WEBSOCKET",), True)]


def _written(expr: object) -> str:
    if isinstance(expr, Name):
        return expr.id
    if isinstance(expr, Const):
        return str(expr.value)
    return "?"


def test_guards_and_calls_in_the_layered_fixture() -> None:
    from paths import FIXTURES

    project = project_in(FIXTURES / "layered")
    deps = next(
        b
        for b in project.calls.bodies
        if b.function is not None and b.function.fact.name == "get_current_active_superuser"
    )
    (guard,) = deps.guards
    assert guard.outcome == "raise" and isinstance(guard.test, UnaryOp)
    assert isinstance(guard.value, Call)
    assert guard.value.kwarg("status_code") == Attr(Name("status"), "HTTP_403_FORBIDDEN")
    assert deps.names_read >= {"current_user", "HTTPException", "status"}
    sessions = project.calls.of(lambda s: s.name == "session.get")
    assert sessions and all(s.function is not None for s in sessions)
