"""Strings from the scanned code, made safe for the place they are written to.

Route paths, names and file names come from the code under analysis: a newline in
one must not forge a report line, an escape sequence must not reach the terminal
or the CI log, and a lone surrogate (`"/\\ud800"`) must not break a document."""

from __future__ import annotations

import re

# Control characters (C0, DEL, C1), line and paragraph separators, the bidirectional
# overrides and isolates ("Trojan Source"), and lone surrogates.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_SURROGATE = re.compile("[\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str, keep: str = "") -> str:
    """`text` on one line of a terminal or log: every control character, separator,
    bidirectional control and lone surrogate written as a Python escape (`\\n`,
    `\\x1b`, `\\ud800`), except the characters in `keep` (tabs of source lines; the
    line breaks a format escapes its own way)."""
    if not keep:
        return _UNSAFE.sub(_escape, text)
    return _UNSAFE.sub(lambda m: m.group() if m.group() in keep else _escape(m), text)


def valid_unicode(text: str) -> str:
    """`text` encodable as UTF-8: lone surrogates become U+FFFD (JSON documents)."""
    return _SURROGATE.sub("\ufffd", text)
