"""Per-file extraction: one parsed module in, one `ModuleFacts` out.

Pure and independent of every other file, so it can run in parallel and be
cached. Only statement shapes that matter to FastAPI are looked at: imports,
assignments, function and class definitions, and calls that wire an app.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import libcst as cst
from libcst.metadata import CodeRange, PositionProvider

from fastlint.facts.builder import BINARY_OPERATORS, ExprBuilder, Observer
from fastlint.facts.expr import Attr, BinOp, Call, Const, Expr, Iterate, Name, Seq, Subscript
from fastlint.facts.positions import AstPositions, ModuleCalls
from fastlint.facts.types import (
    EMPTY_BODY,
    Assignment,
    AttrAssignment,
    BodyFacts,
    ClassFact,
    Decorator,
    FieldFact,
    FunctionFact,
    Guard,
    Handler,
    Import,
    ModuleFacts,
    Param,
    Scope,
    WithBinding,
)
from fastlint.knowledge.fastapi_starlette import REGISTERING_METHODS, WIRING_METHODS
from fastlint.span import Span

CONDITIONAL_BLOCKS = (cst.If, cst.Try, cst.For, cst.While, cst.Match, cst.TryStar)

Statement = cst.BaseStatement | cst.BaseSmallStatement
# The same statement or expression in CPython's `ast` tree, when known.
Twin = ast.AST | None
T = TypeVar("T")
# How a block ends: "raise", "return", "continue", "break" or "falls through", and
# what is raised or returned.
Outcome = tuple[str, Expr | None]
FALLS_THROUGH: Outcome = ("falls through", None)


@dataclass
class _ScopeBuilder:
    assignments: dict[str, list[Assignment]] = field(default_factory=dict)
    functions: dict[str, FunctionFact] = field(default_factory=dict)
    classes: dict[str, ClassFact] = field(default_factory=dict)
    imports: dict[str, Import] = field(default_factory=dict)
    wiring: list[Call] = field(default_factory=list)
    attr_assignments: list[AttrAssignment] = field(default_factory=list)
    constructed: list[tuple[Call, bool]] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)
    shadowed: list[FunctionFact] = field(default_factory=list)
    augmented: dict[str, list[Assignment]] = field(default_factory=dict)
    item_assignments: list[AttrAssignment] = field(default_factory=list)
    return_values: list[Expr] = field(default_factory=list)
    raises: list[Expr] = field(default_factory=list)
    bare_raises: int = 0
    guards: list[Guard] = field(default_factory=list)
    handlers: list[Handler] = field(default_factory=list)
    with_bindings: list[WithBinding] = field(default_factory=list)

    def body(self, observer: Observer) -> BodyFacts:
        """What the body does, from this builder and what `observer` saw."""
        if not (
            observer.own_calls
            or observer.compares
            or observer.names
            or self.guards
            or self.handlers
            or self.with_bindings
        ):
            return EMPTY_BODY
        return BodyFacts(
            calls=tuple(observer.own_calls),
            compares=tuple(observer.compares),
            guards=tuple(self.guards),
            handlers=tuple(self.handlers),
            with_bindings=tuple(self.with_bindings),
            names_read=frozenset(observer.names),
        )

    def bind(self, observer: Observer) -> None:
        """The names assignment expressions bound (`if key := os.getenv("KEY"):`),
        each a conditional assignment of the value."""
        for name, value in observer.bound:
            self.assignments.setdefault(name, []).append(Assignment(value, True))

    def freeze(self) -> Scope:
        return Scope(
            assignments={k: tuple(v) for k, v in self.assignments.items()},
            functions=self.functions,
            classes=self.classes,
            imports=self.imports,
            wiring=tuple(self.wiring),
            attr_assignments=tuple(self.attr_assignments),
            constructed=tuple(self.constructed),
            calls=tuple(self.calls),
            shadowed=tuple(self.shadowed),
            augmented={k: tuple(v) for k, v in self.augmented.items()},
            item_assignments=tuple(self.item_assignments),
        )


class Extractor:
    """Walks one module's statements and records facts.

    `tree` is the same module parsed by CPython (None if it could not be): its
    nodes give positions cheaply; without it, libcst's metadata is used.
    """

    def __init__(self, module: cst.Module, path: str, tree: ast.Module | None, text: str) -> None:
        self.path = path
        self._module = module
        self._tree = tree
        self._positions = AstPositions(text) if tree is not None else None
        self._cst_positions: Mapping[cst.CSTNode, CodeRange] | None = None
        calls = ModuleCalls(tree) if tree is not None else None
        self.builder = ExprBuilder(self.span_of, self._positions, calls)
        self.star_imports: list[tuple[str, int]] = []

    def span_of(self, node: cst.CSTNode) -> Span:
        """A node's span from libcst's own metadata, computed for the whole file on
        first use: the slow path, for nodes without a certain `ast` twin."""
        if self._cst_positions is None:
            wrapper = cst.MetadataWrapper(self._module, unsafe_skip_copy=True)
            self._cst_positions = wrapper.resolve(PositionProvider)
        pos = self._cst_positions[node]
        return Span(pos.start.line, pos.start.column + 1, pos.end.line, pos.end.column + 1)

    def _statement_span(self, stmt: cst.CSTNode, twin: Twin) -> Span:
        """A statement's span, from its `ast` twin when there is one."""
        if self._positions is not None and isinstance(twin, ast.stmt):
            return self._positions.span(twin)
        return self.span_of(stmt)

    @property
    def used_fallback(self) -> bool:
        """Whether any position had to come from libcst's metadata."""
        return self._cst_positions is not None

    def run(self) -> ModuleFacts:
        scope = _ScopeBuilder()
        self._block(self._module.body, self._tree.body if self._tree else None, scope, False)
        scope.bind(self.builder.observer)
        return ModuleFacts(
            path=self.path,
            scope=scope.freeze(),
            star_imports=tuple(self.star_imports),
            body=scope.body(self.builder.observer),
        )

    def _expression(self, node: cst.BaseExpression, twin: Twin) -> Expr:
        return self.builder.convert(node, twin)

    # -- statements ---------------------------------------------------------

    def _block(
        self,
        body: Sequence[Statement],
        twins: Sequence[ast.stmt] | None,
        scope: _ScopeBuilder,
        conditional: bool,
    ) -> Outcome:
        """Record a block's statements; how the block ends (its last statement)."""
        outcome = FALLS_THROUGH
        for stmt, twin in _paired(body, twins):
            outcome = self._statement(stmt, twin, scope, conditional)
        return outcome

    def _statement(
        self, stmt: Statement, twin: Twin, scope: _ScopeBuilder, conditional: bool
    ) -> Outcome:
        if isinstance(stmt, cst.FunctionDef):
            fact = self._function(stmt, twin)
            earlier = scope.functions.get(fact.name)
            if earlier is not None and (earlier.decorators or conditional):
                scope.shadowed.append(earlier)  # `if ...: def f()` / `else: def f()` too
            scope.functions[fact.name] = fact
        elif isinstance(stmt, cst.ClassDef):
            cls = self._class(stmt, twin)
            scope.classes[cls.name] = cls
        elif isinstance(stmt, (cst.Assign, cst.AnnAssign, cst.AugAssign)):
            self._assignment(stmt, twin, scope, conditional)
        elif isinstance(stmt, (cst.Import, cst.ImportFrom)):
            self._import(stmt, scope)
        elif isinstance(stmt, cst.Expr):
            value = self._expression(stmt.value, _field(twin, "value"))
            if isinstance(value, Call):
                wires = isinstance(value.func, Attr) and value.func.attr in WIRING_METHODS
                if wires or _registers_route(value):  # also `router.get("/x")(handler)`
                    scope.wiring.append(value)
                elif isinstance(value.func, (Name, Attr)) and value.args:
                    scope.calls.append(value)
        elif isinstance(stmt, cst.Return):
            if stmt.value is None:
                return ("return", None)
            value = self._expression(stmt.value, _field(twin, "value"))
            scope.return_values.append(value)
            if isinstance(value, Call):
                scope.constructed.append((value, conditional))
                # `return self.app.add_api_route(path, endpoint, **kw)`: a wrapper's
                if isinstance(value.func, Attr) and value.func.attr in WIRING_METHODS:
                    scope.wiring.append(value)
            return ("return", value)
        elif isinstance(stmt, cst.Raise):
            if stmt.exc is None:
                scope.bare_raises += 1
                return ("raise", None)
            exc = self._expression(stmt.exc, _field(twin, "exc"))
            scope.raises.append(exc)
            if stmt.cause is not None:
                self._expression(stmt.cause.item, _field(twin, "cause"))
            return ("raise", exc)
        elif isinstance(stmt, CONDITIONAL_BLOCKS):
            self._compound(stmt, twin, scope)
        elif isinstance(stmt, cst.With):
            return self._with(stmt, twin, scope, conditional)
        elif isinstance(stmt, cst.Assert):
            self._expression(stmt.test, _field(twin, "test"))
            if stmt.msg is not None:
                self._expression(stmt.msg, _field(twin, "msg"))
        elif isinstance(stmt, (cst.Continue, cst.Break)):
            return ("continue" if isinstance(stmt, cst.Continue) else "break", None)
        elif isinstance(stmt, cst.TypeAlias):
            value = self._expression(stmt.value, _field(twin, "value"))
            scope.assignments.setdefault(stmt.name.value, []).append(Assignment(value, conditional))
        return FALLS_THROUGH

    def _with(self, stmt: cst.With, twin: Twin, scope: _ScopeBuilder, conditional: bool) -> Outcome:
        for item, item_twin in _paired(stmt.items, _field(twin, "items")):
            value = self._expression(item.item, _field(item_twin, "context_expr"))
            if item.asname is not None and isinstance(item.asname.name, cst.Name):
                span = None
                if self._positions is not None and isinstance(item_twin, ast.withitem):
                    target = item_twin.optional_vars
                    if target is not None:
                        whole = self._positions.span(item_twin.context_expr)
                        end = self._positions.span(target)
                        span = Span(whole.line, whole.column, end.end_line, end.end_column)
                scope.with_bindings.append(
                    WithBinding(item.asname.name.value, value, span or self.span_of(item))
                )
        return self._block(stmt.body.body, _field(twin, "body"), scope, conditional)

    def _compound(self, stmt: cst.BaseCompoundStatement, twin: Twin, scope: _ScopeBuilder) -> None:
        """if/try/for/while/match: everything inside binds conditionally."""
        if isinstance(stmt, cst.If):
            self._if(stmt, twin, scope)
            return
        if isinstance(stmt, (cst.Try, cst.TryStar)):
            self._try(stmt, twin, scope)
            return
        if isinstance(stmt, cst.While):
            self._expression(stmt.test, _field(twin, "test"))
        elif isinstance(stmt, cst.For):
            iterable = self._expression(stmt.iter, _field(twin, "iter"))
            if isinstance(stmt.target, cst.Name):
                scope.assignments.setdefault(stmt.target.value, []).append(
                    Assignment(Iterate(iterable), conditional=True)
                )
            elif isinstance(stmt.target, (cst.Tuple, cst.List)):
                # `for prefix, router in ROUTERS.items()`: each name is one position
                # of every element.
                for position, element in enumerate(stmt.target.elements):
                    if isinstance(element.value, cst.Name):
                        item = Subscript(Iterate(iterable), (Const(position),))
                        scope.assignments.setdefault(element.value.value, []).append(
                            Assignment(item, conditional=True)
                        )
        elif isinstance(stmt, cst.Match):
            self._expression(stmt.subject, _field(twin, "subject"))
        for suite, suite_twin in _suites(stmt, twin):
            self._block(suite.body, suite_twin, scope, conditional=True)

    def _if(self, stmt: cst.If, twin: Twin, scope: _ScopeBuilder) -> None:
        """An `if`/`elif` chain: each test is a guard with how its branch ends."""
        node: cst.If | cst.Else | None = stmt
        current: Any = twin  # the `if` statement, then the `else` statements
        while isinstance(node, cst.If):
            test_twin = _field(current, "test")
            test = self._expression(node.test, test_twin)
            span = None
            if self._positions is not None and isinstance(test_twin, ast.expr):
                span = self._positions.span(test_twin)
            body_twins = _field(current, "body")
            outcome, value = self._block(node.body.body, body_twins, scope, True)
            block = self._block_span(node.body, body_twins)
            scope.guards.append(Guard(test, span or self.span_of(node.test), outcome, value, block))
            node, current = node.orelse, _field(current, "orelse")
            if isinstance(node, cst.If):
                current = _only(current)
        if node is not None:
            self._block(node.body.body, current, scope, True)

    def _block_span(self, suite: cst.BaseSuite, twins: Any) -> Span:
        """Where a branch's statements are, from their `ast` twins when known."""
        if self._positions is not None and isinstance(twins, list) and twins:
            first, last = self._positions.span(twins[0]), self._positions.span(twins[-1])
            return Span(first.line, first.column, last.end_line, last.end_column)
        return self.span_of(suite)

    def _try(self, stmt: cst.Try | cst.TryStar, twin: Twin, scope: _ScopeBuilder) -> None:
        """try/except/else/finally; each handler records what it catches and does."""
        self._block(stmt.body.body, _field(twin, "body"), scope, True)
        handlers: Sequence[cst.ExceptHandler | cst.ExceptStarHandler] = stmt.handlers
        for handler, h_twin in _paired(handlers, _field(twin, "handlers")):
            types: tuple[Expr, ...] = ()
            if handler.type is not None:
                caught = self._expression(handler.type, _field(h_twin, "type"))
                types = caught.items if isinstance(caught, Seq) else (caught,)
            name = None
            if handler.name is not None and isinstance(handler.name.name, cst.Name):
                name = handler.name.name.value
            raises, returns, bare = (
                len(scope.raises),
                len(scope.return_values),
                scope.bare_raises,
            )
            self._block(handler.body.body, _field(h_twin, "body"), scope, True)
            if self._positions is not None and isinstance(h_twin, ast.ExceptHandler):
                span = self._positions.handler_span(h_twin)
            else:
                span = self._handler_span(handler)
            scope.handlers.append(
                Handler(
                    types=types,
                    name=name,
                    raises=tuple(scope.raises[raises:]),
                    reraises=scope.bare_raises > bare,
                    returns=tuple(scope.return_values[returns:]),
                    span=span,
                )
            )
        # `finally` before `else`: the order earlier versions recorded bindings in.
        if stmt.finalbody is not None:
            self._block(stmt.finalbody.body.body, _field(twin, "finalbody"), scope, True)
        if stmt.orelse is not None:
            self._block(stmt.orelse.body.body, _field(twin, "orelse"), scope, True)

    def _handler_span(self, handler: cst.ExceptHandler | cst.ExceptStarHandler) -> Span:
        """`except` up to the end of the last type, from libcst's positions (the slow path)."""
        whole = self.span_of(handler)
        if handler.type is None:
            return Span(whole.line, whole.column, whole.line, whole.column + len("except"))
        last = handler.type
        if isinstance(last, cst.Tuple) and last.elements:
            last = last.elements[-1].value
        end = self.span_of(last)
        return Span(whole.line, whole.column, end.end_line, end.end_column)

    def _assignment(
        self,
        stmt: cst.Assign | cst.AnnAssign | cst.AugAssign,
        twin: Twin,
        scope: _ScopeBuilder,
        conditional: bool,
    ) -> None:
        if stmt.value is None:
            return
        value = self._expression(stmt.value, _field(twin, "value"))
        if isinstance(value, Call):
            scope.constructed.append((value, conditional))
        annotation = None
        if isinstance(stmt, cst.AnnAssign):
            annotation = self._expression(stmt.annotation.annotation, _field(twin, "annotation"))
        targets: list[cst.BaseAssignTargetExpression | cst.BaseExpression]
        target_twins: Sequence[ast.expr] | None
        if isinstance(stmt, cst.Assign):
            targets = [t.target for t in stmt.targets]
            target_twins = _field(twin, "targets")
        else:
            targets = [stmt.target]
            target_twins = (
                [twin.target] if isinstance(twin, (ast.AnnAssign, ast.AugAssign)) else None
            )
        for target, target_twin in _paired(targets, target_twins):
            if isinstance(target, cst.Name):
                if isinstance(stmt, cst.AugAssign):
                    if isinstance(stmt.operator, cst.AddAssign) and isinstance(value, Seq):
                        # `routes += [Route(...)]` grows the list as `routes.extend` does
                        extend = Attr(Name(target.value), "extend")
                        span = self._statement_span(stmt, twin)
                        scope.calls.append(Call(extend, (value,), (), False, span))
                    self._augmented(stmt, target.value, value, scope, twin)
                    continue
                scope.assignments.setdefault(target.value, []).append(
                    Assignment(value, conditional, annotation, self._statement_span(stmt, twin))
                )
            elif isinstance(target, cst.Attribute):
                target_expr = self._expression(target, target_twin)
                scope.attr_assignments.append(
                    AttrAssignment(target_expr, value, self._statement_span(stmt, twin))
                )
            elif _header_item(target) and not isinstance(stmt, cst.AugAssign):
                target_expr = self._expression(target, target_twin)
                scope.item_assignments.append(
                    AttrAssignment(target_expr, value, self._statement_span(stmt, twin))
                )
            elif isinstance(target, (cst.Tuple, cst.List)) and not isinstance(stmt, cst.AugAssign):
                # `scheme, _, token = header.partition(" ")`: each name is one position.
                for position, element in enumerate(target.elements):
                    if isinstance(element, cst.Element) and isinstance(element.value, cst.Name):
                        item = Subscript(value, (Const(position),))
                        scope.assignments.setdefault(element.value.value, []).append(
                            Assignment(item, conditional, None)
                        )

    def _augmented(
        self, stmt: cst.AugAssign, name: str, value: Expr, scope: _ScopeBuilder, twin: Twin
    ) -> None:
        """`name += value`, recorded as `name = name + value` apart from assignments."""
        operator = type(stmt.operator).__name__.removesuffix("Assign")
        op = BINARY_OPERATORS.get(operator, "?")
        whole = BinOp(Name(name), op, value)
        scope.augmented.setdefault(name, []).append(
            Assignment(whole, True, None, self._statement_span(stmt, twin))
        )

    def _import(self, stmt: cst.Import | cst.ImportFrom, scope: _ScopeBuilder) -> None:
        if isinstance(stmt, cst.Import):
            for alias in stmt.names:
                module = _dotted_name(alias.name)
                if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                    local = alias.asname.name.value
                    scope.imports[local] = Import(local, module, 0, None)
                else:
                    # `import a.b.c` binds `a`; attribute access walks down from there.
                    top = module.split(".")[0]
                    scope.imports[top] = Import(top, top, 0, None)
            return
        module = _dotted_name(stmt.module) if stmt.module is not None else ""
        level = len(stmt.relative)
        if isinstance(stmt.names, cst.ImportStar):
            self.star_imports.append((module, level))
            return
        for alias in stmt.names:
            name = _dotted_name(alias.name)
            local = name
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                local = alias.asname.name.value
            scope.imports[local] = Import(local, module, level, name)

    # -- definitions ----------------------------------------------------------

    def _function(self, node: cst.FunctionDef, twin: Twin) -> FunctionFact:
        if not isinstance(twin, (ast.FunctionDef, ast.AsyncFunctionDef)):
            twin = None
        decorators = tuple(
            self._decorator(d, d_twin)
            for d, d_twin in _paired(node.decorators, twin.decorator_list if twin else None)
        )
        params = tuple(
            self._param(p, p_twins)
            for p, p_twins in _paired(_all_params(node.params), _param_twins(twin))
        )
        returns = None
        if node.returns:
            returns = self._expression(node.returns.annotation, _field(twin, "returns"))
        outer = self.builder.observer
        self.builder.observer = Observer()
        body = _ScopeBuilder()
        self._block(node.body.body, _field(twin, "body"), body, conditional=False)
        observed = self.builder.observer
        self.builder.observer = outer
        body.bind(observed)
        # What a nested function does is also done by its parent when called.
        outer.calls.extend(observed.calls)
        outer.status_codes |= observed.status_codes
        outer.status_names |= observed.status_names
        return FunctionFact(
            name=node.name.value,
            span=self._def_span(node, twin),
            is_async=node.asynchronous is not None,
            decorators=decorators,
            params=params,
            returns=returns,
            scope=body.freeze(),
            return_values=tuple(body.return_values),
            raises=tuple(body.raises),
            called=tuple(c.func for c in observed.calls if isinstance(c.func, (Name, Attr))),
            status_codes=frozenset(observed.status_codes),
            status_names=frozenset(observed.status_names),
            body=body.body(observed),
        )

    def _decorator(self, node: cst.Decorator, twin: Twin) -> Decorator:
        expr = self._expression(node.decorator, twin)
        span = None
        if isinstance(twin, ast.expr) and self._positions is not None:
            span = self._positions.decorator_span(twin)
        return Decorator(expr, span or self.span_of(node))

    def _def_span(self, node: cst.FunctionDef | cst.ClassDef, twin: Twin) -> Span:
        """From the `def`/`class` keyword to the end of the name."""
        if self._positions is not None and isinstance(
            twin, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
        ):
            span = self._positions.def_span(twin)
            if span is not None:
                return span
        whole, name = self.span_of(node), self.span_of(node.name)
        return Span(whole.line, whole.column, name.end_line, name.end_column)

    def _param(self, param: tuple[cst.Param, str], twins: ParamTwins | None) -> Param:
        node, kind = param
        name_twin, annotation_twin, default_twin = twins or (None, None, None)
        annotation = None
        if node.annotation:
            annotation = self._expression(node.annotation.annotation, annotation_twin)
        default = self._expression(node.default, default_twin) if node.default else None
        if self._positions is not None and name_twin is not None:
            span = self._positions.name_span(name_twin)
        else:
            span = self.span_of(node.name)
        return Param(node.name.value, annotation, default, span, kind)

    def _class(self, node: cst.ClassDef, twin: Twin) -> ClassFact:
        if not isinstance(twin, ast.ClassDef):
            twin = None
        base_twins = [b for b in twin.bases if not isinstance(b, ast.Starred)] if twin else None
        bases = tuple(
            self._expression(a.value, a_twin)
            for a, a_twin in _paired([a for a in node.bases if not a.star], base_twins)
        )
        keyword_twins = [k.value for k in twin.keywords if k.arg] if twin else None
        keywords = tuple(
            (a.keyword.value, self._expression(a.value, a_twin))
            for a, a_twin in _paired([a for a in node.keywords if a.keyword], keyword_twins)
            if a.keyword
        )
        fields: list[FieldFact] = []
        methods: dict[str, FunctionFact] = {}
        class_attrs: dict[str, Expr] = {}
        config: dict[str, Expr] = {}
        for stmt, s_twin in _paired(node.body.body, _field(twin, "body")):
            if isinstance(stmt, cst.FunctionDef):
                methods[stmt.name.value] = self._function(stmt, s_twin)
            elif isinstance(stmt, cst.AnnAssign) and isinstance(stmt.target, cst.Name):
                annotation = self._expression(
                    stmt.annotation.annotation, _field(s_twin, "annotation")
                )
                default = None
                if stmt.value is not None:
                    default = self._expression(stmt.value, _field(s_twin, "value"))
                if stmt.target.value == "model_config":
                    if default is not None:
                        class_attrs["model_config"] = default
                    continue
                fields.append(
                    FieldFact(
                        name=stmt.target.value,
                        annotation=annotation,
                        default=default,
                        span=self._name_span(stmt.target, _field(s_twin, "target")),
                    )
                )
            elif isinstance(stmt, cst.Assign):
                value = self._expression(stmt.value, _field(s_twin, "value"))
                for target in stmt.targets:
                    if isinstance(target.target, cst.Name):
                        class_attrs[target.target.value] = value
            elif isinstance(stmt, cst.ClassDef) and stmt.name.value == "Config":
                for inner, i_twin in _paired(stmt.body.body, _field(s_twin, "body")):
                    if isinstance(inner, cst.Assign):
                        value = self._expression(inner.value, _field(i_twin, "value"))
                        for target in inner.targets:
                            if isinstance(target.target, cst.Name):
                                config[target.target.value] = value
        return ClassFact(
            name=node.name.value,
            span=self._def_span(node, twin),
            bases=bases,
            keywords=keywords,
            fields=tuple(fields),
            methods=methods,
            class_attrs=class_attrs,
            config=config,
        )

    def _name_span(self, node: cst.Name, twin: Twin) -> Span:
        if self._positions is not None and isinstance(twin, ast.Name):
            return self._positions.span(twin)
        return self.span_of(node)


