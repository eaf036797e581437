"""`fastlint check --profile FILE`: a cProfile of the run, written before fastlint exits.

The `fastlint` command ends with `os._exit` (tearing the analysis down would cost more
than the report), which would throw a profiler's data away: the statistics are dumped
when the command's context closes, which it does on every way out of the command
(findings, `typer.Exit`, an error), before `main` exits.

Only fastlint's own process is profiled. Files parsed in `--jobs` worker processes show
there as waiting (`-j 1` parses them in this process); the workers drop the profiler
they inherit when forked, so they run at full speed. On Python 3.11 and older a profiler
sees one thread: a second one is started in every thread begun while profiling (libcst
parses on its own large-stack thread) and their statistics are merged; from 3.12 one
profiler sees every thread. Either way a parse is counted twice in cumulative times:
as the parser thread's work and as the main thread's wait for it (`_on_big_stack`);
self times (`tottime`) are not.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import sys
import threading
from pathlib import Path
from types import FrameType
from typing import Any

import typer

_PER_THREAD = sys.version_info < (3, 12)
_profilers: list[cProfile.Profile] = []
_lock = threading.Lock()


def start(path: Path, context: typer.Context) -> None:
    """Profile from now until the command of `context` ends, then write `path`
    (`pstats` format: `python -m pstats FILE`, snakeviz, ...)."""
    try:
        path.write_bytes(b"")  # fail now, not after the run
    except OSError as exc:
        reason = "it is a folder" if path.is_dir() else exc.strerror or str(exc)
        raise typer.BadParameter(f"cannot write {path}: {reason}", param_hint="--profile") from None
    context.call_on_close(lambda: stop(path))
    if _PER_THREAD:
        threading.setprofile(_profile_new_thread)
    _enable()


def stop(path: Path) -> None:
    """Stop every profiler started by `start` and write their merged statistics."""
    threading.setprofile(None)
    with _lock:
        profilers, _profilers[:] = list(_profilers), []
    for profiler in profilers:
        profiler.disable()
    if not profilers:
        return
    stats = pstats.Stats(profilers[0])
    for profiler in profilers[1:]:
        try:
            stats.add(profiler)
        except TypeError:  # a thread that never ran a profiled call: nothing to add
            continue
    stats.dump_stats(path)


def _enable() -> None:
    profiler = cProfile.Profile()
    with _lock:
        _profilers.append(profiler)
    profiler.enable()


def _profile_new_thread(frame: FrameType, event: str, arg: Any) -> None:
    """`threading.setprofile` hook: replace itself with a profiler of this thread."""
    sys.setprofile(None)
    _enable()


def _forget_in_child() -> None:
    """In a forked worker: stop the inherited profiler, whose data no one would read."""
    for profiler in _profilers:
        profiler.disable()
    _profilers.clear()
    threading.setprofile(None)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_in_child)
