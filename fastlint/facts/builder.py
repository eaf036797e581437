"""Turning libcst expressions into `Expr` values (the only place that knows both)."""

from __future__ import annotations

from collections.abc import Callable

import libcst as cst

from fastlint.facts.expr import (
    AUTH_STATUS_NAMES,
    Attr,
    Call,
    Const,
    DictExpr,
    Expr,
    FString,
    IfExp,
    Name,
    Other,
    Seq,
    Subscript,
    Union,
)
from fastlint.span import Span

SpanLookup = Callable[[cst.CSTNode], Span]


class Observer:
    """Collects what a function body does while its expressions are converted."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.auth_status_codes: set[int] = set()


class ExprBuilder:
    """Converts libcst expressions to `Expr`, using a span lookup for calls.

    While converting, calls and 401/403 status codes are reported to `observer`,
    so a function's behaviour is recorded in the same pass.
    """

    def __init__(self, span_of: SpanLookup) -> None:
        self._span_of = span_of
        self.observer = Observer()

    def build(self, node: cst.BaseExpression) -> Expr:
        """Convert one expression node (recursively)."""
        method = getattr(self, f"_{type(node).__name__}", None)
        if method is None:
            self._observe_children(node)
            return Other(type(node).__name__)
        result: Expr = method(node)
        return result

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
        return Name(node.value)

    def _Attribute(self, node: cst.Attribute) -> Expr:
        self._note_status_name(node.attr.value)
        return Attr(self.build(node.value), node.attr.value)

    def _note_status_name(self, name: str) -> None:
        code = AUTH_STATUS_NAMES.get(name)
        if code is not None:
            self.observer.auth_status_codes.add(code)

    def _Call(self, node: cst.Call) -> Expr:
        args: list[Expr] = []
        kwargs: list[tuple[str, Expr]] = []
        has_star = False
        for arg in node.args:
            if arg.star:
                has_star = True
            elif arg.keyword is not None:
                kwargs.append((arg.keyword.value, self.build(arg.value)))
            else:
                args.append(self.build(arg.value))
        call = Call(
            self.build(node.func), tuple(args), tuple(kwargs), has_star, self._span_of(node)
        )
        self.observer.calls.append(call)
        return call

    def _SimpleString(self, node: cst.SimpleString) -> Expr:
        value = node.evaluated_value
        return Const(value if isinstance(value, str) else None)

    def _ConcatenatedString(self, node: cst.ConcatenatedString) -> Expr:
        value = node.evaluated_value
        return Const(value) if isinstance(value, str) else Other("ConcatenatedString")

    def _FormattedString(self, node: cst.FormattedString) -> Expr:
        parts: list[str | Expr] = []
        for part in node.parts:
            if isinstance(part, cst.FormattedStringText):
                parts.append(part.value)
            elif isinstance(part, cst.FormattedStringExpression):
                parts.append(self.build(part.expression))
        return FString(tuple(parts))

    def _Integer(self, node: cst.Integer) -> Expr:
        value = node.evaluated_value
        if value in (401, 403):
            self.observer.auth_status_codes.add(value)
        return Const(value)

    def _Float(self, node: cst.Float) -> Expr:
        return Const(node.evaluated_value)

    def _Subscript(self, node: cst.Subscript) -> Expr:
        items: list[Expr] = []
        for element in node.slice:
            if isinstance(element.slice, cst.Index):
                items.append(self.build(element.slice.value))
            else:
                items.append(Other("Slice"))
        return Subscript(self.build(node.value), tuple(items))

    def _sequence(self, node: cst.List | cst.Tuple | cst.Set) -> Expr:
        return Seq(
            tuple(
                self.build(el.value) if isinstance(el, cst.Element) else Other("Starred")
                for el in node.elements
            )
        )

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
        if isinstance(node.operator, cst.BitOr):
            return Union(self.build(node.left), self.build(node.right))
        return Other("BinaryOperation")

    def _IfExp(self, node: cst.IfExp) -> Expr:
        return IfExp(self.build(node.test), self.build(node.body), self.build(node.orelse))

    def _Await(self, node: cst.Await) -> Expr:
        return self.build(node.expression)
