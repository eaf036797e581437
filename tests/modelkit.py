"""Building a project model from small sources, the way the engine does."""

from __future__ import annotations

import textwrap
from pathlib import Path

from fastlint.config import Settings
from fastlint.discovery import Excludes, discover
from fastlint.facts.types import ModuleFacts
from fastlint.model.project import Project
from fastlint.source import analyse_file


def project_of(root: Path, files: dict[str, str] | None = None) -> Project:
    """Write `files` (relative path: source, dedented) under `root`, then read every
    Python file there into facts and link them, as `fastlint check` does."""
    for name, source in (files or {}).items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(source), encoding="utf-8")
    modules: dict[str, ModuleFacts] = {}
    for path in discover([root], Excludes((), root)).files:
        facts = analyse_file(str(path))
        assert isinstance(facts, ModuleFacts), facts
        modules[facts.path] = facts
    return Project(modules, settings=Settings(root=root))
