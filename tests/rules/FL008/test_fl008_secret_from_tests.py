"""FL008: a key a test hands to production code is a test's throwaway key; the same
class given a literal by the app is reported."""

from __future__ import annotations

from pathlib import Path

from fastlint.testing import lint_fixture

SERVICE = """\
import jwt


class AuthService:
    def __init__(self, secret: str) -> None:
        self._secret = secret

    def issue(self, user: str) -> str:
        return jwt.encode({"sub": user}, self._secret, algorithm="HS256")
"""
APP = """\
import os

from fastapi import FastAPI

from keys.service import AuthService

app = FastAPI()
auth = AuthService(secret=os.environ["JWT_SECRET"])
"""
TEST = """\
from fastapi.testclient import TestClient

from keys.app import app
from keys.service import AuthService

client = TestClient(app)


def test_issue() -> None:
    service = AuthService(secret="unit-test-secret")
    assert service.issue("ann")
"""


def write(root: Path, app: str) -> None:
    package = root / "keys"
    (package / "tests").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "service.py").write_text(SERVICE)
    (package / "app.py").write_text(app)
    (package / "tests" / "__init__.py").write_text("")
    (package / "tests" / "test_service.py").write_text(TEST)


def test_a_key_only_tests_hand_in_is_not_reported(tmp_path: Path) -> None:
    write(tmp_path, APP)
    report = lint_fixture(tmp_path, select=("FL008",))
    assert [f for f in report.findings if f.rule == "FL008"] == []


def test_a_key_the_app_hands_in_is_reported(tmp_path: Path) -> None:
    write(tmp_path, APP.replace('os.environ["JWT_SECRET"]', '"prod-key-written-in-the-source"'))
    report = lint_fixture(tmp_path, select=("FL008",))
    found = [(Path(f.path).name, f.span.line) for f in report.findings if f.rule == "FL008"]
    assert found == [("service.py", 9)]
