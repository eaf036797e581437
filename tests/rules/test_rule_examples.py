"""Each rule's examples are true: every invalid example is reported exactly on its
`# expect:` lines (an invalid example reported nowhere fails, and so does a line
reported but not marked), every valid example nowhere. The docs carry the required
headings. Rules are the shipped ones and the test-only ones of tests/extra_rules."""

from __future__ import annotations

from pathlib import Path

import pytest
from extra_rules import EXTRA_RULES

from fastlint.registry import ALL_RULES
from fastlint.rule import DOC_HEADINGS, Example, Rule
from fastlint.testing import check_example

RULES = (*ALL_RULES, *EXTRA_RULES)


def cases(kind: str) -> list[object]:
    """(rule, example) for every example of that kind, named like `FL001-invalid-2`."""
    return [
        pytest.param(rule, example, id=f"{rule.code}-{kind}-{number}")
        for rule in RULES
        for number, example in enumerate(
            rule.invalid_examples() if kind == "invalid" else rule.valid_examples(), start=1
        )
    ]


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_has_examples_of_both_kinds(rule: type[Rule]) -> None:
    assert rule.invalid_examples(), f"{rule.code} has no invalid example"
    assert rule.valid_examples(), f"{rule.code} has no valid example"


@pytest.mark.parametrize(("rule", "example"), cases("invalid"))
def test_invalid_example_is_reported_on_marked_lines(
    rule: type[Rule], example: Example, tmp_path: Path
) -> None:
    expected, found = check_example(rule, example, tmp_path)
    assert expected, "an invalid example must mark at least one line with # expect:"
    assert {code for _, _, code in expected} == {rule.code}
    assert found == expected


@pytest.mark.parametrize(("rule", "example"), cases("valid"))
def test_valid_example_is_clean(rule: type[Rule], example: Example, tmp_path: Path) -> None:
    expected, found = check_example(rule, example, tmp_path)
    assert not expected, "a valid example marks no line"
    assert not found


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_documents_itself(rule: type[Rule]) -> None:
    doc = rule.documentation()
    for heading in DOC_HEADINGS:
        assert heading in doc, f"{rule.code} lacks {heading!r}"
    assert rule.code.startswith("FL") and len(rule.code) == 5
    assert rule.name == rule.name.lower() and " " not in rule.name
    assert float(rule.security_severity) > 0
    assert rule.precision in ("very-high", "high", "medium", "low")
    assert rule.owasp.startswith("API") and rule.owasp.endswith(":2023")


def test_codes_and_names_are_unique() -> None:
    assert len({r.code for r in RULES}) == len(RULES)
    assert len({r.name for r in RULES}) == len(RULES)
