"""Files that cannot be analysed are reported; they never hide other findings."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from fastlint.cli import app
from fastlint.engine import lint
from fastlint.source import analyse_source

APP = """\
from fastapi import FastAPI

app = FastAPI()
"""


def make_project(tmp_path: Path) -> Path:
    (tmp_path / "main.py").write_text(APP)
    (tmp_path / "broken.py").write_text("def broken(:\n    pass\n")
    (tmp_path / "latin1.py").write_bytes("name = 'caf\xe9'\n".encode("latin-1"))
    (tmp_path / "empty.py").write_text("")
    (tmp_path / "deep.py").write_text("x = " + "(" * 5000 + "1" + ")" * 5000 + "\n")
    (tmp_path / "declared.py").write_bytes(
        "# -*- coding: latin-1 -*-\nname = 'caf\xe9'\n".encode("latin-1")
    )
    return tmp_path


def test_findings_survive_bad_files(tmp_path: Path) -> None:
    report = lint([make_project(tmp_path)], jobs=1)
    assert {f.rule for f in report.findings} == {"FL005", "FL006"}
    failed = {Path(e.path).name: e for e in report.errors}
    assert set(failed) == {"broken.py", "latin1.py", "deep.py"}
    assert failed["broken.py"].line == 1
    assert report.files_scanned == 6


def test_cli_lists_errors_and_exits_1(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["check", str(make_project(tmp_path)), "-f", "concise"])
    assert result.exit_code == 1
    assert "broken.py:1" in result.output and "E999" in result.output
    assert "FL005" in result.output
    assert "Traceback" not in result.output


def test_only_unparsable_files_exit_1(tmp_path: Path) -> None:
    (tmp_path / "broken.py").write_text("def broken(:\n")
    assert CliRunner().invoke(app, ["check", str(tmp_path)]).exit_code == 1


def test_hostile_shapes_are_refused_quickly() -> None:
    shapes = {
        "calls": "x = " + "f(" * 3000 + ")" * 3000,
        "chain": "x = " + "+".join(["a"] * 100_000),
        "indent": "".join("    " * i + "if a:\n" for i in range(200)) + "    " * 200 + "pass\n",
        "nul": "x = 1\x00\n",
    }
    for name, source in shapes.items():
        result = analyse_source(name, source.encode())
        assert hasattr(result, "message"), name


def test_long_flat_expression_is_analysed() -> None:
    source = "x = " + " and ".join(["a"] * 3000) + "\n"
    result = analyse_source("flat.py", source.encode())
    assert not hasattr(result, "message")


def test_modern_syntax_is_analysed() -> None:
    source = (
        "match command:\n"
        "    case ['go', direction]:\n"
        "        app = FastAPI()\n"
        "    case _:\n"
        "        pass\n"
        "type Alias = list[int]\n"
        "def f[T](x: T) -> T:\n"
        "    return x\n"
    )
    result = analyse_source("modern.py", source.encode())
    assert not hasattr(result, "message"), result


def test_a_broken_rule_is_reported_and_the_others_still_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fastlint.registry import RULES_BY_CODE

    def explode(self: object, project: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(RULES_BY_CODE["FL005"], "check", explode)
    (tmp_path / "main.py").write_text(APP)
    result = CliRunner().invoke(app, ["check", str(tmp_path), "-f", "concise"])
    assert result.exit_code == 1
    assert "FL006" in result.output
    assert "internal error in rule FL005" in result.output and "Traceback" not in result.output
