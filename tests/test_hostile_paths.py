"""Hostile paths and permissions: loops, odd names, FIFOs, odd ignore files, folders
fastlint may not read, a user without a home. Never a traceback, hang or silent skip."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fastlint import cache
from fastlint.cli import app
from fastlint.engine import Report, lint

APP = """\
from fastapi import FastAPI

app = FastAPI()


@app.delete("/items/{item_id}")
def remove(item_id: int) -> None:
    pass
"""
NOBODY = 65534


def project(root: Path) -> Path:
    (root / "main.py").write_text(APP)
    return root


def lint_within(paths: list[Path], seconds: float = 60.0, **options: object) -> Report:
    """`lint()` in a thread: a hang fails the test instead of blocking the suite."""
    outcome: list[Report | BaseException] = []

    def target() -> None:
        try:
            outcome.append(lint(paths, jobs=1, **options))  # type: ignore[arg-type]
        except BaseException as exc:
            outcome.append(exc)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    assert outcome, f"lint() did not finish within {seconds} s"
    if isinstance(outcome[0], BaseException):
        raise outcome[0]
    return outcome[0]


def test_a_symlink_loop_named_on_the_command_line_is_an_error_not_a_traceback(
    tmp_path: Path,
) -> None:
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    result = CliRunner().invoke(app, ["check", str(tmp_path / "loop"), "--no-cache"])
    assert result.exit_code == 2, result.output
    assert "symbolic link loop" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_symlink_loops_inside_a_tree_are_passed_over(tmp_path: Path) -> None:
    project(tmp_path)
    (tmp_path / "loop.py").symlink_to(tmp_path / "loop.py")
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "again").symlink_to(tmp_path / "pkg")
    report = lint_within([tmp_path], root=tmp_path)
    assert {f.rule for f in report.findings} >= {"FL001"}
    assert report.files_scanned == 1 and not report.errors


def test_a_file_name_that_is_not_utf8(tmp_path: Path) -> None:
    project(tmp_path)
    name = os.fsdecode(b"caf\xe9.py")
    (tmp_path / name).write_text(APP.replace("/items", "/other"))
    report = lint_within([tmp_path], root=tmp_path, use_cache=True)
    assert {Path(f.path).name for f in report.findings} == {"main.py", name}
    again = lint_within([tmp_path], root=tmp_path, use_cache=True)  # served from the cache
    assert len(again.findings) == len(report.findings)
    for output_format in ("text", "concise", "json", "sarif", "github", "gitlab", "junit"):
        result = CliRunner().invoke(
            app, ["check", str(tmp_path), "-f", output_format, "--no-cache"]
        )
        assert result.exit_code == 1, (output_format, result.exception)
        assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_fifo_named_like_a_python_file_is_never_opened(tmp_path: Path) -> None:
    project(tmp_path)
    os.mkfifo(tmp_path / "pipe.py")
    (tmp_path / "sub").mkdir()
    os.mkfifo(tmp_path / "sub" / ".gitignore")
    (tmp_path / "link.py").symlink_to(tmp_path / "pipe.py")
    report = lint_within([tmp_path], seconds=30, root=tmp_path, use_cache=True)
    assert report.files_scanned == 1 and {f.rule for f in report.findings} >= {"FL001"}
    named = lint_within([tmp_path / "pipe.py"], seconds=30, root=tmp_path)
    assert [e.message for e in named.errors] == ["not a regular file"]


def test_gitignore_lines_git_tolerates_do_not_abort_the_scan(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    project(tmp_path)
    (tmp_path / "generated").mkdir()
    (tmp_path / "generated" / "api.py").write_text(APP)
    (tmp_path / ".gitignore").write_text("!\nfoo\\\n[z-a]\n" + "*" * 60 + "x\ngenerated/\n")
    report = lint_within([tmp_path], seconds=30, root=tmp_path)
    assert report.files == [str(tmp_path.resolve() / "main.py")]  # generated/ still ignored


def test_no_home_and_no_passwd_entry_runs_without_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import pwd

    def no_entry(uid: int) -> pwd.struct_passwd:
        raise KeyError(f"getpwuid(): uid not found: {uid}")

    monkeypatch.delenv("HOME", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setattr(pwd, "getpwuid", no_entry)
    assert cache.user_cache_home() is None
    report = lint_within([project(tmp_path)], root=tmp_path, use_cache=True)
    assert {f.rule for f in report.findings} >= {"FL001"}
    assert "running without the cache" in capsys.readouterr().err
    assert not (tmp_path / ".fastlint_cache").exists()


# --- as an unprivileged user (root reads every folder) ------------------------------


@pytest.fixture
def shared_folder() -> Iterator[Path]:
    """A folder an unprivileged user can work in (pytest's tmp_path is root's own)."""
    folder = Path(tempfile.mkdtemp(prefix="fastlint-hostile-"))
    folder.chmod(0o777)
    yield folder
    for path in folder.rglob("*"):
        if path.is_dir() and not path.is_symlink():
            path.chmod(0o755)
    shutil.rmtree(folder, ignore_errors=True)


def run_unprivileged(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """`python -m fastlint args` as a user who cannot bypass permissions."""
    command = [sys.executable, "-m", "fastlint", *args]
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root, and setpriv is not there to drop privileges")
        command = [setpriv, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", *command]
        probe = subprocess.run(
            [*command[:4], sys.executable, "-c", "import fastlint"], capture_output=True, cwd=cwd
        )
        if probe.returncode != 0:
            pytest.skip(
                "running as root, and an unprivileged user cannot run this Python and fastlint"
            )
    environment = {**os.environ, "XDG_CACHE_HOME": str(cwd / ".user-cache")}
    return subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, timeout=120, env=environment
    )


def make_locked_project(folder: Path) -> Path:
    root = folder / "app"
    root.mkdir()
    project(root)
    for name, mode in (("unreadable", 0o300), ("unsearchable", 0o644)):
        locked = root / name
        locked.mkdir()
        (locked / "routes.py").write_text(APP.replace("/items", f"/{name}"))
        locked.chmod(mode)
    for path in folder.rglob("*"):
        if os.geteuid() == 0 and not path.is_symlink():
            os.chown(path, NOBODY, NOBODY, follow_symlinks=False)
    if os.geteuid() == 0:
        os.chown(folder, NOBODY, NOBODY)
    return root


@pytest.mark.slow
def test_folders_that_cannot_be_read_are_reported_not_skipped(shared_folder: Path) -> None:
    root = make_locked_project(shared_folder)
    result = run_unprivileged(["check", "app", "-f", "concise", "--no-cache"], shared_folder)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert any(line.startswith("app/main.py:") and "FL001" in line for line in lines), (
        result.stdout + result.stderr
    )
    unreadable = [line for line in lines if line.startswith("app/unreadable")]
    assert unreadable and "cannot list folder" in unreadable[0], result.stdout
    unsearchable = [line for line in lines if line.startswith("app/unsearchable")]
    assert unsearchable and "E999" in unsearchable[0], result.stdout
    assert root.exists()
