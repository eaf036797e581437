"""The command line: options in, report out, exit code from one place.

Exit codes: 0 no findings, 1 findings (or files that could not be analysed),
2 usage or configuration error, or nothing to scan.
"""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from fastlint import __version__
from fastlint.demo import HARDENED_APP, INSECURE_APP
from fastlint.engine import Report, default_jobs, lint
from fastlint.registry import ALL_RULES, RULES_BY_CODE
from fastlint.report import concise, json_format, sarif, text

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
) -> None:
    """Scan FastAPI code for security problems."""
    codes = _codes(select)
    report = lint(paths or [Path(".")], select=codes, jobs=jobs or default_jobs())
    raise typer.Exit(
        _finish(report, output_format, output, exit_zero, verbose, quiet, sarif_category)
    )


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
    raise typer.Exit(_finish(report, output_format, None, False, verbose, False, None))


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


def _finish(
    report: Report,
    output_format: OutputFormat,
    output: Path | None,
    exit_zero: bool,
    verbose: bool,
    quiet: bool,
    sarif_category: str | None,
) -> int:
    """Write the report where it belongs and decide the exit code."""
    for missing in report.missing:
        _error(f"{missing}: no such file or folder")
    if report.missing:
        return EXIT_USAGE
    if report.files_scanned == 0:
        _error("no Python files to scan")
        return EXIT_USAGE
    console = Console(highlight=False, soft_wrap=True)
    if output_format is OutputFormat.text:
        if output is not None:
            file_console = Console(
                file=output.open("w", encoding="utf-8"), no_color=True, width=120
            )
            text.render(report, file_console, verbose=verbose)
        text.render(report, console, verbose=verbose, quiet=quiet or output is not None)
    else:
        rendered = _serialise(report, output_format, sarif_category)
        if output is None:
            typer.echo(rendered, nl=False)
        else:
            output.write_text(rendered, encoding="utf-8")
            if not quiet:
                text.render(
                    report, Console(stderr=True, highlight=False), verbose=verbose, quiet=True
                )
    if report.files_scanned == len(report.errors):
        return EXIT_USAGE  # nothing could be analysed
    if exit_zero:
        return EXIT_CLEAN
    return EXIT_FINDINGS if report.findings or report.errors else EXIT_CLEAN


def _serialise(report: Report, output_format: OutputFormat, category: str | None) -> str:
    if output_format is OutputFormat.json:
        return json_format.render(report)
    if output_format is OutputFormat.sarif:
        return sarif.render(report, category)
    return concise.render(report)


def _error(message: str) -> None:
    Console(stderr=True, highlight=False).print(f"[bold red]error:[/] {message}")


def main() -> None:
    app()
