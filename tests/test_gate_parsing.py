"""Valid Python libcst cannot parse is read with Python's own parser (issue 23,
item 10): the file's routes are still checked, and --verbose says so."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from fastlint.cli import app
from fastlint.engine import lint
from fastlint.testing import cli_runner

split = cli_runner()

ROUTES = (
    "from fastapi import APIRouter, Depends, FastAPI\n"
    "from fastapi.security import HTTPBearer\n"
    "bearer = HTTPBearer()\n"
    "app = FastAPI(openapi_url=None)\n"
    "router = APIRouter(prefix='/api')\n"
    "BANNER = (" + " ".join(['"a"'] * 5_000) + ")\n"
    "\n"
    "@router.post('/items', response_model=dict)\n"
    "def add_item():\n"
    "    return {}\n"
    "\n"
    "@router.get('/me', response_model=dict, dependencies=[Depends(bearer)])\n"
    "def me():  # fastlint: ignore[FL006]\n"
    "    return {}\n"
    "\n"
    "app.include_router(router)\n"
)
CONTINUATION = (
    b"from fastapi import FastAPI\r\napp = FastAPI(openapi_url=None)\r\n"
    b"@app.delete('/items', response_model=dict)\r\ndef drop():\r\n    return {}\r\n"
    b"x = 1 \\\r\n"
)


def test_adjacent_literals_keep_the_files_routes_checked(tmp_path: Path) -> None:
    (tmp_path / "main.py").write_text(ROUTES)
    report = lint([tmp_path], jobs=1, root=tmp_path)
    assert report.errors == []
    fl001 = [(f.route, f.span.line) for f in report.findings if f.rule == "FL001"]
    assert fl001 == [("POST /api/items", 8)]  # the authenticated route is not reported
    assert report.coverage.unchecked == ()


def test_verbose_says_the_file_was_read_with_pythons_parser(tmp_path: Path) -> None:
    (tmp_path / "main.py").write_text(ROUTES)
    result = split.invoke(app, ["check", str(tmp_path), "--verbose", "--no-cache"])
    assert "read with Python's own parser" in result.stdout


@pytest.mark.skipif(sys.version_info >= (3, 13), reason="3.13 refuses the continuation")
def test_a_line_continuation_at_the_end_is_analysed(tmp_path: Path) -> None:
    (tmp_path / "main.py").write_bytes(CONTINUATION)
    report = lint([tmp_path], jobs=1, root=tmp_path)
    assert report.errors == []
    assert [(f.rule, f.span.line) for f in report.findings if f.rule == "FL001"] == [("FL001", 3)]
