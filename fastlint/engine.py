"""The pipeline: discover -> extract (parallel) -> link -> rules -> sort."""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from functools import partial, wraps
from pathlib import Path
from typing import ParamSpec, TypeVar

import pathspec

from fastlint import suppress
from fastlint.cache import SALT, FactsCache, run_key
from fastlint.config import Settings
from fastlint.discovery import Excludes, absolute, discover, find_repo_root
from fastlint.facts.types import ModuleFacts
from fastlint.files import is_regular_file
from fastlint.findings import Finding
from fastlint.graph import ImportGraph, closure, context_of
from fastlint.model.index import ModuleIndex
from fastlint.model.project import Note, Project
from fastlint.prefilter import (
    Request,
    graph_key,
    import_requests,
    imported_files,
    mentions,
)
from fastlint.progress import NoProgress, ProgressSink
from fastlint.registry import ALL_RULES
from fastlint.rule import Rule
from fastlint.source import FileError, analyse_file
from fastlint.suppress import Suppression, SuppressionProblem
from fastlint.workers import watch_parent

# Below this many files, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 64


@dataclass
class Report:
    findings: list[Finding]
    errors: list[FileError]
    notes: list[Note]
    files_scanned: int
    root: Path  # paths in reports are relative to this (git top level, else cwd)
    rules: Sequence[Rule]
    timings: dict[str, float] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    excluded: int = 0  # files named explicitly but excluded by configuration
    files: list[str] = field(default_factory=list)  # every scanned file (absolute paths)
    started: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    # Findings silenced by a comment in the source, with the comment.
    suppressed: list[tuple[Finding, Suppression]] = field(default_factory=list)
    include_suppressed: bool = False  # reports list suppressed findings too, marked
    # Unused or bare suppression comments (shown with the matching CLI flags).
    suppression_problems: list[SuppressionProblem] = field(default_factory=list)
    files_analysed: int = 0  # scanned files plus the project context read for them
    files_from_cache: int = 0
    baselined: int = 0  # findings hidden because the baseline lists them
    fixed_baseline_entries: int = 0  # baseline entries that no longer match a finding

    @property
    def duration(self) -> float:
        return sum(self.timings.values())

    def relative(self, path: str) -> str:
        """A path for display: relative to the repository root when inside it."""
        resolved = Path(path)
        try:
            shown = resolved.relative_to(self.root).as_posix()
        except ValueError:
            shown = resolved.as_posix()
        # A file name that is not UTF-8 (undecodable bytes kept as surrogates) is
        # shown with those bytes escaped (`caf\xe9.py`): every format can write it.
        return shown.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def repository_root(cwd: Path | None = None) -> Path:
    here = absolute(cwd or Path.cwd())
    return find_repo_root(here) or here


def default_jobs() -> int:
    return os.cpu_count() or 1


# fastlint builds many small objects and few cycles: the collector's default
# thresholds make it rescan them all again and again (loading cached facts took
# four times longer). Collections still happen, far less often.
GC_THRESHOLDS = (100_000, 50, 100)
P = ParamSpec("P")
R = TypeVar("R")


def _fewer_collections(function: Callable[P, R]) -> Callable[P, R]:
    @wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        previous = gc.get_threshold()
        gc.set_threshold(*GC_THRESHOLDS)
        try:
            return function(*args, **kwargs)
        finally:
            gc.set_threshold(*previous)

    return wrapper


