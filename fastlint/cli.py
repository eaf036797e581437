"""The command line: options in, settings and report out; `output` picks the exit code.

Exit codes: 0 no findings, 1 findings (or files that could not be analysed, even all),
2 usage or configuration error, or nothing to scan.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from dataclasses import asdict
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from fastlint import __version__, baseline, cache, config, noqa
from fastlint.check_options import CheckOptions, Color
from fastlint.demo import HARDENED_APP, INSECURE_APP
from fastlint.discovery import absolute
from fastlint.docs import rule_markdown
from fastlint.engine import default_jobs, lint, project_root
from fastlint.files import MAX_FILE_BYTES
from fastlint.output import (
    EXIT_CLEAN,
    EXIT_USAGE,
    FailOn,
    OutputFormat,
    OutputOptions,
    error,
    finish,
    info,
    terminal,
)
from fastlint.pipeline.plan import plan
from fastlint.progress import progress_for
from fastlint.registry import ALL_RULES, PREVIEW_CODES, RULES_BY_CODE
from fastlint.report.escape import visible
from fastlint.surface import command as routes_command
from fastlint.surface.baseline_tree import InBase, check_introduced
from fastlint.surface.command import Filters, RoutesFormat
from fastlint.surface.gitref import GitError

RULE_CODES = [rule.code for rule in ALL_RULES]
RULE_OPTIONS = {rule.code: rule.Options for rule in ALL_RULES}

app = typer.Typer(
    name="fastlint",
    help="A static security linter for FastAPI applications.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


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


PathsArgument = Annotated[
    list[Path] | None,
    typer.Argument(help="Files or folders to scan (default: .), or - for standard input."),
]
FormatOption = Annotated[
    OutputFormat,
    typer.Option("--format", "-f", "--output-format", help="Output format.", case_sensitive=False),
]
ConfigOption = Annotated[
    Path | None, typer.Option("--config", help="Read settings from FILE, not pyproject.toml.")
]
IsolatedOption = Annotated[bool, typer.Option("--isolated", help="Ignore all configuration.")]
VerboseOption = Annotated[
    bool, typer.Option("--verbose", "-v", help="Explain what could not be resolved; timings.")
]


def _codes_option(name: str, text: str) -> Any:
    return typer.Option(name, help=f"{text} Comma-separated rule codes, e.g. FL001,FL003.")


def _list_option(name: str, text: str) -> Any:
    return typer.Option(name, help=f"{text} Comma-separated globs.")


ExcludeOption = Annotated[
    str | None, _list_option("--exclude", "Paths to skip, instead of the configured ones.")
]
ExtendExcludeOption = Annotated[
    str | None, _list_option("--extend-exclude", "More paths to skip (adds to the file's).")
]
AcceptConfigOption = Annotated[
    bool,
    typer.Option(
        "--accept-config-changes",
        help="With --diff: accept configuration changes and new route suppressions that "
        "widen trust (reported, not failed).",
    ),
]
ForceExcludeOption = Annotated[
    bool, typer.Option("--force-exclude", help="Apply excludes to files named on the command line.")
]


class RulesFormat(str, Enum):
    """What `fastlint rules` prints: a table, or JSON."""

    text = "text"
    json = "json"


@app.command()
def check(
    context: typer.Context,
    paths: PathsArgument = None,
    output_format: FormatOption = OutputFormat.text,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            "--output-file",
            help="Write the report to FILE (the terminal gets a summary).",
        ),
    ] = None,
    exit_zero: Annotated[
        bool, typer.Option("--exit-zero", "-e", help="Exit 0 even with findings.")
    ] = False,
    verbose: VerboseOption = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print the findings, without the summary.")
    ] = False,
    silent: Annotated[
        bool, typer.Option("--silent", "-s", help="Print nothing; the exit code still tells.")
    ] = False,
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", min=1, help="Parallel processes (default: CPUs).")
    ] = None,
    config_file: ConfigOption = None,
    isolated: IsolatedOption = False,
    select: Annotated[
        str | None,
        _codes_option("--select", "Run only these rules (replaces the configuration's choice)."),
    ] = None,
    ignore: Annotated[
        str | None, _codes_option("--ignore", "Skip these rules too (adds to `ignore`).")
    ] = None,
    extend_select: Annotated[
        str | None, _codes_option("--extend-select", "Run these rules too.")
    ] = None,
    exclude: ExcludeOption = None,
    extend_exclude: ExtendExcludeOption = None,
    force_exclude: ForceExcludeOption = False,
    show_settings: Annotated[
        bool, typer.Option("--show-settings", help="Print the effective settings and exit.")
    ] = False,
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
        typer.Option("--include-suppressed", help="Also list findings silenced by comments."),
    ] = False,
    strict_suppressions: Annotated[
        bool,
        typer.Option(
            "--strict-suppressions", help="Report `# fastlint: ignore` comments without rule codes."
        ),
    ] = False,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", "-n", help="Neither read nor write the facts cache.")
    ] = False,
    profile: Annotated[
        Path | None,
        typer.Option(
            "--profile",
            help="Write a cProfile of the run to FILE (pstats format). Profiles fastlint's "
            "own process: files parsed by --jobs workers show as waiting (-j 1 parses here).",
        ),
    ] = None,
    statistics: Annotated[
        bool,
        typer.Option(
            "--statistics", help="Print only the summary: the number of findings per rule."
        ),
    ] = False,
    report_unused_suppressions: Annotated[
        bool,
        typer.Option(
            "--report-unused-suppressions", help="Report suppression comments that silence nothing."
        ),
    ] = False,
    stdin_filename: Annotated[
        Path | None,
        typer.Option(
            "--stdin-filename",
            help="The file standard input stands for (with `-`): analysed in its project.",
        ),
    ] = None,
    diff: Annotated[
        str | None,
        typer.Option("--diff", help="Report only findings not in git revision REF (e.g. main)."),
    ] = None,
    accept_config_changes: AcceptConfigOption = False,
    severity: Annotated[
        FailOn | None,
        typer.Option(
            "--severity",
            case_sensitive=False,
            help="Show only findings at or above this severity (--fail-on sets the exit code).",
        ),
    ] = None,
    color: Annotated[
        Color,
        typer.Option(
            "--color", case_sensitive=False, help="Colour the text report: auto, always, never."
        ),
    ] = Color.auto,
    cache_dir: Annotated[
        Path | None,
        typer.Option(
            "--cache-dir",
            envvar="FASTLINT_CACHE_DIR",
            help="Keep the facts cache in DIR (default: .fastlint_cache in the project).",
        ),
    ] = None,
    show_files: Annotated[
        bool, typer.Option("--show-files", help="List the files that would be scanned and exit.")
    ] = False,
    add_noqa: Annotated[
        bool,
        typer.Option(
            "--add-noqa",
            help="Silence every current finding with `# noqa: FLxxx -- TODO: ...` comments "
            "(the suppression audits report them until the reason is written).",
        ),
    ] = False,
) -> None:
    """Scan FastAPI code for security problems."""
    given = dict(locals())
    del given["context"], given["profile"]  # the command's own, not the analysis's
    if profile is not None:
        from fastlint import profiling  # only when asked: cProfile and pstats load slowly

        profiling.start(profile, context)
    raise typer.Exit(run_check(CheckOptions(**given)))


def run_check(o: CheckOptions) -> int:
    """`fastlint check` on options already parsed; the exit code."""
    paths, stdin_filename = o.paths, o.stdin_filename
    config_file, isolated = o.config_file, o.isolated
    targets = paths or [Path(".")]
    buffers = _standard_input(paths, stdin_filename)
    if buffers is not None:
        targets = list(buffers)
    overrides = {
        "select": _split(o.select, upper=True),
        "ignore": _split(o.ignore, upper=True),
        "extend_select": _split(o.extend_select, upper=True),
        "exclude": _split(o.exclude),
        "extend_exclude": _split(o.extend_exclude),
    }
    settings = _settings(targets, config_file, isolated, overrides)
    if o.show_settings:
        _print_settings(settings)
        return EXIT_CLEAN
    if o.show_files:
        return _show_files(targets, settings, o.force_exclude)
    kinds = {"bare", "unfilled"} if o.strict_suppressions else set()
    kinds |= {"unused", "unfilled"} if o.report_unused_suppressions else set()
    try:
        with progress_for(o.quiet or o.silent) as progress:

            def run(paths: list[Path], chosen: config.Settings, root: Path | None = None) -> Any:
                return lint(
                    paths,
                    settings=chosen,
                    jobs=o.jobs or default_jobs(),
                    root=root,
                    force_exclude=o.force_exclude,
                    use_cache=not o.no_cache and root is None,
                    cache_dir=o.cache_dir,
                    progress=progress,
                    suppression_problems=kinds,
                    baseline=None if o.write_baseline is not None else o.baseline_file,
                    overrides={str(path): data for path, data in (buffers or {}).items()},
                )

            if o.diff is None or buffers is not None:
                report = run(targets, settings)
            else:
                report = check_introduced(
                    o.diff,
                    targets,
                    settings,
                    run,
                    _base_settings(config_file, isolated, overrides),
                    o.accept_config_changes,
                )
    except baseline.BaselineError as exc:
        error(str(exc))
        return EXIT_USAGE
    except GitError as exc:
        error(str(exc))
        return EXIT_USAGE
    if o.add_noqa and not report.missing:
        if buffers is not None:
            error("--add-noqa edits files: it cannot be combined with `-` (standard input)")
            return EXIT_USAGE
        added, refused = noqa.add(report.findings)
        for path, reason in refused:
            error(f"{report.relative(path)}: no comment added: {reason}")
        info(f"added {added} `# noqa` comment(s); write each reason in place of the TODO")
        return EXIT_USAGE if refused else EXIT_CLEAN
    write_baseline = o.write_baseline
    if write_baseline is not None and not report.missing:
        try:
            write_baseline.parent.mkdir(parents=True, exist_ok=True)
            count = baseline.write(report, write_baseline)
        except OSError as exc:
            reason = "it is a folder" if write_baseline.is_dir() else exc.strerror or str(exc)
            error(f"cannot write the baseline to {write_baseline}: {reason}")
            return EXIT_USAGE
        info(f"wrote {count} finding(s) to the baseline {write_baseline}")
        return EXIT_CLEAN
    options = OutputOptions(
        o.output_format,
        o.output,
        o.exit_zero,
        o.verbose,
        quiet=o.quiet,
        sarif_category=o.sarif_category,
        fail_on=o.fail_on,
        include_suppressed=o.include_suppressed,
        statistics=o.statistics,
        silent=o.silent,
        severity=o.severity,
        color=o.color.value,
    )
    return finish(report, options)


def _show_files(targets: list[Path], settings: config.Settings, force_exclude: bool) -> int:
    """ruff's `--show-files`: the files a check would report on, one a line."""
    found = plan(targets, settings, force_exclude).found
    for missing in found.missing:
        error(f"{missing}: no such file or folder")
    for file in found.files:
        typer.echo(visible(str(file)))
    return EXIT_USAGE if found.missing else EXIT_CLEAN


