"""Suppression comments: `# fastlint: ignore[FL001] -- reason` and `# noqa: FL001`.

A bare `# fastlint: ignore` silences every rule on its line. A bare `# noqa`
does not: it is usually meant for another linter, and a security finding should
only be silenced on purpose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PATTERN = re.compile(
    r"#\s*(?:fastlint:\s*ignore(?:\[(?P<codes>[^\]]*)\])?|noqa:\s*(?P<noqa>FL\d{3}(?:\s*,\s*FL\d{3})*))"
    r"(?:\s*--\s*(?P<reason>.*\S))?"
)


@dataclass(frozen=True, slots=True)
class Suppression:
    line: int
    codes: frozenset[str] | None  # None: every rule
    reason: str | None

    def covers(self, code: str) -> bool:
        return self.codes is None or code in self.codes


def scan(data: bytes, encoding: str) -> tuple[Suppression, ...]:
    """Every suppression comment in a file's source."""
    if b"fastlint" not in data and b"noqa" not in data:
        return ()
    found = []
    text = data.decode(encoding, errors="replace")
    for number, line in enumerate(text.splitlines(), start=1):
        if "#" not in line:
            continue
        match = PATTERN.search(line)
        if match is None:
            continue
        raw = match.group("codes") if match.group("codes") is not None else match.group("noqa")
        codes = None
        if raw is not None:
            codes = frozenset(c.strip().upper() for c in raw.split(",") if c.strip())
        found.append(Suppression(number, codes or None, match.group("reason")))
    return tuple(found)
