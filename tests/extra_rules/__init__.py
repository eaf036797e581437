"""Rules that exist only in the test suite, to prove a new rule is one module plus
one registry line. This tuple is their registry: the example test runs their
examples and the docs test generates their manual pages, as for shipped rules."""

from __future__ import annotations

from fastlint.rule import Rule

from .cors_credentials_any_origin import CorsCredentialsAnyOrigin

EXTRA_RULES: tuple[type[Rule], ...] = (CorsCredentialsAnyOrigin,)
