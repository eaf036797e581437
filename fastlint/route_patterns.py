"""`"METHOD /path-glob"` patterns (`public-routes`): checked when the settings are read.

A pattern is an optional method (an HTTP method, `WEBSOCKET` or `*`), one space, and
a glob on the full path that starts with `/` or `*` (`fnmatch` syntax, with `[...]`
closed). A mistyped pattern silently matches nothing, so it is refused; a pattern
that matches every route silences FL001 everywhere, so it is warned about.
"""

from __future__ import annotations

import fnmatch

METHODS = frozenset(
    {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE", "WEBSOCKET", "*"}
)
# Paths no served route can avoid matching: any of these globs matches them all.
PROBES = ("/", "/x", "/a/b/{c}", "/-/_.~")


def problem(pattern: str) -> str | None:
    """Why `pattern` is not a valid route pattern; None when it is."""
    parts = pattern.split()
    if not parts:
        return "empty"
    if len(parts) > 2:
        return 'not "METHOD /path" (one space between the method and the path)'
    method, glob = (parts[0], parts[1]) if len(parts) == 2 else ("*", parts[0])
    if method.upper() not in METHODS:
        return f"`{method[:20]}` is not an HTTP method (or `*`)"
    if not glob.startswith(("/", "*", "[", "?")):
        return "the path must start with `/` (or a wildcard)"
    depth = 0
    for char in glob:  # fnmatch takes an unclosed `[` literally: a typo, never meant
        if char == "[":
            depth += 1
        elif char == "]" and depth:
            depth -= 1
    if depth:
        return "an unclosed `[` in the path"
    return None


def matches_everything(pattern: str) -> bool:
    """Whether `pattern` names every route (`"*"`, `"* /*"`, `"/**"`...)."""
    parts = pattern.split()
    method, glob = (parts[0], parts[1]) if len(parts) == 2 else ("*", parts[0])
    return method == "*" and all(fnmatch.fnmatchcase(path, glob) for path in PROBES)
