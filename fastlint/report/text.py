"""The terminal report: findings grouped by file, with source and a fix hint."""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Sequence
from itertools import groupby
from typing import TYPE_CHECKING

from rich.console import Console
from rich.text import Text

from fastlint.findings import Finding, Severity
from fastlint.report.escape import visible
from fastlint.report.options import ReportOptions
from fastlint.results import Report
from fastlint.span import Span, split_lines

if TYPE_CHECKING:
    from fastlint.rule import Rule

SEVERITY_STYLES = {
    Severity.CRITICAL: "bold white on red",
    Severity.HIGH: "bold red",
    Severity.MEDIUM: "yellow",
    Severity.LOW: "cyan",
}
MAX_SNIPPET_LINES = 3  # of a multi-line anchor; `⋮` stands for the rest


def render(report: Report, rules: Sequence[type[Rule]], options: ReportOptions) -> str:
    """The report as text, styled for `options.colour_system` (None: plain): the
    findings (not with `quiet`), problems, notes (`verbose`), the summary (`summary`)."""
    buffer = io.StringIO()
    _print(report, _console(buffer, options), options)
    return buffer.getvalue()


def notes(report: Report, options: ReportOptions) -> str:
    """Only what `--verbose` adds (for stderr, when stdout carries another format)."""
    buffer = io.StringIO()
    _notes(report, _console(buffer, options))
    return buffer.getvalue()


def _console(buffer: io.StringIO, options: ReportOptions) -> Console:
    return Console(
        file=buffer,
        force_terminal=options.colour_system is not None,
        color_system=options.colour_system,  # type: ignore[arg-type]
        width=options.width or 80,
        soft_wrap=options.width is None,
        highlight=False,
    )


def _print(report: Report, console: Console, options: ReportOptions) -> None:
    quiet = options.quiet
    if not quiet:
        for path, in_file in groupby(report.findings, key=lambda f: f.path):
            console.print(Text(_shown(report, path), style="bold underline"))
            for finding in in_file:
                _finding(report, finding, console, options)
    if options.include_suppressed and report.suppressed and not quiet:
        console.print(Text("Suppressed in the source:", style="bold"))
        for finding, comment in report.suppressed:
            reason = f" -- {visible(comment.reason)}" if comment.reason else ""
            where = f"{_shown(report, finding.path)}:{finding.span.line}:{finding.span.column}"
            console.print(Text(f"  {where}: {finding.rule} {visible(finding.message)}{reason}"))
        console.print()
    for problem in report.suppression_problems:
        console.print(
            Text.assemble(
                (f"{_shown(report, problem.path)}:{problem.line}", "bold"),
                (f"  {problem.title}  ", "yellow"),
                visible(problem.message),
            )
        )
    for error in report.errors:
        where = f":{error.line}:{error.column or 1}" if error.line else ""
        console.print(
            Text.assemble(
                (f"{_shown(report, error.path)}{where}", "bold"),
                ("  error  ", "bold red"),
                visible(error.message),
            )
        )
    if options.verbose:
        _notes(report, console)
    if options.summary:
        _summary(report, console)


def _shown(report: Report, path: str) -> str:
    """A file's path as printed: relative, and on one line whatever its name holds."""
    return visible(report.relative(path))


def _finding(report: Report, finding: Finding, console: Console, options: ReportOptions) -> None:
    span = finding.span
    console.print(
        Text.assemble(
            f"  {_shown(report, finding.path)}:{span.line}:{span.column}  ",
            (finding.rule, "bold"),
            f" {finding.name}  ",
            (finding.severity.label, SEVERITY_STYLES[finding.severity]),
        )
    )
    console.print(Text(f"  {visible(finding.message)}"))
    lines = split_lines(options.source(finding.path))
    if span.line <= len(lines):
        _snippet(lines, span, console)
    for related in finding.related:
        console.print(
            Text(
                f"    note: {_shown(report, related.path)}:{related.span.line}: "
                f"{visible(related.message)}",
                style="dim",
            )
        )
    if finding.flow:
        console.print(Text("    path:", style="dim"))
        for number, step in enumerate(finding.flow, start=1):
            console.print(
                Text(
                    f"      {number}. {_shown(report, step.path)}:{step.span.line}: "
                    f"{visible(step.message)}",
                    style="dim",
                )
            )
    console.print(Text.assemble(("    fix: ", "green"), visible(finding.fix)))
    console.print()


