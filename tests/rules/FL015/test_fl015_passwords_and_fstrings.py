"""FL015 on a login password (`OAuth2PasswordRequestForm`, a body model, `Form()`)
and on a secret inside an f-string (`== f"Bearer {password}"`): compared with a
literal (high) or a configured secret (medium); stored records and the caller's own
values compared with each other stay silent."""

from __future__ import annotations

from pathlib import Path

import pytest

from fastlint.findings import Severity
from fastlint.testing import findings_of

HEAD = """\
import os
from typing import Annotated

from fastapi import Depends, FastAPI, Form, HTTPException, Request
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel
from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    admin_password: str = ""


class Login(BaseModel):
    username: str
    password: str


settings = Settings()
app = FastAPI()
PASSWORD = os.environ["APP_PASSWORD"]


"""


def fl015(tmp_path: Path, route: str) -> list[tuple[int, Severity, str]]:
    found = findings_of(tmp_path, {"main.py": HEAD + route}, "FL015")
    return [(f.span.line - HEAD.count("\n"), f.severity, f.message) for f in found]


@pytest.mark.parametrize(
    ("route", "severity", "words"),
    [
        (
            """\
@app.get("/a")
async def a(request: Request) -> None:
    if request.headers.get("Authorization") != f"Bearer {PASSWORD}":
        raise HTTPException(401)
""",
            Severity.MEDIUM,
            ('f"Bearer {PASSWORD}"', "APP_PASSWORD"),
        ),
        (
            """\
@app.get("/a")
async def a(request: Request) -> None:
    if request.headers.get("Authorization") != f"Bearer {settings.admin_password}":
        raise HTTPException(401)
""",
            Severity.MEDIUM,
            ("settings.admin_password",),
        ),
        (
            """\
def load():  # type: ignore[no-untyped-def]
    ...


@app.get("/a")
async def a(request: Request) -> None:
    config = load()
    if request.headers.get("authorization") != f"Bearer {config.api_key}":
        raise HTTPException(401)
""",
            Severity.MEDIUM,
            ("config.api_key",),
        ),
        (
            """\
@app.get("/a")
async def a(request: Request) -> None:
    if request.headers.get("Authorization") != f"Bearer hunter2":
        raise HTTPException(401)
""",
            Severity.HIGH,
            ("hard-coded", "Bearer hunter2"),
        ),
        (
            """\
@app.post("/token")
async def token(form_data: OAuth2PasswordRequestForm = Depends()) -> None:
    if form_data.password == "root":
        return
    raise HTTPException(401)
""",
            Severity.HIGH,
            ("form_data.password", "OAuth2PasswordRequestForm", '"root"'),
        ),
        (
            """\
@app.post("/token")
async def token(form_data: Annotated[OAuth2PasswordRequestForm, Depends()]) -> None:
    if form_data.password != settings.admin_password:
        raise HTTPException(401)
""",
            Severity.MEDIUM,
            ("form_data.password", "settings.admin_password", "ADMIN_PASSWORD"),
        ),
        (
            """\
class Form2(OAuth2PasswordRequestForm):
    pass


@app.post("/token")
async def token(form_data: Form2 = Depends()) -> None:
    if form_data.password != "changeme":
        raise HTTPException(401)
""",
            Severity.HIGH,
            ("Form2", '"changeme"'),
        ),
        (
            """\
@app.post("/login")
async def login(form: Login) -> None:
    if form.password != settings.admin_password:
        raise HTTPException(401)
""",
            Severity.MEDIUM,
            ("form.password", "request body"),
        ),
        (
            """\
ENV_VALUES: dict[str, str] = {}


@app.post("/keys")
async def keys(body: Login) -> None:
    if body.password != ENV_VALUES["PASSWORD"]:
        raise HTTPException(401)
""",
            Severity.MEDIUM,
            ('`ENV_VALUES["PASSWORD"]`', "body.password"),
        ),
        (
            """\
@app.post("/login")
async def login(password: str = Form()) -> None:
    if password != "root":
        raise HTTPException(401)
""",
            Severity.HIGH,
            ("the form `password`", '"root"'),
        ),
        (
            """\
@app.post("/login")
async def login(user: Annotated[str, Form()], password: Annotated[str, Form()]) -> None:
    if user != "admin" or password != PASSWORD:
        raise HTTPException(401)
""",
            Severity.MEDIUM,
            ("`password`", "APP_PASSWORD"),
        ),
    ],
)
def test_reported(tmp_path: Path, route: str, severity: Severity, words: tuple[str, ...]) -> None:
    found = fl015(tmp_path, route)
    assert len(found) == 1, found
    line, got, message = found[0]
    lines = enumerate(route.splitlines(), 1)
    compare = next(i for i, text in lines if "!=" in text or "==" in text)
    assert line == compare
    assert got is severity
    for word in words:
        assert word in message


@pytest.mark.parametrize(
    "route",
    [
        # A stored record's password (plain-text storage is another problem).
        """\
USERS: dict[str, Login] = {}


def get_user(name: str) -> Login:
    return USERS[name]


@app.post("/token")
async def token(form_data: OAuth2PasswordRequestForm = Depends()) -> None:
    user = get_user(form_data.username)
    if form_data.password != user.password:
        raise HTTPException(401)
""",
        # An empty password is a missing one.
        """\
@app.post("/token")
async def token(form_data: OAuth2PasswordRequestForm = Depends()) -> None:
    if form_data.password == "":
        raise HTTPException(400)
""",
        # Two values the caller sent.
        """\
class Signup(BaseModel):
    password: str
    password_confirm: str


@app.post("/signup")
async def signup(body: Signup) -> None:
    if body.password != body.password_confirm:
        raise HTTPException(400)
""",
        """\
@app.post("/change")
async def change(
    new_password: Annotated[str, Form()], confirm_password: Annotated[str, Form()]
) -> None:
    if new_password != confirm_password:
        raise HTTPException(400)
""",
        # Not a password: a body's other field, and a username.
        """\
@app.post("/login")
async def login(form: Login) -> None:
    if form.username == "admin":
        return
""",
        # A mapping not named like configuration, or a key not named like a secret.
        """\
STORED: dict[str, str] = {}


@app.post("/login")
async def login(form: Login) -> None:
    if form.password == STORED["PASSWORD"]:
        return
""",
        """\
ENV_VALUES: dict[str, str] = {}


@app.post("/login")
async def login(form: Login) -> None:
    if form.password == ENV_VALUES["USER"]:
        return
""",
        # A helper's parameter, not bound by FastAPI.
        """\
def check(form: Login) -> bool:
    return form.password == "root"
""",
    ],
)
def test_silent(tmp_path: Path, route: str) -> None:
    assert fl015(tmp_path, route) == []
