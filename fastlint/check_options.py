"""Everything `fastlint check` is told, as one value: the command line parses the
flags into `CheckOptions` and `cli.run_check` works from that alone (tests and
other front ends build one directly)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from fastlint.output import FailOn, OutputFormat


class Color(str, Enum):
    """When the text report is coloured (ruff's `--color`)."""

    auto = "auto"  # on a colour terminal, unless NO_COLOR is set
    always = "always"
    never = "never"


@dataclass(frozen=True)
class CheckOptions:
    paths: list[Path] | None = None
    # What to report, and where
    output_format: OutputFormat = OutputFormat.text
    output: Path | None = None
    exit_zero: bool = False
    verbose: bool = False
    quiet: bool = False
    silent: bool = False
    statistics: bool = False
    sarif_category: str | None = None
    fail_on: FailOn | None = None
    severity: FailOn | None = None
    color: Color = Color.auto
    include_suppressed: bool = False
    # Which settings and rules
    config_file: Path | None = None
    isolated: bool = False
    select: str | None = None
    ignore: str | None = None
    extend_select: str | None = None
    exclude: str | None = None
    extend_exclude: str | None = None
    force_exclude: bool = False
    # How to run
    jobs: int | None = None
    no_cache: bool = False
    cache_dir: Path | None = None
    stdin_filename: Path | None = None
    # Suppressions, baselines and the gate
    strict_suppressions: bool = False
    report_unused_suppressions: bool = False
    baseline_file: Path | None = None
    write_baseline: Path | None = None
    diff: str | None = None
    accept_config_changes: bool = False
    add_noqa: bool = False
    # Print something else and exit
    show_settings: bool = False
    show_files: bool = False
