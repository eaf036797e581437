"""The command line: options in, report out, exit code from one place.

Exit codes: 0 no findings, 1 findings (or files that could not be analysed),
2 usage or configuration error, or nothing to scan.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from fastlint import __version__, baseline
from fastlint.demo import HARDENED_APP, INSECURE_APP
from fastlint.engine import Report, default_jobs, lint
from fastlint.findings import Severity
from fastlint.registry import ALL_RULES, RULES_BY_CODE
from fastlint.report import concise, github, gitlab, json_format, junit, sarif, text

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2

app = typer.Typer(
    name="fastlint",
    help="A static security linter for FastAPI applications.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


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


def _version(value: bool) -> None:
    if value:
        typer.echo(f"fastlint {__version__}")
        raise typer.Exit(EXIT_CLEAN)


@app.callback()
def main_callback(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """A static security linter for FastAPI applications."""


FormatOption = Annotated[
    OutputFormat, typer.Option("--format", "-f", help="Output format.", case_sensitive=False)
]
OutputOption = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Write the report to FILE (the terminal gets a summary)."),
]
ExitZeroOption = Annotated[
    bool, typer.Option("--exit-zero", help="Exit 0 even when there are findings.")
]
VerboseOption = Annotated[
    bool, typer.Option("--verbose", "-v", help="Explain what could not be resolved; timings.")
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="Print only the summary.")]
JobsOption = Annotated[
    int | None, typer.Option("--jobs", "-j", min=1, help="Parallel processes (default: CPUs).")
]
SelectOption = Annotated[
    str | None,
    typer.Option("--select", help="Comma-separated rule codes to run, e.g. FL001,FL003."),
]


@app.command()
def check(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Files or folders to scan (default: .).")
    ] = None,
    output_format: FormatOption = OutputFormat.text,
    output: OutputOption = None,
    exit_zero: ExitZeroOption = False,
    verbose: VerboseOption = False,
    quiet: QuietOption = False,
    jobs: JobsOption = None,
    select: SelectOption = None,
    sarif_category: Annotated[
        str | None, typer.Option("--sarif-category", help="SARIF automationDetails id.")
    ] = None,
    fail_on: Annotated[
        FailOn | None,
        typer.Option(
            "--fail-on",
            case_sensitive=False,
            help="Exit 1 only for findings at or above this severity (default: any).",
        ),
    ] = None,
    baseline_file: Annotated[
        Path | None,
        typer.Option("--baseline", help="Report only findings not accepted in this baseline."),
    ] = None,
    write_baseline: Annotated[
        Path | None,
        typer.Option("--write-baseline", help="Accept today's findings: write them to FILE."),
    ] = None,
    include_suppressed: Annotated[
        bool,
        typer.Option(
            "--include-suppressed", help="Also list findings silenced by comments, marked."
        ),
    ] = False,
) -> None:
    """Scan FastAPI code for security problems."""
    codes = _codes(select)
    report = lint(paths or [Path(".")], select=codes, jobs=jobs or default_jobs())
    report = replace(report, include_suppressed=include_suppressed)
    if write_baseline is not None and not report.missing:
        count = baseline.write(report, write_baseline)
        _info(f"wrote {count} finding(s) to the baseline {write_baseline}")
        raise typer.Exit(EXIT_CLEAN)
    if baseline_file is not None:
        try:
            report = baseline.apply(report, baseline_file)
        except baseline.BaselineError as exc:
            _error(str(exc))
            raise typer.Exit(EXIT_USAGE) from None
    options = _Options(output_format, output, exit_zero, verbose, quiet, sarif_category, fail_on)
    raise typer.Exit(_finish(report, options))


@app.command()
def demo(
    hardened: Annotated[
        bool, typer.Option("--hardened", help="Scan the hardened twin (no findings).")
    ] = False,
    output_format: FormatOption = OutputFormat.text,
    verbose: VerboseOption = False,
) -> None:
    """Scan the bundled reference /users app (the classic insecure FastAPI example)."""
    target = HARDENED_APP if hardened else INSECURE_APP
    report = lint([target], jobs=1, root=target.parent)
    raise typer.Exit(_finish(report, _Options(output_format, verbose=verbose)))


@app.command("rules")
def list_rules(
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="text or json.", case_sensitive=False)
    ] = OutputFormat.text,
) -> None:
    """List every rule: code, name, default severity and what it finds."""
    if output_format is OutputFormat.json:
        rows = [
            {"code": r.code, "name": r.name, "severity": r.severity.label, "summary": r.summary}
            for r in ALL_RULES
        ]
        typer.echo(json.dumps(rows, indent=2))
        return
    for r in ALL_RULES:
        typer.echo(f"{r.code}  {r.name:<30} {r.severity.label:<8} {r.summary}")


def _codes(select: str | None) -> list[str] | None:
    if select is None:
        return None
    codes = [c.strip().upper() for c in select.split(",") if c.strip()]
    unknown = [c for c in codes if c not in RULES_BY_CODE]
    if unknown:
        _error(f"unknown rule code(s): {', '.join(unknown)} (see `fastlint rules`)")
        raise typer.Exit(EXIT_USAGE)
    return codes


@dataclass(frozen=True)
class _Options:
    output_format: OutputFormat
    output: Path | None = None
    exit_zero: bool = False
    verbose: bool = False
    quiet: bool = False
    sarif_category: str | None = None
    fail_on: FailOn | None = None


def _finish(report: Report, options: _Options) -> int:
    """Write the report where it belongs and decide the exit code."""
    for missing in report.missing:
        _error(f"{missing}: no such file or folder")
    if report.missing:
        return EXIT_USAGE
    if report.files_scanned == 0:
        _error("no Python files to scan")
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
        if options.output is None:
            typer.echo(rendered, nl=False)
        else:
            options.output.write_text(rendered, encoding="utf-8")
            if not options.quiet:  # the summary still goes to the terminal
                summary = Console(stderr=True, highlight=False)
                text.render(report, summary, verbose=options.verbose, quiet=True)
    return _exit_code(report, options)


def _exit_code(report: Report, options: _Options) -> int:
    if report.files_scanned == len(report.errors):
        return EXIT_USAGE  # nothing could be analysed
    if options.exit_zero:
        return EXIT_CLEAN
    threshold = Severity[options.fail_on.name.upper()] if options.fail_on else Severity.LOW
    failing = any(f.severity >= threshold for f in report.findings)
    return EXIT_FINDINGS if failing or report.errors else EXIT_CLEAN


def _serialise(report: Report, options: _Options) -> str:
    if options.output_format is OutputFormat.sarif:
        return sarif.render(report, options.sarif_category)
    return SERIALISERS[options.output_format](report)


SERIALISERS: dict[OutputFormat, Callable[[Report], str]] = {
    OutputFormat.concise: concise.render,
    OutputFormat.json: json_format.render,
    OutputFormat.github: github.render,
    OutputFormat.gitlab: gitlab.render,
    OutputFormat.junit: junit.render,
}


def _info(message: str) -> None:
    Console(stderr=True, highlight=False).print(message)


def _error(message: str) -> None:
    Console(stderr=True, highlight=False).print(f"[bold red]error:[/] {message}")


def main() -> None:
    app()
