"""Generated documentation is up to date (run `python -m fastlint.docs` to refresh)."""

from __future__ import annotations

from pathlib import Path

from fastlint.docs import generated_files
from fastlint.registry import ALL_RULES

ROOT = Path(__file__).resolve().parents[1]


def test_generated_docs_are_fresh() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for relative, content in generated_files(readme, ALL_RULES).items():
        path = ROOT / relative
        assert path.is_file(), f"{relative} is missing: run `python -m fastlint.docs`"
        assert path.read_text(encoding="utf-8") == content, (
            f"{relative} is stale: run `python -m fastlint.docs`"
        )
