"""Where a report goes and which exit code it means: the one place that decides."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, replace
from enum import Enum
from pathlib import Path

from rich.console import Console
from rich.text import Text

from fastlint.findings import Severity
from fastlint.registry import ALL_RULES
from fastlint.report import text
from fastlint.report.escape import visible
from fastlint.report.options import ReportOptions
from fastlint.report.registry import REPORTERS
from fastlint.report.source import with_contents
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
    quiet: bool = False  # the findings without the summary (ruff's `-q`)
    sarif_category: str | None = None
    fail_on: FailOn | None = None
    include_suppressed: bool = False
    statistics: bool = False  # the summary without the findings
    silent: bool = False  # nothing on the terminal (a report file is still written)
    severity: FailOn | None = None  # hide findings below this level (bandit's --severity-level)
    color: str = "auto"  # "auto" (a colour terminal without NO_COLOR), "always", "never"

    @property
    def presentation(self) -> ReportOptions:
        """What the reporters are told."""
        return ReportOptions(
            verbose=self.verbose,
            quiet=self.statistics,
            summary=not self.quiet or self.statistics,  # `-q --statistics`: the statistics
            include_suppressed=self.include_suppressed,
            sarif_category=self.sarif_category,
        )


def finish(report: Report, options: OutputOptions) -> int:
    """Write the report where it belongs and return the exit code."""
    if options.severity is not None:
        shown = Severity[options.severity.name.upper()]
        report = replace(report, findings=[f for f in report.findings if f.severity >= shown])
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
    # Reporters read source through this: the disk, or what was analysed instead.
    presentation = replace(options.presentation, source=with_contents(report.sources))
    if options.output_format is OutputFormat.text:
        if options.output is not None:
            plain = replace(presentation, quiet=False, summary=True)
            if not write(options.output, text.render(report, ALL_RULES, plain)):
                return EXIT_USAGE
        if not options.silent:
            quiet = options.statistics or options.output is not None
            _terminal(report, replace(presentation, quiet=quiet), stderr=False, color=options.color)
    else:
        reporter = REPORTERS[options.output_format.value]
        rendered = reporter(report, ALL_RULES, presentation)
        if options.output is not None and not write(options.output, rendered):
            return EXIT_USAGE
        if options.silent:
            return exit_code(report, options)
        if options.output is None:
            sys.stdout.write(rendered)
            if options.verbose:  # stdout is the document: the notes go to stderr
                colour = replace(presentation, colour_system=_colours(True, options.color))
                sys.stderr.write(text.notes(report, colour))
        elif not options.quiet:  # the summary still goes to the terminal
            _terminal(report, replace(presentation, quiet=True), stderr=True, color=options.color)
    return exit_code(report, options)


def _terminal(
    report: Report, presentation: ReportOptions, stderr: bool, color: str = "auto"
) -> None:
    """The text report on stdout or stderr, coloured when that is a colour terminal
    (`color`: "auto"), always or never."""
    colour = _colours(stderr, color)
    rendered = text.render(report, ALL_RULES, replace(presentation, colour_system=colour))
    (sys.stderr if stderr else sys.stdout).write(rendered)


def _colours(stderr: bool, color: str = "auto") -> str | None:
    """The terminal's colour system; None (no escape codes at all) when not a colour
    terminal or when `NO_COLOR` is set (rich alone would keep bold and underline).
    `color` "always" colours even a pipe, "never" never colours."""
    if color == "never":
        return None
    if color == "always":
        return terminal(stderr).color_system or "standard"
    return None if os.environ.get("NO_COLOR") else terminal(stderr).color_system


def write(target: Path, rendered: str, what: str = "the report") -> bool:
    """Write `rendered` to `target`, creating missing folders (as ruff does); say why
    not (the caller exits 2: exit 1 means findings)."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(rendered, encoding="utf-8")
    except OSError as exc:
        reason = exc.strerror or str(exc)
        if target.is_dir():
            reason = "it is a folder"
        error(f"cannot write {what} to {target}: {reason}")
        return False
    return True


def terminal(stderr: bool = False) -> Console:
    """A console for the user: never hard-wrapped (lines are cut by the terminal, not
    at 80 columns in a pipe), and with `NO_COLOR` set, no escape codes at all."""
    plain = bool(os.environ.get("NO_COLOR"))
    if plain:
        return Console(stderr=stderr, highlight=False, soft_wrap=True, color_system=None)
    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def exit_code(report: Report, options: OutputOptions) -> int:
    # Files that could not be analysed fail the run like findings, even when no file
    # could be (a half-edited file in pre-commit is not a usage error); paths that
    # could not even be read (a symbolic link loop named) are a usage error.
    scanned = set(report.files)
    failed = [e for e in report.errors if e.path in scanned]
    if report.files_scanned == len(failed) and all(
        e.message.startswith("cannot read") for e in failed
    ):
        return EXIT_USAGE
    if options.exit_zero:
        return EXIT_CLEAN
    threshold = Severity[options.fail_on.name.upper()] if options.fail_on else Severity.LOW
    failing = any(f.severity >= threshold for f in report.findings)
    problems = report.errors or report.suppression_problems
    return EXIT_FINDINGS if failing or problems else EXIT_CLEAN


def info(message: str) -> None:
    """A note on stderr, on one line whatever names it holds (they may come from the
    scanned repository: file names, configuration keys)."""
    terminal(stderr=True).print(Text(visible(message)))


def error(message: str) -> None:
    """An error on stderr, on one line (see `info`)."""
    terminal(stderr=True).print(Text.assemble(("error: ", "bold red"), visible(message)))
