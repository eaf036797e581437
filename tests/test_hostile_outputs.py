"""Hostile strings from scanned code and file names, through every output format:
never a crash, and every machine-readable format stays parseable.

How each format escapes them (terminal, GitHub workflow commands, XML) is issue 14
item 14; here the point is that none of them can kill a run or break a parser.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from fastlint.cli import app
from fastlint.testing import cli_runner

FORMATS = ["text", "concise", "json", "sarif", "github", "gitlab", "junit"]
ROUTE_PATHS = {
    "newline": "/a\\nsrc/x.py:1:1: FL001 forged",
    "carriage return": "/a\\r::error::forged",
    "ansi": "/\\x1b[31mred\\x1b[0m",
    "markup": "/[bold red]x[/bold red][/]",
    "control": "/\\x00\\x07\\x08\\x0b\\x0c\\x1f\\x7f",
    "bidi": "/\\u202eevil",
    "surrogate": "/\\ud800",
    "xml": "/]]><x>&amp;<!--",
    "percent": "/%0A%25::",
}
APP = """\
from fastapi import FastAPI

app = FastAPI()


@app.delete("{path}")
def remove() -> None:
    pass
"""


def invoke(root: Path, output_format: str) -> str:
    result = cli_runner().invoke(
        app, ["check", str(root), "--no-cache", "-f", output_format, "--verbose"]
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        output_format,
        repr(result.exception),
    )
    assert result.exit_code == 1, (output_format, result.output)
    return result.stdout


def parse(output_format: str, output: str) -> None:
    if output_format in ("json", "sarif", "gitlab"):
        json.loads(output)
    elif output_format == "junit":
        ElementTree.fromstring(output)


@pytest.mark.parametrize("name", sorted(ROUTE_PATHS))
def test_hostile_route_paths_never_crash_a_format(tmp_path: Path, name: str) -> None:
    (tmp_path / "main.py").write_text(APP.format(path=ROUTE_PATHS[name]))
    for output_format in FORMATS:
        parse(output_format, invoke(tmp_path, output_format))


@pytest.mark.parametrize(
    "file_name",
    [
        "new\nline.py",
        "\x1b[31mred.py",
        "[bold]x[_bold].py",
        "tab\there.py",
        "sp ace%20,:.py",
    ],
)
def test_hostile_file_names_never_crash_a_format(tmp_path: Path, file_name: str) -> None:
    (tmp_path / file_name).write_text(APP.format(path="/items"))
    (tmp_path / "broken.py").write_text("def broken(:\n")
    for output_format in FORMATS:
        parse(output_format, invoke(tmp_path, output_format))
