"""Caches are keyed on fastlint's own code: an edited rule never replays old results."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fastlint.code_identity import code_digest, digest_of, package_folders
from fastlint.demo import INSECURE_APP

REPOSITORY = Path(__file__).resolve().parents[1]
# Appended to the copy's rule registry: an edit of every rule's message.
EDIT = """
import dataclasses as _dataclasses


def _edited(check):
    def edited_check(self, project):
        for finding in check(self, project):
            yield _dataclasses.replace(finding, message="EDITED " + finding.message)

    return edited_check


for _rule in ALL_RULES:
    _rule.check = _edited(_rule.check)
"""


def installed_copy(target: Path) -> Path:
    """fastlint laid out as a wheel installs it (rules inside the package)."""
    shutil.copytree(
        REPOSITORY / "fastlint", target / "fastlint", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copytree(
        REPOSITORY / "rules",
        target / "fastlint" / "rules",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    return target


def run_cached(code: Path, project: Path, home: Path) -> list[dict[str, object]]:
    """`fastlint check` with the cache on, running the code under `code`."""
    environment = {**os.environ, "PYTHONPATH": str(code), "XDG_CACHE_HOME": str(home)}
    script = (
        "import sys, fastlint; assert fastlint.__file__.startswith(sys.argv[1]), fastlint.__file__;"
        "from fastlint.cli import main; sys.argv = ['fastlint', *sys.argv[2:]]; main()"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(code), "check", str(project), "-f", "json", "-j", "1"],
        env=environment,
        capture_output=True,
        text=True,
        cwd=project,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    findings: list[dict[str, object]] = json.loads(done.stdout)["findings"]
    return findings


@pytest.mark.slow
def test_an_edited_rule_is_not_answered_from_the_cache(tmp_path: Path) -> None:
    code = installed_copy(tmp_path / "code")
    project = tmp_path / "project"
    shutil.copytree(INSECURE_APP, project, ignore=shutil.ignore_patterns("__pycache__"))
    (project / "pyproject.toml").write_text("[project]\nname = 'insecure'\n")
    home = tmp_path / "home"
    before = run_cached(code, project, home)
    assert before

    with (code / "fastlint" / "rules" / "__init__.py").open("a", encoding="utf-8") as registry:
        registry.write(EDIT)  # every rule's message changes; the scanned tree does not
    after = run_cached(code, project, home)
    assert [str(f["message"]) for f in after] == [f"EDITED {f['message']}" for f in before]


def test_the_digest_covers_the_rules_and_changes_with_any_file(tmp_path: Path) -> None:
    folders = package_folders()
    assert any(
        (folder / "__init__.py").is_file() and folder.name == "fastlint" for folder in folders
    )
    assert any((folder / "auth").is_dir() for folder in folders)  # the rules' folder
    assert code_digest() == digest_of(folders)

    code = installed_copy(tmp_path / "code") / "fastlint"
    first = digest_of([code])
    assert digest_of([code]) == first
    (code / "rules" / "auth" / "__init__.py").write_text("# a comment\n")
    assert digest_of([code]) != first
