"""What a run produces, as plain values: the report and what it is made of.

Reporters, the baseline and output read these; none of them imports the
pipeline that makes them (`fastlint.engine`). Presentation choices (list
suppressed findings too, a SARIF category) are reporter options, not fields.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from fastlint.findings import Finding

if TYPE_CHECKING:
    from fastlint.suppress import Suppression


@dataclass(frozen=True, slots=True)
class FileError:
    """A file fastlint could not analyse, and why."""

    path: str
    message: str
    line: int | None = None
    column: int | None = None


@dataclass(frozen=True)
class Note:
    """Something fastlint could not resolve, for `--verbose`."""

    path: str
    line: int
    message: str


@dataclass(frozen=True, slots=True)
class SuppressionProblem:
    """A suppression comment that silences nothing ("unused") or every rule ("bare")."""

    path: str
    line: int
    kind: str  # "unused" or "bare"
    message: str


@dataclass
class Report:
    findings: list[Finding]
    errors: list[FileError]
    notes: list[Note]
    files_scanned: int
    root: Path  # paths in reports are relative to this (git top level, else cwd)
    rule_codes: tuple[str, ...]  # the rules that ran, in registry order
    timings: dict[str, float] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    excluded: int = 0  # files named explicitly but excluded by configuration
    files: list[str] = field(default_factory=list)  # every scanned file (absolute paths)
    started: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    # Findings silenced by a comment in the source, with the comment.
    suppressed: list[tuple[Finding, Suppression]] = field(default_factory=list)
    # Unused or bare suppression comments (only the kinds the run was asked to report).
    suppression_problems: list[SuppressionProblem] = field(default_factory=list)
    files_analysed: int = 0  # scanned files plus the project context read for them
    files_from_cache: int = 0
    baselined: int = 0  # findings hidden because the baseline lists them
    fixed_baseline_entries: int = 0  # baseline entries that no longer match a finding

    @property
    def duration(self) -> float:
        return sum(self.timings.values())

    def relative(self, path: str) -> str:
        """A path for display: relative to the repository root when inside it."""
        resolved = Path(path)
        try:
            return resolved.relative_to(self.root).as_posix()
        except ValueError:
            return resolved.as_posix()
