"""`fastlint routes --format markdown`: a table for a pull request or a wiki page."""

from __future__ import annotations

from fastlint.inventory import Inventory
from fastlint.surface import cells


def cell(text: str) -> str:
    """Text safe inside a Markdown table cell (no pipes, markup or HTML)."""
    escaped = text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;")
    escaped = escaped.replace(">", "&gt;").replace("\n", " ").replace("`", "'")
    return escaped.replace("*", "\\*").replace("_", "\\_").replace("[", "\\[")


def render(inventory: Inventory) -> str:
    lines = [
        f"### Routes ({len(inventory.rows)})",
        "",
        "| App | Method | Path | Authentication | Response model | Rate limit | Flags | Findings |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in inventory.rows:
        values = (
            row.app,
            row.method,
            row.path,
            cells.auth(row),
            row.response_model,
            cells.joined(row.rate_limit, "none"),
            cells.flags(row),
            cells.joined(row.findings),
        )
        lines.append("| " + " | ".join(cell(v) for v in values) + " |")
    lines.extend(apart(inventory))
    return "\n".join(lines) + "\n"


def apart(inventory: Inventory) -> list[str]:
    lines = []
    if inventory.unattached:
        lines += ["", f"**{len(inventory.unattached)} route(s) served by no app fastlint sees:**"]
        lines += [
            f"- {cell(u.label)} (router {cell(u.router)}, {cell(u.file)}:{u.line})"
            for u in inventory.unattached
        ]
    if inventory.unresolved_includes:
        lines += ["", f"**{len(inventory.unresolved_includes)} include(s) not followed:**"]
        lines += [f"- {cell(text)}" for text in inventory.unresolved_includes]
    return lines
