"""Screening a file with CPython's parser, and the per-file budget, before libcst.

libcst's native parser takes time that grows faster than the input on deeply
nested code (5,000 chained subscripts: over a minute) and on very large
expressions (a 2 MB one-line list: tens of seconds), and it cannot be
interrupted. CPython's parser is fast and bounded, so it reads the file first:
a file it refuses is a syntax error (or, where libcst reads it anyway, a newer
grammar), and a file it accepts is measured, and skipped with a clear message
when it exceeds the budget below, on every supported Python (3.10's parser
accepts what 3.11 refuses as too deep, so CPython's own limits are not enough).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import cast

# Hand-written code stays far below these (the deepest of 12,800 files of real
# FastAPI projects: 140 levels; the largest: 97,000 syntax nodes). At these
# limits libcst needs a few seconds; far beyond them, minutes.
MAX_DEPTH = 1_000
MAX_NODES = 250_000


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why a file is not handed to libcst: a message, and where when known."""

    message: str
    line: int | None = None
    column: int | None = None


def screen(path: str, data: bytes) -> Refusal | SyntaxError | ast.Module:
    """CPython's tree of the file (it gives positions), a `SyntaxError`, or a `Refusal`.

    A syntax error is returned, not final: libcst's grammar may be newer than the
    running interpreter's, and where libcst fails too, CPython's message and
    position are the clearer ones."""
    try:
        tree = cast(ast.Module, compile(data, path, "exec", ast.PyCF_ONLY_AST, dont_inherit=True))
    except SyntaxError as exc:
        if "too many" in str(exc.msg):
            return Refusal(f"syntax error: {exc.msg}", exc.lineno, exc.offset)
        return exc
    except (RecursionError, MemoryError):
        return Refusal(f"skipped: code is nested too deeply to parse (limit {MAX_DEPTH} levels)")
    except ValueError as exc:  # e.g. source code with NUL bytes
        return Refusal(f"cannot parse file: {exc}")
    return over_budget(tree) or tree


def over_budget(tree: ast.AST) -> Refusal | None:
    """A refusal when the tree is deeper or larger than fastlint's parser handles in time.

    Walks the tree level by level (never recursively: the tree may be 100,000 deep)."""
    level: list[ast.AST] = [tree]
    depth = nodes = 0
    while level:
        depth += 1
        nodes += len(level)
        if depth > MAX_DEPTH:
            line = getattr(level[0], "lineno", None)
            return Refusal(f"skipped: code is nested too deeply (over {MAX_DEPTH} levels)", line)
        if nodes > MAX_NODES:
            return Refusal(
                f"skipped: file is too large to analyse (over {MAX_NODES:,} syntax nodes)"
            )
        below: list[ast.AST] = []
        for node in level:
            for name in node._fields:
                value = getattr(node, name, None)
                if isinstance(value, ast.AST):
                    below.append(value)
                elif isinstance(value, list):
                    below.extend(item for item in value if isinstance(item, ast.AST))
        level = below
    return None
