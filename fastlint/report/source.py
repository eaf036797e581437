"""Reading source for display (snippets, line hashes), honouring PEP 263 encodings."""

from __future__ import annotations

import io
import os
import tokenize
from collections.abc import Mapping
from functools import lru_cache

from fastlint.span import split_lines


def source_text(path: str, sources: Mapping[str, bytes] | None = None) -> str:
    """A file's text, decoded as Python would; empty if unreadable. `sources` holds
    the contents analysed instead of the disk's (`Report.sources`)."""
    if sources and path in sources:
        return _decode(sources[path])
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
    except OSError:
        return ""
    return _decode(data)


def _decode(data: bytes) -> str:
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        return data.decode(encoding, errors="replace")
    except (SyntaxError, LookupError):
        return ""


def source_lines(path: str, sources: Mapping[str, bytes] | None = None) -> list[str]:
    return split_lines(source_text(path, sources))


def snippet(
    path: str,
    line: int,
    end_line: int,
    max_lines: int = 6,
    sources: Mapping[str, bytes] | None = None,
) -> str:
    """The source text of lines `line`..`end_line` (at most `max_lines`)."""
    lines = source_lines(path, sources)
    last = min(end_line, line + max_lines - 1, len(lines))
    return "\n".join(lines[line - 1 : last])
