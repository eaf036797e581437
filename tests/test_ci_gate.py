"""The CI gate: severity threshold, baselines, and the GitHub/GitLab/JUnit formats."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from paths import FIXTURES
from typer.testing import CliRunner

from fastlint.cli import app
from fastlint.demo import HARDENED_APP, INSECURE_APP
from fastlint.registry import ALL_RULES
from fastlint.testing import MULTITOOL, multitool_problems

runner = CliRunner()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copy(INSECURE_APP / "main.py", tmp_path / "main.py")
    return tmp_path


@pytest.mark.parametrize(
    ("level", "expected"), [("low", 1), ("medium", 1), ("high", 1), ("critical", 0)]
)
def test_fail_on(level: str, expected: int) -> None:
    code, out = run("check", str(INSECURE_APP), "--fail-on", level, "-f", "concise")
    assert code == expected
    assert len(out.strip().splitlines()) == 9  # the report still lists everything


def test_fail_on_counts_only_severe_findings(tmp_path: Path) -> None:
    (tmp_path / "main.py").write_text(
        "from fastapi import FastAPI\napp = FastAPI(openapi_url=None)\n"
    )  # FL006 (medium) only
    assert run("check", str(tmp_path), "--fail-on", "high")[0] == 0
    assert run("check", str(tmp_path), "--fail-on", "medium")[0] == 1


def test_github_annotations() -> None:
    code, out = run("check", str(INSECURE_APP), "-f", "github")
    assert code == 1
    lines = out.strip().splitlines()
    assert len(lines) == 9
    fl003 = next(line for line in lines if "FL003" in line)
    assert fl003.startswith("::error file=")
    assert ",line=35,col=1,endLine=35," in fl003
    assert "title=FL003 sensitive-field-in-response::" in fl003
    assert any(line.startswith("::notice ") for line in lines)  # low severity


def test_gitlab_code_quality() -> None:
    _, out = run("check", str(INSECURE_APP), "-f", "gitlab")
    issues = json.loads(out)
    assert len(issues) == 9
    for issue in issues:
        assert {"description", "check_name", "fingerprint", "severity", "location"} <= set(issue)
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert issue["location"]["lines"]["begin"] >= 1
    assert len({i["fingerprint"] for i in issues}) == 9


def test_junit() -> None:
    _, out = run("check", str(INSECURE_APP), "-f", "junit")
    root = ET.fromstring(out)
    suite = root.find("testsuite")
    assert suite is not None
    cases = suite.findall("testcase")
    enabled = [rule for rule in ALL_RULES if not rule.preview]  # preview rules: not run
    assert len(cases) == len(enabled) * 2  # every rule run, two files
    failed = {c.get("classname") for c in cases if c.find("failure") is not None}
    assert len(failed) == 8 and not any(name.startswith("FL001") for name in failed)
    assert suite.get("failures") == "8"


def test_output_file_keeps_the_terminal_summary(tmp_path: Path) -> None:
    target = tmp_path / "out.sarif"
    result = runner.invoke(app, ["check", str(INSECURE_APP), "-f", "sarif", "-o", str(target)])
    assert json.loads(target.read_text())["version"] == "2.1.0"
    assert "Scanned 2 files" in result.output
    quiet = runner.invoke(
        app, ["check", str(INSECURE_APP), "-f", "sarif", "-o", str(target), "--quiet"]
    )
    assert "Scanned" not in quiet.output


def test_baseline_accepts_old_findings_and_catches_new_ones(project: Path) -> None:
    baseline = project / ".fastlint-baseline.json"
    code, _ = run("check", str(project), "--write-baseline", str(baseline))
    assert code == 0
    data = json.loads(baseline.read_text())
    assert len(data["findings"]) == 9
    entry = data["findings"][0]
    assert {"rule", "path", "subject", "fingerprint", "reason"} <= set(entry)
    assert data["findings"] == sorted(
        data["findings"], key=lambda e: (e["path"], e["rule"], e["subject"])
    )

    code, out = run("check", str(project), "--baseline", str(baseline))
    assert code == 0 and "9 finding(s) accepted" in out

    # Moving code down and reformatting does not resurrect anything...
    source = (project / "main.py").read_text()
    moved = "import os\n\n\n" + source.replace("app = FastAPI()", "app = FastAPI( )")
    (project / "main.py").write_text(moved)
    assert run("check", str(project), "--baseline", str(baseline))[0] == 0

    # ...adding an unrelated, clean route does not either...
    (project / "main.py").write_text(
        moved
        + '\n@app.get("/ping", response_model=None, dependencies=[Depends(get_current_user)])\n'
        "async def ping():\n    return None\n"
    )
    assert run("check", str(project), "--baseline", str(baseline))[0] == 0

    # ...but a new unauthenticated route fails the gate,
    (project / "main.py").write_text(
        moved + '\n@app.delete("/users/{user_id}", response_model=None)\n'
        "async def delete_user(user_id: int):\n    return None\n"
    )
    code, out = run("check", str(project), "--baseline", str(baseline), "-f", "concise")
    assert code == 1 and "FL001" in out and out.count("FL0") == 1

    # and changing a baselined finding's route makes it new again.
    (project / "main.py").write_text(moved.replace('"/users/{user_id}"', '"/people/{user_id}"'))
    code, out = run("check", str(project), "--baseline", str(baseline), "-f", "concise")
    assert code == 1 and "FL003 GET /people/{user_id}" in out


def test_fixed_entries_are_counted_and_reasons_kept(project: Path) -> None:
    baseline = project / "baseline.json"
    run("check", str(project), "--write-baseline", str(baseline))
    data = json.loads(baseline.read_text())
    data["findings"][0]["reason"] = "accepted by security review"
    baseline.write_text(json.dumps(data))
    shutil.copy(HARDENED_APP / "main.py", project / "main.py")
    code, out = run("check", str(project), "--baseline", str(baseline))
    assert code == 0 and "9 entries no longer match" in out
    shutil.copy(INSECURE_APP / "main.py", project / "main.py")
    run("check", str(project), "--write-baseline", str(baseline))
    reasons = [e["reason"] for e in json.loads(baseline.read_text())["findings"]]
    assert "accepted by security review" in reasons


def test_broken_baseline_is_a_usage_error(project: Path) -> None:
    broken = project / "baseline.json"
    broken.write_text("{not json")
    code, out = run("check", str(project), "--baseline", str(broken))
    assert code == 2 and "not valid JSON" in out
    broken.write_text('{"version": 99}')
    assert run("check", str(project), "--baseline", str(broken))[0] == 2


@pytest.mark.skipif(not MULTITOOL, reason="SARIF Multitool not installed (.ci/run installs it)")
@pytest.mark.parametrize(
    "target",
    [INSECURE_APP, HARDENED_APP, *sorted(p for p in FIXTURES.iterdir() if p.is_dir())],
    ids=lambda p: p.name,
)
def test_sarif_multitool_github_rules(target: Path, tmp_path: Path) -> None:
    sarif_file = tmp_path / "fastlint.sarif"
    run("check", str(target), "-f", "sarif", "-o", str(sarif_file))
    problems = multitool_problems(sarif_file)
    assert not problems, problems
