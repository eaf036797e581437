"""Every fixture project yields exactly the findings written on its lines."""

from __future__ import annotations

from pathlib import Path

import pytest
from paths import FIXTURES

from fastlint.registry import ALL_RULES
from fastlint.testing import actual, expectations, lint_fixture

EVERY_RULE = [rule.code for rule in ALL_RULES]
PROJECTS = sorted(p for p in FIXTURES.iterdir() if p.is_dir() and not p.name.startswith("_"))


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.name)
def test_findings_match_expectations(project: Path) -> None:
    report = lint_fixture(project, select=EVERY_RULE)  # preview rules too
    assert actual(report, project) == expectations(project)


def test_fixtures_expect_every_rule() -> None:
    """Together the fixtures exercise each rule at least once."""
    codes = {code for project in PROJECTS for (_, _, code) in expectations(project)}
    assert codes >= {"FL001", "FL002", "FL003", "FL004", "FL005", "FL006"}
