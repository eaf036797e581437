"""Source positions taken from CPython's `ast` tree instead of libcst metadata.

libcst's `PositionProvider` regenerates the whole file to find where each node
is, which costs about twice the parse. Every file is already compiled to an
`ast` tree (see `fastlint.source`), whose nodes carry their positions for free;
the extractor walks both trees side by side statement by statement, and calls
inside an expression are paired in source order (`CallQueue`). Where a pairing
is not certain, the caller falls back to libcst's positions for that file.
"""

from __future__ import annotations

import ast
import bisect
import re
from typing import TypeVar

from fastlint.span import Span, split_lines

N = TypeVar("N", bound=ast.expr)
_DEF_NAME = re.compile(r"(?:async\s+)?(?:def|class)\s+(\w+)")


class AstPositions:
    """Spans of `ast` nodes, with columns converted from UTF-8 bytes to code points."""

    def __init__(self, text: str) -> None:
        self._ascii = text.isascii()
        self._lines = split_lines(text)

    def _column(self, line: int, byte_offset: int) -> int:
        """The 1-based code-point column of a 0-based UTF-8 byte offset in `line`."""
        if self._ascii:
            return byte_offset + 1
        text = self._lines[line - 1]
        if text.isascii():
            return byte_offset + 1
        return len(text.encode("utf-8")[:byte_offset].decode("utf-8", "replace")) + 1

    def span(self, node: ast.expr | ast.stmt) -> Span:
        """The span of an expression or statement node."""
        end_line = node.end_lineno or node.lineno
        end_offset = node.end_col_offset if node.end_col_offset is not None else node.col_offset
        return Span(
            node.lineno,
            self._column(node.lineno, node.col_offset),
            end_line,
            self._column(end_line, end_offset),
        )

    def decorator_span(self, expression: ast.expr) -> Span | None:
        """From the `@` to the end of the decorator; None if the `@` is not on its line."""
        span = self.span(expression)
        at = self._lines[span.line - 1].rfind("@", 0, span.column - 1)
        if at < 0:
            return None
        return Span(span.line, at + 1, span.end_line, span.end_column)

    def handler_span(self, node: ast.ExceptHandler) -> Span:
        """From `except` to the end of the last exception type (the keyword alone when bare)."""
        column = self._column(node.lineno, node.col_offset)
        if node.type is None:
            return Span(node.lineno, column, node.lineno, column + len("except"))
        last = node.type
        if isinstance(last, ast.Tuple) and last.elts:
            last = last.elts[-1]
        end = self.span(last)
        return Span(node.lineno, column, end.end_line, end.end_column)

    def name_span(self, node: ast.arg) -> Span:
        """A parameter's name (without its annotation)."""
        column = self._column(node.lineno, node.col_offset)
        return Span(node.lineno, column, node.lineno, column + len(node.arg))

    def def_span(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> Span | None:
        """From the `def`/`class` keyword to the end of the name; None when they are
        not on one line (a backslash continuation)."""
        start = self._column(node.lineno, node.col_offset) - 1
        match = _DEF_NAME.match(self._lines[node.lineno - 1], start)
        if match is None or match.group(1) != node.name:
            return None
        return Span(node.lineno, start + 1, node.lineno, match.end(1) + 1)


class CallQueue:
    """The calls and comparisons inside one `ast` expression, in source order,
    handed out one by one.

    The expression builder visits every call of an expression in source order
    (a call before its function and arguments), so the n-th libcst call it meets
    is the n-th call here; comparisons likewise. As a safeguard each call is
    checked by the dotted name of what it calls (each comparison by its number of
    operators); one that does not match is skipped.
    """

    def __init__(self, calls: list[ast.Call], compares: list[ast.Compare]) -> None:
        self._calls = calls
        self._next = 0
        self._compares = compares
        self._next_compare = 0

    def take(self, callee: str | None) -> ast.Call | None:
        """The next call whose callee's dotted name is `callee` (None: not a dotted name)."""
        for index in range(self._next, len(self._calls)):
            call = self._calls[index]
            if dotted_name(call.func) == callee:
                self._next = index + 1
                return call
        return None

    def take_compare(self, operators: int) -> ast.Compare | None:
        """The next comparison with that many operators."""
        for index in range(self._next_compare, len(self._compares)):
            compare = self._compares[index]
            if len(compare.ops) == operators:
                self._next_compare = index + 1
                return compare
        return None


class ModuleCalls:
    """Every call and comparison of a module in source order, found by one walk."""

    def __init__(self, tree: ast.Module) -> None:
        calls: list[ast.Call] = []
        compares: list[ast.Compare] = []
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                calls.append(node)
            elif isinstance(node, ast.Compare):
                compares.append(node)
        calls.sort(key=_source_order)
        compares.sort(key=_source_order)
        self._calls = calls
        self._starts = [(c.lineno, c.col_offset) for c in calls]
        self._compares = compares
        self._compare_starts = [(c.lineno, c.col_offset) for c in compares]

    def queue(self, expression: ast.expr) -> CallQueue:
        """The calls inside `expression`: those that start within its range (tree
        nodes nest, so a call starting inside an expression is part of it)."""
        start = (expression.lineno, expression.col_offset)
        end = (expression.end_lineno or expression.lineno, expression.end_col_offset or 0)
        return CallQueue(
            _within(self._calls, self._starts, start, end),
            _within(self._compares, self._compare_starts, start, end),
        )


def _within(
    nodes: list[N], starts: list[tuple[int, int]], start: tuple[int, int], end: tuple[int, int]
) -> list[N]:
    if not nodes:
        return []
    first = bisect.bisect_left(starts, start)
    last = bisect.bisect_left(starts, end, lo=first)
    return nodes[first:last]


def _source_order(node: ast.expr) -> tuple[int, int, int, int]:
    """Start first; of two calls starting at one place, the outer (longer) one first."""
    return (node.lineno, node.col_offset, -(node.end_lineno or 0), -(node.end_col_offset or 0))


def dotted_name(node: ast.AST) -> str | None:
    """`a.b.c` for a chain of names and attributes, else None."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))
