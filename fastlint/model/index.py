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
from collections.abc import Iterable
from pathlib import PurePosixPath

from fastlint.facts.types import ModuleFacts

# Packages fastlint knows by name: an import of these is the library, never a project file.
KNOWN_LIBRARIES = frozenset(
    {
        "fastapi",
        "starlette",
        "pydantic",
        "pydantic_settings",
        "sqlmodel",
        "slowapi",
        "fastapi_limiter",
        "typing",
        "typing_extensions",
        "os",
    }
)


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
        self._by_name: dict[str, list[str]] = {}
        self._packages: set[str] = set()  # dotted names of scanned folders
        for path in sorted(self._paths):
            parts = [p for p in PurePosixPath(path).with_suffix("").parts if p != "/"]
            is_init = parts[-1] == "__init__"
            if is_init:
                parts.pop()
            for start in range(len(parts)):
                name = ".".join(parts[start:])
                if name:
                    self._by_name.setdefault(name, []).append(path)
            folder_parts = parts if is_init else parts[:-1]
            for start in range(len(folder_parts)):
                self._packages.add(".".join(folder_parts[start:]))

    @classmethod
    def for_paths(cls, paths: Iterable[str]) -> ModuleIndex:
        """An index of file names only (no facts yet), to follow imports."""
        return cls({}, paths=paths)

    def files_in(self, folder: str) -> list[str]:
        """The Python files directly in a folder."""
        return self._folders().get(folder, [])

    def folder_files(self, dotted: str, importer: str) -> list[str]:
        """The files directly in the scanned folder(s) named `dotted`, nearest first."""
        tail = "/" + dotted.replace(".", "/")
        matching = [f for f in self._folders() if f.endswith(tail)]
        if not matching:
            return []
        nearest = min(matching, key=lambda f: (_distance(f + "/x", importer), f))
        return self.files_in(nearest)

    def _folders(self) -> dict[str, list[str]]:
        if self._by_folder is None:
            self._by_folder = {}
            for path in sorted(self._paths):
                self._by_folder.setdefault(str(PurePosixPath(path).parent), []).append(path)
        return self._by_folder

    def find(self, dotted: str, importer: str) -> str | None:
        """The file for absolute module `dotted`, imported from `importer`."""
        if dotted.split(".")[0] in KNOWN_LIBRARIES:
            return None
        candidates = self._by_name.get(dotted)
        if not candidates:
            return None
        return min(
            candidates,
            key=lambda c: (
                not any(c.startswith(r + "/") for r in self.roots),
                _distance(c, importer),
                c,
            ),
        )

    def is_package(self, dotted: str) -> bool:
        """Whether `dotted` names a scanned folder (a package, maybe without `__init__`)."""
        return dotted.split(".")[0] not in KNOWN_LIBRARIES and dotted in self._packages

    def find_relative(self, importer: str, level: int, module: str) -> str | None:
        """The file for `from <level dots><module> import ...` in `importer`."""
        base = PurePosixPath(importer).parent
        for _ in range(level - 1):
            base = base.parent
        target = base.joinpath(*module.split(".")) if module else base
        for candidate in (f"{target}.py", f"{target}/__init__.py", f"{target}.pyi"):
            if candidate in self._paths:
                return candidate
        return None

    def relative_name(self, importer: str, level: int, module: str) -> str:
        """A dotted stand-in name for a relative module that is not a scanned file."""
        base = PurePosixPath(importer).parent
        for _ in range(level - 1):
            base = base.parent
        target = base.joinpath(*module.split(".")) if module else base
        return ".".join(target.parts)


def _distance(candidate: str, importer: str) -> int:
    """How far apart two files are in the folder tree (fewer steps is nearer)."""
    common = os.path.commonpath([candidate, importer]) if candidate and importer else ""
    depth = len(PurePosixPath(common).parts) if common else 0
    return len(PurePosixPath(candidate).parts) + len(PurePosixPath(importer).parts) - 2 * depth
