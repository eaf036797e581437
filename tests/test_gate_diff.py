"""`--diff REF` as a gate a pull request cannot talk its way past (issue 23, items 1,
3 and 5): each side judged with its own configuration, a configuration that widens
trust reported, only the scanned paths read from git, clear git errors."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from test_routes_diff import ITEMS, MAIN, SECURITY, commit, git

from fastlint.cli import app as cli
from fastlint.surface import gitref
from fastlint.testing import cli_runner

pytestmark = [
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
    pytest.mark.slow,  # a git repository per test, subprocesses
]

split = cli_runner()

NOOP = "def current_user():\n    return None\n"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    files = {"shop/__init__.py": "", "shop/security.py": SECURITY, "shop/items.py": ITEMS}
    config = "[tool.fastlint]\nauth-dependencies = []\n"
    commit(root, {**files, "shop/main.py": MAIN, "pyproject.toml": config}, "base")
    return root


def invoke(repo: Path, *args: str) -> tuple[int, str, str]:
    cwd = Path.cwd()
    os.chdir(repo)
    try:
        result = split.invoke(cli, list(args))
    finally:
        os.chdir(cwd)
    return result.exit_code, result.stdout, result.stderr


def _noop_auth(repo: Path) -> None:
    """The branch replaces the real dependency with a no-op and trusts the no-op."""
    commit(
        repo,
        {
            "shop/security.py": NOOP,
            "pyproject.toml": (
                '[tool.fastlint]\nauth-dependencies = ["shop.security.current_user"]\n'
            ),
        },
        "trust a no-op",
    )


def test_routes_diff_judges_the_base_with_its_own_configuration(repo: Path) -> None:
    _noop_auth(repo)
    code, out, _ = invoke(repo, "routes", "shop", "--diff", "HEAD~1", "-f", "json")
    document = json.loads(out)
    assert code == 1
    kinds = [c["kind"] for c in document["configuration"]]
    assert kinds == ["auth_dependencies_added"]
    assert "shop.security.current_user" in document["configuration"][0]["message"]
    assert document["opens"] >= 1


def test_routes_diff_accepts_a_trust_change_on_request(repo: Path) -> None:
    _noop_auth(repo)
    code, out, _ = invoke(
        repo, "routes", "shop", "--diff", "HEAD~1", "-f", "json", "--accept-config-changes"
    )
    assert json.loads(out)["configuration"][0]["accepted"] is True
    assert code == 0


def test_routes_diff_text_names_the_configuration_change(repo: Path) -> None:
    _noop_auth(repo)
    code, out, _ = invoke(repo, "routes", "shop", "--diff", "HEAD~1")
    assert code == 1 and "auth-dependencies" in out and "widens trust" in out


def test_check_diff_fails_on_a_trust_change(repo: Path) -> None:
    _noop_auth(repo)
    code, out, _ = invoke(repo, "check", "shop", "--diff", "HEAD~1", "-f", "concise")
    assert code == 1 and "auth-dependencies" in out
    _, out, _ = invoke(repo, "check", "shop", "--diff", "HEAD~1")
    assert "1 configuration change(s) widen trust" in out  # the summary says why it fails
    code, out, _ = invoke(
        repo, "check", "shop", "--diff", "HEAD~1", "-f", "concise", "--accept-config-changes"
    )
    assert "auth-dependencies" not in out


@pytest.mark.parametrize(
    ("config", "kind"),
    [
        ('ignore = ["FL002"]', "ignore_added"),
        ('exclude = ["shop/items.py"]', "exclude_added"),
        ('[tool.fastlint.per-file-ignores]\n"shop/*" = ["FL001"]', "per_file_ignores_added"),
        ('[tool.fastlint.rules.FL001]\npublic-routes = ["* /items/*"]', "rule_options_changed"),
        ('[tool.fastlint.severity]\nFL001 = "low"', "severity_lowered"),
    ],
)
def test_each_widening_key_is_reported(repo: Path, config: str, kind: str) -> None:
    commit(repo, {"pyproject.toml": f"[tool.fastlint]\n{config}\n"}, "widen")
    code, out, _ = invoke(repo, "routes", "shop", "--diff", "HEAD~1", "-f", "json")
    assert kind in [c["kind"] for c in json.loads(out)["configuration"]]
    assert code == 1


def test_a_new_suppression_on_a_route_is_a_trust_change(repo: Path) -> None:
    suppressed = (
        MAIN.replace("def health():", "def health():  # noqa: FL002 -- fine")
        + '\n\n@app.post("/orders")  # noqa: FL001\ndef order():\n    return {}\n'
    )
    commit(repo, {"shop/main.py": suppressed}, "suppress")
    code, out, _ = invoke(repo, "check", "shop", "--diff", "HEAD~1", "-f", "json")
    problems = json.loads(out)["suppression_problems"]
    assert any(p["kind"] == "trust" and "FL001" in p["message"] for p in problems)
    assert code == 1


def test_unchanged_configuration_reports_nothing(repo: Path) -> None:
    commit(repo, {"shop/items.py": ITEMS + "\n"}, "touch")
    code, out, _ = invoke(repo, "routes", "shop", "--diff", "HEAD~1", "-f", "json")
    assert json.loads(out)["configuration"] == [] and code == 0


def test_only_the_scanned_paths_and_their_configuration_are_extracted(repo: Path) -> None:
    commit(repo, {"elsewhere/big.py": "x = 1\n" * 1000, "shop/.gitignore": "*.tmp\n"}, "more")
    top = gitref.top_level(repo)
    with gitref.tree_at("HEAD", top, [repo / "shop"]) as tree:
        assert (tree / "shop" / "main.py").is_file()
        assert (tree / "pyproject.toml").is_file()
        assert not (tree / "elsewhere").exists()


def test_a_path_new_in_the_change_extracts_nothing_and_fails_nothing(repo: Path) -> None:
    top = gitref.top_level(repo)
    with gitref.tree_at("HEAD", top, [repo / "brand_new"]) as tree:
        assert not (tree / "brand_new").exists()


@pytest.mark.parametrize(
    ("ref", "words"),
    [
        ("HEAD~1..HEAD", "range"),
        ("HEAD^{tree}", "a tree, not a commit"),
    ],
)
def test_revisions_that_are_not_commits_are_explained(repo: Path, ref: str, words: str) -> None:
    code, _, err = invoke(repo, "routes", "shop", "--diff", ref)
    assert code == 2 and words in err


def test_a_repository_with_no_commits_is_explained(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    (tmp_path / "main.py").write_text(MAIN)
    code, _, err = invoke(tmp_path, "check", ".", "--diff", "HEAD")
    assert code == 2 and "no commits" in err


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs chown")
def test_dubious_ownership_passes_gits_reason_and_fix(repo: Path) -> None:
    subprocess.run(["chown", "-R", "12345:12345", str(repo)], check=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env["HOME"] = str(repo.parent)  # no global safe.directory
    env["GIT_CONFIG_NOSYSTEM"] = "1"
    old = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        probe = subprocess.run(["git", "rev-parse"], cwd=repo, capture_output=True, check=False)
        if probe.returncode == 0:
            pytest.skip("this git does not check the repository's owner (before 2.35.2)")
        code, _, err = invoke(repo, "routes", "shop", "--diff", "HEAD")
    finally:
        os.environ.clear()
        os.environ.update(old)
    assert code == 2
    assert "dubious ownership" in err and "safe.directory" in err


ADMIN = (
    '\n\n@app.get("/admin", response_model=dict, dependencies=[Depends(current_user)])\n'
    "def admin():\n    return {}\n"
)
SHADOW = '\n\n@app.get("/admin", response_model=dict)\ndef admin_preview():\n    return {}\n'


def test_a_shadowing_duplicate_route_is_reported_by_routes_diff(repo: Path) -> None:
    commit(repo, {"shop/main.py": MAIN + ADMIN}, "admin")
    commit(repo, {"shop/main.py": MAIN + SHADOW + ADMIN}, "shadow it")
    code, out, _ = invoke(repo, "routes", "shop", "--diff", "HEAD~1", "-f", "json")
    document = json.loads(out)
    changed = {
        f"{c['after']['method']} {c['after']['path']}": [x["kind"] for x in c["changes"]]
        for c in document["changed"]
    }
    assert "authentication_lost" in changed["GET /admin"]
    assert "shadowed" in changed["GET /admin"]
    assert code == 1


def test_routes_and_check_report_the_shadowed_route(repo: Path) -> None:
    commit(repo, {"shop/main.py": MAIN + SHADOW + ADMIN}, "shadow it")
    _, out, _ = invoke(repo, "routes", "shop", "-f", "json")
    rows = [r for r in json.loads(out)["routes"] if r["path"] == "/admin"]
    assert [bool(r["shadowed_by"]) for r in rows] == [False, True]
    assert [r["handler"].split(" ")[0] for r in rows] == ["admin_preview", "admin"]
    assert rows[0]["findings"] != rows[1]["findings"]  # not shared (item 14)
    _, out, _ = invoke(repo, "check", "shop", "-f", "concise")
    lines = [line for line in out.splitlines() if "FL028" in line]
    assert len(lines) == 1 and "GET /admin is never reached" in lines[0]


def test_an_explicit_config_file_in_the_repository_is_read_from_the_base_too(
    repo: Path,
) -> None:
    commit(repo, {"ci/fastlint.toml": "auth-dependencies = []\n"}, "ci config")
    commit(
        repo,
        {
            "shop/security.py": NOOP,
            "ci/fastlint.toml": 'auth-dependencies = ["shop.security.current_user"]\n',
        },
        "trust a no-op in the CI config",
    )
    code, out, _ = invoke(
        repo, "routes", "shop", "--diff", "HEAD~1", "-f", "json", "--config", "ci/fastlint.toml"
    )
    assert [c["kind"] for c in json.loads(out)["configuration"]] == ["auth_dependencies_added"]
    assert code == 1


def test_raising_a_severity_is_not_a_trust_change(repo: Path) -> None:
    commit(repo, {"pyproject.toml": '[tool.fastlint.severity]\nFL002 = "high"\n'}, "stricter")
    code, out, _ = invoke(repo, "routes", "shop", "--diff", "HEAD~1", "-f", "json")
    assert json.loads(out)["configuration"] == [] and code == 0
