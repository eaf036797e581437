"""Where a report goes and which exit code it means: the one place that decides."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from rich.console import Console
from rich.text import Text

from fastlint.engine import Report
from fastlint.findings import Severity
from fastlint.report import concise, github, gitlab, json_format, junit, sarif, text

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


SERIALISERS: dict[OutputFormat, Callable[[Report], str]] = {
    OutputFormat.concise: concise.render,
    OutputFormat.json: json_format.render,
    OutputFormat.github: github.render,
    OutputFormat.gitlab: gitlab.render,
    OutputFormat.junit: junit.render,
}


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
    if options.output_format is OutputFormat.text:
        if options.output is not None:
            with options.output.open("w", encoding="utf-8") as handle:
                file_console = Console(file=handle, no_color=True, width=120)
                text.render(report, file_console, verbose=options.verbose)
        console = Console(highlight=False, soft_wrap=True)
        quiet = options.quiet or options.output is not None
        text.render(report, console, verbose=options.verbose, quiet=quiet)
    else:
        rendered = _serialise(report, options)
        if options.verbose and options.output is None:  # the summary (below) lists them too
            for line in report.coverage.listing(report.relative):
                sys.stderr.write(line + "\n")
        if options.output is None:
            sys.stdout.write(rendered)
        else:
            options.output.write_text(rendered, encoding="utf-8")
            if not options.quiet:  # the summary still goes to the terminal
                summary = Console(stderr=True, highlight=False)
                text.render(report, summary, verbose=options.verbose, quiet=True)
    return exit_code(report, options)


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


def _serialise(report: Report, options: OutputOptions) -> str:
    if options.output_format is OutputFormat.sarif:
        return sarif.render(report, options.sarif_category)
    return SERIALISERS[options.output_format](report)


def info(message: str) -> None:
    Console(stderr=True, highlight=False).print(message, markup=False)


def error(message: str) -> None:
    Console(stderr=True, highlight=False).print(Text.assemble(("error: ", "bold red"), message))