@app.command("routes")
def routes(
    paths: PathsArgument = None,
    output_format: Annotated[
        RoutesFormat,
        typer.Option(
            "--format",
            "-f",
            "--output-format",
            help="text, json, csv or markdown.",
            case_sensitive=False,
        ),
    ] = RoutesFormat.text,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", "--output-file", help="Write to FILE.")
    ] = None,
    unauthenticated: Annotated[
        bool, typer.Option("--unauthenticated", help="Only routes without authentication.")
    ] = False,
    method: Annotated[
        str | None, typer.Option("--method", help="Only these methods, e.g. POST,DELETE.")
    ] = None,
    path_glob: Annotated[
        str | None, typer.Option("--path", help="Only paths matching GLOB (** spans segments).")
    ] = None,
    diff: Annotated[
        str | None, typer.Option("--diff", help="Compare with git revision REF instead.")
    ] = None,
    config_file: ConfigOption = None,
    isolated: IsolatedOption = False,
    exclude: ExcludeOption = None,
    extend_exclude: ExtendExcludeOption = None,
    force_exclude: ForceExcludeOption = False,
    accept_config_changes: AcceptConfigOption = False,
) -> None:
    """List every served route: authentication and where it is attached, response
    model, rate limit, schema visibility, findings (or, with --diff, what changed)."""
    targets = paths or [Path(".")]
    layered = {"exclude": _split(exclude), "extend_exclude": _split(extend_exclude)}
    settings = _settings(targets, config_file, isolated, layered)
    filters = Filters(unauthenticated, tuple(_split(method, upper=True) or ()), path_glob)
    raise typer.Exit(
        routes_command.run(
            targets,
            settings,
            output_format,
            output,
            filters,
            diff,
            force_exclude,
            _base_settings(config_file, isolated, layered),
            accept_config_changes,
        )
    )


