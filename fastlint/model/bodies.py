"""Module and function bodies: what each does, in the terms rules ask about.

A `Body` is one module body or one function body (methods and nested functions
included) with the context its expressions are evaluated in. It answers: which
comparisons are made (inside `and`/`or`/`not` and conditions too), which `if`
tests guard a `raise` or a `return`, what `except` handlers catch and do, which
names are read, and what `with ... as name` binds.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from fastlint.facts.expr import Expr, Name
from fastlint.facts.types import BodyFacts, ClassFact, FunctionFact, Guard, Handler, WithBinding
from fastlint.model.resolve import Resolver
from fastlint.model.values import Ctx, FunctionVal
from fastlint.span import Span

__all__ = ["Body", "Comparison", "Guard", "Handler", "WithBinding", "bodies", "origins"]

MAX_ORIGIN_DEPTH = 4


@dataclass(frozen=True)
class Comparison:
    """`left op right`; a chain `a < b < c` gives two, each spanning the whole chain."""

    left: Expr
    op: str  # "==", "!=", "<", "<=", ">", ">=", "is", "is not", "in", "not in"
    right: Expr
    span: Span


@dataclass(frozen=True, eq=False)
class Body:
    """One module or function body: where its expressions are evaluated and what it does."""

    path: str
    ctx: Ctx  # evaluates the body's names (the function's own scope for a function)
    function: FunctionVal | None  # None for a module body (class bodies belong to it)
    facts: BodyFacts = field(repr=False)

    @property
    def comparisons(self) -> list[Comparison]:
        found = []
        for compare in self.facts.compares:
            left = compare.left
            for op, right in compare.ops:
                found.append(Comparison(left, op, right, compare.span))
                left = right
        return found

    @property
    def guards(self) -> tuple[Guard, ...]:
        """`if`/`elif` tests, each with how its branch ends (raise, return...)."""
        return self.facts.guards

    @property
    def handlers(self) -> tuple[Handler, ...]:
        """`except` clauses: types caught, the bound name, what they raise or return."""
        return self.facts.handlers

    @property
    def names_read(self) -> frozenset[str]:
        """Identifiers the body reads (loads)."""
        return self.facts.names_read

    @property
    def with_bindings(self) -> tuple[WithBinding, ...]:
        """`with value as name` items."""
        return self.facts.with_bindings


def bodies(resolver: Resolver) -> Iterator[Body]:
    """Every module body and function body (methods and nested functions too)."""
    for path in sorted(resolver.index.modules):
        ctx = resolver.module_ctx(path)
        yield Body(path, ctx, None, resolver.index.modules[path].body)
        yield from _function_bodies(ctx, ctx.module_scope.functions, ctx.module_scope.classes)


def _function_bodies(
    ctx: Ctx, functions: dict[str, FunctionFact], classes: dict[str, ClassFact]
) -> Iterator[Body]:
    members: list[FunctionFact] = list(functions.values())
    for cls in classes.values():
        members.extend(cls.methods.values())
    for function in members:
        inner = ctx.enter(function)
        yield Body(ctx.path, inner, FunctionVal.of(function, ctx), function.body)
        yield from _function_bodies(inner, function.scope.functions, function.scope.classes)


def origins(expr: Expr, function: FunctionVal | None, depth: int = 0) -> Iterator[Expr]:
    """`expr`, and for a local name what the function assigned to it (followed)."""
    yield expr
    if function is None or depth >= MAX_ORIGIN_DEPTH or not isinstance(expr, Name):
        return
    for assignment in function.fact.scope.assignments.get(expr.id, ()):
        yield from origins(assignment.value, function, depth + 1)
