"""Per-file extraction: one parsed module in, one `ModuleFacts` out.

Pure and independent of every other file, so it can run in parallel and be
cached. Only statement shapes that matter to FastAPI are looked at: imports,
assignments, function and class definitions, and calls that wire an app.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import libcst as cst
from libcst.metadata import CodeRange, PositionProvider

from fastlint.facts.builder import ExprBuilder, Observer
from fastlint.facts.expr import Attr, Call, Expr, Iterate, Name
from fastlint.facts.types import (
    Assignment,
    AttrAssignment,
    ClassFact,
    Decorator,
    FieldFact,
    FunctionFact,
    Import,
    ModuleFacts,
    Param,
    Scope,
)
from fastlint.span import Span

# Methods whose calls wire routers, sub-apps, middleware and routes together.
WIRING_METHODS = frozenset(
    {
        "include_router",
        "mount",
        "add_middleware",
        "add_api_route",
        "add_api_websocket_route",
        "add_route",
        "add_websocket_route",
        "add_exception_handler",
    }
)

CONDITIONAL_BLOCKS = (cst.If, cst.Try, cst.For, cst.While, cst.Match, cst.TryStar)


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
    return_values: list[Expr] = field(default_factory=list)
    raises: list[Expr] = field(default_factory=list)

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
        )


class Extractor:
    """Walks one module's statements and records facts."""

    def __init__(self, module: cst.Module, path: str) -> None:
        self.path = path
        wrapper = cst.MetadataWrapper(module, unsafe_skip_copy=True)
        self._positions = wrapper.resolve(PositionProvider)
        self._module = module
        self.builder = ExprBuilder(self.span_of)
        self.star_imports: list[tuple[str, int]] = []

    def span_of(self, node: cst.CSTNode) -> Span:
        pos: CodeRange = self._positions[node]
        return Span(pos.start.line, pos.start.column + 1, pos.end.line, pos.end.column + 1)

    def run(self) -> ModuleFacts:
        scope = _ScopeBuilder()
        self._block(self._module.body, scope, conditional=False)
        return ModuleFacts(
            path=self.path,
            scope=scope.freeze(),
            star_imports=tuple(self.star_imports),
        )

    # -- statements ---------------------------------------------------------

    def _block(
        self,
        body: Sequence[cst.BaseStatement | cst.BaseSmallStatement],
        scope: _ScopeBuilder,
        conditional: bool,
    ) -> None:
        for stmt in body:
            self._statement(stmt, scope, conditional)

    def _statement(
        self,
        stmt: cst.BaseStatement | cst.BaseSmallStatement,
        scope: _ScopeBuilder,
        conditional: bool,
    ) -> None:
        if isinstance(stmt, cst.SimpleStatementLine):
            self._block(stmt.body, scope, conditional)
        elif isinstance(stmt, cst.FunctionDef):
            fact = self._function(stmt)
            scope.functions[fact.name] = fact
        elif isinstance(stmt, cst.ClassDef):
            cls = self._class(stmt)
            scope.classes[cls.name] = cls
        elif isinstance(stmt, (cst.Assign, cst.AnnAssign, cst.AugAssign)):
            self._assignment(stmt, scope, conditional)
        elif isinstance(stmt, (cst.Import, cst.ImportFrom)):
            self._import(stmt, scope)
        elif isinstance(stmt, cst.Expr):
            value = self._expression(stmt.value)
            if isinstance(value, Call):
                if isinstance(value.func, Attr) and value.func.attr in WIRING_METHODS:
                    scope.wiring.append(value)
                elif isinstance(value.func, (Name, Attr)) and value.args:
                    scope.calls.append(value)
        elif isinstance(stmt, cst.Return):
            if stmt.value is not None:
                value = self._expression(stmt.value)
                scope.return_values.append(value)
                if isinstance(value, Call):
                    scope.constructed.append((value, conditional))
        elif isinstance(stmt, cst.Raise):
            if stmt.exc is not None:
                scope.raises.append(self._expression(stmt.exc))
        elif isinstance(stmt, CONDITIONAL_BLOCKS):
            self._compound(stmt, scope)
        elif isinstance(stmt, cst.With):
            for item in stmt.items:
                self._expression(item.item)
            self._suite(stmt.body, scope, conditional)
        elif isinstance(stmt, cst.TypeAlias):
            value = self.builder.build(stmt.value)
            scope.assignments.setdefault(stmt.name.value, []).append(Assignment(value, conditional))

    def _compound(self, stmt: cst.BaseCompoundStatement, scope: _ScopeBuilder) -> None:
        """if/try/for/while/match: everything inside binds conditionally."""
        if isinstance(stmt, (cst.If, cst.While)):
            self._expression(stmt.test)
            orelse = stmt.orelse
            while isinstance(orelse, cst.If):
                self._expression(orelse.test)
                orelse = orelse.orelse
        elif isinstance(stmt, cst.For):
            iterable = self._expression(stmt.iter)
            if isinstance(stmt.target, cst.Name):
                scope.assignments.setdefault(stmt.target.value, []).append(
                    Assignment(Iterate(iterable), conditional=True)
                )
        elif isinstance(stmt, cst.Match):
            self._expression(stmt.subject)
        for suite in _suites(stmt):
            self._suite(suite, scope, conditional=True)

    def _suite(self, suite: cst.BaseSuite, scope: _ScopeBuilder, conditional: bool) -> None:
        self._block(suite.body, scope, conditional)

    def _expression(self, node: cst.BaseExpression) -> Expr:
        return self.builder.build(node)

    def _assignment(
        self,
        stmt: cst.Assign | cst.AnnAssign | cst.AugAssign,
        scope: _ScopeBuilder,
        conditional: bool,
    ) -> None:
        if stmt.value is None:
            return
        value = self._expression(stmt.value)
        if isinstance(value, Call):
            scope.constructed.append((value, conditional))
        annotation = None
        if isinstance(stmt, cst.AnnAssign):
            annotation = self.builder.build(stmt.annotation.annotation)
        targets: list[cst.BaseAssignTargetExpression | cst.BaseExpression]
        if isinstance(stmt, cst.Assign):
            targets = [t.target for t in stmt.targets]
        else:
            targets = [stmt.target]
        for target in targets:
            if isinstance(target, cst.Name):
                if isinstance(stmt, cst.AugAssign):
                    continue
                scope.assignments.setdefault(target.value, []).append(
                    Assignment(value, conditional, annotation)
                )
            elif isinstance(target, cst.Attribute):
                target_expr = self.builder.build(target)
                scope.attr_assignments.append(AttrAssignment(target_expr, value))

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

    def _function(self, node: cst.FunctionDef) -> FunctionFact:
        decorators = tuple(
            Decorator(self.builder.build(d.decorator), self.span_of(d)) for d in node.decorators
        )
        params = tuple(self._param(p) for p in _all_params(node.params))
        returns = self.builder.build(node.returns.annotation) if node.returns else None
        outer = self.builder.observer
        self.builder.observer = Observer()
        body = _ScopeBuilder()
        self._suite(node.body, body, conditional=False)
        observed = self.builder.observer
        self.builder.observer = outer
        # What a nested function does is also done by its parent when called.
        outer.calls.extend(observed.calls)
        outer.auth_status_codes |= observed.auth_status_codes
        return FunctionFact(
            name=node.name.value,
            span=self._def_span(node),
            is_async=node.asynchronous is not None,
            decorators=decorators,
            params=params,
            returns=returns,
            scope=body.freeze(),
            return_values=tuple(body.return_values),
            raises=tuple(body.raises),
            called=tuple(c.func for c in observed.calls if isinstance(c.func, (Name, Attr))),
            auth_status_codes=frozenset(observed.auth_status_codes),
        )

    def _def_span(self, node: cst.FunctionDef | cst.ClassDef) -> Span:
        """From the `def`/`class` keyword to the end of the name."""
        whole = self._positions[node]
        name = self._positions[node.name]
        return Span(whole.start.line, whole.start.column + 1, name.end.line, name.end.column + 1)

    def _param(self, param: cst.Param) -> Param:
        annotation = self.builder.build(param.annotation.annotation) if param.annotation else None
        default = self.builder.build(param.default) if param.default else None
        return Param(param.name.value, annotation, default)

    def _class(self, node: cst.ClassDef) -> ClassFact:
        bases = tuple(self.builder.build(a.value) for a in node.bases if not a.star)
        keywords = tuple(
            (a.keyword.value, self.builder.build(a.value)) for a in node.keywords if a.keyword
        )
        fields: list[FieldFact] = []
        methods: dict[str, FunctionFact] = {}
        class_attrs: dict[str, Expr] = {}
        config: dict[str, Expr] = {}
        for stmt in _statements(node.body):
            if isinstance(stmt, cst.FunctionDef):
                methods[stmt.name.value] = self._function(stmt)
            elif (
                isinstance(stmt, cst.AnnAssign)
                and isinstance(stmt.target, cst.Name)
                and stmt.target.value == "model_config"
            ):
                if stmt.value is not None:
                    class_attrs["model_config"] = self.builder.build(stmt.value)
            elif isinstance(stmt, cst.AnnAssign) and isinstance(stmt.target, cst.Name):
                fields.append(
                    FieldFact(
                        name=stmt.target.value,
                        annotation=self.builder.build(stmt.annotation.annotation),
                        default=self.builder.build(stmt.value) if stmt.value else None,
                        span=self.span_of(stmt.target),
                    )
                )
            elif isinstance(stmt, cst.Assign):
                value = self.builder.build(stmt.value)
                for target in stmt.targets:
                    if isinstance(target.target, cst.Name):
                        class_attrs[target.target.value] = value
            elif isinstance(stmt, cst.ClassDef) and stmt.name.value == "Config":
                for inner in _statements(stmt.body):
                    if isinstance(inner, cst.Assign):
                        for target in inner.targets:
                            if isinstance(target.target, cst.Name):
                                config[target.target.value] = self.builder.build(inner.value)
        return ClassFact(
            name=node.name.value,
            span=self._def_span(node),
            bases=bases,
            keywords=keywords,
            fields=tuple(fields),
            methods=methods,
            class_attrs=class_attrs,
            config=config,
        )


