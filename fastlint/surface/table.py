"""`fastlint routes` on a terminal: a rich table per app, long cells folded."""

from __future__ import annotations

from itertools import groupby

from rich.console import Console
from rich.table import Table
from rich.text import Text

from fastlint.inventory import Inventory
from fastlint.surface import cells

STYLE = {"present": "green", "optional": "yellow", "unknown": "magenta", "none": "red"}


def render(inventory: Inventory, console: Console) -> None:
    """Print one table per app, then what is listed apart, then the counts. Piped
    into a file or a pager, the table is wide enough not to fold paths."""
    if not console.is_terminal:
        console.width = max(console.width, 240)
    for app, rows in groupby(inventory.rows, key=lambda r: r.app):
        table = Table(title=Text(f"app {app}"), title_justify="left", expand=False)
        for name, ratio in (
            ("Method", 0),
            ("Path", 2),
            ("Handler", 2),
            ("Authentication", 4),
            ("Response", 1),
            ("Rate limit", 1),
            ("Flags", 1),
            ("Findings", 1),
        ):
            table.add_column(name, overflow="fold", ratio=ratio or None, no_wrap=not ratio)
        for row in rows:
            table.add_row(
                Text(row.method),
                Text(row.path),
                Text(cells.handler(row)),
                Text(cells.auth(row), style=STYLE.get(row.authentication, "")),
                Text(row.response_model),
                Text(cells.joined(row.rate_limit, "none")),
                Text(cells.flags(row)),
                Text(cells.joined(row.findings)),
            )
        console.print(table)
    for text in _apart(inventory):
        console.print(Text(text))
    states = {s: sum(r.authentication == s for r in inventory.rows) for s in STYLE}
    summary = ", ".join(f"{n} {s}" for s, n in states.items() if n)
    console.print(
        Text(
            f"{len(inventory.rows)} route(s) served"
            + (f" (authentication: {summary})" if summary else "")
        )
    )


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
