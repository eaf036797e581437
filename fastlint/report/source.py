"""Reading source for display (snippets, line hashes), honouring PEP 263 encodings."""

from __future__ import annotations

import io
import os
import tokenize
from functools import lru_cache

from fastlint.span import split_lines


def source_text(path: str) -> str:
    """A file's text, decoded as Python would; empty if unreadable."""
    try:
        stat = os.stat(path)
    except OSError:
        return ""
    return _read(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=64)
def _read(path: str, mtime_ns: int, size: int) -> str:
    """Cached per version of the file (modification time and size)."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        return data.decode(encoding, errors="replace")
    except (OSError, SyntaxError, LookupError):
        return ""


def snippet(text: str, line: int, end_line: int, max_lines: int = 6) -> str:
    """Lines `line`..`end_line` (at most `max_lines`) of a file's `text`."""
    lines = split_lines(text)
    last = min(end_line, line + max_lines - 1, len(lines))
    return "\n".join(lines[line - 1 : last])
