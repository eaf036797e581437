"""Reading source for display (snippets, line hashes), honouring PEP 263 encodings."""

from __future__ import annotations

import io
import os
import tokenize
from collections.abc import Callable, Mapping
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
    except OSError:
        return ""
    return _decode(data)


def with_contents(sources: Mapping[str, bytes] | None) -> Callable[[str], str]:
    """`source_text`, except for the files in `sources`: analysed from these contents
    instead of the disk's (`Report.sources`: an editor's unsaved buffer)."""
    if not sources:
        return source_text
    contents = dict(sources)
    return lambda path: _decode(contents[path]) if path in contents else source_text(path)


def _decode(data: bytes) -> str:
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        return data.decode(encoding, errors="replace")
    except (SyntaxError, LookupError):
        return ""


def snippet(text: str, line: int, end_line: int, max_lines: int = 6) -> str:
    """Lines `line`..`end_line` (at most `max_lines`) of a file's `text`."""
    lines = split_lines(text)
    last = min(end_line, line + max_lines - 1, len(lines))
    return "\n".join(lines[line - 1 : last])
