"""Clear errors, never a wrong exit code (issue 23, items 4, 6, 7 and 13)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from fastlint.cli import app
from fastlint.testing import cli_runner

split = cli_runner()

APP = (
    "from fastapi import FastAPI\n"
    "app = FastAPI()\n"
    "@app.get('/items', response_model=list)\n"
    "def items():\n"
    "    return []\n"
)


def invoke(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = split.invoke(app, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root writes anywhere")
def test_routes_output_that_cannot_be_written_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "main.py").write_text(APP)
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        code, _, err = invoke("routes", str(tmp_path / "main.py"), "-o", str(locked / "r.txt"))
    finally:
        locked.chmod(0o700)
    assert code == 2
    assert "cannot write" in err and "Traceback" not in err


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_routes_output_to_a_folder_is_a_usage_error(tmp_path: Path, fmt: str) -> None:
    (tmp_path / "main.py").write_text(APP)
    code, _, err = invoke("routes", str(tmp_path / "main.py"), "-f", fmt, "-o", str(tmp_path))
    assert code == 2
    assert "cannot write" in err and "it is a folder" in err


def test_only_unparsable_files_exit_1_with_the_errors(tmp_path: Path) -> None:
    (tmp_path / "broken.py").write_text("def broken(:\n")
    code, out, _ = invoke("check", str(tmp_path))
    assert code == 1
    assert "broken.py:1" in out and "syntax error" in out


def test_only_unparsable_files_quiet_still_lists_them(tmp_path: Path) -> None:
    (tmp_path / "broken.py").write_text("def broken(:\n")
    code, out, _ = invoke("check", str(tmp_path), "-q")
    assert code == 1 and "broken.py:1" in out


@pytest.mark.parametrize("name", [".", "", "sub"])
def test_stdin_filename_naming_a_folder_is_refused(tmp_path: Path, name: str) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "main.py").write_text(APP)
    cwd = Path.cwd()
    os.chdir(tmp_path)
    try:
        code, _, err = invoke("check", "-", "--stdin-filename", name, stdin=APP)
    finally:
        os.chdir(cwd)
    assert code == 2
    assert "--stdin-filename" in err and "file" in err


def _configured(tmp_path: Path, patterns: str) -> Path:
    (tmp_path / "main.py").write_text(APP)
    (tmp_path / "pyproject.toml").write_text(
        f"[tool.fastlint.rules.FL001]\npublic-routes = {patterns}\n"
    )
    return tmp_path


@pytest.mark.parametrize(
    "pattern",
    ['"GET /items[abc"', '"FETCH /items"', '"GET items"', '""', '"GET  /a /b"'],
)
def test_invalid_public_routes_patterns_are_refused(tmp_path: Path, pattern: str) -> None:
    root = _configured(tmp_path, f"[{pattern}]")
    code, _, err = invoke("check", str(root))
    assert code == 2
    assert "public-routes" in err


@pytest.mark.parametrize("pattern", ['"*"', '"* /*"', '"/**"', '"* *"'])
def test_a_public_routes_pattern_matching_everything_warns(tmp_path: Path, pattern: str) -> None:
    root = _configured(tmp_path, f"[{pattern}]")
    code, out, err = invoke("check", str(root), "-f", "concise")
    assert code != 2 and "FL001" not in out
    assert "public-routes" in err and "every route" in err


def test_valid_public_routes_do_not_warn(tmp_path: Path) -> None:
    root = _configured(tmp_path, '["GET /items", "* /public/*", "/docs"]')
    code, _, err = invoke("check", str(root))
    assert code != 2 and "public-routes" not in err
