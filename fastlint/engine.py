"""The pipeline: plan -> read -> check, each a row of small stages (`fastlint.pipeline`).

`lint` composes them; a run whose inputs are unchanged is answered from the cache.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime, timezone
from functools import wraps
from pathlib import Path
from typing import ParamSpec, TypeVar

from fastlint.cache import FactsCache, run_key
from fastlint.config import Settings
from fastlint.discovery import absolute, find_repo_root
from fastlint.facts.types import ModuleFacts
from fastlint.model.project import Project
from fastlint.pipeline import check
from fastlint.pipeline.plan import Plan, plan, project_root
from fastlint.pipeline.read import PARALLEL_THRESHOLD, Reader, default_jobs
from fastlint.pipeline.relevant import read_relevant
from fastlint.progress import ProgressSink
from fastlint.registry import ALL_RULES
from fastlint.results import FileError, Note, Report

# Importable from here as before the pipeline was split into stages.
__all__ = ["PARALLEL_THRESHOLD", "Report", "default_jobs", "lint", "project_root"]


def repository_root(cwd: Path | None = None) -> Path:
    here = absolute(cwd or Path.cwd())
    return find_repo_root(here) or here


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
    cache_dir: Path | None = None,
    prefilter: bool = True,
    progress: ProgressSink | None = None,
    suppression_problems: Collection[str] = (),
    baseline: Path | None = None,
    overrides: Mapping[str, bytes] | None = None,
    on_project: Callable[[Project], None] | None = None,
) -> Report:
    """Analyse `paths` and return every finding, sorted by path, line, column, rule.

    When only files are named (as pre-commit does), the project they belong to is
    analysed for context and findings are reported for the named files only.
    `suppression_problems` names the kinds of suppression-comment problems to
    report ("bare", "unused"); `baseline` hides the findings a baseline file
    accepts (`baseline.BaselineError` if it cannot be used). `overrides` maps files
    to the contents analysed instead of the disk's (an editor's unsaved buffer; the
    file need not exist); they are never cached. `on_project` is handed the linked
    model (for `fastlint routes`); the run is then never answered from the cache.
    `cache_dir` keeps the cache there instead of in the project's `.fastlint_cache`.
    """
    settings = settings or Settings()
    if select is not None:
        settings = replace(settings, select=tuple(select))
    timings: dict[str, float] = {}
    started_at = datetime.now(timezone.utc)
    unsaved = {str(absolute(Path(p))): data for p, data in (overrides or {}).items()}
    with _timed(timings, "discover"):
        scope = plan(paths, settings, force_exclude, unsaved)
    cache = (
        FactsCache.open(project_root(settings, scope.given[0]), cache_dir)
        if use_cache and scope.analysed
        else None
    )
    key = run_key(
        (settings, sorted(map(str, scope.found.files)), force_exclude, prefilter), scope.analysed
    )
    stored = cache.get_run(key) if cache is not None and not unsaved and not on_project else None
    if isinstance(stored, Report):  # nothing changed since the last run
        report = replace(stored, timings=timings)
    else:
        reader = Reader(jobs or default_jobs(), cache, progress, unsaved)
        report = _read_and_check(scope, settings, reader, cache, prefilter, timings, on_project)
        if cache is not None and not report.errors and not unsaved:
            cache.put_run(key, replace(report, files_from_cache=report.files_analysed, timings={}))
    report = replace(report, root=root or repository_root(), started=started_at)
    report = check.select_problems(report, suppression_problems)
    return check.apply_baseline(report, baseline)


def _read_and_check(
    scope: Plan,
    settings: Settings,
    reader: Reader,
    cache: FactsCache | None,
    prefilter: bool,
    timings: dict[str, float],
    on_project: Callable[[Project], None] | None = None,
) -> Report:
    """Read the files the model needs, link them, run the rules, settle the findings."""
    where = scope.given[0] if scope.given else Path()  # where internal errors are reported
    with _timed(timings, "parse"), reader:
        to_read = [str(f) for f in scope.analysed]
        if prefilter:
            needed: set[str] | None = read_relevant(scope, settings, reader, cache)
        else:
            reader.read(to_read)
            needed = None  # every file
        outcomes = reader.outcomes
        results = [
            outcomes[p][0] for p in to_read if p in outcomes and (needed is None or p in needed)
        ]
    modules = {r.path: r for r in results if isinstance(r, ModuleFacts)}
    reported = scope.reported
    errors = [r for r in results if isinstance(r, FileError) and r.path in reported]
    # Folders that could not be listed, a symlink loop named: reported, never skipped.
    errors += [FileError(str(path), reason) for path, reason in scope.found.unreadable]

    with _timed(timings, "link"):
        project, link_errors = check.link(modules, settings, where)
    if on_project is not None:
        on_project(project)
    with _timed(timings, "rules"):
        rules = check.enabled_rules(settings, ALL_RULES)
        codes = [rule.code for rule in rules]
        found, rule_errors = check.run_rules(project, rules, where)
        findings = check.settle(found, settings, reported)
        suppressed = check.apply_suppressions(
            findings, modules, reported, codes, len(codes) == len(ALL_RULES)
        )
        coverage, coverage_errors = check.coverage(project, reported, where)
    return Report(
        findings=suppressed.findings,
        errors=sorted(
            [*errors, *link_errors, *rule_errors, *coverage_errors], key=lambda e: e.path
        ),
        notes=sorted(
            {*project.notes, *_parser_notes(modules, reported)},
            key=lambda n: (n.path, n.line, n.message),
        ),
        files_scanned=len(scope.found.files) + len(scope.found.unreadable),
        root=Path(),  # set by `lint`
        rule_codes=tuple(codes),
        missing=scope.found.missing,
        excluded=scope.found.excluded,
        files=[str(f) for f in scope.found.files] + [str(p) for p, _ in scope.found.unreadable],
        suppressed=suppressed.silenced,
        suppression_problems=suppressed.problems,
        files_analysed=len(outcomes),
        files_from_cache=reader.from_cache,
        files_light=reader.light,
        promoted=tuple(sorted(reader.promoted.items())),
        timings=timings,
        sources=reader.overrides or None,
        coverage=coverage,
    )


def _parser_notes(modules: Mapping[str, ModuleFacts], reported: Collection[str]) -> list[Note]:
    """Files read with Python's own parser because libcst could not (for --verbose)."""
    return [
        Note(path, 1, facts.parser_note)
        for path, facts in modules.items()
        if facts.parser_note and path in reported
    ]


@contextmanager
def _timed(timings: dict[str, float], stage: str) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        timings[stage] = time.perf_counter() - started
