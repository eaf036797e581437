"""`StaticFiles` mounts that serve the project itself, or a folder of secrets.

`app.mount("/static", StaticFiles(directory="."))` serves every file below the
folder the server was started in: the source code, `.env`, the database. A
directory given as the current folder (`"."`, `"./"`, `""`), the file-system root
or a folder that holds secrets by convention (`.git`, `.ssh`, `.aws`) is reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import PurePosixPath

from fastlint.analysis import Analysis
from fastlint.model.calls import CallSite
from fastlint.model.project import Project
from fastlint.model.routing import Scoped

__all__ = ["StaticMount", "StaticMounts"]

STATIC_FILES = ("starlette.staticfiles.StaticFiles", "fastapi.staticfiles.StaticFiles")
WORKING_FOLDER = frozenset({".", "./", "", "/"})
SECRET_FOLDERS = frozenset({".git", ".ssh", ".aws", ".gnupg", ".kube", ".docker"})


@dataclass(frozen=True)
class StaticMount:
    """One `StaticFiles(directory=...)` that serves what it must not."""

    site: CallSite
    directory: str
    why: str  # "the folder the server runs in", "a folder of secrets (`.git`)"


class StaticMounts(Analysis):
    """Every `StaticFiles` serving the working folder, the root or a folder of secrets."""

    def __init__(self, project: Project) -> None:
        super().__init__(project)

    @cached_property
    def exposed(self) -> list[StaticMount]:
        found = []
        for target in STATIC_FILES:
            for site in self.project.calls.of(target):
                directory = site.arg(0, "directory")
                if directory is None:
                    continue
                value = self.project.literal(Scoped(directory, site.ctx)).value
                if not isinstance(value, str):
                    continue
                why = _why(value)
                if why is not None:
                    found.append(StaticMount(site, value, why))
        return found


def _why(directory: str) -> str | None:
    if directory.strip() in WORKING_FOLDER:
        if directory.strip() == "/":
            return "the file-system root"
        return "the folder the server runs in (its code, `.env`, its data)"
    parts = set(PurePosixPath(directory.replace("\\", "/")).parts)
    secret = sorted(parts & SECRET_FOLDERS)
    return f"a folder of secrets (`{secret[0]}`)" if secret else None
