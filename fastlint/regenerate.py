"""Source libcst can read, regenerated from CPython's tree of a valid file libcst
cannot parse (5,000 adjacent string literals, a line continuation at the end of
the file, a few generated shapes).

Each top-level statement is unparsed (`ast.unparse`) on the line it starts on in
the original file, so findings on top-level statements (apps, routers, decorated
routes, include calls) keep their lines and suppression comments, which are read
from the original source, still apply. Inside a statement, positions follow the
regenerated text and may be approximate; comments are gone (not needed: the
suppressions are scanned from the original).
"""

from __future__ import annotations

import ast

NOTE = (
    "read with Python's own parser (libcst cannot parse this valid file: {reason}); "
    "positions inside statements may be approximate"
)


def aligned_source(tree: ast.Module) -> str:
    """The module's code, each top-level statement starting on its original line
    (or just after the previous statement when that one grew longer)."""
    parts: list[str] = []
    line = 1
    for statement in tree.body:
        decorators = getattr(statement, "decorator_list", [])
        start = min([statement.lineno, *(d.lineno for d in decorators)])
        if start > line:
            parts.append("\n" * (start - line))
            line = start
        text = ast.unparse(statement) + "\n"
        parts.append(text)
        line += text.count("\n")
    return "".join(parts)