@app.command()
def clean(paths: PathsArgument = None) -> None:
    """Delete the facts cache (.fastlint_cache) of the project at PATHS (default: .)."""
    target = (paths or [Path(".")])[0]
    if not target.exists():
        error(f"{target}: no such file or folder")
        raise typer.Exit(EXIT_USAGE)
    root = project_root(_settings([target], None, False, {}), target)
    removed = cache.clean(root)
    info(f"removed {root / cache.CACHE_DIR_NAME}" if removed else "no cache to remove")


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
    raise typer.Exit(finish(report, OutputOptions(output_format, verbose=verbose)))


@app.command("rules")
def list_rules(
    output_format: Annotated[
        RulesFormat, typer.Option("--format", "-f", help="text or json.", case_sensitive=False)
    ] = RulesFormat.text,
    config_file: ConfigOption = None,
    isolated: IsolatedOption = False,
) -> None:
    """List every rule: code, name, severity, whether it is enabled, what it finds."""
    settings = _settings([Path(".")], config_file, isolated, {})
    enabled = set(settings.rule_codes(RULE_CODES, PREVIEW_CODES))
    rows = [
        {
            "code": r.code,
            "name": r.name,
            "severity": (settings.severity_of(r.code) or r.severity).label,
            "default_severity": r.severity.label,
            "severity_reasons": dict(r.severity_reasons),
            "enabled": r.code in enabled,
            "preview": r.preview,
            "summary": r.summary,
        }
        for r in ALL_RULES
    ]
    if output_format is RulesFormat.json:
        typer.echo(json.dumps(rows, indent=2))
        return
    for rule, row in zip(ALL_RULES, rows, strict=True):
        state = "enabled" if row["enabled"] else "preview" if rule.preview else "disabled"
        typer.echo(
            f"{row['code']}  {row['name']:<30} {row['severity']:<8} {state:<9} {row['summary']}"
        )
        moves = [f"{level}: {why}" for level, why in rule.severity_reasons]
        if row["severity"] != row["default_severity"]:
            moves.insert(0, f"{row['default_severity']} by default, set to {row['severity']}")
        if moves:
            typer.echo(f"{'':7}severity {'; '.join(moves)}")


