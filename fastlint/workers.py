"""Worker processes that never outlive fastlint.

When fastlint is killed outright (`kill -9`, the OOM killer, a CI step's time
limit), its `--jobs` workers must not run on. Each worker asks Linux to kill it
when its parent dies, and everywhere watches its parent from a thread.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1
POLL_SECONDS = 0.5


def watch_parent(parent: int) -> None:
    """Worker initializer: exit as soon as process `parent` is gone."""
    if sys.platform.startswith("linux"):
        _die_with_parent()
    if os.getppid() != parent:  # died before this worker got here
        os._exit(1)
    threading.Thread(target=_poll, args=(parent,), name="fastlint-watchdog", daemon=True).start()


def _die_with_parent() -> None:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass  # the watchdog thread still ends the worker


def _poll(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(POLL_SECONDS)
    os._exit(1)