@_fewer_collections
def lint(
    paths: Iterable[str | Path],
    *,
    settings: Settings | None = None,
    select: Iterable[str] | None = None,
    jobs: int | None = None,
    root: Path | None = None,
    force_exclude: bool = False,
    use_cache: bool = False,
    prefilter: bool = True,
    progress: ProgressSink | None = None,
) -> Report:
    """Analyse `paths` and return every finding, sorted by path, line, column, rule.

    When only files are named (as pre-commit does), the project they belong to is
    analysed for context (routers included elsewhere, models, dependencies) and
    findings are reported for the named files only.
    """
    settings = settings or Settings()
    if select is not None:
        settings = replace(settings, select=tuple(select))
    timings: dict[str, float] = {}
    started_at = datetime.now(timezone.utc)
    started = time.perf_counter()
    given = [Path(p) for p in paths]
    excludes = Excludes(settings.exclude + settings.extend_exclude, settings.root)
    found = discover(given, excludes, force_exclude)
    analysed = found.files
    named_only = bool(given and all(is_regular_file(p) for p in given) and found.files)
    if named_only:
        context_root = project_root(settings, found.files[0])
        analysed = sorted(set(found.files) | set(discover([context_root], excludes).files))
    timings["discover"] = time.perf_counter() - started

    cache = FactsCache.open(project_root(settings, given[0])) if use_cache and analysed else None
    key = run_key((settings, sorted(map(str, found.files)), force_exclude, prefilter), analysed)
    if cache is not None:
        stored = cache.get_run(key)
        if isinstance(stored, Report):  # nothing changed since the last run
            return replace(
                stored, root=root or repository_root(), timings=timings, started=started_at
            )

    started = time.perf_counter()
    to_read = [str(f) for f in analysed]
    outcomes: dict[str, tuple[ModuleFacts | FileError, bool]] = {}

    workers = jobs or default_jobs()
    pools: list[ProcessPoolExecutor] = []  # started on the first batch worth it

    def pool_for(size: int) -> ProcessPoolExecutor | None:
        if workers < 2 or size < PARALLEL_THRESHOLD:
            return None
        if not pools:
            pools.append(
                ProcessPoolExecutor(workers, initializer=watch_parent, initargs=(os.getpid(),))
            )
        return pools[0]

    sink = progress or NoProgress()

    def run(batch: list[str]) -> dict[str, ModuleFacts | FileError]:
        sink.planned(len(batch))
        outcomes.update(zip(batch, _analyse(batch, pool_for, cache, sink), strict=True))
        return {path: outcomes[path][0] for path in batch}

    needed: set[str] | None = None  # the files the model is built from (None: all read)
    try:
        if prefilter:
            tokens = tuple(n.rsplit(".", 1)[-1].encode() for n in settings.auth_dependencies)
            tokens += tuple(n.rsplit(".", 1)[-1].encode() for n in settings.rate_limiters)
            check = partial(mentions, extra=tokens)
            index = ModuleIndex.for_paths(to_read)

            def screen(files: list[str]) -> list[bool]:
                pool = pool_for(len(files))
                if pool is None:
                    return [check(f) for f in files]
                return list(pool.map(check, files, chunksize=64))

            def read(files: list[str]) -> dict[str, tuple[Request, ...]]:
                return {
                    path: import_requests(r) if isinstance(r, ModuleFacts) else ()
                    for path, r in run(files).items()
                }

            def resolve(path: str, requests: tuple[Request, ...]) -> tuple[str, ...]:
                return tuple(sorted(set(imported_files(path, requests, index))))

            graph = ImportGraph.load(cache, repr((SALT, graph_key(tokens))), to_read, resolve)
            imports = partial(graph.imports, read=read, resolve=resolve)
            edges = closure(graph.screen(to_read, screen), imports)
            needed = context_of(map(str, found.files), edges) if named_only else set(edges)
            run(sorted(needed - outcomes.keys()))  # those not read to follow imports
            graph.save(cache)
        else:
            run(to_read)
    finally:
        for pool in pools:
            pool.shutdown()
    results = [outcomes[p][0] for p in to_read if p in outcomes and (needed is None or p in needed)]
    from_cache = sum(1 for _, hit in outcomes.values() if hit)
    modules = {r.path: r for r in results if isinstance(r, ModuleFacts)}
    reported_files = {str(f) for f in found.files}
    errors = [r for r in results if isinstance(r, FileError) and r.path in reported_files]
    errors += [FileError(str(path), reason) for path, reason in found.unreadable]
    timings["parse"] = time.perf_counter() - started

    started = time.perf_counter()
    try:
        project = Project(modules, settings=settings)
    except Exception as exc:  # a fastlint bug: report it, never a traceback
        errors.append(_internal_error(given[0], "linking the project", exc))
        project = Project({}, settings=settings)
    timings["link"] = time.perf_counter() - started

    started = time.perf_counter()
    codes = settings.rule_codes([rule.code for rule in ALL_RULES])
    rules = [rule() for rule in ALL_RULES if rule.code in codes]
    findings: list[Finding] = []
    for rule in rules:
        try:
            findings.extend(rule.check(project))
        except Exception as exc:  # one broken rule must not hide the others' findings
            errors.append(_internal_error(given[0], f"rule {rule.code}", exc))
    findings = [
        _with_severity(f, settings)
        for f in set(findings)
        if f.path in reported_files and not _ignored_for_file(f, settings)
    ]
    comments = {
        path: modules[path].suppressions
        for path in reported_files
        if path in modules and modules[path].suppressions
    }
    findings, suppressed = suppress.apply(sorted(findings, key=lambda f: f.sort_key), comments)
    problems = suppress.audit(comments, suppressed, codes, len(codes) == len(ALL_RULES))
    timings["rules"] = time.perf_counter() - started

    report = Report(
        findings=findings,
        errors=sorted(errors, key=lambda e: e.path),
        notes=sorted(set(project.notes), key=lambda n: (n.path, n.line, n.message)),
        files_scanned=len(found.files) + len(found.unreadable),
        root=root or repository_root(),
        rules=rules,
        timings=timings,
        missing=found.missing,
        excluded=found.excluded,
        files=[str(f) for f in found.files] + [str(p) for p, _ in found.unreadable],
        started=started_at,
        suppressed=suppressed,
        suppression_problems=problems,
        files_analysed=len(outcomes),
        files_from_cache=from_cache,
    )
    if cache is not None and not report.errors:
        cache.put_run(key, replace(report, files_from_cache=len(outcomes), timings={}))
    return report


