"""`path:line:col: FLxxx message`, one finding a line: for grep and editors."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from fastlint.report.escape import visible
from fastlint.report.options import ReportOptions
from fastlint.results import Report

if TYPE_CHECKING:
    from fastlint.rule import Rule


def _shown(report: Report, path: str) -> str:
    return visible(report.relative(path))


def render(report: Report, rules: Sequence[type[Rule]], options: ReportOptions) -> str:
    lines = [
        f"{_shown(report, f.path)}:{f.span.line}:{f.span.column}: {f.rule} {visible(f.message)}"
        for f in report.findings
    ]
    for problem in report.suppression_problems:
        lines.append(
            f"{_shown(report, problem.path)}:{problem.line}:1: "
            f"{problem.title} {visible(problem.message)}"
        )
    for error in report.errors:
        where = f"{error.line}:{error.column or 1}" if error.line else "1:1"
        lines.append(f"{_shown(report, error.path)}:{where}: E999 {visible(error.message)}")
    return "\n".join(lines) + ("\n" if lines else "")
