"""A new rule is one module plus one registry line: the test-only FL901 proves it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from extra_rules import EXTRA_RULES
from extra_rules.cors_credentials_any_origin import CorsCredentialsAnyOrigin
from paths import FIXTURES, TESTS

from fastlint import engine, registry
from fastlint.cli import app
from fastlint.docs import doc_path, generated_files, public_example, rule_markdown
from fastlint.registry import ALL_RULES
from fastlint.report import sarif
from fastlint.report.options import ReportOptions
from fastlint.rule import DOC_HEADINGS
from fastlint.testing import (
    EXPECT,
    actual,
    cli_runner,
    example_files,
    expectations,
    lint_fixture,
    project_of,
    registered,
)

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


def test_the_test_rule_manual_is_generated_from_its_docstring_and_examples() -> None:
    """Its one registry line (tests/extra_rules) is all the docs need: the page,
    `fastlint explain` and SARIF help come from the class."""
    rule = CorsCredentialsAnyOrigin
    readme = (TESTS.parent / "README.md").read_text(encoding="utf-8")
    page = generated_files(readme, (*ALL_RULES, *EXTRA_RULES))[doc_path(rule)]
    assert page == rule_markdown(rule)
    assert page.startswith(f"# FL901 test-cors-credentials-any-origin\n\n{rule.summary}.")
    for heading in (*DOC_HEADINGS, "## Examples", "## Use instead", "## How to fix"):
        assert heading in page
    assert "`shop/config.py`:" in page and "`shop/main.py`:" in page
    for example in (*rule.invalid_examples(), *rule.valid_examples()):
        for source in filter(str.strip, example_files(example).values()):
            assert f"```python\n{public_example(source)}```" in page
    assert not EXPECT.search(page)
    with registered(rule):
        explained = cli_runner().invoke(app, ["explain", "FL901"])
        sarif_rules = json.loads(
            sarif.render(lint_fixture(PROJECT), (*ALL_RULES, rule), ReportOptions())
        )
    assert explained.exit_code == 0 and explained.stdout == page.rstrip("\n") + "\n"
    (descriptor,) = [
        r for r in sarif_rules["runs"][0]["tool"]["driver"]["rules"] if r["id"] == "FL901"
    ]
    assert descriptor["help"]["markdown"] == page
