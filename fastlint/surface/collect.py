"""Run the check pipeline once and keep its model: the inventory and the report."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from fastlint import inventory
from fastlint.config import Settings
from fastlint.engine import lint
from fastlint.inventory import Inventory
from fastlint.model.project import Project
from fastlint.results import Report


def survey(
    paths: Sequence[Path],
    settings: Settings,
    *,
    force_exclude: bool = False,
    jobs: int | None = None,
    root: Path | None = None,
) -> tuple[Inventory, Report]:
    """The inventory of `paths`, read with the same settings and excludes as `check`."""
    projects: list[Project] = []
    report = lint(
        paths,
        settings=settings,
        jobs=jobs,
        root=root,
        force_exclude=force_exclude,
        on_project=projects.append,
    )
    if not projects:  # nothing was read (no files): an empty inventory
        return Inventory(), report
    return inventory.build(projects[-1], report), report
