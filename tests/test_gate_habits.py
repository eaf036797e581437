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


def _project(tmp_path: Path) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "main.py").write_text((INSECURE_APP / "main.py").read_text())
    return tmp_path


def test_cache_dir_puts_the_cache_there(tmp_path: Path) -> None:
    project = _project(tmp_path / "p")
    cache = tmp_path / "elsewhere" / "cache"
    code, _, _ = invoke("check", str(project), "--cache-dir", str(cache))
    assert code == 1
    assert cache.is_dir() and any(cache.rglob("*.pickle"))
    assert not (project / ".fastlint_cache").exists()


@pytest.mark.parametrize(("color", "escapes"), [("always", True), ("never", False)])
def test_color_always_and_never(color: str, escapes: bool) -> None:
    _, out, _ = invoke("check", str(INSECURE_APP), "--color", color)
    assert ("\x1b[" in out) is escapes


def test_show_files_lists_what_would_be_scanned(tmp_path: Path) -> None:
    project = _project(tmp_path)
    (project / "other.py").write_text("x = 1\n")
    (project / ".venv").mkdir()
    (project / ".venv" / "skip.py").write_text("x = 1\n")
    code, out, _ = invoke("check", str(project), "--show-files")
    assert code == 0
    assert sorted(Path(line).name for line in out.splitlines()) == ["main.py", "other.py"]


def test_add_noqa_silences_every_finding_with_a_reason_to_fill(tmp_path: Path) -> None:
    project = _project(tmp_path)
    code, _, err = invoke("check", str(project), "--add-noqa")
    assert code == 0 and "added" in err
    text = (project / "main.py").read_text()
    assert "# noqa: FL" in text and "-- TODO: why this finding is accepted" in text
    compile(text, "main.py", "exec")
    code, out, _ = invoke("check", str(project), "-f", "concise")
    assert code == 0 and "FL0" not in out  # silenced
    code, out, _ = invoke("check", str(project), "-f", "concise", "--strict-suppressions")
    assert code == 1 and "unfilled-suppression" in out  # until the reason is written


def test_check_runs_from_an_options_object(capsys: pytest.CaptureFixture[str]) -> None:
    from fastlint.check_options import CheckOptions
    from fastlint.cli import run_check
    from fastlint.output import OutputFormat

    options = CheckOptions(paths=[INSECURE_APP], output_format=OutputFormat.concise, jobs=1)
    assert run_check(options) == 1
    assert "FL002" in capsys.readouterr().out
    assert run_check(CheckOptions(paths=[INSECURE_APP], exit_zero=True, silent=True)) == 0


def test_routes_takes_the_same_aliases(tmp_path: Path) -> None:
    target = tmp_path / "routes.json"
    code, _, _ = invoke(
        "routes", str(INSECURE_APP), "--output-format", "json", "--output-file", str(target)
    )
    assert code == 0 and target.read_text().startswith("{")


def test_per_file_ignores_take_prefixes(tmp_path: Path) -> None:
    project = _project(tmp_path)
    (project / "pyproject.toml").write_text(
        '[tool.fastlint.per-file-ignores]\n"main.py" = ["FL00"]\n'
    )
    code, out, _ = invoke("check", str(project), "-f", "concise")
    assert code == 1 and rules_in(out)
    assert not any(rule.startswith("FL00") for rule in rules_in(out))
