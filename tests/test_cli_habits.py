"""Command-line habits shared with ruff, the linter FastAPI users already run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fastlint.cli import app
from fastlint.demo import INSECURE_APP
from fastlint.testing import cli_runner

runner = CliRunner()  # stdout and stderr together, as a terminal shows them
split = cli_runner()  # stderr apart

UNRESOLVED = (
    "from fastapi import Depends, FastAPI\n"
    "from somewhere_else import current_user\n"
    "app = FastAPI(openapi_url=None)\n"
    "@app.get('/me', response_model=None)\n"
    "def me(user=Depends(current_user)):\n"
    "    return user\n"
)


def concise(*args: str) -> tuple[int, set[str]]:
    result = runner.invoke(app, ["check", *args, "-f", "concise"])
    rules = {line.split(" ")[1] for line in result.stdout.splitlines() if line.strip()}
    return result.exit_code, rules


@pytest.fixture
def configured(tmp_path: Path) -> Path:
    """The demo app under a configuration that ignores FL002 and excludes one file."""
    (tmp_path / "main.py").write_text((INSECURE_APP / "main.py").read_text())
    (tmp_path / "other.py").write_text((INSECURE_APP / "main.py").read_text())
    (tmp_path / "third.py").write_text((INSECURE_APP / "main.py").read_text())
    (tmp_path / "pyproject.toml").write_text(
        '[tool.fastlint]\nignore = ["FL002"]\nextend-exclude = ["other.py"]\n'
    )
    return tmp_path


def test_quiet_prints_the_findings_without_the_summary() -> None:
    result = runner.invoke(app, ["check", str(INSECURE_APP), "-q"])
    assert result.exit_code == 1
    assert "FL003" in result.output and "fix:" in result.output
    assert "Scanned" not in result.output


def test_statistics_prints_the_summary_without_the_findings() -> None:
    result = runner.invoke(app, ["check", str(INSECURE_APP), "--statistics"])
    assert result.exit_code == 1
    assert "Scanned 2 files" in result.output and "fix:" not in result.output


def test_silent_prints_nothing_but_keeps_the_exit_code() -> None:
    result = runner.invoke(app, ["check", str(INSECURE_APP), "-s"])
    assert result.exit_code == 1 and result.output == ""


def test_ignore_adds_to_the_configuration(configured: Path) -> None:
    code, rules = concise(str(configured))
    assert code == 1 and "FL002" not in rules and "FL003" in rules
    code, rules = concise(str(configured), "--ignore", "FL003")
    assert "FL002" not in rules and "FL003" not in rules and "FL004" in rules


def test_extend_exclude_adds_to_the_configuration(configured: Path) -> None:
    result = runner.invoke(
        app, ["check", str(configured), "-f", "json", "--extend-exclude", "third.py"]
    )
    scanned = {f["path"] for f in json.loads(result.stdout)["findings"]}
    assert json.loads(result.stdout)["summary"]["files_scanned"] == 1
    assert not any(p.endswith(("other.py", "third.py")) for p in scanned)


def test_select_on_the_command_line_starts_afresh(configured: Path) -> None:
    """As in ruff: `--select` replaces the configuration's selection and its modifiers."""
    code, rules = concise(str(configured), "--select", "FL002")
    assert code == 1 and rules == {"FL002"}


def test_extend_select_adds_to_the_configuration(tmp_path: Path) -> None:
    (tmp_path / "main.py").write_text((INSECURE_APP / "main.py").read_text())
    (tmp_path / "pyproject.toml").write_text(
        '[tool.fastlint]\nselect = ["FL002"]\nextend-select = ["FL003"]\n'
    )
    _, rules = concise(str(tmp_path), "--extend-select", "FL004")
    assert rules == {"FL002", "FL003", "FL004"}


def test_extend_select_on_the_command_line_beats_the_files_ignore(configured: Path) -> None:
    """As in ruff: a later layer's `extend-select` re-enables what an earlier one ignores."""
    code, rules = concise(str(configured), "--extend-select", "FL002")
    assert code == 1 and "FL002" in rules and "FL003" in rules
    _, rules = concise(str(configured), "--extend-select", "FL002", "--ignore", "FL002")
    assert "FL002" not in rules  # within one layer, ignore wins


@pytest.mark.parametrize("command", [[], ["check"], ["rules"], ["explain"], ["clean"]])
def test_dash_h_is_help(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "-h"])
    assert result.exit_code == 0 and "Usage" in result.output


@pytest.mark.parametrize("output_format", ["sarif", "github", "gitlab", "junit", "concise"])
def test_rules_accepts_only_the_formats_it_supports(output_format: str) -> None:
    result = runner.invoke(app, ["rules", "-f", output_format])
    assert result.exit_code == 2 and "FL001" not in result.stdout


@pytest.mark.skipif(
    hasattr(split, "mix_stderr"),
    reason="before click 8.2 the test runner does not capture stderr apart from stdout",
)
def test_verbose_notes_go_to_stderr_with_machine_formats(tmp_path: Path) -> None:
    (tmp_path / "main.py").write_text(UNRESOLVED)
    for output_format in ("concise", "json"):
        result = split.invoke(
            app, ["check", str(tmp_path), "-v", "-f", output_format, "--select", "FL001"]
        )
        assert "GET /me" in result.stderr and "not resolved" in result.stderr.lower()
        if output_format == "json":
            json.loads(result.stdout)  # stdout stays a clean document


def test_no_color_means_no_escape_codes_at_all(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("NO_COLOR", "1")
    result = runner.invoke(app, ["check", str(INSECURE_APP)])
    assert "FL003" in result.output and "\x1b" not in result.output
    result = runner.invoke(app, ["check", "no/such/path"])
    assert "\x1b" not in result.output


def test_long_lines_are_not_wrapped_when_piped(tmp_path: Path) -> None:
    route = "/" + "/".join(f"segment{i}" for i in range(20))
    (tmp_path / "main.py").write_text(
        "from fastapi import FastAPI\napp = FastAPI()\n"
        f"@app.get({route!r})\ndef f():\n    return 1\n"
    )
    result = runner.invoke(app, ["check", str(tmp_path), "--select", "FL001"])
    assert any(route in line for line in result.output.splitlines()), result.output
    missing = tmp_path / ("deep" * 30) / "x.py"
    result = runner.invoke(app, ["check", str(missing)])
    assert any(str(missing) in line for line in result.output.splitlines())


def test_explain_does_not_pad_lines_when_piped() -> None:
    result = runner.invoke(app, ["explain", "FL001"])
    assert result.exit_code == 0 and "Route reachable without authentication" in result.output
    assert [line for line in result.output.splitlines() if line != line.rstrip()] == []


def test_clean_of_a_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["clean", str(tmp_path / "nope")])
    assert result.exit_code == 2 and "no such file or folder" in result.output
