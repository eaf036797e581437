"""GitHub Actions workflow commands: findings annotate the pull request diff."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from fastlint.report.options import ReportOptions
from fastlint.results import Report

if TYPE_CHECKING:
    from fastlint.rule import Rule
from fastlint.findings import Severity
from fastlint.report.escape import visible

COMMANDS = {
    Severity.LOW: "notice",
    Severity.MEDIUM: "warning",
    Severity.HIGH: "error",
    Severity.CRITICAL: "error",
}


def _data(text: str) -> str:
    """A command's message: escaped as the workflow-command syntax requires (`%`, CR,
    LF: GitHub turns them back into the text), so no line can start a command; other
    control characters (escape sequences for the log) made visible."""
    return visible(text, keep="\r\n").replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    """A command's property value: also `:` and `,`, which end it."""
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
    for problem in report.suppression_problems:  # they fail the run: say where
        lines.append(
            f"::error file={_property(report.relative(problem.path))},line={problem.line},"
            f"title={_property(f'fastlint {problem.title}')}::{_data(problem.message)}"
        )
    for error in report.errors:
        where = f",line={error.line}" if error.line else ""
        lines.append(
            f"::error file={_property(report.relative(error.path))}{where},"
            f"title=fastlint could not analyse this file::{_data(error.message)}"
        )
    return "\n".join(lines) + ("\n" if lines else "")