@app.command()
def explain(code: Annotated[str, typer.Argument(help="A rule code, e.g. FL003.")]) -> None:
    """Show a rule's documentation: what it finds, why, examples, options."""
    rule = RULES_BY_CODE.get(code.upper())
    if rule is None:
        error(f"unknown rule `{code}` (see `fastlint rules`)")
        raise typer.Exit(EXIT_USAGE)
    console = terminal()
    if not console.is_terminal:  # piped: the Markdown source, without padding
        typer.echo(rule_markdown(rule).rstrip("\n"))
        return
    from rich.markdown import Markdown  # only this command needs it

    console.print(Markdown(rule_markdown(rule)))


@app.command("config")
def show_config(
    paths: PathsArgument = None, config_file: ConfigOption = None, isolated: IsolatedOption = False
) -> None:
    """Print the effective settings and the file they come from."""
    _print_settings(_settings(paths or [Path(".")], config_file, isolated, {}))


def _settings(
    paths: list[Path],
    config_file: Path | None,
    isolated: bool,
    overrides: dict[str, Any],
    quiet: bool = False,
) -> config.Settings:
    """Settings from the configuration file in force, then the command-line flags."""
    try:
        overrides = dict(overrides)
        for key in ("select", "ignore", "extend_select"):
            if overrides.get(key) is not None:
                flag = f"--{key.replace('_', '-')}"
                overrides[key] = config.expand(overrides[key], RULE_CODES, flag)
        settings = config.Settings()
        if not isolated:
            source = config_file or config.find_config(absolute(paths[0]))
            if config_file is not None and not config_file.is_file():
                raise config.ConfigError(f"{config_file}: no such configuration file")
            if source is not None:
                settings = config.load(source, RULE_CODES, RULE_OPTIONS)
                for warning in [] if quiet else config.warnings(settings):
                    info(f"warning: {settings.source}: {warning}")
        return config.merge(settings, _layered(settings, overrides), RULE_CODES)
    except config.ConfigError as exc:
        error(str(exc))
        raise typer.Exit(EXIT_USAGE) from None


