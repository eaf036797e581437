"""GitHub Actions workflow commands: findings annotate the pull request diff."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from fastlint.report.options import ReportOptions
from fastlint.results import Report

if TYPE_CHECKING:
    from fastlint.rule import Rule
from fastlint.findings import Severity

COMMANDS = {
    Severity.LOW: "notice",
    Severity.MEDIUM: "warning",
    Severity.HIGH: "error",
    Severity.CRITICAL: "error",
}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render(report: Report, rules: Sequence[type[Rule]], options: ReportOptions) -> str:
    lines = []
    for f in report.findings:
        properties = ",".join(
            [
                f"file={_property(report.relative(f.path))}",
                f"line={f.span.line}",
                f"col={f.span.column}",
                f"endLine={f.span.end_line}",
                f"endColumn={f.span.end_column}",
                f"title={_property(f'{f.rule} {f.name}')}",
            ]
        )
        lines.append(f"::{COMMANDS[f.severity]} {properties}::{_data(f'{f.message}. {f.fix}')}")
    for error in report.errors:
        where = f",line={error.line}" if error.line else ""
        lines.append(
            f"::error file={_property(report.relative(error.path))}{where},"
            f"title=fastlint could not analyse this file::{_data(error.message)}"
        )
    return "\n".join(lines) + ("\n" if lines else "")
