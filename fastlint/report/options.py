"""What a reporter is, and the presentation choices it is given."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from fastlint.report.source import source_text
from fastlint.results import Report

if TYPE_CHECKING:
    from fastlint.rule import Rule


@dataclass(frozen=True)
class ReportOptions:
    """Presentation choices: the same report can be shown many ways."""

    verbose: bool = False  # text: what was not resolved, timings
    quiet: bool = False  # text: the summary only, without the findings
    summary: bool = True  # text: end with the summary (not with ruff's `-q`)
    include_suppressed: bool = False  # list findings silenced by comments too, marked
    sarif_category: str | None = None  # SARIF automationDetails id
    colour_system: str | None = None  # text: rich's colour system; None for plain text
    width: int | None = None  # text: wrap lines at this width; None never wraps
    # The one way reporters read source (snippets, line hashes): a file's text.
    source: Callable[[str], str] = source_text


# A reporter: the report, every known rule (for descriptions) and options in, text out.
Reporter = Callable[[Report, "Sequence[type[Rule]]", ReportOptions], str]
