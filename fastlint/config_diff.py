"""What a change to the configuration does to trust: the base's settings against the
branch's, key by key (`--diff REF`).

A branch can widen trust without touching a route: trust a no-op as an
authentication dependency, list a route as public, ignore a rule, exclude a file,
change a rule's options, or silence a route's finding with a comment. Each is a
change of its own, and the gate fails on it unless it is accepted
(`--accept-config-changes`), so a reviewer sees it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from fastlint.config import Settings
from fastlint.findings import Finding, Severity
from fastlint.registry import PREVIEW_CODES

# Settings lists whose new entries trust more (or check less).
WIDENING_LISTS = {
    "auth_dependencies": "trusts new authentication dependencies",
    "rate_limiters": "trusts new rate limiters",
    "ignore": "ignores more rules",
    "exclude": "excludes more paths",
    "extend_exclude": "excludes more paths",
}


@dataclass(frozen=True)
class ConfigChange:
    kind: str  # e.g. "auth_dependencies_added" (see docs/routes-format.md)
    message: str
    accepted: bool = False


def _key(name: str) -> str:
    return name.replace("_", "-")


def _listed(values: Iterable[str]) -> str:
    return ", ".join(f"`{v}`" for v in values)


def widened(
    before: Settings,
    after: Settings,
    known_rules: Sequence[str],
    defaults: Mapping[str, Severity] | None = None,
) -> list[ConfigChange]:
    """The ways `after` trusts more than `before` (empty when it does not);
    `defaults` are the rules' own severities."""
    defaults = defaults or {}
    found: list[ConfigChange] = []
    for name, what in WIDENING_LISTS.items():
        added = [v for v in getattr(after, name) if v not in getattr(before, name)]
        if added:
            found.append(
                ConfigChange(
                    f"{name}_added",
                    f"configuration widens trust: `{_key(name)}` {what}: {_listed(added)}",
                )
            )
    dropped = [
        c
        for c in before.rule_codes(list(known_rules), PREVIEW_CODES)
        if c not in after.rule_codes(list(known_rules), PREVIEW_CODES)
    ]
    if dropped and not any(c.kind == "ignore_added" for c in found):
        found.append(
            ConfigChange(
                "rules_deselected",
                f"configuration widens trust: rules no longer run: {_listed(dropped)}",
            )
        )
    per_file = [
        f"{glob}: {_listed(c for c in codes if c not in before.per_file_ignores.get(glob, ()))}"
        for glob, codes in sorted(after.per_file_ignores.items())
        if any(c not in before.per_file_ignores.get(glob, ()) for c in codes)
    ]
    if per_file:
        found.append(
            ConfigChange(
                "per_file_ignores_added",
                "configuration widens trust: `per-file-ignores` ignores more: "
                + "; ".join(per_file),
            )
        )
    lowered = []
    for code in sorted(after.severity):
        default = defaults.get(code, Severity.LOW)
        was = before.severity_of(code) or default
        now = after.severity_of(code) or default
        if now < was:
            lowered.append(code)

    if lowered:
        found.append(
            ConfigChange(
                "severity_lowered",
                f"configuration widens trust: `severity` lowered for {_listed(lowered)}",
            )
        )
    for code in sorted(set(before.rule_options) | set(after.rule_options)):
        old, new = before.rule_options.get(code, {}), after.rule_options.get(code, {})
        changed = sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k))
        if changed:
            shown = "; ".join(
                f"{_key(k)}: {_shown(old.get(k))} -> {_shown(new.get(k))}" for k in changed
            )
            found.append(
                ConfigChange(
                    "rule_options_changed",
                    f"configuration widens trust: `rules.{code}` options changed: {shown}",
                )
            )
    return found


def _shown(value: object) -> str:
    if value is None:
        return "default"
    if isinstance(value, tuple):
        return "[" + ", ".join(f'"{v}"' for v in value) + "]"
    return repr(value)


def new_suppressions(
    before: Iterable[tuple[str, Finding]], after: Iterable[tuple[str, Finding]]
) -> list[ConfigChange]:
    """Route findings silenced by a comment on the branch and not in the base; each
    given as (its path relative to its tree, finding)."""
    old = Counter(f.fingerprint(path) for path, f in before if f.route)
    found = []
    for path, finding in after:
        if not finding.route:
            continue
        fingerprint = finding.fingerprint(path)
        if old[fingerprint] > 0:
            old[fingerprint] -= 1
            continue
        found.append(
            ConfigChange(
                "suppression_added",
                f"a new comment silences {finding.rule} on {finding.route} "
                f"({path}:{finding.span.line})",
            )
        )
    return found
