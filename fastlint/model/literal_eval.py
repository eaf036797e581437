"""The literal evaluator: `Literals.literal(expr, ctx)` follows an expression across
modules to every value it may have (see `fastlint.model.literal` for the answer).

Names and attributes are followed here where the answer depends on where a value
is written (assignments, class attributes, settings fields); everything else about
names, imports and calls is the resolver's.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial

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
    Iterate,
    Name,
    Other,
    Seq,
    Subscript,
    UnaryOp,
    Union,
    dotted,
)
from fastlint.facts.types import Assignment, ClassFact, FieldFact
from fastlint.knowledge.environment import ENV_GETTERS, ENVIRON
from fastlint.knowledge.pydantic_models import FIELD_FACTORIES, SETTINGS_BASE, SETTINGS_PACKAGES
from fastlint.model import literal_ops as ops
from fastlint.model.literal import (
    Condition,
    FromEnv,
    Literal,
    LiteralValue,
    Possible,
    SettingsField,
    Where,
)
from fastlint.model.resolve import Resolver, _live
from fastlint.model.values import (
    ClassVal,
    ConstVal,
    Ctx,
    External,
    InstanceVal,
    ModuleVal,
    Scoped,
    SyntaxVal,
    Unknown,
    Value,
)

MAX_POSSIBLE = 32  # values kept per expression (bounds combinations of conditionals)
MAX_DEPTH = 60


class Literals:
    """Evaluates expressions of the scanned project to literal values (memoised)."""

    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver
        self._memo: dict[tuple[object, ...], tuple[Expr, tuple[Possible, ...]]] = {}
        self._cut_memo: dict[tuple[object, ...], tuple[Expr, tuple[Possible, ...]]] = {}
        self._active: set[tuple[object, ...]] = set()
        self._cuts = 0
        self._settings: dict[ClassVal, str | None] = {}

    def literal(self, expr: Expr, ctx: Ctx) -> Literal:
        """Every value `expr` may have when evaluated in `ctx`."""
        return Literal(self._eval(expr, ctx) or (_unknown("no value"),))

    def of(self, scoped: Scoped) -> Literal:
        return self.literal(scoped.expr, scoped.ctx)

    # -- dispatch ------------------------------------------------------------------

    def _eval(self, expr: Expr, ctx: Ctx) -> tuple[Possible, ...]:
        # By identity: equal expressions may differ in value (`Const(True) == Const(1)`).
        # The memos keep each expression alive, so its id() is never reused.
        key = (id(expr), ctx.key)
        cached = self._memo.get(key) or self._cut_memo.get(key)
        if cached is not None:
            return cached[1]
        if key in self._active:
            self._cuts += 1
            return (_unknown("the definition refers to itself"),)
        if len(self._active) > MAX_DEPTH:
            self._cuts += 1
            return (_unknown("the definition is nested too deeply"),)
        cuts = self._cuts
        self._active.add(key)
        try:
            result = tuple(self._evaluate(expr, ctx)[:MAX_POSSIBLE])
        finally:
            self._active.discard(key)
        # An answer cut short by a cycle or the depth limit depends on where the
        # evaluation started: it is kept only until the outermost evaluation ends.
        (self._memo if self._cuts == cuts else self._cut_memo)[key] = (expr, result)
        if not self._active:
            self._cut_memo.clear()
        return result

    def _evaluate(self, expr: Expr, ctx: Ctx) -> list[Possible]:
        if isinstance(expr, Const):
            return [Possible(expr.value)]
        if isinstance(expr, Name):
            return self._name(expr.id, ctx)
        if isinstance(expr, Attr):
            return self._attribute(expr, ctx)
        if isinstance(expr, Call):
            return self._call(expr, ctx)
        if isinstance(expr, Seq):
            return self._combine([self._eval(i, ctx) for i in expr.items], list)
        if isinstance(expr, DictExpr):
            return self._dict(expr, ctx)
        if isinstance(expr, FString):
            return self._fstring(expr, ctx)
        if isinstance(expr, IfExp):
            return self._conditional(expr, ctx)
        if isinstance(expr, Subscript):
            return self._subscript(expr, ctx)
        if isinstance(expr, BinOp):
            return self._binary(expr, ctx)
        if isinstance(expr, Compare):
            return self._compare(expr, ctx)
        if isinstance(expr, BoolOp) and expr.op == "or":
            return self._either(expr, ctx)
        if isinstance(expr, BoolOp):
            parts = [self._eval(v, ctx) for v in expr.values]
            return self._combine(parts, partial(ops.boolean, expr.op))
        if isinstance(expr, UnaryOp):
            return self._combine([self._eval(expr.operand, ctx)], partial(ops.unary, expr.op))
        if isinstance(expr, Union):
            return [_unknown("a `|` expression is not evaluated")]
        if isinstance(expr, Iterate):
            return [_unknown("a loop variable")]
        if isinstance(expr, Other) and expr.kind == "Ellipsis":
            return [Possible(...)]
        kind = expr.kind if isinstance(expr, Other) else type(expr).__name__
        return [_unknown(f"{ops.describe(kind)} is not evaluated")]

    # -- names and attributes --------------------------------------------------------

    def _name(self, name: str, ctx: Ctx) -> list[Possible]:
        """A bare name: assignments are followed here (keeping conditions and where they
        are written), everything else through the resolver."""
        for depth in range(len(ctx.functions), 0, -1):
            function = ctx.functions[depth - 1]
            scope = function.scope
            if name in scope.assignments:
                inner = ctx.outer(depth)
                return self._assigned(name, scope.assignments[name], inner)
            if name in scope.functions or name in scope.classes or name in scope.imports:
                break
            if any(p.name == name for p in function.params):
                break
        else:
            scope = ctx.module_scope
            if name in scope.assignments:
                module = self.resolver.module_ctx(ctx.path)
                return self._assigned(name, scope.assignments[name], module)
            imported = scope.imports.get(name)
            if imported is not None and imported.name is not None:
                target = self._module_file(imported.module, imported.level, ctx.path)
                if target is not None:
                    bound = self.resolver.index.modules[target].scope.assignments
                    if imported.name in bound:
                        module = self.resolver.module_ctx(target)
                        return self._assigned(imported.name, bound[imported.name], module)
        return self._values(self.resolver.evaluate(Name(name), ctx))

    def _module_file(self, module: str, level: int, importer: str) -> str | None:
        index = self.resolver.index
        if level:
            return index.find_relative(importer, level, module)
        return index.find(module, importer)

    def _assigned(self, name: str, bound: tuple[Assignment, ...], ctx: Ctx) -> list[Possible]:
        return [
            _at(p, Where(ctx.path, a.span, f"`{name}`", assignment=True))
            for a in _live(bound)
            for p in self._eval(a.value, ctx)
        ]

    def _attribute(self, expr: Attr, ctx: Ctx) -> list[Possible]:
        held = self._self_member(expr, ctx)
        if held is not None:
            return held
        result: list[Possible] = []
        for base in self.resolver.evaluate(expr.value, ctx):
            if isinstance(base, ModuleVal) and base.path is not None:
                bound = self.resolver.index.modules[base.path].scope.assignments
                if expr.attr in bound:
                    module = self.resolver.module_ctx(base.path)
                    result.extend(self._assigned(expr.attr, bound[expr.attr], module))
                    continue
            if isinstance(base, ClassVal):
                result.extend(self._member(base, expr.attr, None))
            elif isinstance(base, InstanceVal) and isinstance(base.cls, ClassVal):
                result.extend(self._member(base.cls, expr.attr, base))
            else:
                result.extend(self._values(self.resolver.attribute(base, expr.attr)))
        return result

    def _self_member(self, expr: Attr, ctx: Ctx) -> list[Possible] | None:
        """`self.secret` in a method: what the class's methods assign to `self.secret`
        (each assignment a possible value), else the class attribute or field default.
        None when `expr` is not an attribute of `self` in a method."""
        cls = self.resolver.self_class(expr, ctx)
        if cls is None:
            return None
        result: list[Possible] = []
        for klass in self.resolver.mro(cls):
            if isinstance(klass, External):
                continue
            for function in klass.fact.methods.values():
                for assigned in function.scope.attr_assignments:
                    if assigned.target != Attr(Name("self"), expr.attr):
                        continue
                    label = f"`{klass.fact.name}.{expr.attr}`"
                    where = Where(klass.path, assigned.span, label, assignment=True)
                    values = self._per_caller(assigned.value, klass.ctx.enter(function))
                    result.extend(_at(p, where) for p in values)
        return result or self._member(cls, expr.attr, None)

    def _per_caller(self, expr: Expr, ctx: Ctx) -> list[Possible]:
        """`expr` in a method, once per call site of the method when it reads one of
        its parameters, each value noted at the call that passes it (a key a test
        hands in, `AuthService("unit-test-secret")`, is written in the test)."""
        function = ctx.functions[-1]
        if not (isinstance(expr, Name) and any(p.name == expr.id for p in function.params)):
            return list(self._eval(expr, ctx))
        result: list[Possible] = []
        for bound in self.resolver.bound_contexts(ctx):
            site = bound.site(len(bound.functions))
            values = self._eval(expr, bound)
            if site is None:
                result.extend(values)
                continue
            call, caller = site
            where = Where(caller.path, call.span, f"`{dotted(call.func) or 'the call'}(...)`")
            result.extend(_at(p, where) for p in values)
        return result

    def _member(self, cls: ClassVal, attr: str, instance: InstanceVal | None) -> list[Possible]:
        """A class attribute or field default; for an instance built with the attribute
        as keyword argument (`Settings(debug=False)`), that argument."""
        if instance is not None:
            given = instance.call.kwarg(attr)
            if given is not None:
                return list(self._eval(given, instance.ctx))
            if instance.call.has_star:  # Model(**data): any field may be given
                name = cls.fact.name
                return [
                    _unknown(f"`{name}.{attr}` may be set by the `**` arguments of `{name}(...)`")
                ]
        prefix = self._settings_prefix(cls)
        settings = None if prefix is None else SettingsField(cls.fact.name, attr, prefix)
        for owner in self.resolver.mro(cls):
            if isinstance(owner, External):
                return [_unknown(f"`{attr}` comes from `{owner.qualname}`")]
            fact = owner.fact
            label = f"`{fact.name}.{attr}`"
            if attr in fact.methods:
                return [_unknown(f"{label} is a method or property")]
            if attr in fact.class_attrs:
                where = Where(owner.path, None, label)
                values = self._eval(fact.class_attrs[attr], owner.ctx)
                return [_at(p, where, settings) for p in values]
            field = _field(fact, attr)
            if field is not None:
                where = Where(owner.path, field.span, label)
                if field.default is None:
                    return [Possible(Unknown(f"{label} has no default"), where, None, settings)]
                default = self._field_default(field.default, owner.ctx, label)
                return [_at(p, where, settings) for p in default]
        return [_unknown(f"attribute `{attr}` of class `{cls.fact.name}` is not known")]

    def _field_default(self, default: Expr, ctx: Ctx, label: str) -> Sequence[Possible]:
        """A field's default: `= value`, or pydantic's `Field(value)`/`Field(default=value)`."""
        if isinstance(default, Call) and self._is_field_factory(default, ctx):
            given = default.arg(0, "default")
            if given is not None:
                return self._eval(given, ctx)
            if default.kwarg("default_factory") is not None:
                return [_unknown(f"{label} has a `default_factory`")]
            return [_unknown(f"{label} has no default")]
        return self._eval(default, ctx)

    def _is_field_factory(self, call: Call, ctx: Ctx) -> bool:
        callee = self.resolver.evaluate_one(call.func, ctx)
        return isinstance(callee, External) and (callee.top, callee.last) in FIELD_FACTORIES

    def _settings_prefix(self, cls: ClassVal) -> str | None:
        """The `env_prefix` of a settings class ("" when none), None for other classes."""
        if cls not in self._settings:
            self._settings[cls] = None
            if self.resolver.inherits(cls, _is_settings_base):
                self._settings[cls] = self._env_prefix(cls)
        return self._settings[cls]

    def _env_prefix(self, cls: ClassVal) -> str:
        for owner in self.resolver.mro(cls):
            if isinstance(owner, External):
                continue
            config = owner.fact.class_attrs.get("model_config")  # SettingsConfigDict(...)
            given = config.kwarg("env_prefix") if isinstance(config, Call) else None
            if isinstance(config, DictExpr):
                given = next(
                    (v for k, v in config.items if k == Const("env_prefix")),
                    None,
                )
            given = given or owner.fact.config.get("env_prefix")  # class Config: (v1)
            if given is not None:
                value = self.literal(given, owner.ctx).value
                return value if isinstance(value, str) else ""
        return ""

    # -- calls ----------------------------------------------------------------------

    def _call(self, call: Call, ctx: Ctx) -> list[Possible]:
        func = call.func
        if isinstance(func, Attr) and func.attr in ops.STRING_METHODS and not call.has_star:
            receiver = self._eval(func.value, ctx)
            if any(isinstance(p.value, str) or p.env is not None for p in receiver):
                return self._string_method(func.attr, receiver, call, ctx)
        callee = self.resolver.evaluate(func, ctx)
        if (
            len(callee) == 1
            and isinstance(callee[0], External)
            and callee[0].qualname in ENV_GETTERS
        ):
            return self._env(call, ctx)
        return [_unknown(f"the result of calling `{ops.text(func)}()`")]

    def _env(self, call: Call, ctx: Ctx) -> list[Possible]:
        """`os.getenv("K", default)` / `os.environ.get("K", default)`."""
        variable = self._variable(call.arg(0, "key"), ctx)
        where = Where(ctx.path, call.span, f"`{ops.text(call.func)}(...)`")
        default = call.arg(1, "default")
        if default is None:
            reason = f"environment variable `{variable or '?'}` (no default)"
            return [Possible(Unknown(reason), where, FromEnv(variable, False))]
        env = FromEnv(variable, True)
        return [replace(_at(p, where), env=env) for p in self._eval(default, ctx)]

    def _variable(self, expr: Expr | None, ctx: Ctx) -> str | None:
        if expr is None:
            return None
        value = self.literal(expr, ctx).value
        return value if isinstance(value, str) else None

    def _string_method(
        self, method: str, receiver: Sequence[Possible], call: Call, ctx: Ctx
    ) -> list[Possible]:
        arguments = [self._eval(a, ctx) for a in call.args]
        keywords = [self._eval(v, ctx) for _, v in call.kwargs]
        names = [k for k, _ in call.kwargs]
        build = partial(ops.string_method, method, keywords=names)
        return self._combine([receiver, *arguments, *keywords], build)

    # -- displays ---------------------------------------------------------------------

    def _dict(self, expr: DictExpr, ctx: Ctx) -> list[Possible]:
        parts: list[Sequence[Possible]] = []
        for key, value in expr.items:
            parts.append(self._eval(key, ctx) if key is not None else (Possible(None),))
            parts.append(self._eval(value, ctx))
        spreads = [key is None for key, _ in expr.items]
        return self._combine(parts, partial(ops.dictionary, spreads))

    def _fstring(self, expr: FString, ctx: Ctx) -> list[Possible]:
        parts = [
            (Possible(part),) if isinstance(part, str) else self._eval(part, ctx)
            for part in expr.parts
        ]
        return self._combine(parts, ops.fstring)

    def _conditional(self, expr: IfExp, ctx: Ctx) -> list[Possible]:
        test = Scoped(expr.test, ctx)
        text = ops.text(expr.test)
        result = []
        for branch, holds in ((expr.body, True), (expr.orelse, False)):
            condition = Condition(test, holds, text)
            for p in self._eval(branch, ctx):
                result.append(replace(p, conditions=(condition, *p.conditions)))
        return result

    def _either(self, expr: BoolOp, ctx: Ctx) -> list[Possible]:
        """`a or b or DEFAULT`: every operand value that can be the first truthy one
        (an unknown value may be falsy, so the next operand stays possible). A literal
        after a value deployment sets (`os.getenv("K")`, a settings field) is that
        value's fallback: what runs when nothing is set."""
        result: list[Possible] = []
        configured: Possible | None = None  # the last operand deployment can set
        last = len(expr.values) - 1
        for index, operand in enumerate(expr.values):
            decided = True
            for p in self._eval(operand, ctx):
                if configured is not None and p.known and not p.configurable:
                    p = replace(p, env=configured.env, settings=configured.settings)
                    if p.env is not None:
                        p = replace(p, env=FromEnv(p.env.variable, True))
                if p.configurable:
                    configured = p
                if p.known and not p.value and index < last:
                    decided = False  # falsy: the next operand decides
                    if p.configurable:  # unless deployment sets it
                        result.append(replace(p, value=Unknown("the value deployment sets")))
                    continue
                result.append(p)
                decided = decided and p.known
            if decided or len(result) >= MAX_POSSIBLE:
                break
        return result[:MAX_POSSIBLE]

    def _binary(self, expr: BinOp, ctx: Ctx) -> list[Possible]:
        parts = [self._eval(expr.left, ctx), self._eval(expr.right, ctx)]
        return self._combine(parts, partial(ops.binary, expr.op))

    def _compare(self, expr: Compare, ctx: Ctx) -> list[Possible]:
        """`a == b`, `a in (...)`, `x is None`... of known values (chains too)."""
        parts = [self._eval(expr.left, ctx), *(self._eval(e, ctx) for _, e in expr.ops)]
        return self._combine(parts, partial(ops.comparison, [op for op, _ in expr.ops]))

    def _subscript(self, expr: Subscript, ctx: Ctx) -> list[Possible]:
        if len(expr.items) != 1:
            return [_unknown("a subscript with several indices")]
        base = self.resolver.evaluate(expr.value, ctx)
        if len(base) == 1 and isinstance(base[0], External) and base[0].qualname == ENVIRON:
            variable = self._variable(expr.items[0], ctx)
            where = Where(ctx.path, None, f"`{ops.text(expr.value)}[...]`")
            reason = f"environment variable `{variable or '?'}`"
            return [Possible(Unknown(reason), where, FromEnv(variable, False))]
        parts = [self._eval(expr.value, ctx), self._eval(expr.items[0], ctx)]
        return self._combine(parts, ops.subscript)

    # -- combining --------------------------------------------------------------------

    def _combine(
        self,
        parts: Sequence[Sequence[Possible]],
        build: Callable[[list[LiteralValue]], LiteralValue | Unknown],
    ) -> list[Possible]:
        """One possible value per combination of the parts' possible values (bounded);
        unknown when any part is, with the parts' origins merged."""
        result = []
        for combo in itertools.islice(itertools.product(*parts), MAX_POSSIBLE):
            value: LiteralValue | Unknown
            unknown = next((p.value for p in combo if isinstance(p.value, Unknown)), None)
            if unknown is not None:
                value = unknown
            else:
                value = build([p.value for p in combo if not isinstance(p.value, Unknown)])
            result.append(_merged(value, combo))
        return result

    def _values(self, values: list[Value]) -> list[Possible]:
        """The resolver's answers, as literal values."""
        result: list[Possible] = []
        for value in values:
            if isinstance(value, ConstVal):
                result.append(Possible(value.value))
            elif isinstance(value, SyntaxVal):
                result.extend(self._eval(value.expr, value.ctx))
            elif isinstance(value, InstanceVal):
                if isinstance(value.cls, External):  # os.getenv(...), "...".split(), ...
                    result.extend(self._eval(value.call, value.ctx))
                else:
                    result.append(_unknown(f"an object built by `{value.cls.fact.name}(...)`"))
            elif isinstance(value, Unknown):
                result.append(Possible(value))
            elif isinstance(value, External):
                result.append(_unknown(f"`{value.qualname}` is defined outside the project"))
            else:
                result.append(_unknown("a module, class or function, not a value"))
        return result


