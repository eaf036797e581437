"""Feature switches: settings that decide whether a route answers anyone at all.

Two shapes, neither of them authentication:

- **A check that refuses every caller while a setting is off**
  (`if not settings.enable_debug_endpoints: raise HTTPException(403)`), in a
  dependency or first thing in the endpoint. It reads no credential: while the
  setting's default keeps the feature off nobody reaches the route, and while the
  default turns it on everybody does, so it proves nothing about who calls.
- **A route registered only when a setting holds**: its decorator, or an
  `include_router`/`mount` on its way, inside `if settings.enable_ui:` (also
  through a local flag set under such an `if`: `offline = False`,
  `if settings.static_path is not None and ...: offline = True`, `if offline:`).
  While the default is off the route is not served.

Each is a `Switch` whose `closed_when` is the value of its test that turns the
route on; its `default_open` then says whether the default leaves the route off
(True), on (False), or cannot be read (None), and `requirement` what turns it on.
"""

from __future__ import annotations

from collections.abc import Iterator

from fastlint.analysis.middleware_auth import gates_at
from fastlint.analysis.switches import Switch, SwitchReader, is_setting_reference
from fastlint.facts.expr import (
    Attr,
    BoolOp,
    Call,
    Compare,
    Const,
    DictExpr,
    Expr,
    IfExp,
    Iterate,
    Name,
    Seq,
    Subscript,
    UnaryOp,
)
from fastlint.facts.expr import dotted as dotted_name
from fastlint.facts.types import Assignment, Guard, Scope
from fastlint.model.calls import within
from fastlint.model.rejection import Rejection
from fastlint.model.resolve import Resolver
from fastlint.model.values import Ctx, FunctionVal, InstanceVal, ModuleVal, SyntaxVal
from fastlint.span import Span

__all__ = ["FeatureGates"]


