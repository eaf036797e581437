"""The facts of a context file from CPython's `ast` alone, without libcst.

A file read only because an analysed file imports it (its names, classes,
constants and helpers resolve what the analysed files say) costs a libcst parse
ten times `ast.parse`'s. This module builds the very same `ModuleFacts` the
libcst extractor (`fastlint.facts.extract`) builds, from the `ast` tree every
file is screened with anyway (`fastlint.screen`): the model cannot tell them
apart, so findings cannot change. It mirrors the extractor statement by
statement and expression by expression, visiting in the same order (the order
calls and comparisons are recorded in).

Where `ast` hides what libcst records (how a string was written: an f-string's
escapes, `{x=}`, a parenthesised tuple inside a subscript), or a position
libcst would compute differently, it raises `NeedsFullParse`: the file is
then promoted to the libcst parse, and `--verbose` says so.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Sequence

from fastlint.facts.builder import HTTP_CODES, HTTP_STATUS_NAMES, STATUS_CONSTANT, WEBSOCKET_CODES
from fastlint.facts.builder import Observer as Observer
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
)
from fastlint.facts.extract import FALLS_THROUGH, Outcome, _ScopeBuilder
from fastlint.facts.positions import AstPositions
from fastlint.facts.types import (
    Assignment,
    AttrAssignment,
    ClassFact,
    Decorator,
    FieldFact,
    FunctionFact,
    Guard,
    Handler,
    Import,
    ModuleFacts,
    Param,
    WithBinding,
)
from fastlint.knowledge.fastapi_starlette import REGISTERING_METHODS, WIRING_METHODS
from fastlint.span import Span, split_lines


class NeedsFullParse(Exception):
    """The file holds something only libcst records faithfully: parse it with libcst."""


COMPARISON = {
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.Is: "is",
    ast.IsNot: "is not",
    ast.In: "in",
    ast.NotIn: "not in",
}
UNARY = {ast.Not: "not", ast.USub: "-", ast.UAdd: "+", ast.Invert: "~"}
BINARY = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.FloorDiv: "//",
    ast.Mod: "%",
    ast.Pow: "**",
    ast.MatMult: "@",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.BitAnd: "&",
    ast.BitXor: "^",
}
AUGMENTED = {**BINARY, ast.BitOr: "?"}  # libcst's `BitOrAssign` has no entry either
CONDITIONAL = (ast.If, ast.Try, ast.For, ast.AsyncFor, ast.While, ast.Match)
TRY = (ast.Try, *((ast.TryStar,) if hasattr(ast, "TryStar") else ()))
# `{x=}` (the expression's text is part of the string), when `=` ends an expression.
_DEBUG_EXPRESSION = re.compile(r"=\s*(?:![rsa])?\s*(?::[^{}]*)?\}")


def extract_light(tree: ast.Module, path: str, text: str) -> ModuleFacts:
    """The facts of one module from its `ast` tree and decoded source
    (`NeedsFullParse` when only libcst can say)."""
    return LightExtractor(path, text).run(tree)


class LightExtractor:
    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self._ascii = text.isascii()
        self._crlf = "\r" in text
        self._lines = split_lines(text)
        self._positions = AstPositions(text)
        self.observer = Observer()
        self.star_imports: list[tuple[str, int]] = []
        self._in_fstring = False

    def run(self, tree: ast.Module) -> ModuleFacts:
        scope = _ScopeBuilder()
        self._block(tree.body, scope, False)
        scope.bind(self.observer)
        return ModuleFacts(
            path=self.path,
            scope=scope.freeze(),
            star_imports=tuple(self.star_imports),
            body=scope.body(self.observer),
        )

    # -- source text ----------------------------------------------------------

    def _segment(self, node: ast.expr) -> str:
        """The source text of `node` (columns are UTF-8 byte offsets), lines joined by `\\n`."""
        end_line = node.end_lineno or node.lineno
        end_col = node.end_col_offset or 0
        lines = self._lines[node.lineno - 1 : end_line]
        if self._ascii:
            if len(lines) == 1:
                return lines[0][node.col_offset : end_col]
            return "\n".join([lines[0][node.col_offset :], *lines[1:-1], lines[-1][:end_col]])
        raw = [line.encode("utf-8") for line in lines]
        if len(raw) == 1:
            return raw[0][node.col_offset : end_col].decode("utf-8", "replace")
        raw[0] = raw[0][node.col_offset :]
        raw[-1] = raw[-1][:end_col]
        return b"\n".join(raw).decode("utf-8", "replace")

    # -- expressions ----------------------------------------------------------

    def build(self, node: ast.expr) -> Expr:
        method = getattr(self, f"_{type(node).__name__}", None)
        if method is None:
            raise NeedsFullParse(f"expression {type(node).__name__}")
        result: Expr = method(node)
        return result

    def _note_status_name(self, name: str) -> None:
        if name in HTTP_STATUS_NAMES or STATUS_CONSTANT.fullmatch(name):
            self.observer.status_names.add(name)

    def _Name(self, node: ast.Name) -> Expr:
        self._note_status_name(node.id)
        self.observer.names.add(node.id)
        return Name(node.id)

    def _Attribute(self, node: ast.Attribute) -> Expr:
        self._note_status_name(node.attr)
        return Attr(self.build(node.value), node.attr)

    def _Constant(self, node: ast.Constant) -> Expr:
        value = node.value
        if value is None or isinstance(value, (bool, str, bytes, float)):
            return Const(value)
        if isinstance(value, int):
            if value in HTTP_CODES or value in WEBSOCKET_CODES:
                self.observer.status_codes.add(value)
            return Const(value)
        if value is Ellipsis:
            return Other("Ellipsis")
        if isinstance(value, complex):
            return Other("Imaginary")
        raise NeedsFullParse(f"constant {type(value).__name__}")

    def _Call(self, node: ast.Call) -> Expr:
        span = self._positions.span(node)
        func = self.build(node.func)
        args: list[Expr] = []
        kwargs: list[tuple[str, Expr]] = []
        has_star = False
        stars: list[tuple[str, Expr]] = []
        items: list[ast.expr | ast.keyword] = [*node.args, *node.keywords]
        if node.args and node.keywords:
            items.sort(key=lambda n: (n.lineno, n.col_offset))
        for item in items:
            if isinstance(item, ast.keyword):
                value = self.build(item.value)
                if item.arg is None:
                    has_star = True
                    stars.append(("**", value))
                else:
                    kwargs.append((item.arg, value))
            elif isinstance(item, ast.Starred):
                stars.append(("*", self.build(item.value)))
                has_star = True
            else:
                args.append(self.build(item))
        call = Call(func, tuple(args), tuple(kwargs), has_star, span, tuple(stars))
        self.observer.calls.append(call)
        self.observer.own_calls.append(call)
        return call

    def _JoinedStr(self, node: ast.JoinedStr) -> Expr:
        if self._in_fstring:
            raise NeedsFullParse("an f-string inside an f-string")
        multiline = node.end_lineno != node.lineno
        if multiline and self._crlf:
            raise NeedsFullParse("a multi-line f-string in a CRLF file")  # libcst keeps the CR
        self._in_fstring = True
        try:
            return self._fstring(node)
        finally:
            self._in_fstring = False

    def _fstring(self, node: ast.JoinedStr) -> Expr:
        source = self._segment(node)
        if _string_tokens(source) != 1:  # implicit concatenation with an f-string
            self._observe_formatted(node)
            return Other("ConcatenatedString")
        if _DEBUG_EXPRESSION.search(source):
            raise NeedsFullParse("an f-string with `=`")
        texts = _raw_texts(source)  # libcst keeps the text between expressions as written
        if texts is None:
            raise NeedsFullParse("an f-string the light reader cannot split")
        if len(texts) != len(node.values) or any(
            (text is None) != isinstance(value, ast.FormattedValue)
            for text, value in zip(texts, node.values, strict=False)
        ):
            raise NeedsFullParse("an f-string the light reader cannot split")
        parts: list[str | Expr] = []
        for text, value in zip(texts, node.values, strict=True):
            if text is not None:
                parts.append(text)
            elif isinstance(value, ast.FormattedValue):
                parts.append(self.build(value.value))
                if value.format_spec is not None:
                    self._observe_formatted(value.format_spec)
        return FString(tuple(parts))

    def _observe_formatted(self, node: ast.expr) -> None:
        for value in node.values if isinstance(node, ast.JoinedStr) else ():
            if isinstance(value, ast.FormattedValue):
                self.build(value.value)
                if value.format_spec is not None:
                    self._observe_formatted(value.format_spec)

    def _Subscript(self, node: ast.Subscript) -> Expr:
        value = self.build(node.value)
        elements: Sequence[ast.expr] = [node.slice]
        if isinstance(node.slice, ast.Tuple) and node.slice.elts:
            if self._segment(node.slice).startswith("("):
                raise NeedsFullParse("a parenthesised tuple in a subscript")
            elements = node.slice.elts
        items: list[Expr] = []
        for element in elements:
            if isinstance(element, ast.Slice):
                for part in (element.lower, element.upper, element.step):
                    if part is not None:
                        self.build(part)
                items.append(Other("Slice"))
            elif isinstance(element, ast.Starred):
                items.append(self.build(element.value))
            else:
                items.append(self.build(element))
        return Subscript(value, tuple(items))

    def _sequence(self, node: ast.List | ast.Tuple | ast.Set) -> Expr:
        items: list[Expr] = []
        for element in node.elts:
            if isinstance(element, ast.Starred):
                self.build(element.value)
                items.append(Other("Starred"))
            else:
                items.append(self.build(element))
        return Seq(tuple(items))

    _List = _Tuple = _Set = _sequence

    def _Dict(self, node: ast.Dict) -> Expr:
        items: list[tuple[Expr | None, Expr]] = []
        for key, value in zip(node.keys, node.values, strict=True):
            if key is None:
                items.append((None, self.build(value)))
            else:
                items.append((self.build(key), self.build(value)))
        return DictExpr(tuple(items))

    def _BinOp(self, node: ast.BinOp) -> Expr:
        left, right = self.build(node.left), self.build(node.right)
        if isinstance(node.op, ast.BitOr):
            return Union(left, right)
        return BinOp(left, BINARY.get(type(node.op), "?"), right)

    def _Compare(self, node: ast.Compare) -> Expr:
        span = self._positions.span(node)
        left = self.build(node.left)
        ops = tuple(
            (COMPARISON[type(op)], self.build(comparator))
            for op, comparator in zip(node.ops, node.comparators, strict=True)
        )
        compare = Compare(left, ops, span)
        self.observer.compares.append(compare)
        return compare

    def _BoolOp(self, node: ast.BoolOp) -> Expr:
        op = "and" if isinstance(node.op, ast.And) else "or"
        values: list[Expr] = []
        for side in node.values:
            value = self.build(side)
            if isinstance(value, BoolOp) and value.op == op:
                values.extend(value.values)
            else:
                values.append(value)
        return BoolOp(op, tuple(values))

    def _UnaryOp(self, node: ast.UnaryOp) -> Expr:
        operand = self.build(node.operand)
        return UnaryOp(UNARY.get(type(node.op), "?"), operand)

    def _NamedExpr(self, node: ast.NamedExpr) -> Expr:
        value = self.build(node.value)
        if isinstance(node.target, ast.Name):
            self.observer.bound.append((node.target.id, value))
        return value

    def _Lambda(self, node: ast.Lambda) -> Expr:
        for default in node.args.defaults:
            self.build(default)
        for kw_default in node.args.kw_defaults:
            if kw_default is not None:
                self.build(kw_default)
        self.build(node.body)
        return Other("Lambda")

    def _comprehension(
        self, node: ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp
    ) -> Expr:
        if isinstance(node, ast.DictComp):
            self.build(node.key)
            self.build(node.value)
        else:
            self.build(node.elt)
        source = self.build(node.generators[0].iter)
        for index, loop in enumerate(node.generators):
            if index:
                self.build(loop.iter)
            for condition in loop.ifs:
                self.build(condition)
        return Other(type(node).__name__, source)

    _ListComp = _SetComp = _GeneratorExp = _DictComp = _comprehension

    def _IfExp(self, node: ast.IfExp) -> Expr:
        body = self.build(node.body)
        test = self.build(node.test)
        return IfExp(test, body, self.build(node.orelse))

    def _Await(self, node: ast.Await) -> Expr:
        return self.build(node.value)

    def _yield(self, node: ast.Yield | ast.YieldFrom) -> Expr:
        if node.value is not None:
            self.build(node.value)
        return Other("Yield")

    _Yield = _YieldFrom = _yield

    # -- statements -------------------------------------------------------------

    def _block(self, body: Sequence[ast.stmt], scope: _ScopeBuilder, conditional: bool) -> Outcome:
        outcome = FALLS_THROUGH
        for stmt in body:
            outcome = self._statement(stmt, scope, conditional)
        return outcome

    def _statement(self, stmt: ast.stmt, scope: _ScopeBuilder, conditional: bool) -> Outcome:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            fact = self._function(stmt)
            earlier = scope.functions.get(fact.name)
            if earlier is not None and (earlier.decorators or conditional):
                scope.shadowed.append(earlier)
            scope.functions[fact.name] = fact
        elif isinstance(stmt, ast.ClassDef):
            cls = self._class(stmt)
            scope.classes[cls.name] = cls
        elif isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            self._assignment(stmt, scope, conditional)
        elif isinstance(stmt, (ast.Import, ast.ImportFrom)):
            self._import(stmt, scope)
        elif isinstance(stmt, ast.Expr):
            value = self.build(stmt.value)
            if isinstance(value, Call):
                wires = isinstance(value.func, Attr) and value.func.attr in WIRING_METHODS
                if wires or _registers_route(value):
                    scope.wiring.append(value)
                elif isinstance(value.func, (Name, Attr)) and value.args:
                    scope.calls.append(value)
        elif isinstance(stmt, ast.Return):
            if stmt.value is None:
                return ("return", None)
            value = self.build(stmt.value)
            scope.return_values.append(value)
            if isinstance(value, Call):
                scope.constructed.append((value, conditional))
                # `return self.app.add_api_route(path, endpoint, **kw)`: a wrapper's
                if isinstance(value.func, Attr) and value.func.attr in WIRING_METHODS:
                    scope.wiring.append(value)
            return ("return", value)
        elif isinstance(stmt, ast.Raise):
            if stmt.exc is None:
                scope.bare_raises += 1
                return ("raise", None)
            exc = self.build(stmt.exc)
            scope.raises.append(exc)
            if stmt.cause is not None:
                self.build(stmt.cause)
            return ("raise", exc)
        elif isinstance(stmt, (*CONDITIONAL, *TRY)):
            self._compound(stmt, scope)
        elif isinstance(stmt, (ast.With, ast.AsyncWith)):
            return self._with(stmt, scope, conditional)
        elif isinstance(stmt, ast.Assert):
            self.build(stmt.test)
            if stmt.msg is not None:
                self.build(stmt.msg)
        elif isinstance(stmt, (ast.Continue, ast.Break)):
            return ("continue" if isinstance(stmt, ast.Continue) else "break", None)
        elif type(stmt).__name__ == "TypeAlias":  # Python 3.12's `type X = ...`
            alias: ast.AST = stmt
            value = self.build(alias.value)  # type: ignore[attr-defined]
            name = alias.name.id  # type: ignore[attr-defined]
            scope.assignments.setdefault(name, []).append(Assignment(value, conditional))
        return FALLS_THROUGH

    def _with(
        self, stmt: ast.With | ast.AsyncWith, scope: _ScopeBuilder, conditional: bool
    ) -> Outcome:
        for item in stmt.items:
            value = self.build(item.context_expr)
            target = item.optional_vars
            if isinstance(target, ast.Name):
                whole = self._positions.span(item.context_expr)
                end = self._positions.span(target)
                span = Span(whole.line, whole.column, end.end_line, end.end_column)
                scope.with_bindings.append(WithBinding(target.id, value, span))
        return self._block(stmt.body, scope, conditional)

    def _compound(self, stmt: ast.stmt, scope: _ScopeBuilder) -> None:
        if isinstance(stmt, ast.If):
            self._if(stmt, scope)
            return
        if isinstance(stmt, TRY):
            self._try(stmt, scope)
            return
        suites: list[list[ast.stmt]]
        if isinstance(stmt, ast.While):
            self.build(stmt.test)
            suites = [stmt.body, stmt.orelse]
        elif isinstance(stmt, (ast.For, ast.AsyncFor)):
            iterable = self.build(stmt.iter)
            if isinstance(stmt.target, ast.Name):
                scope.assignments.setdefault(stmt.target.id, []).append(
                    Assignment(Iterate(iterable), conditional=True)
                )
            elif isinstance(stmt.target, (ast.Tuple, ast.List)):
                for position, element in enumerate(stmt.target.elts):
                    inner = element.value if isinstance(element, ast.Starred) else element
                    if isinstance(inner, ast.Name):
                        item = Subscript(Iterate(iterable), (Const(position),))
                        scope.assignments.setdefault(inner.id, []).append(
                            Assignment(item, conditional=True)
                        )
            suites = [stmt.body, stmt.orelse]
        elif isinstance(stmt, ast.Match):
            self.build(stmt.subject)
            suites = [case.body for case in stmt.cases]
        else:
            raise NeedsFullParse(f"statement {type(stmt).__name__}")
        for suite in suites:
            if suite:
                self._block(suite, scope, conditional=True)

    def _if(self, stmt: ast.If, scope: _ScopeBuilder) -> None:
        node: ast.If | None = stmt
        while node is not None:
            test = self.build(node.test)
            span = self._positions.span(node.test)
            outcome, value = self._block(node.body, scope, True)
            first, last = self._positions.span(node.body[0]), self._positions.span(node.body[-1])
            block = Span(first.line, first.column, last.end_line, last.end_column)
            scope.guards.append(Guard(test, span, outcome, value, block))
            orelse = node.orelse
            if len(orelse) == 1 and isinstance(orelse[0], ast.If) and self._is_elif(orelse[0]):
                node = orelse[0]
                continue
            if orelse:
                self._block(orelse, scope, True)
            node = None

    def _is_elif(self, node: ast.If) -> bool:
        """`elif test:` (libcst's chain), not `else:` holding an `if` statement."""
        line = self._source_line(node.lineno)
        return line[node.col_offset : node.col_offset + 4] == b"elif"

    def _source_line(self, number: int) -> bytes:
        return self._lines[number - 1].encode("utf-8")

    def _try(self, stmt: ast.stmt, scope: _ScopeBuilder) -> None:
        assert isinstance(stmt, TRY)
        self._block(stmt.body, scope, True)
        for handler in stmt.handlers:
            types: tuple[Expr, ...] = ()
            if handler.type is not None:
                caught = self.build(handler.type)
                types = caught.items if isinstance(caught, Seq) else (caught,)
            raises, returns, bare = (
                len(scope.raises),
                len(scope.return_values),
                scope.bare_raises,
            )
            self._block(handler.body, scope, True)
            scope.handlers.append(
                Handler(
                    types=types,
                    name=handler.name,
                    raises=tuple(scope.raises[raises:]),
                    reraises=scope.bare_raises > bare,
                    returns=tuple(scope.return_values[returns:]),
                    span=self._positions.handler_span(handler),
                )
            )
        if stmt.finalbody:
            self._block(stmt.finalbody, scope, True)
        if stmt.orelse:
            self._block(stmt.orelse, scope, True)

    def _assignment(
        self,
        stmt: ast.Assign | ast.AnnAssign | ast.AugAssign,
        scope: _ScopeBuilder,
        conditional: bool,
    ) -> None:
        if stmt.value is None:
            return
        value = self.build(stmt.value)
        if isinstance(value, Call):
            scope.constructed.append((value, conditional))
        annotation = None
        if isinstance(stmt, ast.AnnAssign):
            annotation = self.build(stmt.annotation)
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
        augmented = isinstance(stmt, ast.AugAssign)
        for target in targets:
            if isinstance(target, ast.Name):
                if isinstance(stmt, ast.AugAssign):
                    if isinstance(stmt.op, ast.Add) and isinstance(value, Seq):
                        extend = Attr(Name(target.id), "extend")
                        span = self._positions.span(stmt)
                        scope.calls.append(Call(extend, (value,), (), False, span))
                    whole = BinOp(Name(target.id), AUGMENTED.get(type(stmt.op), "?"), value)
                    scope.augmented.setdefault(target.id, []).append(
                        Assignment(whole, True, None, self._positions.span(stmt))
                    )
                    continue
                scope.assignments.setdefault(target.id, []).append(
                    Assignment(value, conditional, annotation, self._positions.span(stmt))
                )
            elif isinstance(target, ast.Attribute):
                target_expr = self.build(target)
                scope.attr_assignments.append(
                    AttrAssignment(target_expr, value, self._positions.span(stmt))
                )
            elif not augmented and self._header_item(target):
                target_expr = self.build(target)
                scope.item_assignments.append(
                    AttrAssignment(target_expr, value, self._positions.span(stmt))
                )
            elif isinstance(target, (ast.Tuple, ast.List)) and not augmented:
                for position, element in enumerate(target.elts):
                    if isinstance(element, ast.Name):
                        item = Subscript(value, (Const(position),))
                        scope.assignments.setdefault(element.id, []).append(
                            Assignment(item, conditional, None)
                        )

    def _header_item(self, target: ast.expr) -> bool:
        """`a.b["key"]`: a dotted name subscripted with one string literal."""
        if not isinstance(target, ast.Subscript) or _dotted(target.value) is None:
            return False
        key = target.slice
        if not isinstance(key, ast.Constant) or not isinstance(key.value, (str, bytes)):
            return False
        return _string_tokens(self._segment(key)) == 1

    def _import(self, stmt: ast.Import | ast.ImportFrom, scope: _ScopeBuilder) -> None:
        if isinstance(stmt, ast.Import):
            for alias in stmt.names:
                if alias.asname is not None:
                    scope.imports[alias.asname] = Import(alias.asname, alias.name, 0, None)
                else:
                    top = alias.name.split(".")[0]
                    scope.imports[top] = Import(top, top, 0, None)
            return
        module = stmt.module or ""
        if any(alias.name == "*" for alias in stmt.names):
            self.star_imports.append((module, stmt.level))
            return
        for alias in stmt.names:
            local = alias.asname or alias.name
            scope.imports[local] = Import(local, module, stmt.level, alias.name)

    # -- definitions ------------------------------------------------------------

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> FunctionFact:
        decorators = tuple(self._decorator(d) for d in node.decorator_list)
        params = tuple(self._params(node.args))
        returns = self.build(node.returns) if node.returns is not None else None
        outer = self.observer
        self.observer = Observer()
        body = _ScopeBuilder()
        self._block(node.body, body, conditional=False)
        observed = self.observer
        self.observer = outer
        body.bind(observed)
        outer.calls.extend(observed.calls)
        outer.status_codes |= observed.status_codes
        outer.status_names |= observed.status_names
        return FunctionFact(
            name=node.name,
            span=self._def_span(node),
            is_async=isinstance(node, ast.AsyncFunctionDef),
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

    def _decorator(self, node: ast.expr) -> Decorator:
        expr = self.build(node)
        span = self._positions.decorator_span(node)
        if span is None:
            raise NeedsFullParse("a decorator continued on another line")
        return Decorator(expr, span)

    def _def_span(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> Span:
        span = self._positions.def_span(node)
        if span is None:
            raise NeedsFullParse("a definition continued on another line")
        return span

    def _params(self, args: ast.arguments) -> list[Param]:
        positional = [*args.posonlyargs, *args.args]
        defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults))
        defaults.extend(args.defaults)
        kinds = ["positional"] * len(args.posonlyargs) + ["normal"] * len(args.args)
        triples: list[tuple[ast.arg, ast.expr | None, str]] = list(
            zip(positional, defaults, kinds, strict=True)
        )
        triples.extend(
            (p, d, "keyword") for p, d in zip(args.kwonlyargs, args.kw_defaults, strict=True)
        )
        if args.vararg is not None:
            triples.append((args.vararg, None, "*"))
        if args.kwarg is not None:
            triples.append((args.kwarg, None, "**"))
        params = []
        for arg, default, kind in triples:
            annotation = self.build(arg.annotation) if arg.annotation is not None else None
            value = self.build(default) if default is not None else None
            params.append(Param(arg.arg, annotation, value, self._positions.name_span(arg), kind))
        return params

    def _class(self, node: ast.ClassDef) -> ClassFact:
        bases = tuple(self.build(b) for b in node.bases if not isinstance(b, ast.Starred))
        keywords = tuple((k.arg, self.build(k.value)) for k in node.keywords if k.arg)
        fields: list[FieldFact] = []
        methods: dict[str, FunctionFact] = {}
        class_attrs: dict[str, Expr] = {}
        config: dict[str, Expr] = {}
        for stmt in node.body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                methods[stmt.name] = self._function(stmt)
            elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                annotation = self.build(stmt.annotation)
                default = self.build(stmt.value) if stmt.value is not None else None
                if stmt.target.id == "model_config":
                    if default is not None:
                        class_attrs["model_config"] = default
                    continue
                fields.append(
                    FieldFact(
                        name=stmt.target.id,
                        annotation=annotation,
                        default=default,
                        span=self._positions.span(stmt.target),
                    )
                )
            elif isinstance(stmt, ast.Assign):
                value = self.build(stmt.value)
                for target in stmt.targets:
                    if isinstance(target, ast.Name):
                        class_attrs[target.id] = value
            elif isinstance(stmt, ast.ClassDef) and stmt.name == "Config":
                for inner in stmt.body:
                    if isinstance(inner, ast.Assign):
                        value = self.build(inner.value)
                        for target in inner.targets:
                            if isinstance(target, ast.Name):
                                config[target.id] = value
        return ClassFact(
            name=node.name,
            span=self._def_span(node),
            bases=bases,
            keywords=keywords,
            fields=tuple(fields),
            methods=methods,
            class_attrs=class_attrs,
            config=config,
        )


def _registers_route(call: Call) -> bool:
    inner = call.func
    return (
        isinstance(inner, Call)
        and isinstance(inner.func, Attr)
        and inner.func.attr in REGISTERING_METHODS
        and len(call.args) == 1
    )


def _dotted(node: ast.expr) -> str | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


FSTRING_START = getattr(tokenize, "FSTRING_START", -1)  # Python 3.12+
FSTRING_END = getattr(tokenize, "FSTRING_END", -1)
_QUOTES = ('"""', "'''", '"', "'")


def _raw_texts(source: str) -> list[str | None] | None:
    """The parts of one f-string literal as written: its texts (escapes and `{{`
    kept, as libcst keeps them) and None for each `{expression}`; empty texts are
    left out, as both parsers leave them out. None when it cannot be split."""
    start = 0
    while start < len(source) and source[start] in "rRfFbBuU":
        start += 1
    raw = "r" in source[:start].lower()
    quote = next((q for q in _QUOTES if source.startswith(q, start)), None)
    if quote is None or not source.endswith(quote) or len(source) < start + 2 * len(quote):
        return None
    body = source[start + len(quote) : len(source) - len(quote)]
    parts: list[str | None] = []
    text: list[str] = []
    index = 0
    while index < len(body):
        char = body[index]
        if char == "\\" and not raw:
            if body.startswith("N{", index + 1):
                close = body.find("}", index)
                if close < 0:
                    return None
                text.append(body[index : close + 1])
                index = close + 1
            else:
                text.append(body[index : index + 2])
                index += 2
        elif body.startswith("{{", index) or body.startswith("}}", index):
            text.append(body[index : index + 2])
            index += 2
        elif char == "{":
            if text:
                parts.append("".join(text))
                text = []
            end = _expression_end(body, index)
            if end < 0:
                return None
            parts.append(None)
            index = end
        elif char == "}":
            return None
        else:
            text.append(char)
            index += 1
    if text:
        parts.append("".join(text))
    return parts


def _expression_end(body: str, index: int) -> int:
    """Just after the `}` closing the replacement field opened at `index` (-1: none)."""
    depth = 0
    while index < len(body):
        char = body[index]
        if char in "{[(":
            depth += 1
        elif char in "}])":
            depth -= 1
            if depth == 0:
                return index + 1 if char == "}" else -1
        elif char in "\"'":
            quote = next(q for q in _QUOTES if body.startswith(q, index))
            close = body.find(quote, index + len(quote))
            if close < 0:
                return -1
            index = close + len(quote)
            continue
        index += 1
    return -1


def _string_tokens(source: str) -> int:
    """How many string literals `source` (one string expression) is written as
    (Python 3.12 tokenizes an f-string as FSTRING_START ... FSTRING_END, with the
    strings of its expressions inside)."""
    depth = 0
    count = 0
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == FSTRING_START:
                count += depth == 0
                depth += 1
            elif token.type == FSTRING_END:
                depth -= 1
            elif token.type == tokenize.STRING and depth == 0:
                count += 1
    except (tokenize.TokenError, SyntaxError) as exc:
        raise NeedsFullParse("a string the tokenizer cannot read") from exc
    return count
