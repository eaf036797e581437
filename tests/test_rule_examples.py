"""Each rule's documented examples are true: the bad one is reported exactly on its
`# expect:` lines, the good one not at all. The docs carry the required headings."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import actual, expectations, lint_fixture

from fastlint.registry import ALL_RULES
from fastlint.rule import DOC_HEADINGS, Rule


def write(tmp_path: Path, source: str) -> Path:
    file = tmp_path / "example.py"
    file.write_text(source, encoding="utf-8")
    return file


def only(counter: object, code: str) -> dict[tuple[str, int, str], int]:
    return {k: v for k, v in counter.items() if k[2] == code}  # type: ignore[attr-defined]


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.code)
def test_bad_example_is_reported_on_marked_lines(rule: type[Rule], tmp_path: Path) -> None:
    file = write(tmp_path, rule.bad_example)
    expected = expectations(file)
    assert expected, "a bad example must mark at least one line with # expect:"
    assert {code for _, _, code in expected} == {rule.code}
    assert only(actual(lint_fixture(file), file), rule.code) == dict(expected)


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.code)
def test_good_example_is_clean(rule: type[Rule], tmp_path: Path) -> None:
    file = write(tmp_path, rule.good_example)
    assert not expectations(file)
    assert only(actual(lint_fixture(file), file), rule.code) == {}


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.code)
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
    assert len({r.code for r in ALL_RULES}) == len(ALL_RULES)
    assert len({r.name for r in ALL_RULES}) == len(ALL_RULES)
