"""The GitHub Action (action.yml, issue 23 item 16): its steps' commands run as the
runner runs them, with the inputs in the environment."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from test_routes_diff import ITEMS, MAIN, SECURITY, commit, git

yaml = pytest.importorskip("yaml")
pytestmark = [
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
    pytest.mark.slow,  # a git repository per test, subprocesses
]

ROOT = Path(__file__).resolve().parent.parent
ACTION: dict[str, Any] = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
STEPS = {step["name"]: step for step in ACTION["runs"]["steps"]}


def run_step(name: str, cwd: Path, inputs: dict[str, str], summary: Path) -> int:
    """The step's `run` script under bash, with its `env` (inputs substituted)."""
    step = STEPS[name]
    env = dict(os.environ, GITHUB_STEP_SUMMARY=str(summary), GITHUB_ACTION_PATH=str(ROOT))
    # the steps call `fastlint`: the one installed beside this Python, as after the
    # action's install step (CI runs some suites with a venv's Python, not activated)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    for key, value in step.get("env", {}).items():
        text = str(value)
        for input_name, given in inputs.items():
            text = text.replace(f"${{{{ inputs.{input_name} }}}}", given)
        if "${{" in text:  # `inputs.base || format(...)`: the test always gives base
            text = inputs["base"]
        env[key] = text
    done = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=cwd, env=env, check=False)
    return done.returncode


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    files = {"shop/__init__.py": "", "shop/security.py": SECURITY, "shop/items.py": ITEMS}
    commit(root, {**files, "shop/main.py": MAIN}, "base")
    return root


def test_the_install_step_installs_the_actions_own_checkout() -> None:
    step = STEPS["Install fastlint at this action's version"]
    assert '"$GITHUB_ACTION_PATH"' in step["run"] and "pip install" in step["run"]


@pytest.mark.slow
def test_the_check_step_writes_sarif_for_the_upload_step(repo: Path, tmp_path: Path) -> None:
    inputs = {k: str(v["default"]) for k, v in ACTION["inputs"].items()}
    inputs["paths"] = "shop"
    code = run_step("fastlint check", repo, inputs, tmp_path / "summary.md")
    sarif = json.loads((repo / "fastlint.sarif").read_text())
    assert code == 1 and sarif["runs"][0]["results"]
    upload = STEPS["Upload SARIF to code scanning"]
    assert upload["with"]["sarif_file"] == "${{ inputs.output }}"
    assert upload["uses"].startswith("github/codeql-action/upload-sarif@")


@pytest.mark.slow
def test_the_check_step_passes_fail_on(repo: Path, tmp_path: Path) -> None:
    inputs = {k: str(v["default"]) for k, v in ACTION["inputs"].items()}
    inputs.update(paths="shop", **{"fail-on": "critical"})
    assert run_step("fastlint check", repo, inputs, tmp_path / "summary.md") == 0


@pytest.mark.slow
def test_the_routes_diff_step_writes_the_job_summary(repo: Path, tmp_path: Path) -> None:
    added = MAIN + '\n\n@app.post("/orders", response_model=dict)\ndef order():\n    return {}\n'
    commit(repo, {"shop/main.py": added}, "add POST /orders")
    summary = tmp_path / "summary.md"
    inputs = {"paths": "shop", "base": "HEAD~1"}
    code = run_step("fastlint routes --diff (job summary)", repo, inputs, summary)
    assert code == 1
    assert "| added | main:app | POST /orders | anonymous callers reach it |" in summary.read_text()
