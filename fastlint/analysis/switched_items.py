"""Dependencies that are there only when a setting holds.

A `dependencies=` value is often built before the call that passes it:

    deps = [Depends(check_key)] if settings.api_key else []
    deps = []
    if settings.api_key is not None:
        deps.append(Depends(check_key))
    app.include_router(router, dependencies=deps)
    app.include_router(router, dependencies=[Depends(check_key)] if flag else None)

Each item the value stands for comes with the switches that decide whether it is
there: the test of a conditional expression around it (its branch says which
value of the test keeps it), and the `if` around the assignment or the
`append`/`extend`/`+=` that put it in the list.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastlint.analysis.middleware_auth import gates_at
from fastlint.analysis.switches import Switch, SwitchReader
from fastlint.facts.expr import Attr, BinOp, Call, Const, Expr, IfExp, Name, Seq
from fastlint.facts.types import BodyFacts, Scope
from fastlint.model.resolve import Resolver
from fastlint.model.values import Ctx, FunctionVal, Scoped
from fastlint.span import Span

__all__ = ["SwitchedItem", "SwitchedItems"]

DEPTH = 6


@dataclass(frozen=True)
class SwitchedItem:
    """One item of a `dependencies=` value and the switches it is there under
    (empty: always)."""

    item: Scoped
    switches: tuple[Switch, ...]
    where: Span | None = None  # the call or statement that puts it there


class SwitchedItems:
    """Splits a `dependencies=` value into its items, each with its switches."""

    def __init__(self, reader: SwitchReader, resolver: Resolver) -> None:
        self.reader = reader
        self.resolver = resolver

    def of(self, item: Scoped) -> list[SwitchedItem]:
        found: list[SwitchedItem] = []
        self._walk(item.expr, item.ctx, self._call_passing(item.expr, item.ctx), (), 0, found)
        return found

    def _walk(
        self,
        expr: Expr,
        ctx: Ctx,
        where: Span | None,
        switches: tuple[Switch, ...],
        depth: int,
        found: list[SwitchedItem],
    ) -> None:
        if depth > DEPTH:
            found.append(SwitchedItem(Scoped(expr, ctx), switches, where))
            return
        if isinstance(expr, Const) and expr.value is None:
            return  # `dependencies=None`: none
        if isinstance(expr, Seq):
            for element in expr.items:
                self._walk(element, ctx, where, switches, depth + 1, found)
            return
        if isinstance(expr, BinOp) and expr.op == "+":
            self._walk(expr.left, ctx, where, switches, depth + 1, found)
            self._walk(expr.right, ctx, where, switches, depth + 1, found)
            return
        if isinstance(expr, IfExp):
            at = where or self._call_passing(expr, ctx)
            for branch, kept in ((expr.body, True), (expr.orelse, False)):
                switch = (
                    self.reader.switch(expr.test, ctx, kept, ctx.path, at)
                    if at is not None
                    else None
                )
                kept_by = (*switches, switch) if switch is not None else switches
                self._walk(branch, ctx, at, kept_by, depth + 1, found)
            return
        if isinstance(expr, Name):
            held = _held(expr.id, ctx)
            if held is not None:
                scope, held_ctx = held
                for assignment in scope.assignments.get(expr.id, ()):
                    gates = self._gates(assignment.span, held_ctx) if assignment.conditional else ()
                    under = (*switches, *gates)
                    self._walk(assignment.value, held_ctx, assignment.span, under, depth + 1, found)
                for call, added in _grown(scope, expr.id):
                    grown = (*switches, *self._gates(call.span, held_ctx))
                    self._walk(added, held_ctx, call.span, grown, depth + 1, found)
                return
        if isinstance(expr, Call):
            switches = (*switches, *self._gates(expr.span, ctx))
            where = expr.span
            factory = self._list_factory(expr, ctx)
            if factory is not None:
                # `dependencies=get_dependencies()`, a function building the list
                for returned in factory.fact.return_values:
                    self._walk(returned, factory.body_ctx, where, switches, depth + 1, found)
                return
        found.append(SwitchedItem(Scoped(expr, ctx), tuple(dict.fromkeys(switches)), where))

    def _list_factory(self, call: Call, ctx: Ctx) -> FunctionVal | None:
        """The project function a call runs when it returns a list it builds
        (`result = []; if KEY: result.append(Depends(check)); return result`)."""
        values = self.resolver.evaluate(call.func, ctx)
        if len(values) != 1 or not isinstance(values[0], FunctionVal):
            return None
        function = values[0]
        returned = function.fact.return_values
        if not returned:
            return None
        for value in returned:
            if isinstance(value, Seq):
                continue
            assigned = (
                function.fact.scope.assignments.get(value.id, ()) if isinstance(value, Name) else ()
            )
            if not assigned or not all(isinstance(a.value, Seq) for a in assigned):
                return None
        return function

    def _call_passing(self, expr: Expr, ctx: Ctx) -> Span | None:
        """The call that passes `expr` as an argument, in the body it is written in."""
        body: BodyFacts | None = None
        if ctx.functions:
            body = ctx.functions[-1].body
        else:
            module = self.resolver.index.modules.get(ctx.path)
            body = module.body if module is not None else None
        for call in body.calls if body is not None else ():
            for value in (*call.args, *(v for _, v in call.kwargs)):
                items = value.items if isinstance(value, Seq) else ()
                if value is expr or any(item is expr for item in items):
                    return call.span
        return None

    def _gates(self, span: Span | None, ctx: Ctx) -> tuple[Switch, ...]:
        if span is None:
            return ()
        return tuple(gates_at(self.reader, self.resolver, span, ctx))


def _held(name: str, ctx: Ctx) -> tuple[Scope, Ctx] | None:
    """The scope that holds `name` as a list built by assignments (the function's,
    else the module's), with the context it is read in; None for a parameter, an
    import or a name bound nowhere here."""
    if ctx.functions:
        function = ctx.functions[-1]
        if name in function.scope.assignments:
            return function.scope, ctx
        if any(p.name == name for p in function.params):
            return None
        if name in function.scope.imports:
            return None
    module = ctx.outer(0)
    if name in module.module_scope.assignments:
        return module.module_scope, module
    return None


def _grown(scope: Scope, name: str) -> list[tuple[Call, Expr]]:
    """What the statements of a scope add to the list `name` (`name.append(x)`,
    `name.extend([x, y])`, `name += [x]`, `name.insert(0, x)`), with the call."""
    found: list[tuple[Call, Expr]] = []
    for call in scope.calls:
        func = call.func
        if not (isinstance(func, Attr) and func.value == Name(name)) or not call.args:
            continue
        if func.attr in ("append", "extend") and len(call.args) == 1:
            found.append((call, call.args[0]))
        elif func.attr == "insert" and len(call.args) == 2:
            found.append((call, call.args[1]))
    return found
