"""A new rule is one module plus one registry line: the test-only FL901 proves it."""

from __future__ import annotations

from pathlib import Path

import pytest
from extra_rules.cors_credentials_any_origin import CorsCredentialsAnyOrigin
from helpers import FIXTURES, actual, expectations, lint_fixture
from sources import project_of

from fastlint import engine, registry

PROJECT = FIXTURES / "_platform_cors"


@pytest.fixture
def with_test_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    """The one registry line, added for the duration of a test."""
    rules = (*registry.ALL_RULES, CorsCredentialsAnyOrigin)
    for module in (registry, engine):
        monkeypatch.setattr(module, "ALL_RULES", rules, raising=False)
    monkeypatch.setitem(
        registry.RULES_BY_CODE, CorsCredentialsAnyOrigin.code, CorsCredentialsAnyOrigin
    )


@pytest.mark.usefixtures("with_test_rule")
def test_the_test_rule_reports_exactly_the_expected_lines() -> None:
    report = lint_fixture(PROJECT, select=["FL901"])
    assert actual(report, PROJECT) == expectations(PROJECT)
    assert len(report.findings) == 3  # add_middleware, middleware list, wrapping


@pytest.mark.usefixtures("with_test_rule")
def test_findings_point_at_the_settings_default_and_name_the_environment_fallback() -> None:
    report = lint_fixture(PROJECT, select=["FL901"])
    by_file = {Path(f.path).name: f for f in report.findings}
    config_file = PROJECT / "shop/core/config.py"
    config = str(config_file.resolve())
    text = config_file.read_text(encoding="utf-8")

    def line_of(snippet: str) -> int:
        return next(i for i, line in enumerate(text.splitlines(), 1) if snippet in line)

    factory = by_file["main.py"]
    assert factory.message == (
        "`CORSMiddleware` on app `app` allows credentials from any origin"
        " (the default used when `SHOP_CORS_ORIGINS` is not set in the environment)"
    )
    (related,) = factory.related
    assert (related.path, related.span.line) == (config, line_of("CORS_ORIGINS: list"))
    assert related.message == "`Settings.CORS_ORIGINS` is defined here"
    wrapped = by_file["wrapped.py"]
    assert "`ALLOWED_ORIGINS` is not set" in wrapped.message
    (related,) = wrapped.related
    assert (related.path, related.span.line) == (config, line_of("ALLOWED_ORIGINS = "))


def test_the_test_rule_is_not_shipped() -> None:
    assert CorsCredentialsAnyOrigin.code not in registry.RULES_BY_CODE
    assert CorsCredentialsAnyOrigin not in registry.ALL_RULES


def test_the_test_rule_examples() -> None:
    rule = CorsCredentialsAnyOrigin()
    found = list(rule.check(project_of({"bad.py": rule.bad_example})))
    assert [f.span.line for f in found] == [5]
    assert list(rule.check(project_of({"good.py": rule.good_example}))) == []
