"""The command line: formats, exit codes, paths."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fastlint import __version__
from fastlint.cli import app
from fastlint.demo import HARDENED_APP, INSECURE_APP
from fastlint.registry import ALL_RULES

runner = CliRunner()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_version() -> None:
    code, out = run("--version")
    assert code == 0 and out.strip() == f"fastlint {__version__}"


def test_demo_reports_and_fails() -> None:
    code, out = run("demo")
    assert code == 1
    for rule in ("FL002", "FL003", "FL004", "FL005", "FL006", "FL010", "FL015"):
        assert rule in out
    assert "FL001" not in out
    assert "9 findings" in out
    assert "fix:" in out


def test_demo_hardened_is_clean() -> None:
    code, out = run("demo", "--hardened")
    assert code == 0 and "no findings" in out


def test_text_output_has_no_colour_codes_when_not_a_tty() -> None:
    _, out = run("check", str(INSECURE_APP))
    assert "\x1b[" not in out


def test_concise_lines_are_greppable() -> None:
    code, out = run("check", str(INSECURE_APP), "--format", "concise")
    assert code == 1
    lines = out.strip().splitlines()
    assert len(lines) == 9
    for line in lines:
        path, line_no, col, rest = line.split(":", 3)
        assert path.endswith("main.py") and line_no.isdigit() and col.isdigit()
        assert re.match(r"FL\d{3} ", rest.strip())


def test_json_schema(tmp_path: Path) -> None:
    output = tmp_path / "findings.json"
    code, _ = run("check", str(INSECURE_APP), "--format", "json", "--output", str(output))
    assert code == 1
    data = json.loads(output.read_text())
    assert data["version"] == 1
    assert data["tool"] == {"name": "fastlint", "version": __version__}
    assert data["errors"] == []
    keys = {
        "rule",
        "name",
        "severity",
        "path",
        "line",
        "column",
        "end_line",
        "end_column",
        "message",
        "related",
        "fingerprint",
    }
    for finding in data["findings"]:
        assert keys <= finding.keys()
        assert not finding["path"].startswith("/")
    order = [(f["path"], f["line"], f["column"], f["rule"]) for f in data["findings"]]
    assert order == sorted(order)
    routes = {f.get("route") for f in data["findings"]}
    assert "POST /users" in routes


def test_exit_zero() -> None:
    code, _ = run("check", str(INSECURE_APP), "--exit-zero")
    assert code == 0


def test_clean_path_exits_zero() -> None:
    code, _ = run("check", str(HARDENED_APP))
    assert code == 0


def test_missing_path_is_a_usage_error() -> None:
    code, out = run("check", "does/not/exist")
    assert code == 2 and "no such file" in out


def test_no_python_files_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("hi")
    code, out = run("check", str(tmp_path))
    assert code == 2 and "no Python files" in out


def test_unknown_format_is_a_usage_error() -> None:
    code, _ = run("check", str(INSECURE_APP), "--format", "xml")
    assert code == 2


def test_select(tmp_path: Path) -> None:
    code, out = run("check", str(INSECURE_APP), "--format", "concise", "--select", "FL003")
    assert code == 1 and out.count("FL003") == 1 and "FL004" not in out
    code, out = run("check", str(INSECURE_APP), "--select", "FL999")
    assert code == 2 and "FL999" in out


def test_several_paths_and_default_path(monkeypatch: pytest.MonkeyPatch) -> None:
    code, out = run("check", str(INSECURE_APP / "main.py"), str(HARDENED_APP), "-f", "concise")
    assert code == 1 and len(out.strip().splitlines()) == 9
    monkeypatch.chdir(HARDENED_APP)
    code, out = run("check")
    assert code == 0 and "Scanned 2 files" in out


def test_rules_command() -> None:
    code, out = run("rules")
    assert code == 0 and "FL001" in out and "unauthenticated-route" in out
    code, out = run("rules", "--format", "json")
    assert [r["code"] for r in json.loads(out)] == [rule.code for rule in ALL_RULES]


def test_verbose_explains_what_was_not_resolved(tmp_path: Path) -> None:
    (tmp_path / "main.py").write_text(
        "from fastapi import Depends, FastAPI\n"
        "from somewhere_else import current_user\n"
        "app = FastAPI(openapi_url=None)\n"
        "@app.get('/me', response_model=None)\n"
        "def me(user=Depends(current_user)):\n"
        "    return user\n"
    )
    _, out = run("check", str(tmp_path), "--verbose", "--select", "FL001")
    assert ("GET /me" in out and "not resolved" in out.lower()) or "outside the scanned code" in out


def test_colour_on_a_terminal_unless_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    colour = re.compile(r"\x1b\[(?:[0-9]+;)*3[0-7](?:;[0-9]+)*m")  # SGR foreground colours
    monkeypatch.setenv("FORCE_COLOR", "1")  # rich: behave as on a terminal
    _, coloured = run("check", str(INSECURE_APP))
    assert colour.search(coloured)
    monkeypatch.setenv("NO_COLOR", "1")  # bold and underline may stay, colour goes
    _, plain = run("check", str(INSECURE_APP))
    assert not colour.search(plain)


@pytest.mark.parametrize(
    ("arguments", "code", "shown"),
    [
        (["check", str(INSECURE_APP)], 1, "FL003"),
        (["check", "--format", "json", str(HARDENED_APP)], 0, '"findings": []'),
        (["check", "--no-such-option"], 2, "No such option"),
        (["check", "no/such/folder"], 2, "no such file or folder"),
    ],
)
def test_the_command_exits_with_its_code_and_all_its_output(
    arguments: list[str], code: int, shown: str
) -> None:
    """`fastlint` leaves without tearing its analysis down: output is flushed first."""
    result = subprocess.run(
        [sys.executable, "-m", "fastlint", *arguments], capture_output=True, text=True
    )
    assert result.returncode == code
    assert shown in result.stdout + result.stderr
