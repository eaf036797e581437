"""FL008 follows `KEY.encode()` of a literal constant, `a or os.getenv("X") or
DEFAULT_KEY` chains (the literal is what runs when nothing is set) and a key given
by position to fastapi-users' `JWTStrategy`; keys that are never literal stay silent."""

from __future__ import annotations

from pathlib import Path

import pytest

from fastlint.testing import findings_of

HEAD = """\
import os
import secrets

import jwt
from fastapi_users.authentication import JWTStrategy
from pydantic_settings import BaseSettings


class Config(BaseSettings):
    secret: str | None = None


config = Config()
KEY = "k7Qz-a-hard-coded-signing-key-2f9d1c0a8e7b"
DEFAULT_KEY = "k7Qz-the-shipped-default-key-9e8d7c6b5a4f"
"""


def fl008(tmp_path: Path, code: str) -> list[tuple[int, str, list[int]]]:
    found = findings_of(tmp_path, {"main.py": HEAD + code}, "FL008")
    return [(f.span.line, f.message, [r.span.line for r in f.related]) for f in found]


def line_of(code: str, snippet: str) -> int:
    text = HEAD + code
    return next(i for i, line in enumerate(text.splitlines(), 1) if snippet in line)


@pytest.mark.parametrize(
    ("code", "words", "written"),
    [
        (
            """\
def sign(payload: dict) -> str:
    return jwt.encode(payload, KEY.encode(), algorithm="HS256")
""",
            ("`jwt.encode`", "hardcoded key"),
            "KEY = ",
        ),
        (
            """\
def sign(payload: dict) -> str:
    return jwt.encode(payload, KEY.encode("utf-8"), algorithm="HS256")
""",
            ("hardcoded key",),
            "KEY = ",
        ),
        (
            """\
def sign(payload: dict) -> str:
    key = config.secret or os.getenv("APP_SECRET") or DEFAULT_KEY
    return jwt.encode(payload, key, algorithm="HS256")
""",
            ("fallback default used when `APP_SECRET` is unset",),
            "DEFAULT_KEY = ",
        ),
        (
            """\
SIGNING_KEY = os.environ.get("SIGNING_KEY") or DEFAULT_KEY


def sign(payload: dict) -> str:
    return jwt.encode(payload, SIGNING_KEY.encode(), algorithm="HS256")
""",
            ("`SIGNING_KEY` is unset",),
            "DEFAULT_KEY = ",
        ),
        (
            """\
def get_jwt_strategy() -> JWTStrategy:
    return JWTStrategy(KEY, 3600)
""",
            ("`JWTStrategy`", "hardcoded key"),
            "KEY = ",
        ),
        (
            """\
def get_jwt_strategy() -> JWTStrategy:
    return JWTStrategy("k7Qz-strategy-signing-key-9e8d7c6b5a4f", 3600)
""",
            ("`JWTStrategy`", "hardcoded key"),
            None,
        ),
    ],
)
def test_reported(tmp_path: Path, code: str, words: tuple[str, ...], written: str | None) -> None:
    found = fl008(tmp_path, code)
    assert len(found) == 1, found
    line, message, related = found[0]
    call = next(s for s in ("jwt.encode(", "JWTStrategy(") if s in code)
    assert line == line_of(code, "return " + call)
    for word in words:
        assert word in message
    assert related == ([] if written is None else [line_of(code, written)])


@pytest.mark.parametrize(
    "code",
    [
        # Nothing literal in the chain, or only the empty "unset" value.
        """\
def sign(payload: dict) -> str:
    key = config.secret or secrets.token_urlsafe(32)
    return jwt.encode(payload, key, algorithm="HS256")
""",
        """\
def sign(payload: dict) -> str:
    key = config.secret or os.getenv("APP_SECRET") or ""
    return jwt.encode(payload, key, algorithm="HS256")
""",
        # Keys read from the environment, encoded or given by position.
        """\
def sign(payload: dict) -> str:
    return jwt.encode(payload, os.environ["APP_SECRET"].encode(), algorithm="HS256")
""",
        """\
def get_jwt_strategy() -> JWTStrategy:
    return JWTStrategy(os.environ["JWT_SECRET"], 3600)
""",
    ],
)
def test_silent(tmp_path: Path, code: str) -> None:
    assert fl008(tmp_path, code) == []
