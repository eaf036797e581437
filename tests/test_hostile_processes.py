"""Processes and the interpreter: workers die with fastlint, `python -m fastlint` runs
nothing from the scanned repository, two runs on one tree do not disturb each other."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROUTES = """\
from fastapi import APIRouter

router = APIRouter()
{routes}
"""
ROUTE = """
@router.delete("/items{n}/{{item_id}}")
def remove_{n}(item_id: int, q: str | None = None) -> dict[str, int]:
    values = [{{"a": item_id, "b": [x for x in range(10) if x % 2]}} for _ in range(3)]
    return {{"removed": item_id, "count": len(values)}}
"""
SENTINEL_MODULE = """\
from pathlib import Path

Path(__file__).with_name("RAN-" + __name__).write_text("imported from the scanned tree")
raise SystemExit(99)
"""


def many_files(root: Path, files: int, routes: int) -> Path:
    (root / "app").mkdir(parents=True)
    (root / "app" / "__init__.py").write_text("")
    body = "".join(ROUTE.format(n=n) for n in range(routes))
    main = ["from fastapi import FastAPI", "", "app = FastAPI()"]
    for index in range(files):
        (root / "app" / f"routes_{index}.py").write_text(ROUTES.format(routes=body))
        main.append(f"from app.routes_{index} import router as router_{index}")
        main.append(f"app.include_router(router_{index})")
    (root / "app" / "main.py").write_text("\n".join(main) + "\n")
    return root


def children(pid: int) -> set[int]:
    """The processes whose parent is `pid` (Linux's /proc)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux's /proc")
def test_workers_exit_when_fastlint_is_killed(tmp_path: Path) -> None:
    many_files(tmp_path, files=160, routes=40)
    process = subprocess.Popen(
        [sys.executable, "-m", "fastlint", "check", ".", "--jobs", "2", "--no-cache"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        workers: set[int] = set()
        while len(workers) < 2 and time.monotonic() < deadline and process.poll() is None:
            workers = children(process.pid)
            time.sleep(0.05)
        if len(workers) < 2:
            pytest.skip("the run finished before its workers could be seen")
        process.send_signal(signal.SIGKILL)
        process.wait()
        deadline = time.monotonic() + 10
        while any(alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        survivors = [w for w in workers if alive(w)]
        assert not survivors, f"workers {survivors} outlived fastlint"
    finally:
        if process.poll() is None:
            process.kill()
        for worker in children(process.pid) | {w for w in workers if alive(w)}:
            os.kill(worker, signal.SIGKILL)  # never leave a run behind, even when failing


@pytest.mark.slow
def test_python_m_fastlint_never_imports_modules_of_the_scanned_tree(tmp_path: Path) -> None:
    for name in ("typer", "rich", "libcst", "pathspec", "click"):
        (tmp_path / f"{name}.py").write_text(SENTINEL_MODULE)
    (tmp_path / "main.py").write_text("from fastapi import FastAPI\n\napp = FastAPI()\n")
    result = subprocess.run(
        [sys.executable, "-m", "fastlint", "check", ".", "--no-cache", "-f", "json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert not list(tmp_path.glob("RAN-*")), result.stderr
    assert result.returncode == 1, result.stderr
    assert {f["rule"] for f in json.loads(result.stdout)["findings"]} == {"FL005", "FL006"}


@pytest.mark.slow
def test_two_concurrent_runs_on_one_tree_agree(tmp_path: Path) -> None:
    many_files(tmp_path, files=70, routes=3)
    command = [sys.executable, "-m", "fastlint", "check", ".", "-f", "json", "--jobs", "2"]
    runs = [
        subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=180) for run in runs]
    documents = []
    for run, (stdout, stderr) in zip(runs, outputs, strict=True):
        assert run.returncode == 1, stderr.decode()
        documents.append(json.loads(stdout))
    assert documents[0]["findings"] == documents[1]["findings"]
    assert len(documents[0]["findings"]) >= 70 * 3 and not documents[0]["errors"]
    # and a third run, from the cache the two wrote side by side, agrees too
    third = subprocess.run(command, cwd=tmp_path, capture_output=True, timeout=180)
    assert json.loads(third.stdout)["findings"] == documents[0]["findings"]
    leftovers = [p for p in (tmp_path / ".fastlint_cache").rglob("*.tmp")]
    assert not leftovers
    assert os.path.isdir(tmp_path / ".fastlint_cache")
