"""Contract: every call in module and function bodies is a call site, wherever it is
written, with its arguments, its span, its enclosing function and its callee
resolved across modules."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from paths import FIXTURES

from fastlint.facts.expr import Call, Const, Name, Subscript
from fastlint.model.calls import CallSite
from fastlint.model.project import Project
from fastlint.model.values import ClassVal, External, FunctionVal
from fastlint.source import analyse_file
from fastlint.testing import project_in

AUTH = """
import jwt
from jose import jwt as jose_jwt

SECRET = "s"


def decode(token):
    return jwt.decode(token, SECRET, algorithms=["HS256"])["sub"]  # line 9


class User:
    def __init__(self, **fields):
        self.fields = fields


def other_library(token):
    return jose_jwt.decode(token, SECRET)  # line 18
"""

MAIN = """
import contextlib

import jwt
from fastapi import FastAPI

from .auth import User, decode

app = FastAPI()


async def endpoint(token: str, items: list[str]):
    if not jwt.decode(token, "k", options={"verify_signature": False}):  # line 13
        return None
    while check(token) and other(token) or third():  # line 15
        pass
    with contextlib.suppress(ValueError) as ctx:  # line 17
        user = User(**jwt.decode(token, "k"))  # line 18
    value = await fetch(wrap(inner(token)))  # line 19
    names = [clean(i) for i in items if keep(i)]  # line 20
    pick = lambda v: choose(v)  # line 21
    assert verify(token), message(token)  # line 22
    return decode(token) if token else jwt.decode(token, key="k")  # line 23


def outer():
    def nested():
        return jwt.decode("t", "k")  # line 28
    return nested


jwt.decode("module-level", "k")  # line 32
"""


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return project_in(tmp_path, {"svc/__init__.py": "", "svc/auth.py": AUTH, "svc/main.py": MAIN})


def lines(sites: list[CallSite]) -> list[int]:
    return [s.span.line for s in sites]


def by_name(project: Project, name: str) -> list[CallSite]:
    return [s for s in project.calls.all() if s.name == name]


def test_calls_in_every_position_are_call_sites(project: Project) -> None:
    written = {(s.span.line, s.name) for s in project.calls.all() if s.path.endswith("main.py")}
    expected = {
        (13, "jwt.decode"),
        (15, "check"),
        (15, "other"),
        (15, "third"),
        (17, "contextlib.suppress"),
        (18, "User"),
        (18, "jwt.decode"),
        (19, "fetch"),
        (19, "wrap"),
        (19, "inner"),
        (20, "clean"),
        (20, "keep"),
        (21, "choose"),
        (22, "verify"),
        (22, "message"),
        (23, "decode"),
        (23, "jwt.decode"),
        (28, "jwt.decode"),
        (32, "jwt.decode"),
    }
    assert expected <= written


def test_external_callees_by_qualified_name(project: Project) -> None:
    sites = project.calls.of("jwt.decode")
    assert [(s.path.rsplit("/", 1)[-1], s.span.line) for s in sites] == [
        ("auth.py", 9),
        ("main.py", 13),
        ("main.py", 18),
        ("main.py", 23),
        ("main.py", 28),
        ("main.py", 32),
    ]
    assert all(s.callee == External("jwt.decode") for s in sites)
    # Another library's `jwt.decode` is not this one, and the other way round.
    assert lines(project.calls.of("jose.jwt.decode")) == [18]


def test_project_callees_resolve_across_modules(project: Project) -> None:
    (call,) = [s for s in by_name(project, "decode") if s.path.endswith("main.py")]
    assert isinstance(call.callee, FunctionVal) and call.callee.path.endswith("auth.py")
    assert call.qualnames[0].endswith("svc.auth.decode")
    assert project.calls.of("svc.auth.decode") == [call]
    (user,) = by_name(project, "User")
    assert isinstance(user.callee, ClassVal) and user.callee.fact.name == "User"


def test_arguments_are_kept(project: Project) -> None:
    first = project.calls.of("jwt.decode")[1]  # `if not jwt.decode(token, "k", options=...)`
    assert first.args == (Name("token"), Const("k"))
    options = first.kwarg("options")
    assert options is not None and first.arg(1, "key") == Const("k")
    (user,) = by_name(project, "User")
    assert user.has_star and isinstance(user.call.kwargs, tuple)
    nested_in_star = project.calls.of("jwt.decode")[2]
    assert nested_in_star.span.line == 18 and nested_in_star.args[0] == Name("token")
    returned = project.calls.of("jwt.decode")[0]  # `return jwt.decode(...)["sub"]`
    assert returned.kwarg("algorithms") is not None
    facts = project.modules[returned.path]
    (decode_fact,) = [f for n, f in facts.scope.functions.items() if n == "decode"]
    (value,) = decode_fact.return_values
    assert isinstance(value, Subscript) and isinstance(value.value, Call)


def test_enclosing_function_and_context(project: Project) -> None:
    sites = {s.span.line: s for s in project.calls.of("jwt.decode")}
    assert sites[13].function is not None and sites[13].function.fact.name == "endpoint"
    assert sites[28].function is not None and sites[28].function.fact.name == "nested"
    assert sites[32].function is None
    # Arguments are evaluated where the call is made: `token` is endpoint's parameter.
    assert [f.name for f in sites[13].ctx.functions] == ["endpoint"]
    assert sites[9].span.column == 12  # `jwt.decode(` starts after `return `


def test_predicates_and_per_function_queries(project: Project) -> None:
    unverified = project.calls.of(
        lambda s: s.qualnames == ("jwt.decode",) and s.kwarg("options") is not None
    )
    assert lines(unverified) == [13]
    endpoint = next(s.function for s in project.calls.all() if s.span.line == 13)
    assert endpoint is not None
    inside = project.calls.in_function(endpoint)
    assert 28 not in lines(inside) and {13, 18, 23} <= set(lines(inside))


def test_unresolved_callees_say_why(project: Project) -> None:
    (site,) = by_name(project, "fetch")
    assert site.callee is None and site.callees == ()
    assert site.unknown is not None and "fetch" in site.unknown


def test_call_sites_in_fixture_projects() -> None:
    project = project_in(FIXTURES / "wiring")
    sites = project.calls.all()
    assert sites and all(s.span.line > 0 and s.path.startswith(str(FIXTURES)) for s in sites)
    included = project.calls.of("fastapi.FastAPI().include_router")
    assert lines(included) == [12, 13, 14, 15]
    assert all(s.path.endswith("shop/main.py") and s.args for s in included)
    depends = project.calls.of("fastapi.Depends")
    assert depends and all(s.callee == External("fastapi.Depends") for s in depends)


def test_facts_with_every_call_still_pickle(tmp_path: Path) -> None:
    source = tmp_path / "m.py"
    source.write_text(MAIN, encoding="utf-8")
    facts = analyse_file(str(source))
    assert pickle.loads(pickle.dumps(facts)) == facts


def test_a_call_knows_whether_it_sits_under_the_main_guard(tmp_path: Path) -> None:
    source = """\
