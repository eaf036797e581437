"""From the paths a user gives to the sorted list of Python files to scan."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pathspec

DEFAULT_EXCLUDES = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".venv",
        "venv",
        "env",
        "node_modules",
        "build",
        "dist",
        "__pycache__",
        ".tox",
        ".nox",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
        ".fastlint_cache",
        "site-packages",
    }
)
PYTHON_SUFFIXES = (".py", ".pyi")


@dataclass
class Discovery:
    files: list[Path] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # paths given that do not exist
    excluded: int = 0  # files named explicitly but excluded (--force-exclude)


@dataclass(frozen=True)
class Excludes:
    """Configured exclude patterns (gitignore syntax), relative to the config's folder."""

    patterns: tuple[str, ...] = ()
    base: Path = Path("/")

    def matches(self, path: Path, is_dir: bool) -> bool:
        if not self.patterns or not path.is_relative_to(self.base):
            return False
        spec = _compiled(self.patterns)
        relative = path.relative_to(self.base).as_posix() + ("/" if is_dir else "")
        return spec.match_file(relative)


@lru_cache(maxsize=8)
def _compiled(patterns: tuple[str, ...]) -> pathspec.GitIgnoreSpec:
    return pathspec.GitIgnoreSpec.from_lines(patterns)


def discover(
    paths: Iterable[str | Path], excludes: Excludes = Excludes(), force_exclude: bool = False
) -> Discovery:
    """Python files under `paths`: default and configured excludes and `.gitignore`
    honoured, symlinks never followed out of the scanned tree or into loops. Files
    named explicitly are always included, unless `force_exclude` (pre-commit passes
    file names: configured excludes must still apply)."""
    result = Discovery()
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        if not path.exists():
            result.missing.append(str(given))
            continue
        if path.is_file():
            resolved = path.resolve()
            if force_exclude and _excluded_file(resolved, excludes):
                result.excluded += 1
                continue
            if resolved not in seen:
                seen.add(resolved)
                result.files.append(resolved)
            continue
        root = path.resolve()
        for file in _walk(root, excludes):
            if file not in seen:
                seen.add(file)
                result.files.append(file)
    result.files.sort()
    return result


def _excluded_file(file: Path, excludes: Excludes) -> bool:
    """Whether an explicitly named file falls under an exclude (below the config folder)."""
    if excludes.matches(file, is_dir=False):
        return True
    inside = [p for p in file.parents if p != excludes.base and p.is_relative_to(excludes.base)]
    return any(p.name in DEFAULT_EXCLUDES or excludes.matches(p, is_dir=True) for p in inside)


def _walk(root: Path, excludes: Excludes) -> Iterator[Path]:
    ignores = _GitIgnores(root)
    for folder, dirs, files in os.walk(root, followlinks=False):
        here = Path(folder)
        ignores.load(here)
        dirs[:] = sorted(
            d
            for d in dirs
            if d not in DEFAULT_EXCLUDES
            and not d.endswith(".egg-info")
            and not (here / d).is_symlink()
            and not ignores.ignored(here / d, is_dir=True)
            and not excludes.matches(here / d, is_dir=True)
        )
        for name in sorted(files):
            if not name.endswith(PYTHON_SUFFIXES):
                continue
            file = here / name
            if file.is_symlink():
                target = file.resolve()
                if not target.is_file() or not target.is_relative_to(root):
                    continue  # never leave the scanned tree
                file = target
            if not ignores.ignored(here / name, is_dir=False) and not excludes.matches(
                here / name, is_dir=False
            ):
                yield file


class _GitIgnores:
    """`.gitignore` files from the repository root down to each scanned folder."""

    def __init__(self, root: Path) -> None:
        self._specs: list[tuple[Path, pathspec.GitIgnoreSpec]] = []
        top = find_repo_root(root)
        if top is not None and top != root:
            for parent in reversed(root.relative_to(top).parents):
                self.load(top / parent)
        # A folder the user names is scanned even if an ignore file above it
        # ignores it (a corpus in an ignored cache folder, say): such a file's
        # patterns are then matched from the named folder down.
        self._specs = [
            (root if spec.match_file(root.relative_to(base).as_posix() + "/") else base, spec)
            for base, spec in self._specs
        ]

    def load(self, folder: Path) -> None:
        gitignore = folder / ".gitignore"
        if gitignore.is_file():
            try:
                lines = gitignore.read_text(encoding="utf-8", errors="replace").splitlines()
            except OSError:
                return
            self._specs.append((folder, pathspec.GitIgnoreSpec.from_lines(lines)))

    def ignored(self, path: Path, is_dir: bool) -> bool:
        for base, spec in self._specs:
            if not path.is_relative_to(base):
                continue
            relative = path.relative_to(base).as_posix() + ("/" if is_dir else "")
            if spec.match_file(relative):
                return True
        return False


def find_repo_root(start: Path) -> Path | None:
    """The nearest folder at or above `start` that holds `.git`."""
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return None