def _internal_error(where: Path, stage: str, exc: Exception) -> FileError:
    return FileError(
        str(absolute(where)),
        f"internal error in {stage} (please report it): {type(exc).__name__}: {exc}",
    )


PROJECT_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg", ".git")


def project_root(settings: Settings, path: Path) -> Path:
    """The folder a file's (or folder's) project lives in: the config's, else the
    nearest folder with a pyproject.toml, setup.py, setup.cfg or .git."""
    path = absolute(path)
    if settings.source is not None and path.is_relative_to(settings.root):
        return settings.root
    folders = [path, *path.parents] if os.path.isdir(path) else list(path.parents)
    for folder in folders:
        if any(os.path.exists(folder / marker) for marker in PROJECT_MARKERS):
            return folder
    return folders[0]


def _ignored_for_file(finding: Finding, settings: Settings) -> bool:
    """`per-file-ignores`: globs relative to the config's folder."""
    if not settings.per_file_ignores:
        return False
    path = Path(finding.path)
    if not path.is_relative_to(settings.root):
        return False
    relative = path.relative_to(settings.root).as_posix()
    return any(
        finding.rule in codes and _glob_matches(glob, relative)
        for glob, codes in settings.per_file_ignores.items()
    )


def _glob_matches(glob: str, relative: str) -> bool:
    return pathspec.GitIgnoreSpec.from_lines([glob]).match_file(relative)


def _with_severity(finding: Finding, settings: Settings) -> Finding:
    override = settings.severity_of(finding.rule)
    return finding if override is None else replace(finding, severity=override)


def _analyse(
    files: list[str],
    pool_for: Callable[[int], ProcessPoolExecutor | None],
    cache: FactsCache | None,
    progress: ProgressSink,
) -> list[tuple[ModuleFacts | FileError, bool]]:
    """Facts of every file, parsed in worker processes when there are enough to parse.

    Cached files are served here, so only files that must be parsed cross into
    worker processes (facts are not pickled twice)."""
    results: dict[str, tuple[ModuleFacts | FileError, bool]] = {}
    if cache is not None:
        for file in files:
            hit = cache.lookup(file)
            if hit is not None:
                results[file] = (hit, True)
                progress.analysed(from_cache=True)
    missing = [f for f in files if f not in results]
    work = partial(analyse_file, store=cache)
    pool = pool_for(len(missing))
    if pool is None:
        parsed: Iterable[ModuleFacts | FileError] = map(work, missing)
    else:
        chunk = max(1, min(16, len(missing) // 8))  # small batches still spread out
        parsed = pool.map(work, missing, chunksize=chunk)
    for file, result in zip(missing, parsed, strict=True):
        results[file] = (result, False)
        progress.analysed(from_cache=False)
    return [results[f] for f in files]