def _snippet(lines: list[str], span: Span, console: Console) -> None:
    """The anchor's first line with carets right under it (from its column to its end,
    or to the end of that line), then at most a few more of its lines, then `⋮` when
    the span goes on (a seven-line `FastAPI(...)` call is not printed whole)."""
    last = min(span.end_line, span.line + MAX_SNIPPET_LINES - 1, len(lines))
    width = len(str(last))
    gutter = f"    {'':>{width}} │ "
    first = lines[span.line - 1]
    end = span.end_column if span.end_line == span.line else len(first) + 1
    marker = " " * (span.column - 1) + "^" * max(1, end - span.column)
    for number in range(span.line, last + 1):
        text = visible(lines[number - 1], keep="\t")
        console.print(Text.assemble((f"    {number:>{width}} │ ", "dim"), text))
        if number == span.line:
            console.print(Text.assemble((gutter, "dim"), (marker, "bold red")))
    if span.end_line > last:
        console.print(Text.assemble((gutter, "dim"), ("⋮", "dim")))


def _notes(report: Report, console: Console) -> None:
    """What `--verbose` adds: what was not resolved statically, timings, file counts."""
    if report.notes:
        console.print(Text("Not resolved statically (no finding was made from these):", "bold"))
        for note in report.notes:
            console.print(
                Text(f"  {_shown(report, note.path)}:{note.line}: {visible(note.message)}")
            )
    unchecked = report.coverage.listing(report.relative)
    if unchecked:
        console.print(Text("Not checked (no app fastlint could see serves these routes):", "bold"))
        for line in unchecked:
            console.print(Text(f"  {visible(line)}"))
    timings = "  ".join(f"{name} {seconds:.3f}s" for name, seconds in report.timings.items())
    console.print(Text(f"Timings: {timings}", style="dim"))
    console.print(
        Text(
            f"Files: {report.files_scanned} scanned, {report.files_analysed} read for context, "
            f"{report.files_from_cache} from the cache",
            style="dim",
        )
    )
    if report.files_light or report.promoted:
        console.print(
            Text(
                f"Context files: {report.files_light} read from Python's tree, "
                f"{len(report.promoted)} promoted to a full parse",
                style="dim",
            )
        )
    for path, reason in report.promoted:
        console.print(Text(f"  {_shown(report, path)}: parsed in full: {visible(reason)}", "dim"))


def _summary(report: Report, console: Console) -> None:
    count = len(report.findings)
    by_severity = Counter(f.severity for f in report.findings)
    severities = ", ".join(f"{by_severity[s]} {s.label}" for s in sorted(by_severity, reverse=True))
    files = "file" if report.files_scanned == 1 else "files"
    headline = Text(f"Scanned {report.files_scanned} {files} in {report.duration:.2f}s: ")
    if count:
        headline.append(f"{count} finding{'s' if count != 1 else ''} ({severities})", "bold")
    else:
        headline.append("no findings", "bold green")
    if report.suppressed:
        headline.append(f"; {len(report.suppressed)} suppressed in the source")
    if report.errors:
        headline.append(f"; {len(report.errors)} file(s) could not be analysed", "bold red")
    trust = sum(1 for p in report.suppression_problems if p.kind == "trust")
    comments = len(report.suppression_problems) - trust
    if trust:
        headline.append(f"; {trust} configuration change(s) widen trust", "bold red")
    if comments:
        headline.append(f"; {comments} suppression problem(s)", "bold red")
    console.print(headline)
    if report.coverage.summary:
        console.print(Text(f"Warning: {report.coverage.summary}", style="yellow"))
    if report.coverage.auth_summary:
        console.print(Text(f"Warning: {visible(report.coverage.auth_summary)}", style="yellow"))
    if report.baselined or report.fixed_baseline_entries:
        fixed = report.fixed_baseline_entries
        console.print(
            Text(
                f"Baseline: {report.baselined} finding(s) accepted; "
                f"{fixed} entr{'y' if fixed == 1 else 'ies'} no longer match "
                "(fixed: prune them with --write-baseline)"
            )
        )
    by_rule = Counter((f.rule, f.name) for f in report.findings)
    for (code, name), number in sorted(by_rule.items()):
        console.print(Text(f"  {code} {name:<30} {number:>4}"))
