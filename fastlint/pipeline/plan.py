"""Plan a run: the files reported, and the files read to understand them."""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path

from fastlint.config import Settings
from fastlint.discovery import Discovery, Excludes, absolute, discover
from fastlint.files import is_regular_file

PROJECT_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg", ".git")


@dataclass(frozen=True)
class Plan:
    given: list[Path]  # the paths asked for
    found: Discovery  # the files reported on (and paths that do not exist)
    analysed: list[Path]  # the files read: those found, and their project when named alone
    named_only: bool  # only files were named (pre-commit): the project is context

    @property
    def reported(self) -> set[str]:
        return {str(f) for f in self.found.files}


def plan(
    paths: Iterable[str | Path],
    settings: Settings,
    force_exclude: bool,
    unsaved: Collection[str] = (),
) -> Plan:
    """Discovery, then the named-file context: when only files are named, the
    project they belong to is read too (routers included elsewhere, models,
    dependencies), and findings are reported for the named files only. Files in
    `unsaved` (resolved paths) count as found even before they exist on disk."""
    given = [Path(p) for p in paths]
    virtual = [p for p in given if unsaved and str(absolute(p)) in unsaved and not p.exists()]
    excludes = Excludes(settings.exclude + settings.extend_exclude, settings.root)
    found = discover([p for p in given if p not in virtual], excludes, force_exclude)
    found.files = sorted({*found.files, *(absolute(p) for p in virtual)})
    analysed = found.files
    named_only = bool(
        given and all(is_regular_file(p) or p in virtual for p in given) and found.files
    )
    if named_only:
        context_root = project_root(settings, *found.files)
        analysed = sorted(set(found.files) | set(discover([context_root], excludes).files))
    return Plan(given, found, analysed, named_only)


def project_root(settings: Settings, path: Path, *more: Path) -> Path:
    """The folder the project of `path` (and `more` paths) lives in, found from the
    paths themselves, never from the current folder (as ruff finds configuration
    from the file): the configuration's folder when it holds them; else the nearest
    folder above them with a pyproject.toml, setup.py, setup.cfg or .git; else
    their common folder, widened to the folder holding its topmost package (the
    folders with an `__init__.py`), where the app that includes them usually is.
    Folders scanned from a folder with no marker keep that folder (where the cache
    and `fastlint clean` look)."""
    paths = [absolute(p) for p in (path, *more)]  # never raises, a symlink loop included
    if settings.source is not None and all(p.is_relative_to(settings.root) for p in paths):
        return settings.root
    folders = [p if os.path.isdir(p) else p.parent for p in paths]
    common = Path(os.path.commonpath([str(f) for f in folders]))
    for folder in (common, *common.parents):
        if any(os.path.exists(folder / marker) for marker in PROJECT_MARKERS):
            return folder
    cwd = absolute(Path.cwd())
    if all(os.path.isdir(p) for p in paths) and common.is_relative_to(cwd):
        return cwd  # folders scanned from a folder with no marker: that folder, as before
    top = common
    while os.path.exists(top / "__init__.py") and top.parent != top:
        top = top.parent
    return top
