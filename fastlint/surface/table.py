"""`fastlint routes` on a terminal: a rich table per app, long cells folded."""

from __future__ import annotations

from itertools import groupby

from rich.console import Console
from rich.table import Table
from rich.text import Text

from fastlint.inventory import Inventory
from fastlint.report.escape import visible
from fastlint.surface import cells

STYLE = {"present": "green", "optional": "yellow", "unknown": "magenta", "none": "red"}


def render(inventory: Inventory, console: Console) -> None:
    """Print one table per app, then what is listed apart, then the counts. On a
    terminal, the columns that fit its width (80 or 120 columns: fewer columns, long
    cells folded); piped into a file or a pager, every column, wide enough not to fold
    paths."""
    if not console.is_terminal:
        console.width = max(console.width, 240)
    names = columns(console.width)
    for app, rows in groupby(inventory.rows, key=lambda r: r.app):
        table = Table(title=_text(f"app {app}"), title_justify="left", expand=False)
        for name in names:
            ratio = RATIOS[name]
            table.add_column(name, overflow="fold", ratio=ratio or None, no_wrap=name == "Method")
        for row in rows:
            cells_of = {
                "Method": _text(row.method),
                "Path": _text(row.path),
                "Handler": _text(cells.handler(row)),
                "Authentication": _text(cells.auth(row), STYLE.get(row.authentication, "")),
                "Response": _text(row.response_model),
                "Rate limit": _text(cells.joined(row.rate_limit, "none")),
                "Flags": _text(cells.flags(row)),
                "Findings": _text(cells.joined(row.findings)),
            }
            table.add_row(*(cells_of[name] for name in names))
        console.print(table)
    for text in _apart(inventory):
        console.print(_text(text))
    states = {s: sum(r.authentication == s for r in inventory.rows) for s in STYLE}
    summary = ", ".join(f"{n} {s}" for s, n in states.items() if n)
    total = f"{len(inventory.rows)} route(s) served"
    console.print(_text(total + (f" (authentication: {summary})" if summary else "")))


# Column -> share of the spare width (0: as wide as its content).
RATIOS = {
    "Method": 0,
    "Path": 3,
    "Handler": 2,
    "Authentication": 4,
    "Response": 1,
    "Rate limit": 1,
    "Flags": 1,
    "Findings": 1,
}
NARROW = ("Method", "Path", "Authentication", "Findings")  # what a route is, and its risk
MEDIUM = ("Method", "Path", "Authentication", "Response", "Rate limit", "Flags", "Findings")


def columns(width: int) -> tuple[str, ...]:
    """The columns that fit `width`: all from 160 columns; without the handler from
    110 (json and csv have it); else what a route is and its risk."""
    if width >= 160:
        return tuple(RATIOS)
    return MEDIUM if width >= 110 else NARROW


def _text(text: str, style: str = "") -> Text:
    """Scanned text on a terminal: control characters shown, never interpreted."""
    return Text(visible(text), style=style)


def _apart(inventory: Inventory) -> list[str]:
    lines = []
    if inventory.unattached:
        lines.append(f"{len(inventory.unattached)} route(s) served by no app fastlint sees:")
        lines += [
            f"  {u.file}:{u.line}: {u.label} (router `{u.router}`)" for u in inventory.unattached
        ]
    if inventory.unresolved_includes:
        lines.append(f"{len(inventory.unresolved_includes)} include(s) fastlint could not follow:")
        lines += [f"  {text}" for text in inventory.unresolved_includes]
    return lines
