"""Which file an import names: module names for every scanned file.

A file is known under every dotted suffix of its path (`backend/app/api/deps.py`
is `backend.app.api.deps`, `app.api.deps`, `api.deps` and `deps`), so imports
resolve whatever the project's root is: the scan root, a `src/` layout, a
namespace package without `__init__.py`, or a folder holding `pyproject.toml`.
When several files share a name, the one nearest the importing file wins.
Libraries fastlint understands by name are never shadowed by project files.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import PurePosixPath

from fastlint.facts.types import ModuleFacts
from fastlint.knowledge.fastapi_starlette import FASTAPI, STARLETTE
from fastlint.knowledge.pydantic_models import PYDANTIC, SQLMODEL
from fastlint.knowledge.rate_limiters import RATE_LIMIT_LIBRARIES

# The libraries whose names a project file must never shadow in the index.
# Top-level packages an import always means the library of, never a project file.
LIBRARY_PACKAGES = frozenset(
    {
        FASTAPI,
        STARLETTE,
        PYDANTIC,
        "pydantic_settings",
        SQLMODEL,
        *RATE_LIMIT_LIBRARIES,
        "typing",
        "typing_extensions",
        "os",
    }
)

STDLIB = sys.stdlib_module_names
Place = tuple[str, str, bool]


class ModuleIndex:
    """All scanned modules, by path and by every module name they may go by."""

    def __init__(
        self,
        modules: dict[str, ModuleFacts],
        roots: tuple[str, ...] = (),
        paths: Iterable[str] | None = None,
    ) -> None:
        self.modules = modules
        self.roots = roots  # configured import roots (`src`): preferred on ties
        self._paths = set(modules if paths is None else paths)
        self._by_folder: dict[str, list[str]] | None = None
        # Module and package names -> (file or folder, the folder that must be on
        # the import path for the name to reach it, whether that folder lies
        # inside a package).
        self._by_name: dict[str, list[Place]] = {}
        self._packages: dict[str, list[Place]] = {}
        split = {path: _parts(path) for path in sorted(self._paths)}
        package_folders = {tuple(parts) for parts, is_init in split.values() if is_init}
        for path, (parts, is_init) in split.items():
            folder_parts = parts if is_init else parts[:-1]
            nested = False
            for start in range(len(parts)):
                nested = nested or tuple(parts[:start]) in package_folders
                # `import logging` is the standard library's, never a subpackage
                # `logging` deep inside some package.
                if nested and parts[start] in STDLIB:
                    continue
                root = "/" + "/".join(parts[:start])
                self._by_name.setdefault(".".join(parts[start:]), []).append((path, root, nested))
                if start < len(folder_parts):
                    folder = "/" + "/".join(folder_parts)
                    place = (folder, root, nested)
                    places = self._packages.setdefault(".".join(folder_parts[start:]), [])
                    if place not in places:
                        places.append(place)

    @classmethod
    def for_paths(cls, paths: Iterable[str]) -> ModuleIndex:
        """An index of file names only (no facts yet), to follow imports."""
        return cls({}, paths=paths)

    def files_in(self, folder: str) -> list[str]:
        """The Python files directly in a folder."""
        return self._folders().get(folder, [])

    def folder_files(self, dotted: str, importer: str) -> list[str]:
        """The files directly in the scanned folder named `dotted`, the nearest one."""
        folders = _reachable(self._packages.get(dotted, ()), importer)
        if not folders:
            return []
        nearest = min(folders, key=lambda f: (_distance(f + "/x", importer), f))
        return self.files_in(nearest)

    def _folders(self) -> dict[str, list[str]]:
        if self._by_folder is None:
            self._by_folder = {}
            for path in sorted(self._paths):
                self._by_folder.setdefault(str(PurePosixPath(path).parent), []).append(path)
        return self._by_folder

    def find(self, dotted: str, importer: str) -> str | None:
        """The file for absolute module `dotted`, imported from `importer`."""
        if dotted.split(".")[0] in LIBRARY_PACKAGES:
            return None
        places = self._by_name.get(dotted, ())
        candidates = _reachable(places, importer)
        if not candidates:
            return None
        # Python 3 has no implicit relative imports: `from auth import x` inside
        # `routers/` means a top-level `auth`, not `routers/auth.py`, when both exist.
        inner = {place for place, _, nested in places if nested}
        return min(
            candidates,
            key=lambda c: (
                not any(c.startswith(r + "/") for r in self.roots),
                c in inner,
                _distance(c, importer),
                c,
            ),
        )

    def is_package(self, dotted: str, importer: str) -> bool:
        """Whether `dotted` names a scanned folder (a package, maybe without `__init__`)."""
        if dotted.split(".")[0] in LIBRARY_PACKAGES:
            return False
        return bool(_reachable(self._packages.get(dotted, ()), importer))

    def find_relative(self, importer: str, level: int, module: str) -> str | None:
        """The file for `from <level dots><module> import ...` in `importer`."""
        target = relative_target(importer, level, module)
        for candidate in (f"{target}.py", f"{target}/__init__.py", f"{target}.pyi"):
            if candidate in self._paths:
                return candidate
        return None

    def relative_name(self, importer: str, level: int, module: str) -> str:
        """A dotted stand-in name for a relative module that is not a scanned file."""
        return ".".join(relative_target(importer, level, module).parts)


def relative_target(importer: str, level: int, module: str) -> PurePosixPath:
    """Where `from <level dots><module> import ...` in `importer` points (no suffix)."""
    base = PurePosixPath(importer).parent
    for _ in range(level - 1):
        base = base.parent
    return base.joinpath(*module.split(".")) if module else base


def _reachable(places: Iterable[Place], importer: str) -> list[str]:
    """The places a name can reach from `importer`. A name that reaches a file only
    from inside a package (`import jwt`, `some_package/jwt.py`) is that file only
    for importers in that package: elsewhere it is a library. (Importers inside
    still see it: a project's top folder may hold an `__init__.py`.)"""
    return [
        place for place, root, nested in places if not nested or importer.startswith(root + "/")
    ]


def _parts(path: str) -> tuple[list[str], bool]:
    """A file's dotted-name parts (`__init__` dropped), and whether it is an `__init__`."""
    parts = [p for p in PurePosixPath(path).with_suffix("").parts if p != "/"]
    is_init = parts[-1] == "__init__"
    if is_init:
        parts.pop()
    return parts, is_init


def _distance(candidate: str, importer: str) -> int:
    """How far apart two files are in the folder tree (fewer steps is nearer)."""
    common = os.path.commonpath([candidate, importer]) if candidate and importer else ""
    depth = len(PurePosixPath(common).parts) if common else 0
    return len(PurePosixPath(candidate).parts) + len(PurePosixPath(importer).parts) - 2 * depth
