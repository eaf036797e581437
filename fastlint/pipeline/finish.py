"""The last stages of a run, also applied to a report answered from the cache: which
suppression problems to report, and the baseline. Light on imports: a cached run
loads neither the model nor the rules.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from pathlib import Path

from fastlint import baseline, suppress
from fastlint.results import Report


def select_problems(report: Report, kinds: Collection[str]) -> Report:
    """Only the kinds of suppression problems the run was asked to report."""
    return replace(
        report,
        suppression_problems=[
            p
            for p in report.suppression_problems
            if p.kind in kinds or p.kind in suppress.ALWAYS_REPORTED
        ],
    )


def apply_baseline(report: Report, path: Path | None) -> Report:
    """Hide the findings the baseline accepts (raises `baseline.BaselineError`)."""
    return report if path is None else baseline.apply(report, path)
