"""A named-file run (pre-commit) reports exactly what a run of the whole project
reports about that file: the findings in it, and those whose cause passes through it
(a finding's `sources`). Whatever a named run leaves out of its work, it must not
change an answer."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from paths import FIXTURES

from fastlint.engine import lint
from fastlint.findings import Finding

# Known: a named run reads only the routes its files take part in, so a finding that
# counts every route of a dependency (FL011: "2 routes ... are authenticated only by
# `verify_key`") counts fewer when a file that serves one of them is named alone.
KNOWN = {
    "wiring": "FL011 counts only the routes in the named run's context (as on main)",
}
PROJECTS = [
    pytest.param(p.name, marks=pytest.mark.xfail(strict=True, reason=KNOWN[p.name]))
    if p.name in KNOWN
    else p.name
    for p in sorted(FIXTURES.iterdir())
    if p.is_dir()
]


def concerning(findings: list[Finding], path: str) -> list[Finding]:
    return [f for f in findings if f.path == path or path in f.sources]


@pytest.mark.slow
@pytest.mark.parametrize("name", PROJECTS)
def test_each_file_alone_gets_the_whole_runs_findings(tmp_path: Path, name: str) -> None:
    root = tmp_path / name
    shutil.copytree(FIXTURES / name, root)
    (root / "pyproject.toml").write_text(f"[project]\nname = '{name}'\n")
    whole = lint([root], jobs=1, root=root)
    assert not whole.errors
    files = sorted(str(f) for f in root.rglob("*.py"))
    assert files
    for file in files:
        alone = lint([file], jobs=1, root=root)
        assert alone.findings == concerning(whole.findings, file), file