def literal(expr: Expr, ctx: Ctx, resolver: Resolver) -> Literal:
    """The literal value of `expr` in `ctx` (a one-off; `Project.literal` memoises)."""
    return Literals(resolver).literal(expr, ctx)


def _unknown(reason: str) -> Possible:
    return Possible(Unknown(reason))


def _at(p: Possible, where: Where, settings: SettingsField | None = None) -> Possible:
    """`p`, noted as written at `where` unless a more precise place is known."""
    if (
        p.where is None
        or (p.where.span is None and where.span is not None)
        or (p.where.assignment and not where.assignment and where.span is not None)
    ):
        p = replace(p, where=where)
    if settings is not None and p.settings is None:
        p = replace(p, settings=settings)
    return p


def _merged(value: LiteralValue | Unknown, parts: Sequence[Possible]) -> Possible:
    conditions: list[Condition] = []
    for part in parts:
        conditions.extend(c for c in part.conditions if c not in conditions)
    return Possible(
        value,
        where=next((p.where for p in parts if p.where is not None), None),
        env=next((p.env for p in parts if p.env is not None), None),
        settings=next((p.settings for p in parts if p.settings is not None), None),
        conditions=tuple(conditions),
    )


def _field(fact: ClassFact, name: str) -> FieldFact | None:
    return next((f for f in fact.fields if f.name == name), None)


def _is_settings_base(ext: External) -> bool:
    return ext.top in SETTINGS_PACKAGES and ext.last == SETTINGS_BASE
