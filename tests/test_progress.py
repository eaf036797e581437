"""The progress bar: what the engine reports, and when the bar is shown."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from paths import FIXTURES
from rich.console import Console
from typer.testing import CliRunner

from fastlint import engine
from fastlint.cli import app
from fastlint.progress import NoProgress, ProgressBar, progress_for


class Recorder:
    def __init__(self) -> None:
        self.planned_files = 0
        self.done: list[bool] = []

    def planned(self, files: int) -> None:
        self.planned_files += files

    def analysed(self, from_cache: bool) -> None:
        self.done.append(from_cache)


@pytest.fixture(autouse=True)
def private_key_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))


@pytest.mark.parametrize("jobs", [1, 2])
def test_every_analysed_file_is_reported_once(tmp_path: Path, jobs: int) -> None:
    root = tmp_path / "layered"
    shutil.copytree(FIXTURES / "layered", root)
    (root / "pyproject.toml").write_text("[project]\nname = 'layered'\n")
    cold, warm = Recorder(), Recorder()
    first = engine.lint([root], jobs=jobs, root=root, use_cache=True, progress=cold)
    assert cold.planned_files == len(cold.done) == first.files_analysed > 5
    assert sum(cold.done) == first.files_from_cache < 5  # only identical empty files
    # Naming one file analyses its project again, from the cache this time.
    named = next(root.rglob("main.py"))
    second = engine.lint([named], jobs=jobs, root=root, use_cache=True, progress=warm)
    assert warm.planned_files == len(warm.done) == second.files_analysed
    assert sum(warm.done) == second.files_from_cache == second.files_analysed


def test_the_bar_shows_analysed_planned_and_cached() -> None:
    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=100)
    with ProgressBar(delay=0, console=console) as bar:
        bar.planned(3)
        bar.analysed(from_cache=True)
        bar.analysed(from_cache=False)
    shown = screen.getvalue()
    assert "Analysing" in shown and "2/3" in shown and "1 from cache" in shown


def test_no_bar_for_a_moment() -> None:
    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True)
    with ProgressBar(delay=60, console=console) as bar:
        bar.planned(3)
        bar.analysed(from_cache=False)
    assert screen.getvalue() == ""


def test_no_bar_when_quiet_or_not_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stderr.isatty", lambda: True, raising=False)
    assert isinstance(progress_for(quiet=True), NoProgress)
    result = CliRunner().invoke(app, ["check", str(FIXTURES / "layered")])
    assert "Analysing" not in result.output