def _header_item(target: cst.BaseExpression) -> bool:
    """`a.b["key"]`: a dotted name subscripted with one string (no calls inside)."""
    return (
        isinstance(target, cst.Subscript)
        and all(_dotted_name(target.value).split("."))
        and len(target.slice) == 1
        and isinstance(target.slice[0].slice, cst.Index)
        and isinstance(target.slice[0].slice.value, cst.SimpleString)
    )


def _registers_route(call: Call) -> bool:
    """`router.post("/x")(handler)`, `app.middleware("http")(dispatch)`: a route or a
    middleware registered without decorator syntax."""
    inner = call.func
    return (
        isinstance(inner, Call)
        and isinstance(inner.func, Attr)
        and inner.func.attr in REGISTERING_METHODS
        and len(call.args) == 1
    )


def _field(twin: Twin | Sequence[ast.AST] | None, name: str) -> Any:
    """An attribute of a twin node, or None when the twin is unknown."""
    return getattr(twin, name, None) if isinstance(twin, ast.AST) else None


def _only(twins: Any) -> Twin:
    """The single statement of an `ast` list (an `elif` is `orelse=[If(...)]`)."""
    if isinstance(twins, list) and len(twins) == 1 and isinstance(twins[0], ast.If):
        return twins[0]
    return None


