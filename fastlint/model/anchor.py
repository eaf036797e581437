"""Where a finding points, and what it is about, as the model object says.

Every object a rule can report on (a served route, an app, a model field...)
supplies its anchor: the file and span to point at, the other lines where a
suppression comment applies, and a canonical subject. Findings take their
fingerprint from the subject, so subjects are never written by hand in rules.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastlint.span import Span


@dataclass(frozen=True, slots=True)
class Anchor:
    path: str  # absolute path of the file
    span: Span
    subject: str  # "POST /users", "app app", "UserIn.name"
    route: str | None = None  # the route the finding concerns, for reporters
    also_lines: tuple[int, ...] = ()  # other lines that stand for the object (a `def` line)

    def part(self, name: str) -> Anchor:
        """The same place, about a part of the object (a field a route returns)."""
        return Anchor(self.path, self.span, f"{self.subject} {name}", self.route, self.also_lines)
