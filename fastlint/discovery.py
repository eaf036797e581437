"""From the paths a user gives to the sorted list of Python files to scan."""

from __future__ import annotations

import errno
import os
import re
import stat
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pathspec

from fastlint.files import is_regular_file, read_regular

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
MAX_GITIGNORE_BYTES = 1024 * 1024


@dataclass
class Discovery:
    files: list[Path] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # paths given that do not exist
    excluded: int = 0  # files named explicitly but excluded (--force-exclude)
    # Files and folders that could not be read (a folder fastlint may not list, a
    # symbolic link loop named on the command line): reported, never skipped silently.
    unreadable: list[tuple[Path, str]] = field(default_factory=list)


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
    return compile_patterns(patterns)


# Globs become regular expressions, and Python's backtracks: each unbounded
# wildcard in a pattern multiplies the work on a path that almost matches
# (50 stars in a row: hours). Runs of stars are folded (they mean one star);
# past this many wildcards a pattern is refused.
MAX_WILDCARDS = 4
MAX_PATTERN_LENGTH = 1_000


class PatternError(ValueError):
    """A glob fastlint will not use, and why."""


def check_pattern(pattern: str) -> str:
    """`pattern` with runs of wildcards folded; `PatternError` when it is invalid
    or too costly to match."""
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise PatternError(f"longer than {MAX_PATTERN_LENGTH} characters")
    folded = _fold(pattern)
    wildcards = sum(
        1 if part == "**" else len(re.findall(r"\*+", part)) for part in folded.split("/")
    )
    if wildcards > MAX_WILDCARDS:
        raise PatternError(f"more than {MAX_WILDCARDS} `*` wildcards")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            pathspec.GitIgnoreSpec.from_lines([folded])
    except Exception as exc:  # pathspec raises ValueError, re.error raises its own
        raise PatternError(f"not a valid pattern ({exc})") from exc
    return folded


def _fold(pattern: str) -> str:
    parts = [part if part == "**" else re.sub(r"\*{2,}", "*", part) for part in pattern.split("/")]
    kept = [p for i, p in enumerate(parts) if not (p == "**" and i > 0 and parts[i - 1] == "**")]
    return "/".join(kept)


def compile_patterns(lines: Iterable[str]) -> pathspec.GitIgnoreSpec:
    """A spec of the usable lines: a line git tolerates but pathspec refuses (a lone
    `!`, a trailing backslash), or one too costly to match, is left out."""
    usable = []
    for line in lines:
        try:
            usable.append(check_pattern(line))
        except PatternError:
            continue
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pathspec.GitIgnoreSpec.from_lines(usable)


def discover(
    paths: Iterable[str | Path], excludes: Excludes = Excludes(), force_exclude: bool = False
) -> Discovery:
    """Python files under `paths`: default and configured excludes and `.gitignore`
    honoured, symlinks never followed out of the scanned tree or into loops, and
    nothing but regular files listed (a FIFO named `x.py` would block a reader).
    Files named explicitly are always included, unless `force_exclude` (pre-commit
    passes file names: configured excludes must still apply)."""
    result = Discovery()
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        try:
            mode = path.stat().st_mode
        except OSError as exc:
            if exc.errno in (errno.ENOENT, errno.ENOTDIR) or not os.path.lexists(path):
                result.missing.append(str(given))
            else:
                result.unreadable.append((absolute(path), _reason(exc)))
            continue
        if stat.S_ISDIR(mode):
            root = absolute(path)
            for file in _walk(root, excludes, result):
                if file not in seen:
                    seen.add(file)
                    result.files.append(file)
        elif stat.S_ISREG(mode):
            resolved = absolute(path)
            if force_exclude and _excluded_file(resolved, excludes):
                result.excluded += 1
                continue
            if resolved not in seen:
                seen.add(resolved)
                result.files.append(resolved)
        else:
            result.unreadable.append((absolute(path), "not a regular file"))
    result.files.sort()
    return result


