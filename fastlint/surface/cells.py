"""Short texts for a row's cells, shared by the table, CSV and Markdown renderers."""

from __future__ import annotations

from fastlint.inventory import Row


def auth(row: Row) -> str:
    """`present: X via include at f:31; ...`, `optional: ...`, `unknown: ...` or `none`."""
    if row.auth_sources:
        briefs = dict.fromkeys(s.brief() for s in row.auth_sources)
        return f"{row.authentication}: " + "; ".join(briefs)
    if row.optional:
        return f"{row.authentication}: " + "; ".join(row.optional)
    if row.auth_unknown:
        return f"{row.authentication}: " + "; ".join(row.auth_unknown)
    return row.authentication


def flags(row: Row) -> str:
    """`hidden`, `deprecated`, `websocket`, `mounted in X`, comma-separated."""
    found = []
    if row.include_in_schema is False:
        found.append("hidden")
    elif row.include_in_schema is None:
        found.append("schema visibility unknown")
    if row.deprecated:
        found.append("deprecated")
    elif row.deprecated is None:
        found.append("deprecation unknown")
    if row.websocket:
        found.append("websocket")
    if row.mounted_in:
        found.append(f"mounted in {row.mounted_in}")
    if row.shadowed_by:
        found.append(f"never reached: shadowed by {row.shadowed_by}")
    return ", ".join(found)


def handler(row: Row) -> str:
    return f"{row.handler} ({row.file}:{row.line})"


def joined(values: tuple[str, ...], empty: str = "") -> str:
    return ", ".join(values) if values else empty
