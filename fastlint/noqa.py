"""`fastlint check --add-noqa`: silence every current finding where it is reported,
as ruff's `--add-noqa` does, with a placeholder reason the suppression audits
report until a person writes the real one.

The comment goes at the end of the line the finding points at (the line the
suppression is read on). A line that already carries a `# noqa: FL...` or
`# fastlint: ignore[...]` comment gets the new codes merged into it. A file whose
edited text would no longer compile (the line ends inside a string, or with a
backslash) is left as it was and reported.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Iterable

from fastlint.findings import Finding
from fastlint.suppress import PLACEHOLDER

EXISTING = re.compile(r"#\s*noqa:\s*(?P<codes>FL\d+(?:\s*,\s*FL\d+)*)", re.IGNORECASE)


def add(findings: Iterable[Finding]) -> tuple[int, list[tuple[str, str]]]:
    """(comments added or extended, [(file, why not)])."""
    by_file: dict[str, dict[int, set[str]]] = {}
    for finding in findings:
        by_file.setdefault(finding.path, {}).setdefault(finding.span.line, set()).add(finding.rule)
    added = 0
    refused: list[tuple[str, str]] = []
    for path, lines in sorted(by_file.items()):
        try:
            with open(path, "rb") as handle:
                data = handle.read()
            encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
            text = data.decode(encoding)
        except (OSError, SyntaxError, LookupError, UnicodeDecodeError) as exc:
            refused.append((path, f"cannot read it: {exc}"))
            continue
        edited = _edited(text, lines)
        try:
            ast.parse(edited)
        except SyntaxError:
            refused.append((path, "a finding's line ends inside a string or continues"))
            continue
        try:
            with open(path, "wb") as handle:
                handle.write(edited.encode(encoding))
        except OSError as exc:
            refused.append((path, f"cannot write it: {exc.strerror or exc}"))
            continue
        added += len(lines)
    return added, refused


def _edited(text: str, lines: dict[int, set[str]]) -> str:
    rows = text.splitlines(keepends=True)
    for number, codes in lines.items():
        if number > len(rows):
            continue
        row = rows[number - 1]
        body = row.rstrip("\r\n")
        ending = row[len(body) :]
        match = EXISTING.search(body)
        if match is not None:
            known = {c.strip().upper() for c in match.group("codes").split(",")}
            merged = ", ".join(sorted(known | codes))
            body = body[: match.start("codes")] + merged + body[match.end("codes") :]
        else:
            body = f"{body}  # noqa: {', '.join(sorted(codes))} -- {PLACEHOLDER}"
        rows[number - 1] = body + ending
    return "".join(rows)