def absolute(path: Path) -> Path:
    """`path` absolute with symbolic links resolved as far as they go; never raises
    (a loop stays as named, where `Path.resolve` raises on Python 3.10)."""
    return Path(os.path.realpath(path))


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "cannot read: a symbolic link loop"
    return f"cannot read: {exc.strerror or exc}"


def _excluded_file(file: Path, excludes: Excludes) -> bool:
    """Whether an explicitly named file falls under an exclude (below the config folder)."""
    if excludes.matches(file, is_dir=False):
        return True
    inside = [p for p in file.parents if p != excludes.base and p.is_relative_to(excludes.base)]
    return any(p.name in DEFAULT_EXCLUDES or excludes.matches(p, is_dir=True) for p in inside)


def _walk(root: Path, excludes: Excludes, result: Discovery) -> Iterator[Path]:
    """Regular `*.py`/`*.pyi` files under `root`, folders in sorted order; a folder
    that cannot be listed is recorded in `result.unreadable`."""
    ignores = _GitIgnores(root)
    kept: set[Path] = set()  # packages named like a default exclusion
    pending = [root]
    while pending:
        here = pending.pop()
        try:
            with os.scandir(here) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            result.unreadable.append((here, f"cannot list folder: {exc.strerror or exc}"))
            continue
        ignores.load(here)
        folders = []
        for entry in entries:
            kind = _kind(entry)
            if kind == "dir":
                name = entry.name
                folder = here / name
                package = _named_like_excluded_package(folder)
                if package:
                    kept.add(folder)
                if (
                    (package or name not in DEFAULT_EXCLUDES)
                    and not name.endswith(".egg-info")
                    and not (ignores.ignored(folder, is_dir=True) and not _within(folder, kept))
                    and not excludes.matches(folder, is_dir=True)
                ):
                    folders.append(folder)
            elif kind is not None and entry.name.endswith(PYTHON_SUFFIXES):
                file = here / entry.name
                if ignores.ignored(file, is_dir=False) and not _within(file, kept):
                    continue
                if excludes.matches(file, is_dir=False):
                    continue
                if kind == "link":
                    target = absolute(file)
                    if not is_regular_file(target) or not target.is_relative_to(root):
                        continue  # never leave the scanned tree, nor read a FIFO through a link
                    file = target
                yield file
        pending.extend(reversed(folders))


def _within(path: Path, folders: set[Path]) -> bool:
    """Whether `path` is, or lies in, one of `folders`."""
    return bool(folders) and (path in folders or any(p in folders for p in path.parents))


def _named_like_excluded_package(folder: Path) -> bool:
    """A Python package of the project named like a default exclusion (`app/build/`
    holding `__init__.py` and routes), or a `build/`/`dist/` folder inside a package
    (a namespace subpackage): read, where a setuptools `build/` or a virtual
    environment (no `__init__.py` at its top, beside the project, not in it) is
    skipped. A `.gitignore` line `build/` means the build output, not such a package."""
    name = folder.name
    if name not in DEFAULT_EXCLUDES or not name.isidentifier() or name.startswith("_"):
        return False
    if is_regular_file(folder / "__init__.py"):
        return True
    return name in ("build", "dist") and is_regular_file(folder.parent / "__init__.py")


def _kind(entry: os.DirEntry[str]) -> str | None:
    """ "dir", "file" or "link" (a link is never followed as a folder); None for
    anything else (FIFOs, sockets, devices) and for what cannot be examined."""
    try:
        if entry.is_symlink():
            return "link"
        if entry.is_dir(follow_symlinks=False):
            return "dir"
        if entry.is_file(follow_symlinks=False):
            return "file"
    except OSError:
        return None
    return None


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
        try:
            data = read_regular(folder / ".gitignore", MAX_GITIGNORE_BYTES)
        except OSError:  # none, or a FIFO or folder of that name: nothing to honour
            return
        lines = data[:MAX_GITIGNORE_BYTES].decode("utf-8", errors="replace").splitlines()
        self._specs.append((folder, compile_patterns(lines)))

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
        if os.path.exists(folder / ".git"):
            return folder
    return None
