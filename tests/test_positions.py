"""Positions taken from CPython's `ast` equal libcst's own `PositionProvider`."""

from __future__ import annotations

import ast
from pathlib import Path

import libcst as cst
import pytest
from paths import FIXTURES

from fastlint.facts.expr import Call, Name
from fastlint.facts.extract import Extractor

TRICKY = '''\
import fastapi as  fa
from x import (a,
    b)
app = fa.FastAPI(title=f"{name()!r:>{width()}} é {a.b(c())}", **extra(1))
router = (fa.APIRouter(prefix=(p("/x"))))
café = "ü"; déjà = Depends(get_user("ü", é=f(1)))
@app.get( "/a" , dependencies=[Depends(d(), use_cache=x(1))] )
@ router.post("/b")
async def  route(
    q: Annotated[str, Query(max_length=lookup(10))] = None, *args: int,
    k: int = (lambda v=g(): h(v))(), **kw: dict[str, i()]
) -> Response[j()]:
    """Doc."""
    if not auth(q) or [t(x) for x in s(q) if u(x)]:
        raise HTTPException(status(401), detail=msg(1) if q else msg(2))
    elif (y := w()) and z[sl(1):sl(2)]:
        return JSONResponse(*pos(1), content={k(1): v(1), **more(1)})
    else:
        if nested(1):
            pass
    try:
        app.include_router(router, prefix="/p" + suffix(1))
    except (E1, E2) as exc:
        app.mount("/m", make(1)(2))
    else:
        first(1); second(2)
    finally:
        cleanup(1)
    with open_a(1) as fa1, open_b(2):
        for item in items(1):
            app.add_middleware(M, key=item())
    match pick(1):
        case {"a": 1}:
            chosen(1)
        case _:
            chosen(2)
    return await call_next(request)
class  Model(Base, metaclass=meta(1)):
    model_config = ConfigDict(extra=forbid())
    name: str = Field(max_length=limit(3))
    other: "Fwd" = Field(default_factory=lambda: make(1))
    class Config:
        orm_mode = truthy(1)
    def method(self, v=default(1)): return helper(v)
x.y = assign(1); x.y[z()] = sub(2)
total += add(1)
'''


def both(source: str | bytes) -> tuple[Extractor, Extractor]:
    """The source extracted with positions from `ast`, and from libcst's metadata."""
    data = source.encode() if isinstance(source, str) else source
    tree = ast.parse(data)
    module = cst.parse_module(data)
    text = data.decode(module.encoding).lstrip("\ufeff")
    return Extractor(module, "t.py", tree, text), Extractor(module, "t.py", None, "")


def assert_same_positions(source: str | bytes) -> list[Call]:
    """Same facts both ways, and every call met (stored or not) has the same span."""
    fast, slow = both(source)
    assert fast.run() == slow.run()
    assert not fast.used_fallback
    assert fast.builder.observer.calls == slow.builder.observer.calls
    return fast.builder.observer.calls


@pytest.mark.parametrize(
    "source",
    [
        TRICKY,
        TRICKY.replace("\n", "\r\n"),
        TRICKY.replace("    ", "\t"),
        b"\xef\xbb\xbf" + TRICKY.encode(),
        b"# -*- coding: latin-1 -*-\n" + TRICKY.encode("latin-1", "replace"),
        "x = 1\f\ny = f(1)\n",
    ],
    ids=["tricky", "crlf", "tabs", "bom", "latin-1", "form-feed"],
)
def test_ast_positions_equal_libcst_positions(source: str | bytes) -> None:
    assert len(assert_same_positions(source)) >= 1


def test_every_call_of_the_tricky_source_is_met() -> None:
    names = {c.func.id for c in assert_same_positions(TRICKY) if isinstance(c.func, Name)}
    assert {"name", "width", "c", "extra", "p", "lookup", "g", "h", "sl", "pos"} <= names
    assert {"more", "suffix", "make", "first", "second", "open_a", "item", "pick"} <= names
    assert {"meta", "forbid", "limit", "truthy", "default", "helper", "assign", "sub"} <= names


@pytest.mark.slow
def test_fixture_projects_need_no_libcst_positions() -> None:
    for path in sorted(Path(FIXTURES).rglob("*.py")):
        assert_same_positions(path.read_bytes())


def test_without_a_twin_positions_fall_back_to_libcst() -> None:
    source = "app = FastAPI()\n"
    extractor = Extractor(cst.parse_module(source), "t.py", None, source)
    (call, _), *_ = extractor.run().scope.constructed
    assert (call.span.line, call.span.column, call.span.end_column) == (1, 7, 16)
    assert extractor.used_fallback


@pytest.mark.parametrize(
    "literal",
    [
        '"plain"',
        "'single'",
        '"""triple\nquoted"""',
        'r"raw\\d+"',
        'u"unicode é"',
        '"escaped\\n\\t\\x41"',
        'b"bytes"',
        'rb"raw bytes"',
        '"\\N{BULLET}"',
        "'it\\'s'",
        '"""crlf\r\ninside"""',
        "0x1F",
        "0o17",
        "0b101",
        "1_000",
        "0",
        "00",
    ],
)
def test_literals_read_without_compiling_equal_libcst_values(literal: str) -> None:
    node = cst.parse_module(f"x = {literal}\n").body[0].body[0].value  # type: ignore[attr-defined]
    expected = node.evaluated_value
    built = Extractor(cst.parse_module(f"x = {literal}\n"), "t.py", None, "").run()
    (assignment,) = built.scope.assignments["x"]
    assert assignment.value.value == expected  # bytes literals keep their value too
