"""`fastlint routes --diff`: the change to the attack surface as text, JSON or Markdown."""

from __future__ import annotations

import json
from typing import Any

from fastlint.inventory import Row
from fastlint.inventory_diff import OPEN_STATES, SurfaceDiff
from fastlint.report.escape import visible
from fastlint.surface.json_format import row_dict
from fastlint.surface.markdown import cell

SCHEMA = "fastlint-routes-diff"
VERSION = 1


def _added_note(row: Row) -> str:
    return "anonymous callers reach it" if row.authentication in OPEN_STATES else row.authentication


def summary(diff: SurfaceDiff) -> str:
    parts = [
        f"{len(diff.added)} added",
        f"{len(diff.removed)} removed",
        f"{len(diff.changed)} changed",
    ]
    text = f"Routes compared with {diff.base}: " + ", ".join(parts)
    opened = [r for r in diff.added if r.authentication in OPEN_STATES]
    writes = sum(1 for r in opened if set(r.method.split("|")) - {"GET", "HEAD", "OPTIONS"})
    if opened:
        text += f"; adds {len(opened)} unauthenticated route(s) ({writes} write)"
    trust = sum(1 for c in diff.configuration if not c.accepted)
    if diff.opens - trust:
        text += f"; {diff.opens - trust} route(s) opened or weakened"
    if trust:
        text += f"; {trust} configuration change(s) widen trust"
    return text


def text(diff: SurfaceDiff) -> str:
    lines = [summary(diff)]
    for row in diff.added:
        lines.append(f"+ {row.app} {row.label} ({_added_note(row)}) {row.file}:{row.line}")
    for row in diff.removed:
        lines.append(f"- {row.app} {row.label}")
    for changed in diff.changed:
        for change in changed.changes:
            mark = "!" if change.opens else "~"
            lines.append(f"{mark} {changed.after.app} {changed.after.label}: {change.message}")
    for config in diff.configuration:
        accepted = " (accepted)" if config.accepted else ""
        lines.append(f"{'~' if config.accepted else '!'} {config.message}{accepted}")
    return "\n".join(visible(line) for line in lines) + "\n"


def document(diff: SurfaceDiff) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "version": VERSION,
        "base": diff.base,
        "added": [row_dict(r) for r in diff.added],
        "removed": [row_dict(r) for r in diff.removed],
        "changed": [
            {
                "before": row_dict(c.before),
                "after": row_dict(c.after),
                "changes": [
                    {"kind": x.kind, "message": x.message, "opens": x.opens} for x in c.changes
                ],
            }
            for c in diff.changed
        ],
        "configuration": [
            {"kind": c.kind, "message": c.message, "accepted": c.accepted}
            for c in diff.configuration
        ],
        "opens": diff.opens,
    }


def as_json(diff: SurfaceDiff) -> str:
    return json.dumps(document(diff), indent=2) + "\n"


def markdown(diff: SurfaceDiff) -> str:
    verdict = ":warning:" if diff.opens else ":white_check_mark:"
    lines = [f"### Attack surface {verdict}", "", cell(summary(diff)), ""]
    if diff.empty:
        lines.append("No route added, removed or changed.")
        return "\n".join(lines) + "\n"
    lines += ["| | App | Route | Change |", "|---|---|---|---|"]
    for row in diff.added:
        lines.append(f"| added | {cell(row.app)} | {cell(row.label)} | {cell(_added_note(row))} |")
    for row in diff.removed:
        lines.append(f"| removed | {cell(row.app)} | {cell(row.label)} | |")
    for changed in diff.changed:
        for change in changed.changes:
            mark = "**weakened**" if change.opens else "changed"
            after = changed.after
            lines.append(
                f"| {mark} | {cell(after.app)} | {cell(after.label)} | {cell(change.message)} |"
            )
    for config in diff.configuration:
        mark = "accepted" if config.accepted else "**widens trust**"
        lines.append(f"| {mark} | | configuration | {cell(config.message)} |")
    return "\n".join(lines) + "\n"