import uvicorn
from fastapi import FastAPI

app = FastAPI()
uvicorn.run(app)  # line 5: at import time


def serve():
    uvicorn.run(app)  # line 9: in a function


if "__main__" == __name__:
    if True:
        uvicorn.run(app, reload=True)  # line 14: nested under the guard
uvicorn.run(app, port=1)  # line 15: after the guard
if __name__ != "__main__":
    uvicorn.run(app, port=2)  # line 17: not the main guard
"""
    model = project_in(tmp_path, {"main.py": source})
    guarded = {s.span.line: s.under_main_guard for s in model.calls.of("uvicorn.run")}
    assert guarded == {5: False, 9: False, 14: True, 15: False, 17: False}


def test_functions_called_by_another_name_are_found(tmp_path: Path) -> None:
    source = """\
import jwt as pyjwt
from jwt import decode as verify_token, encode
from jose.jwt import encode as jose_encode

sign = pyjwt.encode
decode = "not a function"


def issue(claims):
    pyjwt.encode(claims, "k")  # line 10: a module imported under another name
    verify_token("t", "k")  # line 11: a function imported under another name
    sign(claims, "k")  # line 12: a name bound to the function
    encode(claims, "k")  # line 13: imported under its own name
    jose_encode(claims, "k")  # line 14: another library's encode


def unrelated(verify_token, e):
    verify_token("t")  # line 18: a parameter that shadows the import
    e(1)  # line 19
"""
    model = project_in(tmp_path, {"auth.py": source})
    assert lines(model.calls.of("jwt.encode")) == [10, 12, 13]
    assert lines(model.calls.of("jwt.decode")) == [11]
    assert lines(model.calls.of("jose.jwt.encode")) == [14]


def test_calls_of_project_subclasses_of_a_library_class(tmp_path: Path) -> None:
    source = """\
from typing import Generic, TypeVar

from itsdangerous import URLSafeSerializer
from fastapi_users.authentication import JWTStrategy

T = TypeVar("T")


class Strategy(JWTStrategy[dict, int]):
    pass


class Rotating(Strategy, Generic[T]):
    pass


class Links(URLSafeSerializer):
    pass


Strategy(secret="a", lifetime_seconds=1)  # line 21
Rotating[int](secret="b", lifetime_seconds=1)  # line 22
Links("c")  # line 23
JWTStrategy(secret="d", lifetime_seconds=1)  # line 24: the class itself
Rotating(secret="e", lifetime_seconds=1)  # line 25: a subclass of a subclass
"""
    model = project_in(tmp_path, {"auth.py": source})
    target = "fastapi_users.authentication.JWTStrategy"
    # `Rotating[int](...)` (line 22) is a call of a subscript, not resolved
    assert lines(model.calls.of_subclasses(target)) == [21, 25]
    assert lines(model.calls.of_subclasses("itsdangerous.URLSafeSerializer")) == [23]
    assert lines(model.calls.of(target)) == [24]


def test_a_class_picked_from_a_dict_is_each_of_its_values(tmp_path: Path) -> None:
    source = """\
from pydantic_settings import BaseSettings


class Dev(BaseSettings):
    pass


class Prod(BaseSettings):
    pass


CLASSES = {"dev": Dev, "prod": Prod}


def settings_for(env: str):
    return CLASSES[env]()


def production():
    return CLASSES["prod"]()


def missing():
    return CLASSES["staging"]()
"""
    model = project_in(tmp_path, {"config.py": source})
    ctx = model.resolver.module_ctx(str(tmp_path / "config.py"))
    names = {}
    for name in ("settings_for", "production", "missing"):
        function = ctx.module_scope.functions[name]
        (returned,) = function.return_values
        values = model.resolver.evaluate(returned, ctx.enter(function))
        names[name] = sorted(
            v.cls.fact.name for v in values if hasattr(v, "cls") and hasattr(v.cls, "fact")
        )
    assert names == {"settings_for": ["Dev", "Prod"], "production": ["Prod"], "missing": []}
