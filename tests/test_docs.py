"""Generated documentation is up to date (run `python -m fastlint.docs` to refresh)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import EXPECT
from typer.testing import CliRunner

from fastlint.cli import app
from fastlint.demo import INSECURE_APP
from fastlint.docs import doc_path, generated_files, public_example
from fastlint.engine import lint
from fastlint.registry import ALL_RULES
from fastlint.report import sarif
from fastlint.rule import Rule

ROOT = Path(__file__).resolve().parents[1]


def test_generated_docs_are_fresh() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for relative, content in generated_files(readme, ALL_RULES).items():
        path = ROOT / relative
        assert path.is_file(), f"{relative} is missing: run `python -m fastlint.docs`"
        assert path.read_text(encoding="utf-8") == content, (
            f"{relative} is stale: run `python -m fastlint.docs`"
        )


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda rule: rule.code)
def test_user_facing_examples_show_no_test_markers(rule: type[Rule]) -> None:
    """Docs pages, `fastlint explain` and SARIF help show the examples without `# expect:`."""
    sarif_rules = json.loads(sarif.render(lint([INSECURE_APP], jobs=1)))["runs"][0]["tool"]
    help_markdown = next(
        r["help"]["markdown"] for r in sarif_rules["driver"]["rules"] if r["id"] == rule.code
    )
    explained = CliRunner().invoke(app, ["explain", rule.code]).output
    page = (ROOT / doc_path(rule)).read_text(encoding="utf-8")
    for shown in (page, explained, help_markdown):
        assert not EXPECT.search(shown), shown
    # Only the markers go: every line of code stays, in order.
    for example in (rule.bad_example, rule.good_example):
        code = public_example(example)
        assert [line.rstrip() for line in code.splitlines()] == [
            EXPECT.split(line)[0].rstrip() for line in example.splitlines()
        ]
        assert f"```python\n{code}```" in page
