"""The README tells a newcomer the truth: the demo's real output and exit code, and a
pre-commit `rev:` that can exist."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from typer.testing import CliRunner

from fastlint.cli import app

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
ELISION = "⋮"


def timing_free(text: str) -> str:
    return re.sub(r"in \d+(\.\d+)?s:", "in …s:", text.rstrip())


def test_first_command_says_the_demo_exits_1() -> None:
    try_it = README.split("## Try it", 1)[1].split("\n## ", 1)[0]
    demo_line = next(line for line in try_it.splitlines() if "fastlint demo" in line)
    assert "exits 1" in demo_line
    assert CliRunner().invoke(app, ["demo"]).exit_code == 1


def test_demo_excerpt_is_the_real_output() -> None:
    block = README.split("<!-- demo-excerpt:start -->", 1)[1].split("<!-- demo-excerpt:end -->")[0]
    lines = block.strip().removeprefix("```console").removesuffix("```").strip("\n").splitlines()
    assert lines[0] == "$ fastlint demo"
    chunks = "\n".join(lines[1:]).split(f"\n{ELISION}\n")
    assert len(chunks) > 1, "the excerpt marks what it leaves out"
    real = timing_free(CliRunner().invoke(app, ["demo"]).output)
    position = 0
    for chunk in map(timing_free, chunks):
        found = real.find(chunk, position)
        assert found >= 0, f"not in `fastlint demo`'s output:\n{chunk}\n---\n{real}"
        position = found + len(chunk)


def test_pre_commit_rev_is_a_commit_or_an_existing_tag() -> None:
    snippet = README.split("# .pre-commit-config.yaml", 1)[1].split("```", 1)[0]
    rev = re.search(r"^\s*rev:\s*(\S+)", snippet, re.MULTILINE)
    assert rev is not None
    if re.fullmatch(r"[0-9a-f]{40}", rev.group(1)):
        return
    tags = subprocess.run(
        ["git", "-C", str(ROOT), "tag", "--list"], capture_output=True, text=True, check=False
    ).stdout.split()
    assert rev.group(1) in tags, f"README pins pre-commit to {rev.group(1)}, which is no tag"


def test_development_says_how_long_the_suite_takes_and_names_the_fast_subset() -> None:
    development = README.split("## Development", 1)[1].split("\n## ", 1)[0]
    assert 'python -m pytest -m "not slow"' in development
    assert re.search(r"full suite takes \d+.\d+ minutes", development)
