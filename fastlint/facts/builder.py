"""Turning libcst expressions into `Expr` values (the only place that knows both)."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from http import HTTPStatus

import libcst as cst

from fastlint.facts.expr import (
    Attr,
    BinOp,
    BoolOp,
    Call,
    Compare,
    Const,
    DictExpr,
    Expr,
    FString,
    IfExp,
    Name,
    Other,
    Seq,
    Subscript,
    UnaryOp,
    Union,
)
from fastlint.facts.positions import AstPositions, CallQueue, ModuleCalls
from fastlint.span import Span

# Names of status constants: Starlette's `status.HTTP_401_UNAUTHORIZED` and
# `status.WS_1008_POLICY_VIOLATION`, and `http.HTTPStatus` members (`FORBIDDEN`).
STATUS_CONSTANT = re.compile(r"(?:HTTP|WS)_\d{3,4}_[A-Z0-9_]+")
HTTP_STATUS_NAMES = frozenset(HTTPStatus.__members__)
HTTP_CODES = range(100, 600)
WEBSOCKET_CODES = range(1000, 5000)  # close codes: 1008 policy violation, 4xxx private

SpanLookup = Callable[[cst.CSTNode], Span]


COMPARISON_OPERATORS = {
    "Equal": "==",
    "NotEqual": "!=",
    "LessThan": "<",
    "LessThanEqual": "<=",
    "GreaterThan": ">",
    "GreaterThanEqual": ">=",
    "Is": "is",
    "IsNot": "is not",
    "In": "in",
    "NotIn": "not in",
}
UNARY_OPERATORS = {"Not": "not", "Minus": "-", "Plus": "+", "BitInvert": "~"}
BINARY_OPERATORS = {
    "Add": "+",
    "Subtract": "-",
    "Multiply": "*",
    "Divide": "/",
    "FloorDivide": "//",
    "Modulo": "%",
    "Power": "**",
    "MatrixMultiply": "@",
    "LeftShift": "<<",
    "RightShift": ">>",
    "BitAnd": "&",
    "BitXor": "^",
}


class Observer:
    """Collects what a function body does while its expressions are converted."""

    def __init__(self) -> None:
        self.calls: list[Call] = []  # made in this body and nested functions, innermost first
        self.own_calls: list[Call] = []  # made in this body only
        self.compares: list[Compare] = []
        self.names: set[str] = set()  # identifiers read
        # `(name := value)`: the names an assignment expression binds, with the value
        self.bound: list[tuple[str, Expr]] = []
        # Status codes as written, raw: what they mean is the model's to decide.
        self.status_codes: set[int] = set()  # integers 100-599 and 1000-4999
        self.status_names: set[str] = set()  # `HTTP_401_UNAUTHORIZED`, `FORBIDDEN`...


class ExprBuilder:
    """Converts libcst expressions to `Expr`.

    A call's span comes from the expression's `ast` twin when one is given (its
    calls are paired in source order), else from `fallback_span`. While
    converting, calls and status codes are reported to `observer`, so a
    function's behaviour is recorded in the same pass.
    """

    def __init__(
        self, fallback_span: SpanLookup, positions: AstPositions | None, calls: ModuleCalls | None
    ) -> None:
        self._fallback_span = fallback_span
        self._positions = positions
        self._calls = calls
        self._queue: CallQueue | None = None  # the calls of the expression being converted
        self.observer = Observer()

    def convert(self, node: cst.BaseExpression, twin: ast.AST | None) -> Expr:
        """Convert one top-level expression; `twin` is the same expression in `ast`."""
        if not isinstance(twin, ast.expr) or self._calls is None:
            return self.build(node)
        self._queue = self._calls.queue(twin)
        try:
            return self.build(node)
        finally:
            self._queue = None

    def build(self, node: cst.BaseExpression) -> Expr:
        """Convert one expression node (recursively)."""
        method = getattr(self, f"_{type(node).__name__}", None)
        if method is None:
            self._observe_children(node)
            return Other(type(node).__name__)
        result: Expr = method(node)
        return result

    def _call_span(self, node: cst.Call) -> Span:
        if self._queue is not None and self._positions is not None:
            twin = self._queue.take(_dotted_name(node.func))
            if twin is not None:
                return self._positions.span(twin)
        return self._fallback_span(node)

    def _observe_children(self, node: cst.CSTNode) -> None:
        """Unmodelled expressions (`not x`, `a and b`, comprehensions...) still contain
        calls and status codes worth recording."""
        for child in node.children:
            if isinstance(child, cst.BaseExpression):
                self.build(child)
            else:
                self._observe_children(child)

    def _Name(self, node: cst.Name) -> Expr:
        if node.value in ("None", "True", "False"):
            return Const({"None": None, "True": True, "False": False}[node.value])
        self._note_status_name(node.value)
        self.observer.names.add(node.value)
        return Name(node.value)

    def _Attribute(self, node: cst.Attribute) -> Expr:
        self._note_status_name(node.attr.value)
        return Attr(self.build(node.value), node.attr.value)

    def _note_status_name(self, name: str) -> None:
        if name in HTTP_STATUS_NAMES or STATUS_CONSTANT.fullmatch(name):
            self.observer.status_names.add(name)

    # Every handler below visits all its sub-expressions, in source order: the
    # pairing of calls with their `ast` twins depends on it.

    def _Call(self, node: cst.Call) -> Expr:
        span = self._call_span(node)
        func = self.build(node.func)
        args: list[Expr] = []
        kwargs: list[tuple[str, Expr]] = []
        has_star = False
        stars: list[tuple[str, Expr]] = []
        for arg in node.args:
            value = self.build(arg.value)
            if arg.star:
                has_star = True
                stars.append((arg.star, value))
            elif arg.keyword is not None:
                kwargs.append((arg.keyword.value, value))
            else:
                args.append(value)
        call = Call(func, tuple(args), tuple(kwargs), has_star, span, tuple(stars))
        self.observer.calls.append(call)
        self.observer.own_calls.append(call)
        return call

    def _SimpleString(self, node: cst.SimpleString) -> Expr:
        return Const(_string_value(node))

    def _ConcatenatedString(self, node: cst.ConcatenatedString) -> Expr:
        value = node.evaluated_value
        if isinstance(value, (str, bytes)):
            return Const(value)
        self._observe_children(node)
        return Other("ConcatenatedString")

    def _FormattedString(self, node: cst.FormattedString) -> Expr:
        parts: list[str | Expr] = []
        for part in node.parts:
            if isinstance(part, cst.FormattedStringText):
                parts.append(part.value)
            elif isinstance(part, cst.FormattedStringExpression):
                parts.append(self.build(part.expression))
                if part.format_spec:
                    for spec in part.format_spec:
                        self._observe_children(spec)
        return FString(tuple(parts))

    def _Integer(self, node: cst.Integer) -> Expr:
        value = int(node.value, 0)  # what `evaluated_value` gives, without a compile
        if value in HTTP_CODES or value in WEBSOCKET_CODES:
            self.observer.status_codes.add(value)
        return Const(value)

    def _Float(self, node: cst.Float) -> Expr:
        return Const(node.evaluated_value)

    def _Subscript(self, node: cst.Subscript) -> Expr:
        value = self.build(node.value)
        items: list[Expr] = []
        for element in node.slice:
            if isinstance(element.slice, cst.Index):
                items.append(self.build(element.slice.value))
            else:
                self._observe_children(element.slice)
                items.append(Other("Slice"))
        return Subscript(value, tuple(items))

    def _sequence(self, node: cst.List | cst.Tuple | cst.Set) -> Expr:
        items: list[Expr] = []
        for element in node.elements:
            value = self.build(element.value)
            items.append(value if isinstance(element, cst.Element) else Other("Starred"))
        return Seq(tuple(items))

    _List = _Tuple = _Set = _sequence

    def _Dict(self, node: cst.Dict) -> Expr:
        items: list[tuple[Expr | None, Expr]] = []
        for el in node.elements:
            if isinstance(el, cst.DictElement):
                items.append((self.build(el.key), self.build(el.value)))
            else:
                items.append((None, self.build(el.value)))
        return DictExpr(tuple(items))

    def _BinaryOperation(self, node: cst.BinaryOperation) -> Expr:
        left, right = self.build(node.left), self.build(node.right)
        if isinstance(node.operator, cst.BitOr):
            return Union(left, right)
        return BinOp(left, BINARY_OPERATORS.get(type(node.operator).__name__, "?"), right)

    def _Comparison(self, node: cst.Comparison) -> Expr:
        span = self._compare_span(node)
        left = self.build(node.left)
        ops = tuple(
            (COMPARISON_OPERATORS[type(target.operator).__name__], self.build(target.comparator))
            for target in node.comparisons
        )
        compare = Compare(left, ops, span)
        self.observer.compares.append(compare)
        return compare

    def _compare_span(self, node: cst.Comparison) -> Span:
        if self._queue is not None and self._positions is not None:
            twin = self._queue.take_compare(len(node.comparisons))
            if twin is not None:
                return self._positions.span(twin)
        return self._fallback_span(node)

    def _BooleanOperation(self, node: cst.BooleanOperation) -> Expr:
        op = "and" if isinstance(node.operator, cst.And) else "or"
        values: list[Expr] = []
        for side in (node.left, node.right):
            value = self.build(side)
            if isinstance(value, BoolOp) and value.op == op:
                values.extend(value.values)
            else:
                values.append(value)
        return BoolOp(op, tuple(values))

    def _UnaryOperation(self, node: cst.UnaryOperation) -> Expr:
        operand = self.build(node.expression)
        return UnaryOp(UNARY_OPERATORS.get(type(node.operator).__name__, "?"), operand)

    def _NamedExpr(self, node: cst.NamedExpr) -> Expr:
        """`(x := value)` stands for its value; the target is bound, not read."""
        value = self.build(node.value)
        if isinstance(node.target, cst.Name):
            self.observer.bound.append((node.target.value, value))
        return value

    def _Lambda(self, node: cst.Lambda) -> Expr:
        for param in (*node.params.posonly_params, *node.params.params):
            if param.default is not None:
                self.build(param.default)
        for param in node.params.kwonly_params:
            if param.default is not None:
                self.build(param.default)
        self.build(node.body)
        return Other("Lambda")

    def _comprehension(
        self, node: cst.ListComp | cst.SetComp | cst.GeneratorExp | cst.DictComp
    ) -> Expr:
        """Calls and comparisons inside; the loop targets are bound, not read."""
        if isinstance(node, cst.DictComp):
            self.build(node.key)
            self.build(node.value)
        else:
            self.build(node.elt)
        loop: cst.CompFor | None = node.for_in
        source = self.build(node.for_in.iter)
        while loop is not None:
            if loop is not node.for_in:
                self.build(loop.iter)
            for condition in loop.ifs:
                self.build(condition.test)
            loop = loop.inner_for_in
        return Other(type(node).__name__, source)

    _ListComp = _SetComp = _GeneratorExp = _DictComp = _comprehension

    def _IfExp(self, node: cst.IfExp) -> Expr:
        body = self.build(node.body)  # `body if test else orelse`
        test = self.build(node.test)
        return IfExp(test, body, self.build(node.orelse))

    def _Await(self, node: cst.Await) -> Expr:
        return self.build(node.expression)


def _dotted_name(node: cst.BaseExpression) -> str | None:
    """`a.b.c` for a chain of names and attributes, else None."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        value = _dotted_name(node.value)
        return None if value is None else f"{value}.{node.attr.value}"
    return None


def _string_value(node: cst.SimpleString) -> str | bytes | None:
    """The value of a string or bytes literal (None if it cannot be evaluated).

    Literals without escapes are read directly: libcst's `evaluated_value` runs
    `ast.literal_eval`, a compile per string."""
    prefix = node.prefix.lower()
    body = node.raw_value
    if prefix in ("", "r", "u") and "\r" not in body and ("\\" not in body or prefix == "r"):
        return body
    value = node.evaluated_value
    return value if isinstance(value, (str, bytes)) else None
