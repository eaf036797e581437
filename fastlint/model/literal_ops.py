"""Python's operations on literal values, as far as the evaluator performs them.

Each returns a value or `Unknown(why)`; nothing here can build a huge value
(no repetition) or run code.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from fastlint.facts.expr import Attr, BoolOp, Call, Compare, Const, Expr, UnaryOp, dotted
from fastlint.model.literal import LiteralValue
from fastlint.model.values import Unknown

MAX_LENGTH = 100_000  # longest string, bytes or list built (a doubling chain stops here)
MAX_BITS = 256  # largest integer built by `*`
STRING_METHODS: dict[str, Callable[..., Any]] = {
    "split": str.split,
    "rsplit": str.rsplit,
    "strip": str.strip,
    "lower": str.lower,
    "upper": str.upper,
    "encode": str.encode,  # `KEY.encode()`: the key's bytes
}


TOO_LONG = Unknown(f"a value longer than {MAX_LENGTH} is not built")


def string_method(
    method: str, values: list[LiteralValue], keywords: Sequence[str]
) -> LiteralValue | Unknown:
    """`text.method(*args, **kwargs)`: `values` are the text, then positional then
    keyword arguments (named by `keywords`)."""
    text, *rest = values
    split = len(rest) - len(keywords)
    args, kwargs = rest[:split], dict(zip(keywords, rest[split:], strict=True))
    if not isinstance(text, str):
        return Unknown(f"`.{method}()` of something other than a string")
    try:
        result: LiteralValue = STRING_METHODS[method](text, *args, **kwargs)
    except (TypeError, ValueError):
        return Unknown(f"`.{method}()` with arguments it does not accept")
    return result


def dictionary(spreads: Sequence[bool], values: list[LiteralValue]) -> LiteralValue | Unknown:
    """A dict display: `values` alternate keys and values; a spread (`**x`) has no key."""
    result: dict[LiteralValue, LiteralValue] = {}
    for i, spread in enumerate(spreads):
        key, value = values[2 * i], values[2 * i + 1]
        if spread:
            if not isinstance(value, dict):
                return Unknown("`**` of something other than a dictionary")
            result.update(value)
            continue
        try:
            result[key] = value
        except TypeError:
            return Unknown("a dictionary key that is not hashable")
    return result


def fstring(values: list[LiteralValue]) -> LiteralValue | Unknown:
    if any(isinstance(v, (list, tuple, dict, bytes)) for v in values):
        return Unknown("an f-string of a container")
    parts = [str(v) for v in values]
    if sum(len(p) for p in parts) > MAX_LENGTH:
        return TOO_LONG
    return "".join(parts)


def subscript(values: list[LiteralValue]) -> LiteralValue | Unknown:
    container, index = values
    try:
        if isinstance(container, dict):
            return container[index]
        if isinstance(container, (list, tuple, str)) and isinstance(index, int):
            return container[index]
    except (KeyError, IndexError, TypeError):
        return Unknown("an index that is not in the container")
    return Unknown("a subscript of something other than a list or dictionary")


def binary(op: str, values: list[LiteralValue]) -> LiteralValue | Unknown:
    """`+` of strings, lists or numbers; `-` and `*` of numbers (never repetition)."""
    left, right = values
    numbers = all(is_number(v) for v in values)
    if op == "+" and _same_sequence(left, right):
        if len(left) + len(right) > MAX_LENGTH:  # type: ignore[arg-type]
            return TOO_LONG
        return left + right  # type: ignore[operator]
    if op == "+" and numbers:
        return left + right  # type: ignore[operator]
    if (
        op == "*"
        and isinstance(left, int)
        and isinstance(right, int)
        and left.bit_length() + right.bit_length() > MAX_BITS
    ):
        return Unknown("a product too large to evaluate")
    if op in ("-", "*") and numbers:
        return left - right if op == "-" else left * right  # type: ignore[operator]
    return Unknown(f"`{op}` of these operands is not evaluated")


def comparison(ops: Sequence[str], values: list[LiteralValue]) -> LiteralValue | Unknown:
    """A comparison chain: `values` are the operands, `ops` the operators between them."""
    result = True
    for op, left, right in zip(ops, values, values[1:], strict=False):
        outcome = compared(op, left, right)
        if isinstance(outcome, Unknown):
            return outcome
        result = result and outcome
    return result


def is_number(value: LiteralValue) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _same_sequence(left: LiteralValue, right: LiteralValue) -> bool:
    return any(isinstance(left, t) and isinstance(right, t) for t in (str, bytes, list, tuple))


def compared(op: str, left: LiteralValue, right: LiteralValue) -> bool | Unknown:
    try:
        if op in ("==", "!="):
            return (left == right) == (op == "==")
        if op in ("is", "is not") and (left is None or right is None):
            return (left is right) == (op == "is")
        if op in ("in", "not in") and isinstance(right, (str, list, tuple, dict)):
            return (left in right) == (op == "in")
        if op in ("<", "<=", ">", ">=") and is_number(left) and is_number(right):
            return {
                "<": left < right,  # type: ignore[operator]
                "<=": left <= right,  # type: ignore[operator]
                ">": left > right,  # type: ignore[operator]
                ">=": left >= right,  # type: ignore[operator]
            }[op]
    except TypeError:
        pass
    return Unknown(f"`{op}` of these operands is not evaluated")


def boolean(op: str, values: list[LiteralValue]) -> LiteralValue | Unknown:
    """`a and b` / `a or b`: Python's value (the deciding operand)."""
    for value in values[:-1]:
        if bool(value) == (op == "or"):
            return value
    return values[-1]


def unary(op: str, values: list[LiteralValue]) -> LiteralValue | Unknown:
    """`not x`, `-x`, `+x` (`values` holds the one operand)."""
    (value,) = values
    if op == "not" and isinstance(value, bool):
        return not value
    if op in ("-", "+") and is_number(value):
        return -value if op == "-" else value  # type: ignore[operator]
    return Unknown(f"`{op}` of this operand is not evaluated")


def text(expr: Expr) -> str:
    """An expression as written, roughly, for messages."""
    name = dotted(expr)
    if name is not None:
        return name
    if isinstance(expr, Call):
        return f"{text(expr.func)}(...)"
    if isinstance(expr, Const):
        return repr(expr.value)
    if isinstance(expr, Attr):
        return f"{text(expr.value)}.{expr.attr}"
    if isinstance(expr, Compare):
        return " ".join([text(expr.left), *(f"{op} {text(right)}" for op, right in expr.ops)])
    if isinstance(expr, BoolOp):
        return f" {expr.op} ".join(text(v) for v in expr.values)
    if isinstance(expr, UnaryOp):
        return (
            f"{expr.op} {text(expr.operand)}" if expr.op == "not" else expr.op + text(expr.operand)
        )
    return "..."


def describe(kind: str) -> str:
    return {
        "Comparison": "a comparison",
        "BooleanOperation": "`and`/`or`",
        "UnaryOperation": "a unary operation",
        "Lambda": "a lambda",
    }.get(kind, f"`{kind}`")
