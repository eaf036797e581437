"""Build a project model from sources written in a test (no files are read)."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from fastlint.config import Settings
from fastlint.facts.expr import Name
from fastlint.facts.types import ModuleFacts
from fastlint.model.literal import Literal
from fastlint.model.project import Project
from fastlint.model.values import Scoped
from fastlint.source import analyse_source

ROOT = Path("/project")


def project_of(files: dict[str, str]) -> Project:
    """A linked project of `{relative path: source}` under a made-up root."""
    modules: dict[str, ModuleFacts] = {}
    for relative, text in files.items():
        path = str(ROOT / relative)
        facts = analyse_source(path, dedent(text).encode())
        assert isinstance(facts, ModuleFacts), facts
        modules[path] = facts
    return Project(modules, settings=Settings(root=ROOT))


def path_of(relative: str) -> str:
    return str(ROOT / relative)


def literal_of(project: Project, relative: str, name: str) -> Literal:
    """The literal value of module-level name `name` as read in file `relative`."""
    ctx = project.resolver.module_ctx(path_of(relative))
    return project.literal(Scoped(Name(name), ctx))