def _paired(nodes: Sequence[T], twins: Sequence[Any] | None) -> list[tuple[T, Any]]:
    """`nodes` each with its twin; no twins at all when the two do not line up.

    libcst keeps `a; b` together on one line, `ast` does not: statements are
    unpacked first."""
    flat: Sequence[Any] = _flatten(nodes)
    if twins is None or len(twins) != len(flat):
        return [(node, None) for node in flat]
    return list(zip(flat, twins, strict=True))


def _flatten(nodes: Sequence[T]) -> Sequence[Any]:
    if not any(isinstance(node, cst.SimpleStatementLine) for node in nodes):
        return nodes
    flat: list[Any] = []
    for node in nodes:
        if isinstance(node, cst.SimpleStatementLine):
            flat.extend(node.body)
        else:
            flat.append(node)
    return flat


def _suites(stmt: cst.BaseCompoundStatement, twin: Twin) -> list[tuple[cst.BaseSuite, Any]]:
    """Every block nested directly in a `for`, `while` or `match`, else included,
    each with its `ast` statement list when known."""
    if isinstance(stmt, cst.Match):
        cases = _field(twin, "cases")
        return [(case.body, _field(c_twin, "body")) for case, c_twin in _paired(stmt.cases, cases)]
    suites: list[tuple[cst.BaseSuite, Any]] = [(stmt.body, _field(twin, "body"))]
    orelse = getattr(stmt, "orelse", None)
    orelse_twin = _field(twin, "orelse")
    while orelse is not None:
        if isinstance(orelse, cst.If):  # elif chain: its test is read by the caller
            elif_twin = _only(orelse_twin)
            suites.append((orelse.body, _field(elif_twin, "body")))
            orelse, orelse_twin = orelse.orelse, _field(elif_twin, "orelse")
        else:
            suites.append((orelse.body, orelse_twin))
            orelse = None
    return suites


