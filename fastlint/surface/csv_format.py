"""`fastlint routes --format csv`: one line per served route, for a spreadsheet."""

from __future__ import annotations

import csv
import io

from fastlint.inventory import Inventory
from fastlint.surface import cells

HEADER = (
    "app",
    "method",
    "path",
    "handler",
    "file",
    "line",
    "authentication",
    "auth_sources",
    "authorization",
    "response_model",
    "rate_limit",
    "include_in_schema",
    "deprecated",
    "websocket",
    "mounted_in",
    "tags",
    "findings",
)


def _safe(value: str) -> str:
    """Cells a spreadsheet would run as a formula start with a quote."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def render(inventory: Inventory) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for row in inventory.rows:
        values = (
            row.app,
            row.method,
            row.path,
            row.handler,
            row.file,
            str(row.line),
            row.authentication,
            "; ".join(s.describe() for s in row.auth_sources),
            "; ".join(row.authorization),
            row.response_model,
            "; ".join(row.rate_limit),
            str(row.include_in_schema).lower(),
            str(row.deprecated).lower(),
            str(row.websocket).lower(),
            row.mounted_in,
            cells.joined(row.tags),
            cells.joined(row.findings),
        )
        writer.writerow([_safe(v) for v in values])
    return out.getvalue()
