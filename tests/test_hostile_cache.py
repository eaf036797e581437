"""Cache tampering: what a repository can plant under `.fastlint_cache` is ignored
and rebuilt, never followed, read without bound, or trusted; edits are never served stale."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from fastlint import cache
from fastlint.engine import Report, lint

APP = """\
from fastapi import FastAPI

app = FastAPI()


@app.delete("/items/{item_id}")
def remove(item_id: int) -> None:
    pass
"""


def run(root: Path, seconds: float = 60.0) -> Report:
    """A cached run in a thread, so that a hang fails instead of blocking the suite."""
    outcome: list[Report | BaseException] = []

    def target() -> None:
        try:
            outcome.append(lint([root], jobs=1, root=root, use_cache=True))
        except BaseException as exc:
            outcome.append(exc)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    assert outcome, f"a cached run did not finish within {seconds} s"
    if isinstance(outcome[0], BaseException):
        raise outcome[0]
    return outcome[0]


@pytest.fixture(autouse=True)
def user_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("user-cache")))


def routes(report: Report) -> set[str]:
    return {f.subject for f in report.findings if f.rule == "FL001"}


def test_an_edit_that_keeps_size_and_mtime_is_not_served_stale(tmp_path: Path) -> None:
    main = tmp_path / "main.py"
    main.write_text(APP)
    first = run(tmp_path)
    assert routes(first) == {"DELETE /items/{item_id}"}
    before = main.stat()
    main.write_text(APP.replace("/items/", "/stuff/"))  # same size
    os.utime(main, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert main.stat().st_size == before.st_size and main.stat().st_mtime_ns == before.st_mtime_ns
    assert routes(run(tmp_path)) == {"DELETE /stuff/{item_id}"}


def test_a_file_changed_within_the_timestamp_resolution_is_hashed() -> None:
    here = Path(__file__)
    signature = cache.file_signature(here)
    assert signature is not None
    old = signature[4] == ""  # this file was not edited in the last seconds
    assert old or len(signature[4]) == 64


def planted(root: Path) -> Path:
    """A project whose cache folder holds what a hostile repository could commit."""
    (root / "main.py").write_text(APP)
    store = root / cache.CACHE_DIR_NAME / f"v{cache.FORMAT}"
    runs = store / "runs"
    runs.mkdir(parents=True)
    for index in range(12):
        (runs / f"dangling-{index}.pickle").symlink_to(root / "nowhere" / f"{index}.pickle")
        (runs / f"folder-{index}.pickle").mkdir()
    (store / "graph.pickle").symlink_to("/dev/zero")
    facts = store / "ab"
    facts.mkdir()
    (facts / "planted.pickle").symlink_to("/dev/zero")
    if hasattr(os, "mkfifo"):
        os.mkfifo(runs / "fifo.pickle")
    return root


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_planted_entries_are_ignored_and_rebuilt(tmp_path: Path) -> None:
    root = planted(tmp_path)
    first = run(root, seconds=60)
    assert routes(first) == {"DELETE /items/{item_id}"} and not first.errors
    second = run(root, seconds=60)
    assert routes(second) == routes(first)
    store = root / cache.CACHE_DIR_NAME / f"v{cache.FORMAT}"
    assert (store / "graph.pickle").is_symlink() or (store / "graph.pickle").is_file()


def test_every_planted_entry_is_refused_by_the_reader(tmp_path: Path) -> None:
    root = planted(tmp_path)
    store = cache.FactsCache.open(root)
    assert store is not None
    assert store.get_graph() is None  # /dev/zero behind a symlink: not read
    for entry in (root / cache.CACHE_DIR_NAME / f"v{cache.FORMAT}" / "runs").iterdir():
        assert store.get_run(entry.name.removesuffix(".pickle")) is None


def test_a_cache_folder_that_is_a_symlink_is_never_written_through(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "main.py").write_text(APP)
    outside = tmp_path / "outside"
    outside.mkdir()
    (project / cache.CACHE_DIR_NAME).symlink_to(outside)
    report = run(project)
    assert routes(report) == {"DELETE /items/{item_id}"}
    assert list(outside.iterdir()) == []
    assert "running without the cache" in capsys.readouterr().err


def test_a_symlinked_folder_inside_the_cache_is_never_written_through(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "main.py").write_text(APP)
    outside = tmp_path / "outside"
    outside.mkdir()
    (project / cache.CACHE_DIR_NAME).mkdir()
    (project / cache.CACHE_DIR_NAME / f"v{cache.FORMAT}").symlink_to(outside)
    report = run(project)
    assert routes(report) == {"DELETE /items/{item_id}"}
    assert list(outside.iterdir()) == []


def test_clean_removes_a_symlinked_cache_not_its_target(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("mine")
    (tmp_path / cache.CACHE_DIR_NAME).symlink_to(outside)
    assert cache.clean(tmp_path)
    assert (outside / "keep.txt").read_text() == "mine"
    assert not os.path.lexists(tmp_path / cache.CACHE_DIR_NAME)