ParamTwins = tuple[ast.arg, Twin, Twin]


def _param_twins(twin: Twin) -> list[ParamTwins] | None:
    """(name, annotation, default) of each parameter, in the order of `_all_params`."""
    if not isinstance(twin, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return None
    args = twin.args
    positional = [*args.posonlyargs, *args.args]
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults))
    defaults.extend(args.defaults)
    triples: list[ParamTwins] = [
        (p, p.annotation, d) for p, d in zip(positional, defaults, strict=True)
    ]
    triples.extend(
        (p, p.annotation, d) for p, d in zip(args.kwonlyargs, args.kw_defaults, strict=True)
    )
    triples.extend((extra, extra.annotation, None) for extra in (args.vararg, args.kwarg) if extra)
    return triples


def _all_params(params: cst.Parameters) -> list[tuple[cst.Param, str]]:
    """Every parameter with its kind: "positional" (before `/`), "normal",
    "keyword" (after `*`), "*" or "**"."""
    result = [(p, "positional") for p in params.posonly_params]
    result.extend((p, "normal") for p in params.params)
    result.extend((p, "keyword") for p in params.kwonly_params)
    for extra, kind in ((params.star_arg, "*"), (params.star_kwarg, "**")):
        if isinstance(extra, cst.Param):
            result.append((extra, kind))
    return result


def _dotted_name(node: cst.BaseExpression) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{_dotted_name(node.value)}.{node.attr.value}"
    return ""


def extract(
    module: cst.Module, path: str, tree: ast.Module | None = None, text: str = ""
) -> ModuleFacts:
    """The facts of one parsed module; `tree` and `text`, CPython's parse of the same
    source and the decoded source, make positions cheap."""
    return Extractor(module, path, tree, text).run()
