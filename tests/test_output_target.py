"""`--output`: missing folders are created (as ruff does); a target that cannot be
written is a usage error (exit 2) with a clear message, never a traceback."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fastlint.cli import app
from fastlint.demo import INSECURE_APP

runner = CliRunner()
FORMATS = ["text", "json", "sarif", "concise", "github", "gitlab", "junit"]


@pytest.mark.parametrize("output_format", FORMATS)
def test_missing_parent_folders_are_created(tmp_path: Path, output_format: str) -> None:
    target = tmp_path / "reports" / "nested" / "fastlint.out"
    result = runner.invoke(
        app, ["check", str(INSECURE_APP), "-f", output_format, "-o", str(target)]
    )
    assert result.exit_code == 1, result.output  # findings, and the report written
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert target.is_file() and "FL003" in target.read_text(encoding="utf-8")
    if output_format == "json":
        assert len(json.loads(target.read_text())["findings"]) == 9


@pytest.mark.parametrize("output_format", ["text", "sarif"])
def test_a_folder_is_not_a_report_file(tmp_path: Path, output_format: str) -> None:
    result = runner.invoke(
        app, ["check", str(INSECURE_APP), "-f", output_format, "-o", str(tmp_path)]
    )
    assert result.exit_code == 2
    assert isinstance(result.exception, SystemExit)  # no traceback
    assert f"cannot write the report to {tmp_path}" in result.output
    assert "Traceback" not in result.output


def test_a_file_where_a_folder_should_be(tmp_path: Path) -> None:
    (tmp_path / "blocker").write_text("")
    target = tmp_path / "blocker" / "out.json"
    result = runner.invoke(app, ["check", str(INSECURE_APP), "-f", "json", "-o", str(target)])
    assert result.exit_code == 2 and "cannot write the report" in result.output


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_an_unwritable_target_is_a_usage_error(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        for output_format in ("text", "json"):
            result = runner.invoke(
                app,
                ["check", str(INSECURE_APP), "-f", output_format, "-o", str(locked / "r.out")],
            )
            assert result.exit_code == 2, result.output
            assert "cannot write the report" in result.output
            assert "ermission denied" in result.output
    finally:
        locked.chmod(0o700)


def test_a_refused_write_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What an unwritable target looks like to fastlint, even when run as root."""

    def refuse(self: Path, *args: object, **kwargs: object) -> int:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "write_text", refuse)
    for output_format in ("text", "sarif"):
        result = runner.invoke(
            app, ["check", str(INSECURE_APP), "-f", output_format, "-o", str(tmp_path / "r")]
        )
        assert result.exit_code == 2, result.output
        assert "cannot write the report" in result.output and "Permission denied" in result.output


def test_write_baseline_like_output(tmp_path: Path) -> None:
    target = tmp_path / "ci" / "baselines" / "fastlint.json"
    result = runner.invoke(app, ["check", str(INSECURE_APP), "--write-baseline", str(target)])
    assert result.exit_code == 0 and len(json.loads(target.read_text())["findings"]) == 9
    result = runner.invoke(app, ["check", str(INSECURE_APP), "--write-baseline", str(tmp_path)])
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit)
    assert f"cannot write the baseline to {tmp_path}" in result.output


def test_missing_paths_are_shown_on_one_line() -> None:
    result = runner.invoke(app, ["check", "no\nsuch\x1b[31m.py"])
    assert result.exit_code == 2
    assert "no\\nsuch\\x1b[31m.py: no such file or folder" in result.output
