"""Plan a run: the files reported, and the files read to understand them."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path

from fastlint.config import Settings
from fastlint.discovery import Discovery, Excludes, discover

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
    virtual = [p for p in given if str(p.resolve()) in unsaved and not p.exists()]
    excludes = Excludes(settings.exclude + settings.extend_exclude, settings.root)
    found = discover([p for p in given if p not in virtual], excludes, force_exclude)
    found.files = sorted({*found.files, *(p.resolve() for p in virtual)})
    analysed = found.files
    named_only = bool(given and all(p.is_file() or p in virtual for p in given) and found.files)
    if named_only:
        context_root = project_root(settings, found.files[0])
        analysed = sorted(set(found.files) | set(discover([context_root], excludes).files))
    return Plan(given, found, analysed, named_only)


def project_root(settings: Settings, path: Path) -> Path:
    """The folder a file's (or folder's) project lives in: the config's, else the
    nearest folder with a pyproject.toml, setup.py, setup.cfg or .git."""
    path = path.resolve()
    if settings.source is not None and path.is_relative_to(settings.root):
        return settings.root
    folders = [path, *path.parents] if path.is_dir() else list(path.parents)
    for folder in folders:
        if any((folder / marker).exists() for marker in PROJECT_MARKERS):
            return folder
    cwd = Path.cwd().resolve()  # no marker: the current directory, when it holds the path
    return cwd if path.is_relative_to(cwd) else folders[0]