def _base_settings(
    config_file: Path | None, isolated: bool, overrides: dict[str, Any]
) -> Callable[[list[Path], InBase], config.Settings]:
    """How `--diff` finds the base revision's settings: from the base's own tree (its
    pyproject.toml, or its version of `--config FILE` when that is in the
    repository), with the same command-line flags; `--isolated` applies to both."""

    def settings_at(paths: list[Path], in_base: InBase) -> config.Settings:
        if config_file is None or isolated:
            return _settings(paths, config_file, isolated, overrides, quiet=True)
        based = in_base(config_file)
        if based is None:  # outside the repository: the same file for both sides
            return _settings(paths, config_file, False, overrides, quiet=True)
        if not based.is_file():  # new in the change: the base had the defaults
            return _settings(paths, None, True, overrides, quiet=True)
        return _settings(paths, based, False, overrides, quiet=True)

    return settings_at


def _standard_input(paths: list[Path] | None, name: Path | None) -> dict[Path, bytes] | None:
    """`{file: contents}` when the code comes from standard input (`-`, as ruff reads it)."""
    reading = paths is not None and any(str(p) == "-" for p in paths)
    if not reading and (name is None or paths):
        if name is not None:
            error("--stdin-filename names what `-` (standard input) stands for: add `-`")
            raise typer.Exit(EXIT_USAGE)
        return None
    if paths is not None and len(paths) > 1:
        error("`-` (standard input) cannot be combined with other paths")
        raise typer.Exit(EXIT_USAGE)
    if name is None:
        error("reading standard input needs --stdin-filename: the file the code stands for")
        raise typer.Exit(EXIT_USAGE)
    if not str(name).strip() or name.name in ("", ".", "..") or name.is_dir():
        error(f"--stdin-filename must name a file, not the folder `{name}`")
        raise typer.Exit(EXIT_USAGE)
    data = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        error(f"standard input is larger than {MAX_FILE_BYTES // 1024 // 1024} MiB")
        raise typer.Exit(EXIT_USAGE)
    return {name: data}


def _layered(settings: config.Settings, overrides: dict[str, Any]) -> dict[str, Any]:
    """Command-line lists over the configuration's, layered as ruff layers them: a
    `--select` starts the rule selection afresh (the file's `ignore` and
    `extend-select` no longer apply); `--extend-select` re-enables rules the file
    ignores; `--ignore`, `--extend-select` and `--extend-exclude` add to the file's
    lists; `--exclude` replaces the file's."""
    layered = dict(overrides)
    extend_select = overrides.get("extend_select") or []
    ignore = overrides.get("ignore") or []
    if overrides.get("select") is not None:
        layered["ignore"], layered["extend_select"] = ignore, extend_select
    else:
        if overrides.get("ignore") is not None or extend_select:
            kept = [code for code in settings.ignore if code not in extend_select]
            layered["ignore"] = [*kept, *ignore]
        if extend_select:
            layered["extend_select"] = [*settings.extend_select, *extend_select]
    if overrides.get("extend_exclude") is not None:
        layered["extend_exclude"] = [*settings.extend_exclude, *overrides["extend_exclude"]]
    return layered


def _print_settings(settings: config.Settings) -> None:
    source = str(settings.source) if settings.source else "(defaults: no configuration found)"
    hidden = ("root", "source", "rule_options")
    values = {k: v for k, v in asdict(settings).items() if k not in hidden}
    values["enabled-rules"] = settings.rule_codes(RULE_CODES, PREVIEW_CODES)
    for rule in ALL_RULES:  # every rule's options, configured or default
        options = asdict(settings.options_for(rule.code, rule.Options))
        values.update({f"rules.{rule.code}.{k}": v for k, v in options.items()})
    typer.echo(f"# settings from {visible(source)}")
    for key, value in values.items():
        shown = list(value) if isinstance(value, tuple) else value
        typer.echo(f"{key.replace('_', '-')} = {json.dumps(shown)}")


def _split(value: str | None, upper: bool = False) -> list[str] | None:
    if value is None:
        return None
    items = [item.strip() for item in value.split(",") if item.strip()]
    return [item.upper() for item in items] if upper else items


def main() -> None:
    """The `fastlint` command. It exits without tearing the analysis down: freeing
    its many small objects one by one would take longer than printing the report."""
    try:
        app()
        code: object = 0
    except SystemExit as exit:
        code = exit.code
    if isinstance(code, str):
        error(code)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code if isinstance(code, int) else int(code is not None))
