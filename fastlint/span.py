"""Source locations."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A range in a file: 1-based lines, 1-based columns counted in code points.

    `end_column` is exclusive, as in SARIF.
    """

    line: int
    column: int
    end_line: int
    end_column: int

    def __reduce__(self) -> tuple[type[Span], tuple[int, int, int, int]]:
        return (Span, (self.line, self.column, self.end_line, self.end_column))
