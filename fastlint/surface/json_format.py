"""`fastlint routes --format json`: the inventory as documented in docs/routes-format.md."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from fastlint.inventory import Inventory, Row

SCHEMA = "fastlint-routes"
VERSION = 1


def row_dict(row: Row) -> dict[str, Any]:
    data = asdict(row)
    for key in ("auth_sources", "optional", "auth_unknown", "authorization", "rate_limit"):
        data[key] = list(data[key])
    data["tags"], data["findings"] = list(row.tags), list(row.findings)
    return data


def document(inventory: Inventory) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "version": VERSION,
        "routes": [row_dict(r) for r in inventory.rows],
        "not_served": [asdict(u) for u in inventory.unattached],
        "unresolved_includes": list(inventory.unresolved_includes),
        "counts": counts(inventory),
    }


def counts(inventory: Inventory) -> dict[str, int]:
    by_state: dict[str, int] = {}
    for row in inventory.rows:
        by_state[row.authentication] = by_state.get(row.authentication, 0) + 1
    return {
        "routes": len(inventory.rows),
        **{f"authentication_{k}": v for k, v in sorted(by_state.items())},
        "not_served": len(inventory.unattached),
        "unresolved_includes": len(inventory.unresolved_includes),
    }


def render(inventory: Inventory) -> str:
    return json.dumps(document(inventory), indent=2) + "\n"
