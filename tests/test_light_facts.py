"""Context files read from CPython's tree (`fastlint.facts.light`) give the very facts
libcst gives, or are promoted to the libcst parse; the findings never change."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from fastlint import source
from fastlint.engine import lint
from fastlint.facts.types import ModuleFacts
from fastlint.source import analyse_context_file, analyse_source

FIXTURES = Path(__file__).parent / "fixtures"

# A context module as real ones are written: constants, helpers with guards and
# handlers, classes with fields and a Config, every way of importing, and the
# expressions whose shape `ast` and libcst write differently (strings, f-strings,
# subscripts, operators, comprehensions).
CONTEXT = '''\
"""Helpers."""
import os, os.path as osp
import a.b.c
from . import sibling
from .models import User as Person, Group
from ..deep.module import *
API_PREFIX = f"/api/{os.environ.get('VERSION', 'v1')}"
ESCAPED = f"a\\tb{{literal}} {API_PREFIX!r:>{10}} \\N{EM DASH}"
JOINED = "a" "b" 'c'
MIXED = "a" f"{API_PREFIX}"
RAW = r"\\d+" + b"\\x00".decode()
NUMBERS = (1, -2, 3.5, 4j, 0x1F, 1_000, 404, 4001, ..., None, True)
TABLE: dict[str, int] = {"k": 1, **{}, "other": len([x for x in range(3) if x])}
HEADERS = {}
HEADERS["X-Key"] = "v"
app_state.limiter = object()
first, *rest = items = [1, 2, 3]
total = 0
total += 1
routes = []
routes += [1, 2]
value = x[a, b] + x[1:2, ::3] + x[()] + x[-1] @ m
flag = not a and (b or c) and d if e else lambda q=1, *, r=2: q
walrus = (y := compute(1, *args, key=2, **kw))
check = 1 < a <= 2 != b in c not in d is e is not f


class Settings(Base, *more, metaclass=Meta, **extra):
    name: str = "fastlint"
    secret: Optional[str]
    model_config = {"extra": "forbid"}
    plain = 3

    class Config:
        env_prefix = "APP_"

    async def method(self, /, a: int = 1, *args: str, b=2, **kwargs) -> dict[str, int]:
        return {"a": a}


@decorator.attr(status_code=401)
@other
def helper(token: str, user=None) -> bool:
    global COUNTER
    if not token:
        raise PermissionError("HTTP_401_UNAUTHORIZED")
    elif token == "x":
        return False
    else:
        if user:
            pass
    try:
        value = decode(token)
    except (ValueError, KeyError) as exc:
        raise RuntimeError(403) from exc
    except Exception:
        raise
    else:
        log(f"""{value}
            {describe(value, 1 < 2)} and {"nested"!s}""")
    finally:
        cleanup()
    for key, item in table.items():
        continue
    for name in names:
        break
    while waiting():
        sleep(1)
    else:
        done()
    with open(path) as handle, lock:
        handle.read()
    match value:
        case {"k": v}:
            return v
        case _:
            pass
    assert token, "no token"
    del value

    def nested(inner=make()):
        yield from inner
        yield
        await thing

    return nested(token) or status.HTTP_403_FORBIDDEN


def helper(again):  # redefined: the first one's decorators ran
    return again
'''


def full_and_light(path: str, data: bytes) -> tuple[object, object]:
    light = source._on_big_stack(lambda: source._light_facts(path, data))
    return analyse_source(path, data), light


def test_context_module_facts_are_libcst_facts(tmp_path: Path) -> None:
    path = tmp_path / "helpers.py"
    path.write_text(CONTEXT)
    full, light = full_and_light(str(path), CONTEXT.encode())
    assert isinstance(full, ModuleFacts)
    assert isinstance(light, ModuleFacts), light
    assert light == full
    # and what the model reads of it is there: names, classes, imports
    assert {"API_PREFIX", "TABLE", "first", "items"} <= light.scope.assignments.keys()
    assert light.scope.classes["Settings"].config.keys() == {"env_prefix"}
    assert light.scope.imports["Person"].name == "User"
    assert light.star_imports == (("deep.module", 2),)


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ('x = f"{value=}"\n', "`=`"),
        ("x = f\"{f'{a}'}\"\n", "f-string inside an f-string"),
        ("x = table[(a, b)]\n", "parenthesised tuple"),
        ('x = f"""\r\n{call()}\r\n"""\r\n', "multi-line f-string"),
        ("@\\\n  decorator\ndef f(): pass\n", "decorator"),
    ],
)
def test_what_ast_hides_promotes_the_file(tmp_path: Path, code: str, reason: str) -> None:
    path = tmp_path / "context.py"
    path.write_text(code)
    facts, promoted = analyse_context_file(str(path))
    assert promoted is not None and reason in promoted
    assert facts == analyse_source(str(path), code.encode())  # read by libcst after all


def test_every_fixture_file_reads_the_same_light(tmp_path: Path) -> None:
    files = sorted(FIXTURES.rglob("*.py"))
    assert len(files) > 100
    for file in files:
        data = file.read_bytes()
        full, light = full_and_light(str(file), data)
        if isinstance(full, ModuleFacts) and isinstance(light, ModuleFacts):
            assert light == full, file


PROJECT = {
    "app/main.py": """\
        from fastapi import APIRouter, Depends, FastAPI
        from app.checks import check_owner
        from app.settings import PREFIX, Checker, public_prefix

        app = FastAPI()
        router = APIRouter(prefix=PREFIX)
        open_router = APIRouter(prefix=public_prefix())

        @router.get("/items/{item_id}")
        def read(item_id: int, ok: bool = Depends(Checker())):
            check_owner(item_id)
            return {"id": item_id}

        @open_router.post("/open")
        def post_open(data: dict):
            return data

        app.include_router(router)
        app.include_router(open_router)
        """,
    "app/settings.py": """\
        import os

        PREFIX = "/api/" + os.environ.get("VERSION", "v1")
        SECRET = "hunter2-hunter2-hunter2"


        def public_prefix():
            return f"/public/{PREFIX}"


        class Checker:
            def __call__(self, token: str = "") -> bool:
                if not token:
                    raise PermissionError("no")
                return True
        """,
    "app/checks.py": """        def check_owner(item_id):
            if item_id < 0:
                raise ValueError(f"{item_id=}")
        """,
    "app/__init__.py": "",
}


def test_findings_and_routes_are_the_same_with_context_read_light(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, text in PROJECT.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(textwrap.dedent(text))
    light = lint([tmp_path], jobs=1)
    # settings.py and checks.py mention nothing FastAPI: context; checks.py holds
    # an `{x=}` f-string, whose text only libcst records: promoted
    assert light.files_light == 1
    assert [p for p, _ in light.promoted] == [str(tmp_path / "app/checks.py")]

    parsed: list[str] = []

    def full_parse(path: str, store: object = None) -> tuple[object, None]:
        parsed.append(path)
        return source.analyse_file(path, None), None

    monkeypatch.setattr("fastlint.pipeline.read.analyse_context_file", full_parse)
    full = lint([tmp_path], jobs=1)
    assert sorted(parsed) == [str(tmp_path / "app/checks.py"), str(tmp_path / "app/settings.py")]
    assert light.findings  # the comparison below compares something
    assert light.findings == full.findings
    assert light.coverage == full.coverage
    assert light.notes == full.notes
