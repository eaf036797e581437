"""What a run produces, as plain values: the report and what it is made of.

Reporters, the baseline and output read these; none of them imports the
pipeline that makes them (`fastlint.engine`). Presentation choices (list
suppressed findings too, a SARIF category) are reporter options, not fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from fastlint.findings import Finding


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
class Suppression:
    """A suppression comment: the line it silences, the rules (None: every rule), why."""

    line: int
    codes: frozenset[str] | None  # None: every rule
    reason: str | None

    def covers(self, code: str) -> bool:
        return self.codes is None or code in self.codes


@dataclass(frozen=True, slots=True)
class SuppressionProblem:
    """A suppression comment that silences nothing ("unused"), every rule ("bare"),
    is not understood ("unknown") or keeps its placeholder reason ("unfilled"); or,
    with `--diff`, a configuration change or new comment that widens trust ("trust")."""

    path: str
    line: int
    kind: str  # "unused", "bare", "unknown", "unfilled" or "trust"
    message: str

    @property
    def title(self) -> str:
        """The problem's name in reports: `unused-suppression`, `widened-trust`."""
        return "widened-trust" if self.kind == "trust" else f"{self.kind}-suppression"


@dataclass(frozen=True)
class UncheckedRoute:
    """A route in a router that no app fastlint sees includes."""

    path: str
    line: int
    label: str  # `METHOD /path` with its router's own prefix
    router: str  # the router's variable name


@dataclass(frozen=True)
class Coverage:
    routes: int = 0  # routes declared in the scanned files
    served: int = 0  # of those, served by an app fastlint sees (so checked)
    unchecked: tuple[UncheckedRoute, ...] = ()
    unchecked_routers: int = 0  # routers holding the unchecked routes
    unresolved_includes: int = 0  # include_router/mount calls whose target is unknown
    unresolved_dependencies: int = 0  # served routes whose authentication is not determined
    # Why: (reason, number of routes), most routes first.
    undetermined: tuple[tuple[str, int], ...] = ()

    @property
    def auth_summary(self) -> str | None:
        """One line when the authentication of some routes could not be determined."""
        if not self.undetermined:
            return None
        count = self.unresolved_dependencies
        routes = "1 route" if count == 1 else f"{count} routes"
        (first, _), rest = self.undetermined[0], len(self.undetermined) - 1
        more = f" (and {rest} other reason{'s' if rest > 1 else ''})" if rest else ""
        return (
            f"{routes}: authentication could not be determined, because {first}{more}; "
            "--verbose and `fastlint routes` list them"
        )

    @property
    def summary(self) -> str | None:
        """One line for the text summary when routes were not checked, else None."""
        count = len(self.unchecked)
        if not count:
            return None
        routes = "1 route" if count == 1 else f"{count} routes"
        routers = "1 router" if self.unchecked_routers == 1 else f"{self.unchecked_routers} routers"
        verb = "is" if count == 1 else "are"
        pronoun = "it was" if count == 1 else "they were"
        hint = "scan the folder that holds the app"
        calls = self.unresolved_includes
        if calls:  # the app is seen, but some of its wiring was not followed
            what = "1 include_router/mount call" if calls == 1 else f"{calls} include/mount calls"
            hint = f"{what} fastlint could not follow may serve them, or {hint}"
        return (
            f"{routes} in {routers} {verb} served by no app fastlint could see, so {pronoun} "
            f"not checked: {hint}; --verbose lists them"
        )

    def counts(self) -> dict[str, int]:
        """The numbers, for machine-readable reports."""
        return {
            "routes": self.routes,
            "served": self.served,
            "not_checked": len(self.unchecked),
            "routers_not_included": self.unchecked_routers,
            "unresolved_includes": self.unresolved_includes,
            "unresolved_dependencies": self.unresolved_dependencies,
        }

    def listing(self, relative: Any = str) -> list[str]:
        """`path:line: METHOD /path (router `name`)` for each unchecked route."""
        return [
            f"{relative(r.path)}:{r.line}: {r.label} (router `{r.router}`) is served by no app "
            "fastlint could see: not checked"
            for r in self.unchecked
        ]


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
    # Context files (read only so that the analysed files' names resolve) parsed
    # from CPython's tree, and those promoted to the libcst parse, with why.
    files_light: int = 0
    promoted: tuple[tuple[str, str], ...] = ()
    baselined: int = 0  # findings hidden because the baseline lists them
    fixed_baseline_entries: int = 0  # baseline entries that no longer match a finding
    # Routes checked and not checked, wiring not followed (the model's own counts).
    coverage: Coverage = field(default_factory=lambda: Coverage())
    # Files analysed from these contents instead of the disk's (`lint(overrides=...)`).
    sources: Mapping[str, bytes] | None = None

    @property
    def duration(self) -> float:
        return sum(self.timings.values())

    def relative(self, path: str) -> str:
        """A path for display: relative to the repository root when inside it."""
        resolved = Path(path)
        try:
            shown = resolved.relative_to(self.root).as_posix()
        except ValueError:
            shown = resolved.as_posix()
        # A file name that is not UTF-8 (undecodable bytes kept as surrogates) is
        # shown with those bytes escaped (`caf\xe9.py`): every format can write it.
        return shown.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
