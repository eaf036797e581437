"""A small, picklable picture of Python expressions.

Rules and the model never see libcst: per-file extraction (`builder`) turns just
the expressions fastlint cares about (decorators, defaults, annotations, call
arguments, assigned values) into these frozen values, which can be cached and
sent between processes.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from fastlint.span import Span

ConstValue = str | int | float | bool | bytes | None


@dataclass(frozen=True, slots=True)
class Name:
    id: str


@dataclass(frozen=True, slots=True)
class Attr:
    value: Expr
    attr: str


@dataclass(frozen=True, slots=True)
class Call:
    func: Expr
    args: tuple[Expr, ...]
    kwargs: tuple[tuple[str, Expr], ...]
    has_star: bool
    span: Span
    # `*xs` and `**mapping` arguments as written: ("*", xs), ("**", mapping)
    stars: tuple[tuple[str, Expr], ...] = ()

    def kwarg(self, name: str) -> Expr | None:
        """The value of keyword argument `name`, if given."""
        for key, value in self.kwargs:
            if key == name:
                return value
        return None

    def arg(self, index: int, name: str) -> Expr | None:
        """The argument at `index` or, failing that, keyword `name`."""
        if index < len(self.args):
            return self.args[index]
        return self.kwarg(name)


@dataclass(frozen=True, slots=True, eq=False)
class Const:
    value: ConstValue

    # Equal only to a constant of the same type: Python has `True == 1 == 1.0`, and
    # expressions are memo keys (a `B = 1` read after `A = True` must stay 1).
    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Const)
            and type(self.value) is type(other.value)
            and self.value == other.value
        )

    def __hash__(self) -> int:
        return hash((type(self.value).__name__, self.value))


@dataclass(frozen=True, slots=True)
class FString:
    """An f-string; `parts` are literal text or interpolated expressions."""

    parts: tuple[str | Expr, ...]


@dataclass(frozen=True, slots=True)
class Subscript:
    value: Expr
    items: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Seq:
    """A list, tuple or set display."""

    items: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class DictExpr:
    items: tuple[tuple[Expr | None, Expr], ...]


@dataclass(frozen=True, slots=True)
class Union:
    """`left | right` (a union type, or a bitwise or)."""

    left: Expr
    right: Expr


@dataclass(frozen=True, slots=True)
class IfExp:
    test: Expr
    body: Expr
    orelse: Expr


@dataclass(frozen=True, slots=True)
class Iterate:
    """Each element of `iterable`: what a `for` loop binds its target to."""

    iterable: Expr


@dataclass(frozen=True, slots=True)
class Compare:
    """`left op right [op right...]`: each operator (`==`, `is not`, `not in`...)
    with the operand on its right; a chain `a < b < c` has two."""

    left: Expr
    ops: tuple[tuple[str, Expr], ...]
    span: Span


@dataclass(frozen=True, slots=True)
class BoolOp:
    """`a and b and c` (`op` is "and" or "or"), flattened."""

    op: str
    values: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class UnaryOp:
    """`not x`, `-x`, `+x`, `~x`."""

    op: str
    operand: Expr


@dataclass(frozen=True, slots=True)
class BinOp:
    """Arithmetic and string operations (`a + b`, `"%s" % x`...); `|` is `Union`."""

    left: Expr
    op: str
    right: Expr


@dataclass(frozen=True, slots=True)
class Other:
    """Anything fastlint does not model (lambdas, comprehensions, slices...);
    for a comprehension, the iterable of its first `for` (what its truth rests on:
    `[k for k in (args.keys or [ENV_KEY]) if k]`)."""

    kind: str
    source: Expr | None = None


Expr = (
    Name
    | Attr
    | Call
    | Const
    | FString
    | Subscript
    | Seq
    | DictExpr
    | Union
    | IfExp
    | Iterate
    | Compare
    | BoolOp
    | UnaryOp
    | BinOp
    | Other
)


def children(expr: Expr) -> tuple[Expr, ...]:
    """The expressions directly inside `expr` (a call's function and arguments, an
    f-string's values, both sides of an operator...), for walks over a value's parts."""
    if isinstance(expr, Attr):
        return (expr.value,)
    if isinstance(expr, Call):
        return (expr.func, *expr.args, *(value for _, value in expr.kwargs))
    if isinstance(expr, FString):
        return tuple(part for part in expr.parts if not isinstance(part, str))
    if isinstance(expr, Subscript):
        return (expr.value, *expr.items)
    if isinstance(expr, Seq):
        return expr.items
    if isinstance(expr, DictExpr):
        return tuple(e for pair in expr.items for e in pair if e is not None)
    if isinstance(expr, (Union, BinOp)):
        return (expr.left, expr.right)
    if isinstance(expr, IfExp):
        return (expr.test, expr.body, expr.orelse)
    if isinstance(expr, Iterate):
        return (expr.iterable,)
    if isinstance(expr, Compare):
        return (expr.left, *(right for _, right in expr.ops))
    if isinstance(expr, BoolOp):
        return expr.values
    if isinstance(expr, UnaryOp):
        return (expr.operand,)
    return ()


def dotted(expr: Expr) -> str | None:
    """`a.b.c` for a chain of names and attributes, else None."""
    if isinstance(expr, Name):
        return expr.id
    if isinstance(expr, Attr):
        head = dotted(expr.value)
        return None if head is None else f"{head}.{expr.attr}"
    return None


def last_name(expr: Expr) -> str | None:
    """The final identifier of a name or attribute chain (`c` in `a.b.c`)."""
    if isinstance(expr, Name):
        return expr.id
    if isinstance(expr, Attr):
        return expr.attr
    return None


def compact_pickling(*classes: type) -> None:
    """Pickle frozen dataclasses as constructor calls: smaller, and about a third
    faster to load than the default slots protocol (the facts cache loads many)."""
    for cls in classes:
        names = tuple(f.name for f in fields(cls))

        def reduce(self: Any, _cls: type = cls, _names: tuple[str, ...] = names) -> Any:
            return (_cls, tuple(getattr(self, name) for name in _names))

        cls.__reduce__ = reduce  # type: ignore[assignment]


compact_pickling(
    Name,
    Attr,
    Call,
    Const,
    FString,
    Subscript,
    Seq,
    DictExpr,
    Union,
    IfExp,
    Iterate,
    Compare,
    BoolOp,
    UnaryOp,
    BinOp,
    Other,
)
