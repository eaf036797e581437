"""FL019 at runtime: the `uploads` fixture is imported and called with 12 MiB; every
read fastlint reports takes all of it and answers 200, and the bounded look-alikes it
leaves alone (a counted chunked read, a size check first, an app behind a body-size
middleware) refuse it with 413."""

from __future__ import annotations

import importlib
import json
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest
from paths import FIXTURES

from fastlint import config
from fastlint.registry import RULES_BY_CODE
from fastlint.testing import lint_fixture

pytest.importorskip("fastapi")
pytest.importorskip("multipart")
from fastapi.testclient import TestClient

PROJECT = FIXTURES / "uploads"
KEY = {"x-api-key": "k-uploads"}
BIG = 12 * 1024 * 1024
BLOB = b"\0" * BIG


@pytest.fixture
def main(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.setenv("UPLOADS_KEY", "k-uploads")
    monkeypatch.syspath_prepend(str(PROJECT))
    for name in [m for m in sys.modules if m == "uploads" or m.startswith("uploads.")]:
        monkeypatch.delitem(sys.modules, name)
    return importlib.import_module("uploads.main")


def _reported() -> set[tuple[str, int]]:
    report = lint_fixture(PROJECT, select=["FL019"])
    return {(f.path.rsplit("/", 1)[-1], f.span.line) for f in report.findings}


def test_reported_reads_take_twelve_mebibytes(main: ModuleType) -> None:
    client = TestClient(main.app)
    records = json.dumps(["x" * 1022] * (BIG // 1024)).encode()
    assert len(records) >= BIG
    one = {"file": ("big.bin", BLOB)}
    taken = {
        ("files.py", 12): client.post("/files/avatar", headers=KEY, files=one),
        ("files.py", 18): client.post(
            "/files/import", headers={**KEY, "content-type": "application/json"}, content=records
        ),
        ("storage.py", 7): client.post("/files/digest", headers=KEY, files=one),
        ("storage.py", 14): client.post(
            "/files/batch", headers=KEY, files=[("files", ("a.bin", BLOB)), ("files", ("b", b"1"))]
        ),
    }
    assert set(taken) == _reported()
    assert [r.status_code for r in taken.values()] == [200, 200, 200, 200]
    assert taken[("files.py", 12)].json() == {"received": BIG}
    assert taken[("files.py", 18)].json() == {"received": BIG // 1024}
    assert len(taken[("storage.py", 7)].json()["sha256"]) == 64
    assert taken[("storage.py", 14)].json() == {"received": BIG + 1}


def test_bounded_look_alikes_refuse_twelve_mebibytes(main: ModuleType) -> None:
    client = TestClient(main.app)
    one = {"file": ("big.bin", BLOB)}
    for path in ("/files/chunked", "/files/checked"):
        assert client.post(path, headers=KEY, files=one).status_code == 413
        small = client.post(path, headers=KEY, files={"file": ("s.bin", b"12345")})
        assert small.json() == {"received": 5}
    archive = TestClient(main.archive)
    assert archive.post("/archive", headers=KEY, files=one).status_code == 413
    small = archive.post("/archive", headers=KEY, files={"file": ("s.bin", b"12345")})
    assert small.json() == {"received": 5}


def test_a_proxy_limit_stated_in_the_options_silences_the_rule(tmp_path: Path) -> None:
    copy = tmp_path / "uploads"
    shutil.copytree(PROJECT, copy)
    assert len(lint_fixture(copy, select=["FL019"]).findings) == len(_reported()) == 4
    toml = copy / "pyproject.toml"
    toml.write_text("[tool.fastlint.rules.FL019]\nmax-body-size-proxy = true\n", encoding="utf-8")
    options = {code: rule.Options for code, rule in RULES_BY_CODE.items()}
    settings = config.load(toml, list(RULES_BY_CODE), options)
    assert lint_fixture(copy, select=["FL019"], settings=settings).findings == []
