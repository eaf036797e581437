"""Every rule, from the `rules/` folder (installed as `fastlint.rules`).

The folder is mapped into the package at build time, so it is imported by name
here; type checkers see it as the top-level `rules` package.
"""

from __future__ import annotations

import importlib

from fastlint.rule import Rule

_rules = importlib.import_module("fastlint.rules")

ALL_RULES: tuple[type[Rule], ...] = tuple(_rules.ALL_RULES)
RULES_BY_CODE: dict[str, type[Rule]] = {rule.code: rule for rule in ALL_RULES}
# Rules that run only when selected (`--select FL025`, `extend-select`, `ALL`): their
# precision on real code is not yet what a default rule's must be.
PREVIEW_CODES: frozenset[str] = frozenset(rule.code for rule in ALL_RULES if rule.preview)
