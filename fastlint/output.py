"""Where a report goes and which exit code it means: the one place that decides."""

from __future__ import annotations

import io
import os
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
from fastlint.report.escape import visible

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
    quiet: bool = False  # the findings without the summary (ruff's `-q`)
    sarif_category: str | None = None
    fail_on: FailOn | None = None
    statistics: bool = False  # the summary without the findings
    silent: bool = False  # nothing on the terminal (a report file is still written)


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
            buffer = io.StringIO()
            file_console = Console(file=buffer, color_system=None, soft_wrap=True, width=120)
            text.render(report, file_console, verbose=options.verbose)
            if not _write(options.output, buffer.getvalue()):
                return EXIT_USAGE
        if not options.silent:
            text.render(
                report,
                terminal(),
                verbose=options.verbose,
                findings=not (options.statistics or options.output),
                summary=not options.quiet,
            )
    else:
        rendered = _serialise(report, options)
        if options.output is not None and not _write(options.output, rendered):
            return EXIT_USAGE
        if options.silent:
            return exit_code(report, options)
        if options.output is None:
            sys.stdout.write(rendered)
            if options.verbose:  # stdout is the document: the notes go to stderr
                text.notes(report, terminal(stderr=True))
        elif not options.quiet:  # the summary still goes to the terminal
            summary = terminal(stderr=True)
            text.render(report, summary, verbose=options.verbose, findings=False)
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


def _write(target: Path, rendered: str) -> bool:
    """Write the report to `target`, creating missing folders (as ruff does); say why not."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(rendered, encoding="utf-8")
    except OSError as exc:
        reason = exc.strerror or str(exc)
        if target.is_dir():
            reason = "it is a folder"
        error(f"cannot write the report to {target}: {reason}")
        return False
    return True


def _serialise(report: Report, options: OutputOptions) -> str:
    if options.output_format is OutputFormat.sarif:
        return sarif.render(report, options.sarif_category)
    return SERIALISERS[options.output_format](report)


def terminal(stderr: bool = False) -> Console:
    """A console for the user: never hard-wrapped (lines are cut by the terminal, not
    at 80 columns in a pipe), and with `NO_COLOR` set, no escape codes at all."""
    plain = bool(os.environ.get("NO_COLOR"))
    if plain:
        return Console(stderr=stderr, highlight=False, soft_wrap=True, color_system=None)
    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def info(message: str) -> None:
    """A note on stderr, on one line whatever names it holds (they may come from the
    scanned repository: file names, configuration keys)."""
    terminal(stderr=True).print(Text(visible(message)))


def error(message: str) -> None:
    """An error on stderr, on one line (see `info`)."""
    terminal(stderr=True).print(Text.assemble(("error: ", "bold red"), visible(message)))
