"""Reading one function for request data flow: what each name, expression and call
carries, which sinks it reaches, and its summary (what its parameters reach).

Flow-insensitive, like the rest of the model: a name carries everything any of its
assignments may give it; a check of a value in an `if` that raises or returns
anywhere in the function makes it safe in the whole function.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from fastlint.analysis.flow_values import (
    PARAM,
    Hit,
    Taint,
    bind,
    fixed,
    mapped,
    reaches,
    stepped,
    union,
    updated,
    within_name,
)
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
    Seq,
    Subscript,
    UnaryOp,
    last_name,
)
from fastlint.findings import FlowStep
from fastlint.knowledge_flow import (
    ARGUMENT_METHODS,
    CHECK_METHODS,
    CHECKER_WORDS,
    CLEAN_METHODS,
    DATA,
    FILE,
    FILE_NAME_ATTRIBUTES,
    KINDS,
    REQUEST,
    REQUEST_DATA_ATTRIBUTES,
    REQUEST_DATA_METHODS,
    SANITISER_WORDS,
    SOCKET,
    SOCKET_DATA_METHODS,
    UPLOAD,
    UPLOAD_DATA_ATTRIBUTES,
    UPLOAD_DATA_METHODS,
    Sink,
)
from fastlint.model.calls import CallSite
from fastlint.model.values import ClassVal, External, FunctionVal, InstanceVal

if TYPE_CHECKING:
    from fastlint.analysis.request_flow import FlowEngine

SELF_NAMES = frozenset({"self", "cls"})
ALL_CLEARED = frozenset(KINDS)


@dataclass
class Summary:
    """What a function does with its parameters: which reach its return value, and
    which reach a sink (entries keyed `param:<name>`), plus concrete hits inside."""

    returns: Taint = field(default_factory=dict)
    sinks: list[Hit] = field(default_factory=list)


class FunctionFlow:
    """The data flow of one function body, in terms of its own parameters."""

    def __init__(self, engine: FlowEngine, function: FunctionVal) -> None:
        self.engine = engine
        self.project = engine.project
        self.function = function
        self.fact = function.fact
        self.path = function.path
        self.scope = function.fact.scope
        self.params = {p.name: p for p in function.fact.params}
        self._names: dict[str, Taint] = {}
        self.sites = {id(s.call): s for s in self.project.call_sites_in(function)}
        body = self.project.body_of(function)
        self.body = body
        self.with_bindings = {w.name: w for w in body.with_bindings} if body else {}
        self.checked = self._checked_names()

    # -- names ------------------------------------------------------------------------

    def name(self, name: str) -> Taint:
        found = self._names.get(name)
        if found is not None:
            return found
        self._names[name] = {}  # a cycle reads nothing more
        taint: Taint = {}
        param = self.params.get(name)
        if param is not None and name not in SELF_NAMES:
            taint = self.engine.parameter_taint(self.function, param)
        for assignment in (
            *self.scope.assignments.get(name, ()),
            *self.scope.augmented.get(name, ()),
        ):
            value = self.expr(assignment.value)
            if value and assignment.span is not None:
                step = FlowStep(self.path, assignment.span, f"assigned to `{name}`")
                value = stepped(value, step)
            taint = union(taint, value)
        binding = self.with_bindings.get(name)
        if binding is not None:
            value = self.expr(binding.value)
            taint = union(
                taint, stepped(value, FlowStep(self.path, binding.span, f"bound to `{name}`"))
            )
        if taint and name in self.checked:
            taint = updated(taint, cleared=ALL_CLEARED)
        self._names[name] = taint
        return taint

    # -- expressions ----------------------------------------------------------------------

    def expr(self, expr: Expr) -> Taint:
        if isinstance(expr, Name):
            return self.name(expr.id)
        if isinstance(expr, Attr):
            return self.attribute(self.expr(expr.value), expr.attr)
        if isinstance(expr, Call):
            return self.call(expr)
        if isinstance(expr, FString):
            return self.text(list(expr.parts))
        if isinstance(expr, BinOp):
            return self.binop(expr)
        if isinstance(expr, Subscript):
            return self.item(self.expr(expr.value))
        if isinstance(expr, Seq):
            return union(*(self.expr(e) for e in expr.items))
        if isinstance(expr, DictExpr):
            return union(*(self.expr(v) for _, v in expr.items))
        if isinstance(expr, IfExp):
            return union(self.expr(expr.body), self.expr(expr.orelse))
        if isinstance(expr, BoolOp):
            return union(*(self.expr(e) for e in expr.values))
        if isinstance(expr, Iterate):
            return self.item(self.expr(expr.iterable))
        return {}  # constants, comparisons, `not`, lambdas, comprehensions

    def text(self, parts: list[str | Expr]) -> Taint:
        """Text built from `parts`; a value after a fixed host or path is a `tail`."""
        out: Taint = {}
        prefix = ""
        for part in parts:
            if isinstance(part, str):
                prefix += part
                continue
            if isinstance(part, Const):
                prefix += part.value if isinstance(part.value, str) else "\x00"
                continue
            taint = self.expr(part)
            if not taint:
                prefix += "\x00"
                continue
            tail = fixed(prefix)
            infix = within_name(prefix)
            out = union(
                out,
                {
                    o: replace(e, built=True, tail=e.tail or tail, infix=e.infix or infix)
                    for o, e in taint.items()
                },
            )
            prefix += "\x01"
        return out

    def binop(self, expr: BinOp) -> Taint:
        if expr.op == "+":
            return self.text(_flatten_add(expr))
        if expr.op == "%" and isinstance(expr.left, Const) and isinstance(expr.left.value, str):
            template = expr.left.value
            cut = template.find("%")
            return self.text([template[: cut if cut >= 0 else len(template)], expr.right])
        if expr.op in ("-", "*", "//", "**", "@", "<<", ">>", "&", "^"):
            return {}  # numbers (and a repeated string: rare in sinks)
        return union(self.expr(expr.left), self.expr(expr.right))  # `/` of paths, `%`

    def item(self, taint: Taint) -> Taint:
        return mapped(taint, {DATA: DATA})

    def attribute(self, taint: Taint, attr: str) -> Taint:
        operation: dict[str, str | None] = {DATA: DATA}
        if attr in REQUEST_DATA_ATTRIBUTES:
            operation[REQUEST] = DATA
        if attr in UPLOAD_DATA_ATTRIBUTES:
            operation[UPLOAD] = DATA
        out: Taint = {}
        for origin, entry in mapped(taint, operation).items():
            if entry.model is not None:
                refined = self.engine.field_entry(entry, attr)
                if refined is not None:
                    out[origin] = refined
                continue
            if attr in FILE_NAME_ATTRIBUTES and any(k == DATA for _, k in entry.kinds):
                entry = replace(entry, cleared=entry.cleared | {FILE})
            out[origin] = entry
        return out

    def method(self, receiver: Taint, method: str) -> Taint:
        operation: dict[str, str | None] = {}
        if method not in CLEAN_METHODS:
            operation[DATA] = DATA
        if method in REQUEST_DATA_METHODS:
            operation[REQUEST] = DATA
        if method in UPLOAD_DATA_METHODS:
            operation[UPLOAD] = DATA
        if method in SOCKET_DATA_METHODS:
            operation[SOCKET] = DATA
        return updated(mapped(receiver, operation), model=None)

    # -- calls ------------------------------------------------------------------------------

    def call(self, call: Call) -> Taint:
        site = self.sites.get(id(call))
        names = self.qualnames(site) if site is not None else ()
        engine = self.engine
        if any(engine.is_source(n) for n in names):
            return engine.source_taint(self.path, call, names[0])
        if any(engine.cleans(n) for n in names):
            return {}
        cleared = engine.sanitised_kinds(names)
        if not cleared and not any(n in engine.known_names for n in names) and _sanitiser(call):
            cleared = (
                ALL_CLEARED  # `secure_filename(name)`, `safe_join(base, name)`: the project's own
            )
        arguments = union(
            *(self.expr(a) for a in call.args), *(self.expr(v) for _, v in call.kwargs)
        )
        if cleared:
            return updated(arguments, cleared=cleared)
        if site is not None:
            targets = self.targets(site)
            if targets:
                return union(*(self.bound_return(site, f, skip) for f, skip in targets))
            for callee in site.callees:
                if isinstance(callee, ClassVal):
                    return engine.constructed(callee, arguments)
        if "httpx.URL" in names and not call.args:  # `httpx.URL(path=p)`: no host
            return updated(arguments, tail=True)
        if any(engine.propagates(n) for n in names):
            receiver = self.expr(call.func.value) if isinstance(call.func, Attr) else {}
            return union(receiver, arguments)
        if isinstance(call.func, Attr):
            method = call.func.attr
            taint = self.method(self.expr(call.func.value), method)
            if method in SPLITTERS and call.args and _separator(call.args[0]):
                taint = {o: replace(e, cleared=e.cleared | {FILE}) for o, e in taint.items()}
            if method in ARGUMENT_METHODS:
                template = call.func.value
                if (
                    method == "format"
                    and isinstance(template, Const)
                    and isinstance(template.value, str)
                ):
                    cut = template.value.find("{")
                    return self.text([template.value[: cut if cut >= 0 else None], *call.args])
                taint = union(taint, updated(arguments, built=True))
            return taint
        return {}

    def qualnames(self, site: CallSite) -> tuple[str, ...]:
        """The callee's qualified names; for a method of a `with ... as name` value, the
        name the model gives methods of library instances (`httpx.AsyncClient().get`)."""
        if site.qualnames:
            return site.qualnames
        func = site.call.func
        if isinstance(func, Name) and site.unknown and "is not defined" in site.unknown:
            return (f"builtins.{func.id}",)  # `open`, `eval`, `str`: builtins are not bound
        if isinstance(func, Attr) and isinstance(func.value, Name):
            binding = self.with_bindings.get(func.value.id)
            if binding is not None:
                found = []
                for value in self.project.values(binding.value, site.ctx):
                    if isinstance(value, InstanceVal) and isinstance(value.cls, External):
                        found.append(f"{value.cls.qualname}().{func.attr}")
                    elif isinstance(value, External):
                        found.append(f"{value.qualname}.{func.attr}")
                return tuple(found)
        return ()

    def targets(self, site: CallSite) -> list[tuple[FunctionVal, bool]]:
        """Project functions the call runs, each with whether `self` is bound (a method)."""
        found: list[tuple[FunctionVal, bool]] = []
        for callee in site.callees:
            if isinstance(callee, FunctionVal):
                found.append(
                    (callee, self.engine.is_method(callee) and isinstance(site.call.func, Attr))
                )
            elif isinstance(callee, InstanceVal) and isinstance(callee.cls, ClassVal):
                method = self.engine.method_of(callee.cls, "__call__")
                if method is not None:
                    found.append((method, True))
            elif isinstance(callee, ClassVal):
                method = self.engine.method_of(callee, "__init__")
                if method is not None:
                    found.append((method, True))
        if not site.callees and isinstance(site.call.func, Attr):
            for cls in self.project.receiver_classes(site):
                if isinstance(cls, ClassVal):
                    method = self.engine.method_of(cls, site.call.func.attr)
                    if method is not None:
                        found.append((method, True))
        return found

    def arguments(self, site: CallSite, function: FunctionVal, skip_self: bool) -> dict[str, Taint]:
        params = list(function.fact.params)
        if skip_self and params and params[0].name in SELF_NAMES:
            params = params[1:]
        out: dict[str, Taint] = {}
        for param, arg in zip(params, site.call.args, strict=False):
            if param.kind in ("*", "**"):
                break
            out[param.name] = self.expr(arg)
        names = {p.name for p in params if p.kind not in ("*", "**", "positional")}
        for key, value in site.call.kwargs:
            if key in names:
                out[key] = self.expr(value)
        return {k: v for k, v in out.items() if v}

    def bound_return(self, site: CallSite, function: FunctionVal, skip_self: bool) -> Taint:
        summary = self.engine.summary(function)
        if not summary.returns:
            return {}
        arguments = self.arguments(site, function, skip_self)
        step = FlowStep(self.path, site.span, f"passed to `{function.name}()`")
        back = FlowStep(self.path, site.span, f"returned by `{function.name}()`")
        return stepped(bind(summary.returns, arguments, step), back)

    # -- sinks and the summary -----------------------------------------------------------------

    def summary(self) -> Summary:
        summary = Summary()
        summary.returns = union(*(self.expr(v) for v in self.fact.return_values))
        for site in self.sites.values():
            for sink in self.engine.sinks_of(site, self.qualnames(site)):
                self._sink(summary, site, sink)
            for function, skip in self.targets(site):
                callee = self.engine.summary(function)
                if not callee.sinks:
                    continue
                arguments = self.arguments(site, function, skip)
                step = FlowStep(self.path, site.span, f"passed to `{function.name}()`")
                for hit in callee.sinks:
                    self._bound_hit(summary, hit, arguments, step)
        for item in self.scope.item_assignments:
            if _is_location_header(item.target) and item.span is not None:
                sink = Sink("redirect", "Location header")
                value = self.expr(item.value)
                self._record(
                    summary, sink, value, self.path, item.span, "the `Location` header", "location"
                )
        return summary

    def _bound_hit(
        self, summary: Summary, hit: Hit, arguments: dict[str, Taint], step: FlowStep
    ) -> None:
        for origin, entry in bind({hit.origin: hit.entry}, arguments, step).items():
            if reaches(hit.sink, entry, not origin.startswith(PARAM)):
                summary.sinks.append(replace(hit, entry=entry, origin=origin))

    def _sink(self, summary: Summary, site: CallSite, sink: Sink) -> None:
        taint = self.engine.sink_value(self, site, sink)
        callee = (self.qualnames(site) or (site.name or "<call>",))[0]
        self._record(summary, sink, taint, self.path, site.span, f"`{callee}()`", callee, site)

    def _record(
        self,
        summary: Summary,
        sink: Sink,
        taint: Taint,
        path: str,
        span: object,
        where: str,
        callee: str,
        site: CallSite | None = None,
    ) -> None:
        from fastlint.model.anchor import Anchor
        from fastlint.span import Span

        assert isinstance(span, Span)
        for origin, entry in taint.items():
            if not reaches(sink, entry, not origin.startswith(PARAM)):
                continue
            kinds = tuple((o, n) for o, n in entry.kinds if n == DATA)
            step = FlowStep(path, span, f"reaches {where}")
            anchor = (
                site.anchor
                if site is not None
                else Anchor(path, span, f"{self.fact.name} {callee}")
            )
            entry = replace(entry, kinds=kinds).step(step)
            summary.sinks.append(Hit(sink, anchor, callee, entry, origin))

    # -- checks ------------------------------------------------------------------------------

    def _checked_names(self) -> frozenset[str]:
        """Names the function checks in an `if` that raises or returns, or passes to a
        function whose name says it validates them (`validate_url(url)`)."""
        if self.body is None:
            return frozenset()
        found: set[str] = set()
        for guard in self.body.guards:
            found |= _tested(guard.test, guard.test)  # `if not ok(x): raise`, `if ok(x): use(x)`
        for call in self.body.facts.calls:  # statements, tests, `x if ok(x) else y`...
            if isinstance(call.func, Attr) and call.func.attr in ("relative_to", "is_relative_to"):
                found |= _names_in(call.func.value)  # in a `try`: raises when outside
            args = call.args
            if args and _checker(Call(args[0], (), (), False, call.span)):
                args = args[1:]  # `await asyncio.to_thread(validate_url, url)`
            elif not _checker(call):
                continue
            for arg in args:
                found |= _names_in(arg)
        for name in list(found):  # `parsed = urlparse(url)`: checking `parsed` checks `url`
            for assignment in self.scope.assignments.get(name, ()):
                if isinstance(assignment.value, Call):
                    found |= _names_in(assignment.value)
        return frozenset(found)


SPLITTERS = frozenset({"split", "rsplit", "partition", "rpartition"})


def _separator(expr: Expr) -> bool:
    """A path separator: the parts of `name.split("/")` hold none."""
    return (isinstance(expr, Const) and expr.value in ("/", "\\")) or (
        isinstance(expr, Attr) and expr.attr == "sep"
    )


def _flatten_add(expr: Expr) -> list[str | Expr]:
    if isinstance(expr, BinOp) and expr.op == "+":
        return [*_flatten_add(expr.left), *_flatten_add(expr.right)]
    return [expr]


def _is_location_header(target: Expr) -> bool:
    return (
        isinstance(target, Subscript)
        and last_name(target.value) == "headers"
        and len(target.items) == 1
        and isinstance(target.items[0], Const)
        and str(target.items[0].value).lower() == "location"
    )


def _names_in(expr: Expr) -> set[str]:
    if isinstance(expr, Name):
        return {expr.id}
    if isinstance(expr, Attr):
        return _names_in(expr.value)
    if isinstance(expr, Call):
        found = _names_in(expr.func) if isinstance(expr.func, Attr) else set()
        for arg in (*expr.args, *(v for _, v in expr.kwargs)):
            found |= _names_in(arg)
        return found
    if isinstance(expr, Subscript):
        return _names_in(expr.value)
    if isinstance(expr, (BinOp,)):
        return _names_in(expr.left) | _names_in(expr.right)
    if isinstance(expr, FString):
        return {n for p in expr.parts if not isinstance(p, str) for n in _names_in(p)}
    return set()


def _tested(expr: Expr, whole: Expr) -> set[str]:
    """Names a test checks: membership and equality with something known, a check
    method (`startswith` of a fixed prefix, `is_relative_to`), or a checker call."""
    if isinstance(expr, UnaryOp):
        return _tested(expr.operand, whole)
    if isinstance(expr, BoolOp):
        return {n for value in expr.values for n in _tested(value, whole)}
    if isinstance(expr, Compare):
        found: set[str] = set()
        left = expr.left
        for op, right in expr.ops:
            if op in ("in", "not in", "==", "!=") and not _empty(right) and not _empty(left):
                found |= _names_in(left) | (_names_in(right) if op in ("==", "!=") else set())
            left = right
        return found
    if isinstance(expr, Call):
        func = expr.func
        if isinstance(func, Attr) and func.attr in CHECK_METHODS:
            if func.attr in ("startswith", "endswith") and not _fixed_start(expr, whole):
                return set()
            return _names_in(func.value) | {n for a in expr.args for n in _names_in(a)}
        if _checker(expr) or last_name(func) in ("match", "fullmatch", "search"):
            return {n for a in expr.args for n in _names_in(a)}
    return set()


def _fixed_start(call: Call, whole: Expr) -> bool:
    """`startswith` with a prefix that fixes the host (`"https://api.example.com/"`) or a
    path base (a variable); `"/"` only beside a check for `"//"`."""
    if not call.args:
        return False
    prefix = call.args[0]
    if not isinstance(prefix, Const):
        return True  # a configured base
    text = prefix.value
    if isinstance(text, str):
        if text == "/":
            return "//" in repr(whole) or "netloc" in repr(whole)
        return re.match(r"[A-Za-z][\w+.-]*://[^/]+/", text) is not None or (
            text.startswith("/") and len(text) > 1
        )
    return False


def _empty(expr: Expr) -> bool:
    return isinstance(expr, Const) and expr.value in (None, "", 0, False)


def _sanitiser(call: Call) -> bool:
    name = (last_name(call.func) or "").lower()
    return any(word in name for word in SANITISER_WORDS)


def _checker(call: Call) -> bool:
    name = (last_name(call.func) or "").lower()
    return any(word in name for word in CHECKER_WORDS)
