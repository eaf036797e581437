"""A run that fails for a suppression audit says why in every output format."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from fastlint.cli import app
from fastlint.demo import HARDENED_APP
from fastlint.testing import MULTITOOL, multitool_problems

runner = CliRunner()
AUDIT = ["--report-unused-suppressions", "--strict-suppressions"]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The hardened demo (no findings) with an unused and a bare suppression comment."""
    monkeypatch.chdir(tmp_path)  # paths are shown relative to it
    source = (HARDENED_APP / "main.py").read_text().splitlines()
    source.append("UNUSED = 1  # fastlint: ignore[FL003] -- the field moved away")
    source.append("BARE = 2  # fastlint: ignore")
    (tmp_path / "main.py").write_text("\n".join(source) + "\n")
    (tmp_path / "pyproject.toml").write_text("[tool.fastlint]\n")
    return tmp_path


def lines(project: Path) -> tuple[int, int]:
    text = (project / "main.py").read_text().splitlines()
    return len(text) - 1, len(text)


def check(project: Path, output_format: str) -> str:
    result = runner.invoke(app, ["check", str(project), "-f", output_format, *AUDIT])
    assert result.exit_code == 1, result.output  # the audit fails the run...
    return result.stdout


def test_without_the_audit_flags_the_run_passes(project: Path) -> None:
    result = runner.invoke(app, ["check", str(project), "-f", "github"])
    assert result.exit_code == 0 and result.stdout == ""


def test_github_annotates_each_problem(project: Path) -> None:
    unused, bare = lines(project)
    out = check(project, "github").splitlines()
    assert any(
        line.startswith(f"::error file=main.py,line={unused},")
        and "unused-suppression" in line
        and "silences nothing" in line
        for line in out
    ), out
    assert any(
        line.startswith(f"::error file=main.py,line={bare},") and "bare-suppression" in line
        for line in out
    ), out


def test_gitlab_lists_each_problem(project: Path) -> None:
    unused, bare = lines(project)
    issues = json.loads(check(project, "gitlab"))
    found = {(i["location"]["path"], i["location"]["lines"]["begin"]) for i in issues}
    assert {("main.py", unused), ("main.py", bare)} <= found
    for issue in issues:
        assert {"description", "check_name", "fingerprint", "severity", "location"} <= set(issue)
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
    assert len({i["fingerprint"] for i in issues}) == len(issues)


def test_junit_fails_a_test_case(project: Path) -> None:
    unused, bare = lines(project)
    suite = ET.fromstring(check(project, "junit")).find("testsuite")
    assert suite is not None and int(suite.get("failures", "0")) >= 1
    failures = [c.find("failure") for c in suite.findall("testcase")]
    texts = "\n".join(f.text or "" for f in failures if f is not None)
    assert f"main.py:{unused}:1: unused-suppression" in texts
    assert f"main.py:{bare}:1: bare-suppression" in texts


def sarif_problems(document: dict[str, Any]) -> list[tuple[str, int, str]]:
    run = document["runs"][0]
    notes = run["invocations"][0]["toolExecutionNotifications"]
    return [
        (
            n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            n["locations"][0]["physicalLocation"]["region"]["startLine"],
            n["message"]["text"],
        )
        for n in notes
    ]


def test_sarif_notifies_each_problem(project: Path, tmp_path: Path) -> None:
    unused, bare = lines(project)
    text = check(project, "sarif")
    problems = sarif_problems(json.loads(text))
    assert any(p[:2] == ("main.py", unused) and "silences nothing" in p[2] for p in problems)
    assert any(p[:2] == ("main.py", bare) and "without rule codes" in p[2] for p in problems)
    if MULTITOOL:
        target = tmp_path / "audit.sarif"
        target.write_text(text, encoding="utf-8")
        assert not multitool_problems(target)


def test_json_and_concise_already_tell(project: Path) -> None:
    unused, bare = lines(project)
    kinds = {
        (p["line"], p["kind"]) for p in json.loads(check(project, "json"))["suppression_problems"]
    }
    assert {(unused, "unused"), (bare, "bare")} <= kinds
    assert f"main.py:{unused}:1: unused-suppression" in check(project, "concise")


def test_gitlab_lists_files_that_could_not_be_analysed(project: Path) -> None:
    (project / "broken.py").write_text("def (:\n")
    result = runner.invoke(app, ["check", str(project), "-f", "gitlab"])
    assert result.exit_code == 1
    issues = json.loads(result.stdout)
    assert [i["location"]["path"] for i in issues] == ["broken.py"]
