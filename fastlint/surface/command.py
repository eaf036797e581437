"""`fastlint routes`: print the inventory in the chosen format (the CLI's body)."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import Enum
from pathlib import Path

from fastlint.config import Settings
from fastlint.inventory import Inventory
from fastlint.inventory_diff import compare
from fastlint.output import EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, error, terminal, write
from fastlint.surface import csv_format, diff_format, json_format, markdown, table
from fastlint.surface.baseline_tree import SettingsAt, at_revision, trust_changes
from fastlint.surface.collect import survey
from fastlint.surface.gitref import GitError


class RoutesFormat(str, Enum):
    text = "text"
    json = "json"
    csv = "csv"
    markdown = "markdown"


def render(inventory: Inventory, fmt: RoutesFormat) -> str | None:
    """The text for a machine format; None for the terminal table (printed directly)."""
    if fmt is RoutesFormat.json:
        return json_format.render(inventory)
    if fmt is RoutesFormat.csv:
        return csv_format.render(inventory)
    if fmt is RoutesFormat.markdown:
        return markdown.render(inventory)
    return None


def emit(text: str | None, inventory: Inventory, output: Path | None) -> bool:
    """Write `text` to `output` or stdout; the table when `text` is None. False (said
    on stderr) when `output` cannot be written."""
    if text is None:
        if output is not None:
            from io import StringIO

            from rich.console import Console

            buffer = StringIO()
            table.render(inventory, Console(file=buffer, width=200, color_system=None))
            return write(output, buffer.getvalue())
        table.render(inventory, terminal())
        return True
    if output is not None:
        return write(output, text)
    sys.stdout.write(text)
    return True


@dataclass(frozen=True)
class Filters:
    unauthenticated: bool = False
    methods: tuple[str, ...] = ()
    path: str | None = None


def run(
    paths: Sequence[Path],
    settings: Settings,
    fmt: RoutesFormat,
    output: Path | None,
    filters: Filters,
    diff_ref: str | None,
    force_exclude: bool,
    settings_at: SettingsAt | None = None,
    accept_config_changes: bool = False,
) -> int:
    """Print the inventory (or its diff against `diff_ref`); the exit code."""
    if diff_ref is not None:
        return run_diff(
            paths,
            settings,
            fmt,
            output,
            filters,
            diff_ref,
            force_exclude,
            settings_at,
            accept_config_changes,
        )
    current, report = survey(paths, settings, force_exclude=force_exclude)
    for missing in report.missing:
        error(f"{missing}: no such file or folder")
    if report.missing or report.files_scanned == 0:
        if not report.missing:
            error("no Python files to scan")
        return EXIT_USAGE
    shown = current.filtered(filters.unauthenticated, filters.methods, filters.path)
    return EXIT_CLEAN if emit(render(shown, fmt), shown, output) else EXIT_USAGE


def run_diff(
    paths: Sequence[Path],
    settings: Settings,
    fmt: RoutesFormat,
    output: Path | None,
    filters: Filters,
    ref: str,
    force_exclude: bool,
    settings_at: SettingsAt | None = None,
    accept_config_changes: bool = False,
) -> int:
    """Compare the inventory with revision `ref`'s; 1 when the change opens a route."""
    if fmt is RoutesFormat.csv:
        error("--diff prints text, json or markdown")
        return EXIT_USAGE
    missing = [p for p in paths if not p.exists()]
    if missing:
        error(f"{missing[0]}: no such file or folder")
        return EXIT_USAGE
    try:
        with at_revision(ref, paths, settings, settings_at) as base:
            existing = [p for p in base.paths if p.exists()]
            before, old = Inventory(), None
            if existing:
                before, old = survey(
                    existing, base.settings, force_exclude=force_exclude, root=base.tree
                )
            after, new = survey(paths, settings, force_exclude=force_exclude, root=base.top)
            trust = trust_changes(base.settings, settings, old, new, base.tree, base.top)
    except GitError as exc:
        error(str(exc))
        return EXIT_USAGE
    before = before.filtered(methods=filters.methods, path=filters.path)
    after = after.filtered(methods=filters.methods, path=filters.path)
    diff = compare(before, after, ref)
    diff.configuration = [replace(c, accepted=accept_config_changes) for c in trust]
    if filters.unauthenticated:
        diff = diff.unauthenticated()
    text = {
        RoutesFormat.json: diff_format.as_json,
        RoutesFormat.markdown: diff_format.markdown,
    }.get(fmt, diff_format.text)(diff)
    if output is not None:
        if not write(output, text):
            return EXIT_USAGE
    else:
        sys.stdout.write(text)
    return EXIT_FINDINGS if diff.opens else EXIT_CLEAN
