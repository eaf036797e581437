"""Where a report goes and which exit code it means: the one place that decides."""

from __future__ import annotations

import sys
from dataclasses import dataclass, replace
from enum import Enum
from pathlib import Path

from rich.console import Console
from rich.text import Text

from fastlint.findings import Severity
from fastlint.registry import ALL_RULES
from fastlint.report import text
from fastlint.report.options import ReportOptions
from fastlint.report.registry import REPORTERS
from fastlint.results import Report

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class OutputFormat(str, Enum):
    text = "text"
    concise = "concise"
    json = "json"
    sarif = "sarif"
    github = "github"
    gitlab = "gitlab"
    junit = "junit"


class FailOn(str, Enum):
    low = "low"
    medium = "medium"
    high = "high"
    critical = "critical"


@dataclass(frozen=True)
class OutputOptions:
    output_format: OutputFormat = OutputFormat.text
    output: Path | None = None
    exit_zero: bool = False
    verbose: bool = False
    quiet: bool = False
    sarif_category: str | None = None
    fail_on: FailOn | None = None
    include_suppressed: bool = False

    @property
    def presentation(self) -> ReportOptions:
        """What the reporters are told."""
        return ReportOptions(
            verbose=self.verbose,
            quiet=self.quiet,
            include_suppressed=self.include_suppressed,
            sarif_category=self.sarif_category,
        )


def finish(report: Report, options: OutputOptions) -> int:
    """Write the report where it belongs and return the exit code."""
    for missing in report.missing:
        error(f"{missing}: no such file or folder")
    if report.missing:
        return EXIT_USAGE
    if report.files_scanned == 0 and report.excluded:
        info(f"{report.excluded} file(s) excluded by configuration; nothing to scan")
        return EXIT_CLEAN  # pre-commit passed only excluded files
    if report.files_scanned == 0:
        error("no Python files to scan")
        return EXIT_USAGE
    presentation = options.presentation
    if options.output_format is OutputFormat.text:
        if options.output is not None:
            plain = replace(presentation, quiet=False, width=FILE_WIDTH)
            options.output.write_text(text.render(report, ALL_RULES, plain), encoding="utf-8")
        quiet = options.quiet or options.output is not None
        _terminal(report, replace(presentation, quiet=quiet), stderr=False)
    else:
        reporter = REPORTERS[options.output_format.value]
        rendered = reporter(report, ALL_RULES, presentation)
        if options.verbose and options.output is None:  # the summary (below) lists them too
            for line in report.coverage.listing(report.relative):
                sys.stderr.write(line + "\n")
        if options.output is None:
            sys.stdout.write(rendered)
        else:
            options.output.write_text(rendered, encoding="utf-8")
            if not options.quiet:  # the summary still goes to the terminal
                _terminal(report, replace(presentation, quiet=True), stderr=True)
    return exit_code(report, options)


FILE_WIDTH = 120  # a text report written to a file wraps here


def _terminal(report: Report, presentation: ReportOptions, stderr: bool) -> None:
    """The text report on stdout or stderr, coloured when that is a colour terminal."""
    colour = Console(stderr=stderr).color_system
    rendered = text.render(report, ALL_RULES, replace(presentation, colour_system=colour))
    (sys.stderr if stderr else sys.stdout).write(rendered)


def exit_code(report: Report, options: OutputOptions) -> int:
    scanned = set(report.files)
    if report.files_scanned == sum(1 for e in report.errors if e.path in scanned):
        return EXIT_USAGE  # nothing could be analysed
    if options.exit_zero:
        return EXIT_CLEAN
    threshold = Severity[options.fail_on.name.upper()] if options.fail_on else Severity.LOW
    failing = any(f.severity >= threshold for f in report.findings)
    problems = report.errors or report.suppression_problems
    return EXIT_FINDINGS if failing or problems else EXIT_CLEAN


def info(message: str) -> None:
    Console(stderr=True, highlight=False).print(message, markup=False)


def error(message: str) -> None:
    Console(stderr=True, highlight=False).print(Text.assemble(("error: ", "bold red"), message))
