"""Strings from the scanned code (route paths, file names) reach every output format
escaped: they can neither forge lines, nor drive the terminal or the CI log, nor break
the document they land in."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from fastlint.cli import app
from fastlint.testing import MULTITOOL, cli_runner, multitool_problems

runner = cli_runner()

FORGED_LINE = "main.py:1:1: FL999 forged finding"
FORGED_COMMAND = "::error file=main.py,line=1::forged annotation"
ANSI = "\x1b[2J\x1b]8;;https://evil.example\x07link\x1b]8;;\x07\x1b[31mred\x1b[0m"
MARKUP = "[bold red]loud[/bold red] [link=https://evil.example]x[/link]"
BROKEN_MARKUP = "[/]"
# Route paths as Python string literals (escapes are evaluated when the code is read).
ROUTES = {
    "newline": repr(f"/a\n{FORGED_LINE}\n{FORGED_COMMAND}\r\nend"),
    "ansi": repr(f"/b{ANSI}"),
    "markup": repr(f"/c{MARKUP}"),
    "broken_markup": repr(f"/d{BROKEN_MARKUP}"),
    "controls": repr("/e\x00\x07\x08\x0b\x0c\x7f\x85\u2028\u202e"),
    "surrogate": '"/f\\ud800"',
    "percent": repr("/g%0A%25,:="),
}
FILE_NAME = f"evil\n{FORGED_LINE}\x1b[31m.py"


def app_source(routes: dict[str, str]) -> str:
    lines = [
        "from fastapi import Depends, FastAPI",
        "from somewhere_else import current_user",
        "app = FastAPI()",
    ]
    for name, literal in routes.items():
        lines += [
            f"@app.post({literal})",
            f"def {name}(user=Depends(current_user)):",
            "    return {}",
        ]
    # A router no app serves: its routes are listed as not checked.
    lines += ["from fastapi import APIRouter", "orphan = APIRouter()"]
    for name, literal in routes.items():
        lines += [f"@orphan.get({literal})", f"def orphan_{name}():", "    return {}"]
    return "\n".join(lines) + "\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "main.py").write_text(app_source(ROUTES), encoding="utf-8")
    (tmp_path / FILE_NAME).write_text(app_source({"other": "'/x'"}), encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text("[tool.fastlint]\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def check(project: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["check", str(project), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1, result.output
    return result.exit_code, result.stdout, result.stderr


def assert_no_raw_controls(text: str) -> None:
    text.encode("utf-8")  # no lone surrogate
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e]", text), [
        line for line in text.splitlines() if re.search("[\x00-\x1f\x7f-\x9f]", line)
    ]


def assert_nothing_forged(text: str) -> None:
    for line in text.splitlines():
        assert not line.lstrip().startswith(FORGED_LINE), line
        assert not line.startswith("::error file=main.py,line=1::"), line
        assert not line.startswith("end"), line


@pytest.mark.parametrize("verbose", [[], ["--verbose"]])
def test_text(project: Path, verbose: list[str]) -> None:
    _, out, err = check(project, *verbose)
    assert_no_raw_controls(out + err)
    assert_nothing_forged(out + err)
    assert MARKUP in out and BROKEN_MARKUP in out  # shown as written, not interpreted
    assert "\\n" in out and "\\x1b[31mred" in out and "\\ud800" in out  # made visible
    if verbose:
        assert "not resolved" in out.lower() and f"POST /c{MARKUP}" in out
        assert f"GET /d{BROKEN_MARKUP}" in out  # listed as not checked


def test_text_in_colour_keeps_scanned_escapes_out(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    _, out, _ = check(project, "--verbose")
    assert "\x1b[2J" not in out and "\x1b]8" not in out and "\x1b[31mred" not in out
    assert "\x07" not in out and "\x00" not in out
    assert_nothing_forged(re.sub("\x1b\\[[0-9;]*m", "", out))


def test_concise(project: Path) -> None:
    _, out, err = check(project, "-f", "concise", "--verbose")
    assert_no_raw_controls(out + err)
    assert_nothing_forged(out + err)
    pattern = re.compile(r"[^\n]+:\d+:\d+: (FL\d{3}|E999) \S")
    for line in out.splitlines():
        assert pattern.fullmatch(line) or pattern.match(line), line
    assert any(line.startswith("evil\\nmain.py:1:1: FL999") for line in out.splitlines())
    assert len(out.splitlines()) == len(json.loads(check(project, "-f", "json")[1])["findings"])


def test_github(project: Path) -> None:
    _, out, _ = check(project, "-f", "github")
    assert_no_raw_controls(out)
    command = re.compile(r"::(error|warning|notice) ((?:[a-zA-Z]+=[^,:\r\n]*,?)+)::([^\r\n]*)")
    lines = out.splitlines()
    assert lines
    for line in lines:
        match = command.fullmatch(line)
        assert match, line
        properties = dict(p.split("=", 1) for p in match.group(2).split(","))
        assert set(properties) <= {"file", "line", "col", "endLine", "endColumn", "title"}
    # Line breaks are escaped the way GitHub decodes back: the real file name.
    assert any("%0Aend has no response model" in line for line in lines)
    name = "evil%0Amain.py%3A1%3A1%3A FL999 forged finding\\x1b[31m.py"
    assert any(line.startswith(f"::warning file={name},line=") for line in lines)


def test_junit(project: Path) -> None:
    _, out, _ = check(project, "-f", "junit")
    assert_no_raw_controls(out.replace("\n", ""))
    root = ET.fromstring(out.encode("utf-8"))
    failures = [f for f in root.iter("failure")]
    assert failures
    for failure in failures:
        assert_nothing_forged(failure.text or "")


@pytest.mark.parametrize("output_format", ["json", "sarif", "gitlab"])
def test_json_documents_are_valid_utf8(project: Path, output_format: str, tmp_path: Path) -> None:
    _, out, _ = check(project, "-f", output_format)
    if output_format == "sarif" and MULTITOOL:
        (tmp_path / "hostile.sarif").write_text(out, encoding="utf-8")
        assert not multitool_problems(tmp_path / "hostile.sarif")
    document = json.loads(out.encode("utf-8").decode("utf-8", "strict"))
    text = json.dumps(document, ensure_ascii=False)
    text.encode("utf-8")  # every string in it is valid Unicode
    assert "/f\ufffd" in text  # the lone surrogate, replaced
    if output_format == "json":
        routes = {f.get("route", "") for f in document["findings"]}
        assert any(r.endswith(f"/a\n{FORGED_LINE}\n{FORGED_COMMAND}\r\nend") for r in routes)


def test_output_file_of_every_format(project: Path, tmp_path: Path) -> None:
    for output_format in ("text", "concise", "json", "sarif", "github", "gitlab", "junit"):
        target = tmp_path / "out" / f"report.{output_format}"
        _, out, err = check(project, "-f", output_format, "-o", str(target), "--verbose")
        assert_no_raw_controls(out + err)
        target.read_text(encoding="utf-8")  # written as valid UTF-8


def test_baseline_round_trip(project: Path, tmp_path: Path) -> None:
    target = tmp_path / "baseline.json"
    result = runner.invoke(app, ["check", str(project), "--write-baseline", str(target)])
    assert result.exit_code == 0, result.output
    accepted = json.loads(target.read_bytes().decode("utf-8", "strict"))["findings"]
    result = runner.invoke(app, ["check", str(project), "--baseline", str(target)])
    assert result.exit_code == 0 and f"{len(accepted)} finding(s) accepted" in result.output


def test_configuration_errors_name_hostile_keys_on_one_line(tmp_path: Path) -> None:
    (tmp_path / "main.py").write_text("x = 1\n")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.fastlint]\n"sel\\u001b[2Ject\\nerror: forged" = 1\n'
    )
    result = runner.invoke(app, ["check", str(tmp_path)])
    assert result.exit_code == 2
    assert "\x1b" not in result.stderr and "\nerror: forged" not in result.stderr
    assert "sel\\x1b[2Ject\\nerror: forged" in result.stderr