class FeatureGates:
    def __init__(self, reader: SwitchReader, rejection: Rejection, resolver: Resolver) -> None:
        self.reader = reader
        self.rejection = rejection
        self.resolver = resolver
        self._memo: dict[tuple[FunctionVal, bool], Switch | None] = {}

    # -- a check that refuses everyone while a setting is off ------------------------

    def of_function(self, function: FunctionVal, endpoint: bool = False) -> Switch | None:
        """The feature switch a dependency is made of (every refusal it makes is a
        setting's test), or that an endpoint tests before anything else."""
        key = (function, endpoint)
        if key not in self._memo:
            self._memo[key] = self._gate(function, endpoint)
        return self._memo[key]

    def _gate(self, function: FunctionVal, endpoint: bool) -> Switch | None:
        fact = function.fact
        guards = [g for g in fact.body.guards if not _nested(g, fact.body.guards)]
        if not guards:
            return None
        ctx = function.body_ctx
        if endpoint:
            first = min(guards, key=lambda g: (g.span.line, g.span.column))
            gates = [first] if self._refuses_on_setting(first, ctx) else []
        else:
            gates = [g for g in guards if self._refuses_on_setting(g, ctx)]
            raised = [g.value for g in gates]
            if not gates or any(all(r is not v for v in raised) for r in fact.raises):
                return None  # it refuses for another reason too
            if any(
                self.rejection.reason(value.fact, value.body_ctx, depth=1)
                for _, value in self.resolver.called_functions(fact, ctx)
            ):
                return None  # a helper it calls may check the caller
        if len(gates) != 1:
            return None
        gate = gates[0]
        return self.reader.switch(gate.test, ctx, False, function.path, gate.span)

    def _refuses_on_setting(self, guard: Guard, ctx: Ctx) -> bool:
        return (
            guard.outcome == "raise"
            and guard.value is not None
            and _only_settings(guard.test)
            and self.rejection.refuses(guard.value, ctx) is not None
        )

    # -- a registration under an `if` ------------------------------------------------

    def around(self, span: Span, ctx: Ctx) -> Iterator[Switch]:
        """The switches of the `if` statements around a registration at `span`:
        served only when each test holds."""
        yield from gates_at(self.reader, self.resolver, span, ctx)
        body = ctx.functions[-1].body if ctx.functions else None
        if body is None:
            module = self.resolver.index.modules.get(ctx.path)
            body = module.body if module is not None else None
        if body is None:
            return
        scope = ctx.functions[-1].scope if ctx.functions else ctx.module_scope
        for guard in body.guards:
            if guard.block is None or not within(span, guard.block):
                continue
            if not isinstance(guard.test, Name):
                continue
            test = _flag(scope.assignments.get(guard.test.id, ()), body.guards)
            if test is not None:
                found = self.reader.switch(test, ctx, True, ctx.path, guard.span)
                if found is not None:
                    yield found

    # -- a router picked from a table by configured names ---------------------------

    def picked(self, call: Call, ctx: Ctx, router: tuple[str, int, int]) -> Switch | None:
        """`for name in settings.api_servers: app.include_router(ROUTERS.get(name.lower())
        .setup())`: when the router (its construction's key) comes from a table entry
        the setting's default does not name, the switch that would add it."""
        expr = call.arg(0, "router")
        scope = ctx.functions[-1].scope if ctx.functions else ctx.module_scope
        picked = _picked_from(expr, scope) if expr is not None else None
        if picked is None:
            return None
        table, key = picked
        entries = self._entries(table, ctx)
        names = self._names(key, ctx, scope)
        if entries is None or names is None:
            return None
        chosen = {k for k in entries if k in names[1]}
        mine = [k for k, where in entries.items() if router in where or router[0] in where]
        if not mine or chosen & set(mine):
            return None
        setting, default = names[0], names[2]
        wanted = f"a list with {' or '.join(repr(k) for k in mine)}"
        return Switch(
            setting=setting,
            variable=None,
            closed_when=True,
            default=default,
            default_open=True,
            path=ctx.path,
            span=call.span,
            wants=wanted,
        )

    def _entries(self, table: Expr, ctx: Ctx) -> dict[str, set[object]] | None:
        """A dict display's constant keys, each with where its value is made: a
        module's path, or a router's construction key."""
        values = self.resolver.evaluate(table, ctx)
        if len(values) != 1 or not isinstance(values[0], SyntaxVal):
            return None
        display = values[0]
        if not isinstance(display.expr, DictExpr):
            return None
        entries: dict[str, set[object]] = {}
        for key, value in display.expr.items:
            if not (isinstance(key, Const) and isinstance(key.value, str)):
                return None
            where: set[object] = set()
            for made in self.resolver.evaluate(value, display.ctx):
                if isinstance(made, ModuleVal) and made.path is not None:
                    where.add(made.path)
                elif isinstance(made, InstanceVal):
                    where.add((made.path, made.call.span.line, made.call.span.column))
            entries[key.value] = where
        return entries

    def _names(self, key: Expr, ctx: Ctx, scope: Scope) -> tuple[str, set[str], str] | None:
        """The names a key takes where nothing is configured: the setting it comes
        from, the names, and the default in words."""
        transform: list[str] = []
        while (
            isinstance(key, Call)
            and isinstance(key.func, Attr)
            and key.func.attr in ("lower", "upper", "strip")
            and not key.args
        ):
            transform.append(key.func.attr)
            key = key.func.value
        if not isinstance(key, Name):
            return None
        bound = scope.assignments.get(key.id, ())
        if len(bound) != 1 or not isinstance(bound[0].value, Iterate):
            return None
        source = bound[0].value.iterable
        found = self._default_list(source, ctx, scope, len(scope.assignments.get(_id(source), ())))
        if found is None:
            return None
        setting, listed = found
        names = set()
        for name in listed:
            for method in reversed(transform):
                name = getattr(name, method)()
            names.add(name)
        return setting, names, "[" + ", ".join(repr(n) for n in listed) + "]"

    def _default_list(
        self, expr: Expr, ctx: Ctx, scope: Scope, upto: int, depth: int = 0
    ) -> tuple[str, list[str]] | None:
        """A list of names where nothing is configured: a settings field's default,
        a literal list, `names if names else ["oai"]` over an earlier binding."""
        if depth > 4:
            return None
        if isinstance(expr, Seq):
            items = [i.value for i in expr.items if isinstance(i, Const)]
            if len(items) != len(expr.items) or not all(isinstance(i, str) for i in items):
                return None
            return "", [str(i) for i in items]
        if isinstance(expr, IfExp):
            test = self._default_list(expr.test, ctx, scope, upto, depth + 1)
            if test is None:
                return None
            branch = expr.body if test[1] else expr.orelse
            found = self._default_list(branch, ctx, scope, upto, depth + 1)
            if found is None:
                return None
            return test[0] or found[0], found[1]
        if isinstance(expr, Name):
            bound = scope.assignments.get(expr.id, ())[:upto]
            if not bound or bound[-1].conditional:
                return None
            return self._default_list(bound[-1].value, ctx, scope, len(bound) - 1, depth + 1)
        if is_setting_reference(expr):
            literal = self.reader.value_of(expr, ctx)
            if literal is None:
                return None
            values = {repr(p.value) for p in literal.possible}
            if len(values) != 1:
                return None
            value = literal.possible[0].value
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                return None
            return dotted_name(expr) or "", [str(v) for v in value]
        return None