def _statements(suite: cst.BaseSuite) -> list[cst.BaseStatement | cst.BaseSmallStatement]:
    """The statements of a class body, small statements unpacked."""
    result: list[cst.BaseStatement | cst.BaseSmallStatement] = []
    for stmt in suite.body:
        if isinstance(stmt, cst.SimpleStatementLine):
            result.extend(stmt.body)
        else:
            result.append(stmt)
    return result


def _suites(stmt: cst.BaseCompoundStatement) -> list[cst.BaseSuite]:
    """Every block nested directly in a compound statement, else/finally included."""
    if isinstance(stmt, cst.Match):
        return [case.body for case in stmt.cases]
    suites: list[cst.BaseSuite] = [stmt.body]
    if isinstance(stmt, (cst.Try, cst.TryStar)):
        suites.extend(h.body for h in stmt.handlers)
        if stmt.finalbody is not None:
            suites.append(stmt.finalbody.body)
    orelse = getattr(stmt, "orelse", None)
    while orelse is not None:
        if isinstance(orelse, cst.If):  # elif chain: its test is read by the caller
            suites.append(orelse.body)
            orelse = orelse.orelse
        else:
            suites.append(orelse.body)
            orelse = None
    return suites


def _all_params(params: cst.Parameters) -> list[cst.Param]:
    result = [*params.posonly_params, *params.params, *params.kwonly_params]
    for extra in (params.star_arg, params.star_kwarg):
        if isinstance(extra, cst.Param):
            result.append(extra)
    return result


def _dotted_name(node: cst.BaseExpression) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{_dotted_name(node.value)}.{node.attr.value}"
    return ""


def extract(module: cst.Module, path: str) -> ModuleFacts:
    """The facts of one parsed module."""
    return Extractor(module, path).run()
