"""fastlint's rules: one module per rule, grouped by risk. This list is the registry."""

from __future__ import annotations

from fastlint.rule import Rule
from fastlint.rules.auth.unauthenticated_route import UnauthenticatedRoute
from fastlint.rules.config.openapi_docs_exposed import OpenapiDocsExposed
from fastlint.rules.consumption.no_rate_limiting import NoRateLimiting
from fastlint.rules.exposure.missing_response_model import MissingResponseModel
from fastlint.rules.exposure.sensitive_field_in_response import SensitiveFieldInResponse
from fastlint.rules.input.unconstrained_string_field import UnconstrainedStringField

ALL_RULES: tuple[type[Rule], ...] = (
    UnauthenticatedRoute,
    MissingResponseModel,
    SensitiveFieldInResponse,
    UnconstrainedStringField,
    OpenapiDocsExposed,
    NoRateLimiting,
)
RULES_BY_CODE: dict[str, type[Rule]] = {rule.code: rule for rule in ALL_RULES}
