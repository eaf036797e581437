"""`fastlint routes`: print the inventory in the chosen format (the CLI's body)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from fastlint.config import Settings
from fastlint.inventory import Inventory
from fastlint.output import EXIT_CLEAN, EXIT_USAGE, error, terminal
from fastlint.surface import csv_format, json_format, markdown, table
from fastlint.surface.collect import survey


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


def emit(text: str | None, inventory: Inventory, output: Path | None) -> None:
    """Write `text` to `output` or stdout; the table when `text` is None."""
    if text is None:
        if output is not None:
            from rich.console import Console

            with output.open("w", encoding="utf-8") as handle:
                table.render(inventory, Console(file=handle, width=200, color_system=None))
            return
        table.render(inventory, terminal())
        return
    if output is not None:
        output.write_text(text, encoding="utf-8")
    else:
        import sys

        sys.stdout.write(text)


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
) -> int:
    """Print the inventory (or its diff against `diff_ref`); the exit code."""
    current, report = survey(paths, settings, force_exclude=force_exclude)
    for missing in report.missing:
        error(f"{missing}: no such file or folder")
    if report.missing or report.files_scanned == 0:
        if not report.missing:
            error("no Python files to scan")
        return EXIT_USAGE
    shown = current.filtered(filters.unauthenticated, filters.methods, filters.path)
    emit(render(shown, fmt), shown, output)
    return EXIT_CLEAN
