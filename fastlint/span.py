"""Source locations."""

from __future__ import annotations

import re
from dataclasses import dataclass

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def split_lines(text: str) -> list[str]:
    """The lines of Python source as Python numbers them: `str.splitlines` also
    breaks at form feeds and Unicode separators, which Python does not."""
    return _LINE_BREAK.split(text)


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
