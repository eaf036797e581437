"""Findings take their place and subject from the model object they are about."""

from __future__ import annotations

import textwrap
from pathlib import Path

from fastlint.engine import lint
from fastlint.findings import Finding
from fastlint.model.anchor import Anchor
from fastlint.span import Span
from fastlint.testing import project_in

MODELS = """\
from pydantic import BaseModel


class UserBase(BaseModel):
    name: str
    hashed_password: str
"""

MAIN = """\
from fastapi import APIRouter, FastAPI

from models import UserBase

app = FastAPI()
router = APIRouter(prefix="/users")


@router.post("/")
async def create_user(
    user: UserBase,
):
    return user


@router.get("/{name}", response_model=UserBase)
async def read_user(name: str): ...


app.include_router(router)
"""


def findings(tmp_path: Path) -> dict[str, list[Finding]]:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'p'\n")
    (tmp_path / "models.py").write_text(MODELS)
    (tmp_path / "main.py").write_text(MAIN)
    report = lint([tmp_path], jobs=1, root=tmp_path)
    by_rule: dict[str, list[Finding]] = {}
    for finding in report.findings:
        by_rule.setdefault(finding.rule, []).append(finding)
    return by_rule


def test_a_served_route_anchors_on_its_declaration(tmp_path: Path) -> None:
    found = findings(tmp_path)
    unauthenticated = next(f for f in found["FL001"] if f.span.line == 9)
    assert unauthenticated.path == str(tmp_path / "main.py")
    assert (unauthenticated.span.line, unauthenticated.also_lines) == (9, (10,))
    assert unauthenticated.subject == unauthenticated.route == "POST /users/"
    (app,) = unauthenticated.related
    assert (app.path, app.span.line) == (str(tmp_path / "main.py"), 5)
    (missing,) = found["FL002"]
    assert missing.subject == "POST /users/" and missing.also_lines == (10,)


def test_a_part_of_a_route_and_a_field_anchor_where_they_are_declared(tmp_path: Path) -> None:
    found = findings(tmp_path)
    echoed, sensitive = sorted(found["FL003"], key=lambda f: f.span.line)
    # create_user returns its request body with no response model: echoed back
    assert echoed.subject == "POST /users/ UserBase.hashed_password"
    assert (echoed.span.line, echoed.also_lines) == (9, (10,))
    assert sensitive.subject == "GET /users/{name} UserBase.hashed_password"
    assert sensitive.route == "GET /users/{name}"
    assert (sensitive.path, sensitive.span.line) == (str(tmp_path / "main.py"), 16)
    (field,) = sensitive.related
    assert (field.path, field.span.line) == (str(tmp_path / "models.py"), 6)
    unbounded = {f.subject: f for f in found["FL004"]}
    assert set(unbounded) == {"UserBase.name", "UserBase.hashed_password"}
    assert unbounded["UserBase.name"].path == str(tmp_path / "models.py")
    assert unbounded["UserBase.name"].span.line == 5
    (limits,) = found["FL006"]
    assert limits.subject == "app app" and limits.span.line == 5


def test_a_part_keeps_the_place_and_extends_the_subject() -> None:
    anchor = Anchor("/p/main.py", Span(3, 1, 3, 9), "GET /items", "GET /items", (4,))
    part = anchor.part("Item.secret")
    assert part == Anchor(
        "/p/main.py", Span(3, 1, 3, 9), "GET /items Item.secret", "GET /items", (4,)
    )


def test_a_call_site_anchors_on_the_call_with_a_subject_free_of_line_numbers(
    tmp_path: Path,
) -> None:
    source = """\
        import jwt
        import uvicorn
        from jwt import decode


        def get_user(token: str) -> dict:
            header = jwt.get_unverified_header(token)
            claims = jwt.decode(token, "k", algorithms=[header["alg"]])
            return jwt.decode(claims["inner"], "k", algorithms=["HS256"])


        def refresh(token: str) -> dict:
            return decode(token, "k", algorithms=["HS256"])


        uvicorn.run("main:app")
        """
    model = project_in(tmp_path, {"auth.py": source})
    anchors = [site.anchor for site in model.calls.of("jwt.decode")]
    assert [(a.subject, a.span.line) for a in anchors] == [
        ("get_user jwt.decode", 8),
        ("get_user jwt.decode #2", 9),
        ("refresh jwt.decode", 13),
    ]
    assert anchors[0].path == str(tmp_path / "auth.py")
    (run,) = model.calls.of("uvicorn.run")
    assert run.anchor.subject == "<module> uvicorn.run"
    # an edit above the calls moves them, not their subjects
    moved = project_in(tmp_path, {"auth.py": "# a comment\n\n" + textwrap.dedent(source)})
    assert [s.anchor.subject for s in moved.calls.of("jwt.decode")] == [a.subject for a in anchors]


def test_a_middleware_anchors_on_the_call_that_configures_it(tmp_path: Path) -> None:
    source = """\
        from fastapi import FastAPI
        from fastapi.middleware.cors import CORSMiddleware as Cors
        from starlette.middleware import Middleware

        app = FastAPI(middleware=[Middleware(Cors, allow_origins=["*"])])
        app.add_middleware(Cors, allow_credentials=True)
        """
    model = project_in(tmp_path, {"main.py": source})
    (app,) = model.apps
    first, second = (m.anchor for m in app.middleware)
    other = project_in(tmp_path, {"main.py": source.replace("app", "api")})
    assert other.apps[0].middleware[0].anchor.subject == "app api middleware CORSMiddleware"
    assert (first.path, first.span.line, second.span.line) == (str(tmp_path / "main.py"), 5, 6)
    # the app it is attached to, and the class as resolved, not as aliased
    assert first.subject == "app app middleware CORSMiddleware"
    assert second.subject == "app app middleware CORSMiddleware #2"  # never the same subject
    assert app.anchor.subject == "app app"


def test_two_apps_middleware_in_one_file_have_different_subjects(tmp_path: Path) -> None:
    source = """\
        from fastapi import FastAPI
        from fastapi.middleware.cors import CORSMiddleware

        public = FastAPI()
        admin = FastAPI()
        public.add_middleware(CORSMiddleware, allow_origins=["*"])
        admin.add_middleware(CORSMiddleware, allow_origins=["*"])
        """
    model = project_in(tmp_path, {"main.py": source})
    subjects = sorted(m.anchor.subject for app in model.apps for m in app.middleware)
    assert subjects == [
        "app admin middleware CORSMiddleware",
        "app public middleware CORSMiddleware",
    ]
