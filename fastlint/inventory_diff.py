"""What a change does to the attack surface: two inventories compared route by route.

Routes are matched by app, method and full path; where the code sits (file, line)
is not compared, so moving code changes nothing. A change *opens* the surface when
it adds a route anonymous callers reach, or takes authentication, a rate limit or
a response model away from a route.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fastlint.config_diff import ConfigChange
from fastlint.inventory import NONE, OPTIONAL, PRESENT, Inventory, Row

OPEN_STATES = (NONE, OPTIONAL)


@dataclass(frozen=True)
class Change:
    kind: str  # see docs/routes-format.md
    message: str
    opens: bool = False


@dataclass(frozen=True)
class Changed:
    before: Row
    after: Row
    changes: tuple[Change, ...]


@dataclass
class SurfaceDiff:
    base: str  # the revision compared with
    added: list[Row] = field(default_factory=list)
    removed: list[Row] = field(default_factory=list)
    changed: list[Changed] = field(default_factory=list)
    # How the change's configuration and suppression comments widen trust.
    configuration: list[ConfigChange] = field(default_factory=list)

    @property
    def opened_routes(self) -> list[Row]:
        """Added routes that anonymous callers reach."""
        return [r for r in self.added if r.authentication in OPEN_STATES]

    @property
    def opens(self) -> int:
        """How many routes the change opens (the CI gate fails when not 0)."""
        changed = sum(1 for c in self.changed if any(x.opens for x in c.changes))
        trusted = sum(1 for c in self.configuration if not c.accepted)
        return len(self.opened_routes) + changed + trusted

    def unauthenticated(self) -> SurfaceDiff:
        """Only the routes without authentication after the change (before it, for
        removed routes)."""
        return SurfaceDiff(
            self.base,
            [r for r in self.added if r.authentication != PRESENT],
            [r for r in self.removed if r.authentication != PRESENT],
            [c for c in self.changed if c.after.authentication != PRESENT],
            self.configuration,
        )

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.configuration)


def _served(inventory: Inventory) -> dict[tuple[str, str, str], Row]:
    """The route served for each app, method and path: FastAPI serves the first
    match, so a shadowed duplicate is not what callers reach."""
    served: dict[tuple[str, str, str], Row] = {}
    for row in inventory.rows:
        if not row.shadowed_by:
            served.setdefault(row.key, row)
    return served


def _hidden(inventory: Inventory) -> dict[tuple[str, str, str], list[Row]]:
    hidden: dict[tuple[str, str, str], list[Row]] = {}
    for row in inventory.rows:
        if row.shadowed_by:
            hidden.setdefault(row.key, []).append(row)
    return hidden


def compare(before: Inventory, after: Inventory, base: str) -> SurfaceDiff:
    old, new = _served(before), _served(after)
    was_hidden, now_hidden = _hidden(before), _hidden(after)
    diff = SurfaceDiff(base)
    diff.added = [new[k] for k in sorted(new.keys() - old.keys())]
    diff.removed = [old[k] for k in sorted(old.keys() - new.keys())]
    for key in sorted(old.keys() & new.keys()):
        changes = tuple(changes_of(old[key], new[key]))
        if len(now_hidden.get(key, [])) > len(was_hidden.get(key, [])):
            where = ", ".join(f"{r.file}:{r.line}" for r in now_hidden[key])
            message = f"now shadows the route declared later ({where}): only this one is served"
            changes += (Change("shadowed", message, True),)
        if changes:
            diff.changed.append(Changed(old[key], new[key], changes))
    return diff


def _sources(row: Row) -> set[tuple[str, str]]:
    return {(s.what, s.level) for s in row.auth_sources}


def changes_of(before: Row, after: Row) -> list[Change]:
    found: list[Change] = []
    was, now = before.authentication, after.authentication
    if was == PRESENT and now != PRESENT:
        opens = now in OPEN_STATES
        public = "now public" if opens else f"now {now}"
        found.append(Change("authentication_lost", f"authentication removed: {public}", opens))
    elif was != PRESENT and now == PRESENT:
        found.append(Change("authentication_gained", "authentication added"))
    elif was == PRESENT and _sources(before) != _sources(after):
        levels = ", ".join(sorted({s.level for s in after.auth_sources}))
        found.append(Change("authentication_changed", f"authentication now attached at {levels}"))
    elif was != now:
        found.append(Change("authentication_changed", f"authentication {was} -> {now}"))
    if before.response_model != after.response_model:
        if after.response_model == "none":
            message = f"response model {before.response_model} removed"
            found.append(Change("response_model_removed", message, True))
        else:
            message = f"response model {before.response_model} -> {after.response_model}"
            found.append(Change("response_model_changed", message))
    if before.rate_limit and not after.rate_limit:
        found.append(Change("rate_limit_removed", "rate limit removed", True))
    elif after.rate_limit and not before.rate_limit:
        found.append(Change("rate_limit_added", "rate limit added"))
    if before.include_in_schema is not False and after.include_in_schema is False:
        found.append(Change("hidden_from_schema", "newly hidden from the OpenAPI schema"))
    elif before.include_in_schema is False and after.include_in_schema is True:
        found.append(Change("shown_in_schema", "now shown in the OpenAPI schema"))
    return found
