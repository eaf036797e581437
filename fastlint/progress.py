"""A progress bar on the terminal for scans that take more than a moment."""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress, TaskID

# Scans shorter than this finish without a bar (and without flicker).
DELAY_SECONDS = 0.5


class ProgressSink(Protocol):
    """What the engine reports while it analyses files."""

    def planned(self, files: int) -> None:
        """`files` more files will be analysed (the import closure grows as it goes)."""

    def analysed(self, from_cache: bool) -> None:
        """One more file analysed; `from_cache` when its facts were cached."""


class NoProgress:
    """Reports nothing: output is not a terminal, or `--quiet`."""

    def planned(self, files: int) -> None:
        pass

    def analysed(self, from_cache: bool) -> None:
        pass

    def __enter__(self) -> NoProgress:
        return self

    def __exit__(self, *exc_info: object) -> None:
        pass


class ProgressBar:
    """A rich progress bar on stderr, shown once a scan has run for `delay` seconds
    and removed when it ends: files analysed / planned, how many came from the
    cache, elapsed time."""

    def __init__(self, delay: float = DELAY_SECONDS, console: Console | None = None) -> None:
        self._started = time.monotonic()
        self._delay = delay
        self._console = console
        self._planned = 0
        self._done = 0
        self._cached = 0
        self._bar: Progress | None = None
        self._task: TaskID | None = None

    def planned(self, files: int) -> None:
        self._planned += files
        self._refresh()

    def analysed(self, from_cache: bool) -> None:
        self._done += 1
        self._cached += from_cache
        self._refresh()

    def _refresh(self) -> None:
        if self._bar is None:
            if time.monotonic() - self._started < self._delay:
                return
            self._show()
        assert self._bar is not None and self._task is not None
        self._bar.update(self._task, completed=self._done, total=self._planned, cached=self._cached)

    def _show(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        self._bar = Progress(
            TextColumn("Analysing"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("files · {task.fields[cached]} from cache ·"),
            TimeElapsedColumn(),
            console=self._console or Console(stderr=True),
            transient=True,
        )
        self._task = self._bar.add_task("analyse", total=self._planned, cached=self._cached)
        self._bar.start()

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._bar is not None:
            self._bar.stop()


def progress_for(quiet: bool) -> ProgressBar | NoProgress:
    """A progress bar when stderr is a terminal and the user did not ask for quiet."""
    if quiet or not sys.stderr.isatty():
        return NoProgress()
    return ProgressBar()
