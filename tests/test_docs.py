"""Generated documentation is up to date (run `python -m fastlint.docs` to refresh)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fastlint import cache
from fastlint.cli import app
from fastlint.demo import INSECURE_APP
from fastlint.docs import doc_path, generated_files, public_example
from fastlint.engine import lint
from fastlint.registry import ALL_RULES
from fastlint.report import sarif
from fastlint.report.options import ReportOptions
from fastlint.rule import Rule
from fastlint.testing import EXPECT, example_files

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
    rendered = sarif.render(lint([INSECURE_APP], jobs=1), ALL_RULES, ReportOptions())
    sarif_rules = json.loads(rendered)["runs"][0]["tool"]
    help_markdown = next(
        r["help"]["markdown"] for r in sarif_rules["driver"]["rules"] if r["id"] == rule.code
    )
    explained = CliRunner().invoke(app, ["explain", rule.code]).output
    page = (ROOT / doc_path(rule)).read_text(encoding="utf-8")
    for shown in (page, explained, help_markdown):
        assert not EXPECT.search(shown), shown
    # Only the markers go: every line of code stays, in order.
    for example in (*rule.invalid_examples(), *rule.valid_examples()):
        for source in filter(str.strip, example_files(example).values()):
            code = public_example(source)
            assert [line.rstrip() for line in code.splitlines()] == [
                EXPECT.split(line)[0].rstrip() for line in source.splitlines()
            ]
            assert f"```python\n{code}```" in page


def test_ci_doc_says_where_the_cache_key_lives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """docs/ci.md: a restored `.fastlint_cache` is used only with the key it was signed with,
    and the key lives where the doc says."""
    section = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    section = section.split("## Caching between CI runs", 1)[1].split("\n## ", 1)[0]
    for shown in ("$XDG_CACHE_HOME/fastlint/cache-key", "~/.cache/fastlint/cache-key"):
        assert shown in section
    assert f"`{cache.CACHE_DIR_NAME}`" in section

    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    key = cache.signing_key()
    assert key is not None and (tmp_path / "home/.cache/fastlint/cache-key").read_bytes() == key

    project = tmp_path / "project"
    project.mkdir()
    (project / "main.py").write_bytes((INSECURE_APP / "main.py").read_bytes())

    def files_from_cache() -> int:
        return lint([project], jobs=1, root=project, use_cache=True).files_from_cache

    def restore(saved: Path) -> None:
        shutil.rmtree(project / cache.CACHE_DIR_NAME)
        shutil.copytree(saved, project / cache.CACHE_DIR_NAME)

    assert files_from_cache() == 0  # cold: the cache is written
    assert files_from_cache() == 1
    saved = tmp_path / "ci-cache"
    shutil.copytree(project / cache.CACHE_DIR_NAME, saved)

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "fresh-runner"))  # the key not restored
    restore(saved)
    assert files_from_cache() == 0
    assert (tmp_path / "fresh-runner/fastlint/cache-key").is_file()

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home/.cache"))  # the key restored too
    restore(saved)
    assert files_from_cache() == 1
