"""Hostile configuration: each value is refused with exit 2 and a message naming
the key, never a traceback or a hang."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fastlint.cli import app

APP = "from fastapi import FastAPI\n\napp = FastAPI()\n"


def check_with(tmp_path: Path, pyproject: str, *flags: str) -> tuple[int, str, float]:
    (tmp_path / "pyproject.toml").write_text(pyproject)
    (tmp_path / "main.py").write_text(APP)
    (tmp_path / ("a" * 40 + ".py")).write_text(APP)  # a long name for the glob to chew on
    started = time.perf_counter()
    result = CliRunner().invoke(app, ["check", str(tmp_path), "--no-cache", *flags])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output, time.perf_counter() - started


@pytest.mark.parametrize(
    ("pyproject", "key"),
    [
        ('[tool.fastlint]\nexclude = ["!"]\n', "exclude"),
        ('[tool.fastlint]\nextend-exclude = ["foo\\\\"]\n', "extend-exclude"),
        ('[tool.fastlint]\nexclude = ["[z-a]"]\n', "exclude"),
        ('[tool.fastlint.per-file-ignores]\n"[z-a]" = ["FL001"]\n', "per-file-ignores"),
    ],
)
def test_an_invalid_glob_names_its_key(tmp_path: Path, pyproject: str, key: str) -> None:
    code, output, _ = check_with(tmp_path, pyproject)
    assert code == 2, output
    assert f"`{key}`" in output and "pattern" in output


@pytest.mark.parametrize(
    "glob",
    ["*a" * 30 + "b", "a/**/b" * 10, "/".join(["**"] * 30) + "/x/" + "*a" * 10],
)
def test_a_backtracking_glob_is_refused_quickly(tmp_path: Path, glob: str) -> None:
    code, output, seconds = check_with(tmp_path, f'[tool.fastlint]\nexclude = ["{glob}"]\n')
    assert code == 2 and "`exclude`" in output, output
    assert seconds < 10


@pytest.mark.parametrize("glob", ["**/a***.py", "a" + "*" * 60 + ".py", "**/**/**/a*.py"])
def test_runs_of_stars_are_folded_not_refused(tmp_path: Path, glob: str) -> None:
    code, output, seconds = check_with(tmp_path, f'[tool.fastlint]\nexclude = ["{glob}"]\n')
    assert code == 1, output  # main.py's findings; aaa...a.py excluded
    assert seconds < 10 and "aaaa" not in output


def test_a_backtracking_glob_on_the_command_line_names_the_flag(tmp_path: Path) -> None:
    code, output, _ = check_with(tmp_path, "", "--extend-exclude", "*a" * 30 + "b")
    assert code == 2 and "--extend-exclude" in output, output


def test_a_deeply_nested_value_names_its_key(tmp_path: Path) -> None:
    nested = "[" * 100_000 + "]" * 100_000
    code, output, seconds = check_with(tmp_path, f"[tool.fastlint]\nselect = {nested}\n")
    assert code == 2, output
    assert "`select`" in output and "nested too deeply" in output
    assert seconds < 10


@pytest.mark.parametrize(
    ("pyproject", "expected"),
    [
        ('tool = "fastlint"\n', "`tool` must be a table"),
        ("tool = 1\n", "`tool` must be a table"),
        ('[tool]\nfastlint = "on"\n', "[tool.fastlint] must be a table"),
        ("[tool.fastlint]\nselect = [[[[['FL001']]]]]\n", "`select` must be a list of strings"),
    ],
)
def test_a_table_of_the_wrong_type_names_its_key(
    tmp_path: Path, pyproject: str, expected: str
) -> None:
    (tmp_path / "pyproject.toml").write_text(pyproject)
    (tmp_path / "main.py").write_text(APP)
    config = ["--config", str(tmp_path / "pyproject.toml")]
    for flags in ([], config):
        result = CliRunner().invoke(app, ["check", str(tmp_path), "--no-cache", *flags])
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert result.exit_code == 2, result.output
        assert expected in result.output


def test_a_fifo_named_pyproject_toml_does_not_hang(tmp_path: Path) -> None:
    import os

    os.mkfifo(tmp_path / "pyproject.toml")
    (tmp_path / "main.py").write_text(APP)
    found = CliRunner().invoke(app, ["check", str(tmp_path), "--no-cache"])
    assert found.exit_code == 1 and "FL005" in found.output  # not a config: passed over
    named = CliRunner().invoke(
        app, ["check", str(tmp_path), "--no-cache", "--config", str(tmp_path / "pyproject.toml")]
    )
    assert named.exit_code == 2 and "pyproject.toml" in named.output
