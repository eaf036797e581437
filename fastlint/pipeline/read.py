"""Read files into facts: from the cache, or parsed in worker processes."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from types import TracebackType
from typing import TypeVar

from fastlint.cache import FactsCache
from fastlint.facts.types import ModuleFacts
from fastlint.progress import NoProgress, ProgressSink
from fastlint.results import FileError
from fastlint.source import analyse_context_file, analyse_file, analyse_source
from fastlint.workers import watch_parent

# Below this many files, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 64

Outcome = ModuleFacts | FileError
T = TypeVar("T")


def default_jobs() -> int:
    return os.cpu_count() or 1


class Reader:
    """Reads batches of files, remembering every outcome and whether the cache served it.

    Worker processes start with the first batch worth them and stop on `close`.
    Files in `overrides` are analysed from those contents, never from the disk or
    the cache, and never cached. Files for which `context` says yes are read only
    for what they tell about the others: their facts come from CPython's tree
    (`fastlint.facts.light`), unless it hides something; then they are promoted to
    the libcst parse, and `promoted` says why."""

    def __init__(
        self,
        jobs: int,
        cache: FactsCache | None,
        progress: ProgressSink | None = None,
        overrides: Mapping[str, bytes] | None = None,
    ) -> None:
        self.jobs = jobs
        self.cache = cache
        self.progress = progress or NoProgress()
        self.overrides = dict(overrides or {})
        self.outcomes: dict[str, tuple[Outcome, bool]] = {}
        self.context: Callable[[str], bool] = _never
        self.promoted: dict[str, str] = {}  # context files parsed with libcst, and why
        self.light = 0  # context files read from CPython's tree
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> Reader:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None

    def pool_for(self, size: int) -> ProcessPoolExecutor | None:
        """The worker pool, when `size` items are worth it."""
        if self.jobs < 2 or size < PARALLEL_THRESHOLD:
            return None
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                self.jobs, initializer=watch_parent, initargs=(os.getpid(),)
            )
        return self._pool

    def map(self, function: Callable[[str], T], files: list[str]) -> list[T]:
        """`function` of every file, in worker processes when there are enough."""
        pool = self.pool_for(len(files))
        if pool is None:
            return [function(f) for f in files]
        return list(pool.map(function, files, chunksize=64))

    def read(self, batch: list[str]) -> dict[str, Outcome]:
        """The facts (or error) of every file in `batch`."""
        self.progress.planned(len(batch))
        self.outcomes.update(zip(batch, self._analyse(batch), strict=True))
        return {path: self.outcomes[path][0] for path in batch}

    @property
    def from_cache(self) -> int:
        return sum(1 for _, hit in self.outcomes.values() if hit)

    def _analyse(self, files: list[str]) -> list[tuple[Outcome, bool]]:
        """Cached files are served here, so only files that must be parsed cross into
        worker processes (facts are not pickled twice)."""
        results: dict[str, tuple[Outcome, bool]] = {}
        for file in files:
            if file in self.overrides:
                results[file] = (analyse_source(file, self.overrides[file]), False)
                self.progress.analysed(from_cache=False)
        if self.cache is not None:
            for file in files:
                if file in results:
                    continue
                hit = self.cache.lookup(file)
                if hit is not None:
                    results[file] = (hit, True)
                    self.progress.analysed(from_cache=True)
        missing = [(f, self.context(f)) for f in files if f not in results]
        work = partial(_analyse, store=self.cache)
        pool = self.pool_for(len(missing))
        if pool is None:
            parsed: Iterable[tuple[Outcome, str | None]] = map(work, missing)
        else:
            chunk = max(1, min(16, len(missing) // 8))  # small batches still spread out
            parsed = pool.map(work, missing, chunksize=chunk)
        for (file, context), (result, promoted) in zip(missing, parsed, strict=True):
            results[file] = (result, False)
            if promoted is not None:
                self.promoted[file] = promoted
            elif context:
                self.light += 1
            self.progress.analysed(from_cache=False)
        return [results[f] for f in files]


def _analyse(item: tuple[str, bool], store: FactsCache | None) -> tuple[Outcome, str | None]:
    """The outcome of one file (read light when it is context), and why a context
    file had to be parsed with libcst."""
    path, context = item
    if context:
        return analyse_context_file(path, store)
    return analyse_file(path, store), None


def _never(path: str) -> bool:
    return False
