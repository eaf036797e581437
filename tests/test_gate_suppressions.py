"""Suppression comments as users write them (issue 23, item 8): rule names and any
case are understood; what is not understood is reported, never silently ignored."""

from __future__ import annotations

from pathlib import Path

import pytest

from fastlint.cli import app
from fastlint.engine import lint
from fastlint.testing import cli_runner

split = cli_runner()

ROUTE = (
    "from fastapi import FastAPI\n"
    "app = FastAPI(openapi_url=None)\n"
    "@app.post('/hooks', response_model=dict){comment}\n"
    "def hook():\n"
    "    return {{}}\n"
)


def _findings(tmp_path: Path, comment: str) -> tuple[set[str], list[tuple[str, str]]]:
    (tmp_path / "main.py").write_text(ROUTE.format(comment=comment))
    report = lint([tmp_path], jobs=1, suppression_problems=("unknown",))
    problems = [(p.kind, p.message) for p in report.suppression_problems]
    return {f.rule for f in report.findings}, problems


@pytest.mark.parametrize(
    "comment",
    [
        "  # fastlint: ignore[unauthenticated-route] -- signed webhook",
        "  # fastlint: ignore[fl001]",
        "  # noqa: fl001",
        "  # NOQA: FL001",
        "  # fastlint: ignore[Unauthenticated-Route, FL002]",
    ],
)
def test_rule_names_and_any_case_silence(tmp_path: Path, comment: str) -> None:
    rules, problems = _findings(tmp_path, comment)
    assert "FL001" not in rules and problems == []


@pytest.mark.parametrize(
    ("comment", "word"),
    [
        ("  # fastlint: ignore[unauthenticated]", "unauthenticated"),
        ("  # fastlint: ignore[FL999]", "FL999"),
        ("  # noqa: FL0001", "FL0001"),
    ],
)
def test_a_comment_not_understood_is_reported(tmp_path: Path, comment: str, word: str) -> None:
    rules, problems = _findings(tmp_path, comment)
    assert "FL001" in rules
    assert [kind for kind, _ in problems] == ["unknown"]
    assert word in problems[0][1]


def test_not_understood_is_reported_without_asking_and_fails(tmp_path: Path) -> None:
    (tmp_path / "main.py").write_text(ROUTE.format(comment="  # fastlint: ignore[nonsense]"))
    result = split.invoke(app, ["check", str(tmp_path), "-f", "concise", "--select", "FL002"])
    assert result.exit_code == 1 and "unknown-suppression" in result.stdout


def test_other_linters_noqa_codes_are_left_alone(tmp_path: Path) -> None:
    rules, problems = _findings(tmp_path, "  # noqa: E501")
    assert "FL001" in rules and problems == []
