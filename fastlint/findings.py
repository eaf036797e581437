"""Findings: immutable, with an identity that survives edits elsewhere in the file."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import IntEnum

from fastlint.span import Span


class Severity(IntEnum):
    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, slots=True)
class Related:
    """A second place that explains a finding (the sensitive field, the app)."""

    path: str
    span: Span
    message: str
    route: str | None = None  # the served route it stands for (a route an FL012 switch opens)


@dataclass(frozen=True, slots=True)
class FlowStep:
    """One step of a data flow: where the request value is and what happens to it
    (the source, each assignment, call and return, then the sink)."""

    path: str
    span: Span
    message: str


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    name: str
    severity: Severity
    path: str  # absolute path of the file
    span: Span
    message: str
    fix: str
    subject: str  # what the finding is about: "POST /users", "UserOut.internal_id", "app `app`"
    route: str | None = None
    related: tuple[Related, ...] = ()
    # Other lines where a suppression comment applies (a route's `def` line).
    also_lines: tuple[int, ...] = ()
    # Other files whose edits can change the finding (the app that includes the
    # route's router, its dependencies): naming one of them reports it.
    sources: tuple[str, ...] = ()
    # A data-flow finding's path, source first and sink last (empty for other rules).
    # Not part of the identity: a refactoring between source and sink keeps it.
    flow: tuple[FlowStep, ...] = ()

    def fingerprint(self, relative_path: str) -> str:
        """Stable identity from rule, file and subject: never the line number."""
        text = "\0".join((self.rule, relative_path, self.subject))
        # surrogatepass: a route path may hold a lone surrogate ("/\ud800"), and a file
        # name that is not UTF-8 holds escaped bytes (U+DC80..U+DCFF).
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.span.line, self.span.column, self.rule, self.message)
