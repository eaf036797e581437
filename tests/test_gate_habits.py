"""Habits of ruff and bandit users (issue 23, item 15)."""

from __future__ import annotations

from pathlib import Path

import pytest

from fastlint.cli import app
from fastlint.demo import INSECURE_APP
from fastlint.registry import ALL_RULES
from fastlint.testing import cli_runner

split = cli_runner()


def invoke(*args: str) -> tuple[int, str, str]:
    result = split.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def rules_in(out: str) -> set[str]:
    return {line.split(" ")[1] for line in out.splitlines() if line.strip()}


def test_output_format_and_output_file_are_aliases(tmp_path: Path) -> None:
    target = tmp_path / "r.json"
    code, _, _ = invoke(
        "check", str(INSECURE_APP), "--output-format", "json", "--output-file", str(target)
    )
    assert code == 1 and target.read_text().startswith("{")


def test_e_is_exit_zero_and_n_is_no_cache() -> None:
    code, _, _ = invoke("check", str(INSECURE_APP), "-e", "-n")
    assert code == 0


@pytest.mark.parametrize(
    ("option", "value", "expected"),
    [
        ("--select", "ALL", {r.code for r in ALL_RULES}),
        ("--select", "FL00", {r.code for r in ALL_RULES if r.code.startswith("FL00")}),
    ],
)
def test_select_by_prefix_and_all(option: str, value: str, expected: set[str]) -> None:
    code, out, _ = invoke("check", str(INSECURE_APP), option, value, "-f", "concise")
    assert code == 1 and rules_in(out) and rules_in(out) <= expected
    code, out, _ = invoke("check", str(INSECURE_APP), "--show-settings", option, value)
    assert f"enabled-rules = {sorted(expected)}".replace("'", '"') in out


def test_ignore_by_prefix() -> None:
    code, out, _ = invoke("check", str(INSECURE_APP), "--ignore", "FL00", "-f", "concise")
    assert code == 1 and rules_in(out)
    assert not any(code.startswith("FL00") for code in rules_in(out))


def test_an_unknown_prefix_is_refused() -> None:
    code, _, err = invoke("check", str(INSECURE_APP), "--select", "FL9")
    assert code == 2 and "FL9" in err


def test_quiet_statistics_prints_the_statistics() -> None:
    _, out, _ = invoke("check", str(INSECURE_APP), "-q", "--statistics")
    assert "FL002" in out and "main.py:" not in out


def test_severity_hides_findings_below_a_level() -> None:
    _, out, _ = invoke("check", str(INSECURE_APP), "--severity", "high", "-f", "concise")
    lows = {r.code for r in ALL_RULES if r.severity.label in ("low", "medium")}
    assert rules_in(out) and not rules_in(out) & lows
