"""`fastlint check --profile FILE`: the profile survives the command's `os._exit`."""

from __future__ import annotations

import json
import os
import pstats
import subprocess
import sys
from pathlib import Path

import pytest

from fastlint.demo import INSECURE_APP


def fastlint(*arguments: str | Path) -> subprocess.CompletedProcess[str]:
    """The real command (`main`, which ends with `os._exit`), not a test runner."""
    return subprocess.run(
        [sys.executable, "-m", "fastlint", *map(str, arguments)],
        capture_output=True,
        text=True,
        check=False,
    )


def functions(profile: Path) -> set[tuple[str, str]]:
    stats = pstats.Stats(str(profile))
    return {(Path(file).name, name) for file, _, name in stats.stats}  # type: ignore[attr-defined]


def test_profile_is_written_and_loads(tmp_path: Path) -> None:
    profile, report = tmp_path / "run.prof", tmp_path / "report.json"
    plain = fastlint("check", INSECURE_APP, "--no-cache", "--isolated", "-f", "json", "-s")
    result = fastlint(
        "check", INSECURE_APP, "--no-cache", "--isolated", "-f", "json", "-o", report,
        "--profile", profile,
    )  # fmt: skip
    # Profiling changes nothing the user sees: same exit code, same findings.
    assert result.returncode == plain.returncode == 1, result.stderr
    assert json.loads(report.read_text())["findings"]
    seen = functions(profile)
    assert ("engine.py", "lint") in seen
    # libcst parses on its own thread: its work is in the profile, not only the wait.
    assert ("source.py", "_parse_and_extract") in seen
    assert ("output.py", "finish") in seen  # the report, written after the run


def test_profile_with_a_clean_exit(tmp_path: Path) -> None:
    profile = tmp_path / "clean.prof"
    result = fastlint("check", INSECURE_APP, "--isolated", "--no-cache", "-s", "--exit-zero",
                      "--profile", profile)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert ("engine.py", "lint") in functions(profile)


def test_unwritable_profile_is_a_usage_error_before_the_run(tmp_path: Path) -> None:
    result = fastlint("check", INSECURE_APP, "--profile", tmp_path / "missing" / "run.prof")
    assert result.returncode == 2
    assert "--profile" in result.stderr and "cannot write" in result.stderr


@pytest.mark.skipif(not hasattr(os, "fork"), reason="forked workers only")
def test_forked_worker_drops_the_inherited_profiler(tmp_path: Path) -> None:
    """A `--jobs` worker forked while profiling must not keep profiling (its data would
    be lost and every call in it slowed)."""
    script = f"""
import os, sys, typer
from pathlib import Path
from fastlint import profiling

app = typer.Typer()

@app.command()
def main(context: typer.Context) -> None:
    profiling.start(Path({str(tmp_path / "p.prof")!r}), context)
    pid = os.fork()
    if pid == 0:
        os._exit(0 if sys.getprofile() is None and not profiling._profilers else 3)
    _, status = os.waitpid(pid, 0)
    print("child", os.waitstatus_to_exitcode(status))
    print("parent", len(profiling._profilers))

app()
"""
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert "child 0" in result.stdout, result.stdout + result.stderr
    assert "parent 1" in result.stdout
    assert (tmp_path / "p.prof").stat().st_size > 0