def _id(expr: Expr) -> str:
    return expr.id if isinstance(expr, Name) else ""


def _picked_from(expr: Expr, scope: Scope, depth: int = 0) -> tuple[Expr, Expr] | None:
    """`(table, key)` for a router expression that is `table.get(key)` or
    `table[key]`, through methods called on it (`.setup()`) and local names."""
    if depth > 4:
        return None
    if isinstance(expr, Call) and isinstance(expr.func, Attr):
        if expr.func.attr == "get" and len(expr.args) in (1, 2):
            return expr.func.value, expr.args[0]
        if not expr.args and not expr.kwargs:
            return _picked_from(expr.func.value, scope, depth + 1)
    if isinstance(expr, Subscript) and len(expr.items) == 1:
        return expr.value, expr.items[0]
    if isinstance(expr, Name):
        bound = scope.assignments.get(expr.id, ())
        if len(bound) == 1:
            return _picked_from(bound[0].value, scope, depth + 1)
    return None


def _flag(bound: tuple[Assignment, ...], guards: tuple[Guard, ...]) -> Expr | None:
    """`offline = False` then `if <setting test>: offline = True`: the test the
    flag stands for (negated when the branch sets it False)."""
    if len(bound) != 2:
        return None
    first, then = bound
    start, later = first.value, then.value
    if not (
        isinstance(start, Const)
        and isinstance(later, Const)
        and isinstance(start.value, bool)
        and later.value is (not start.value)
        and not first.conditional
        and then.span is not None
    ):
        return None
    span = then.span
    around = [g for g in guards if g.block is not None and within(span, g.block)]
    if len(around) != 1 or not _only_settings(around[0].test, calls=True):
        return None
    test = around[0].test
    return test if later.value else UnaryOp("not", test)


def _nested(guard: Guard, guards: tuple[Guard, ...]) -> bool:
    """Whether `guard` sits inside another guard's branch."""
    return any(
        other is not guard and other.block is not None and within(guard.span, other.block)
        for other in guards
    )


def _only_settings(test: Expr, calls: bool = False) -> bool:
    """A test made of settings and constants alone (`not settings.enable_debug`,
    `settings.mode != "on"`, `a and b`); with `calls`, a method called on a
    setting too (`settings.static_path.is_dir()`)."""
    if isinstance(test, UnaryOp) and test.op == "not":
        return _only_settings(test.operand, calls)
    if isinstance(test, BoolOp):
        return all(_only_settings(v, calls) for v in test.values)
    if isinstance(test, Compare):
        sides = (test.left, *(right for _, right in test.ops))
        return any(is_setting_reference(s) for s in sides) and all(
            isinstance(s, Const) or _only_settings(s, calls) for s in sides
        )
    if calls and isinstance(test, Call):
        return _derived(test)
    return is_setting_reference(test)


def _derived(expr: Expr) -> bool:
    """A setting, or a call made of settings: `settings.static_path.is_dir()`,
    `Path(settings.static_path).is_dir()`, `os.path.isdir(settings.root)`."""
    if is_setting_reference(expr):
        return True
    if not isinstance(expr, Call) or expr.kwargs or expr.has_star:
        return False
    if isinstance(expr.func, Attr) and not expr.args and _derived(expr.func.value):
        return True  # a method of one
    return (
        dotted_name(expr.func) is not None
        and bool(expr.args)
        and all(isinstance(a, Const) or _derived(a) for a in expr.args)
        and any(_derived(a) for a in expr.args)
    )
