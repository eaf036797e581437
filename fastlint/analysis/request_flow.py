"""Request data flow: which values of a request reach a dangerous call, and how.

Sources are what FastAPI binds from the request, by type (a `str` query parameter
carries text the caller chose; an `int`, `UUID`, `Enum` or `Literal` one cannot),
the `Request`, `UploadFile` and `WebSocket` objects' data, and what dependencies
return. Each function is read once into a summary in terms of its parameters
(which reach its return value, which reach a sink); calls bind summaries to their
arguments, across modules and into service classes' methods. Reading starts at
the endpoints and dependencies of routes, so only code a request can reach is read.
Sources, sinks and sanitisers are library knowledge (`fastlint.knowledge_flow`);
rules may add their own by qualified name (`FlowConfig`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from fastlint.analysis.flow_function import FunctionFlow, Summary
from fastlint.analysis.flow_values import (
    IDENTITY,
    PARAM,
    Entry,
    Hit,
    Taint,
    bind,
    reaches,
    stepped,
    union,
)
from fastlint.facts.expr import Attr, Call, Const, Expr, Name, Seq, Subscript, Union, last_name
from fastlint.facts.types import Param
from fastlint.findings import FlowStep
from fastlint.knowledge_flow import (
    CLEANERS,
    COMMAND,
    DATA,
    ENUM_BASES,
    FILE,
    FILE_METHODS,
    INJECTED_KINDS,
    KINDS,
    PATH_ONLY_METHODS,
    PROPAGATORS,
    REDIRECT,
    REDIRECT_CLASSES,
    SAFE_TYPE_NAMES,
    SAFE_TYPES,
    SAFE_YAML_LOADERS,
    SANITISERS,
    SINKS,
    SQL,
    SQL_LIBRARIES,
    SQL_LIBRARY_METHODS,
    SQL_METHODS,
    TEMPLATE_METHODS,
    UPLOAD,
    VALIDATOR_MARKERS,
    Sink,
)
from fastlint.model.annotation import CONTAINERS as TYPE_CONTAINERS
from fastlint.model.annotation import MAPPINGS as TYPE_MAPPINGS
from fastlint.model.calls import CallSite
from fastlint.model.parameters import DEPENDENCY, PATH, SPECIAL, Parameter
from fastlint.model.project import Analysis, Project
from fastlint.model.schemas import Model
from fastlint.model.values import ClassVal, Ctx, External, FunctionVal

MAX_TYPE_DEPTH = 8  # nested types read in an annotation
MAX_DEPTH = 12  # nested summaries read at once (deeper calls read as carrying nothing)
SAFE_PATTERN_BODY = re.compile(r"(?:[A-Za-z0-9_\-\[\]+*?{},()|:]|\\d|\\w)+")

__all__ = ["FlowConfig", "FlowEngine", "Hit", "RequestFlow"]


@dataclass(frozen=True)
class FlowConfig:
    """What a team adds, by qualified name: functions whose result is a request
    value, sinks (first argument) and sanitisers, for the rule's kind."""

    kind: str = ""
    sources: tuple[str, ...] = ()
    sinks: tuple[str, ...] = ()
    sanitisers: tuple[str, ...] = ()


class RequestFlow(Analysis):
    """Request values reaching sinks, per sink kind, each with its path."""

    def __init__(self, project: Project) -> None:
        super().__init__(project)
        self._engines: dict[FlowConfig, FlowEngine] = {}

    def hits(self, kind: str, config: FlowConfig | None = None) -> list[Hit]:
        """One hit per sink call of `kind`, the first path found to it."""
        key = FlowConfig() if config is None or config == FlowConfig(kind) else config
        engine = self._engines.get(key)
        if engine is None:
            engine = self._engines[key] = FlowEngine(self.project, key)
        return engine.hits_of(kind)


class FlowEngine:
    def __init__(self, project: Project, config: FlowConfig) -> None:
        self.project = project
        self.config = config
        self._summaries: dict[FunctionVal, Summary] = {}
        self._flows: dict[FunctionVal, FunctionFlow] = {}
        self._running: set[FunctionVal] = set()
        self._roots: dict[FunctionVal, dict[str, Taint]] = {}
        self._dependency_returns: dict[FunctionVal, Taint] = {}
        self._hits: dict[tuple[str, str, int, int], Hit] | None = None
        self._sinks: dict[str, list[Sink]] = {}
        self.known_names = frozenset(
            {*PROPAGATORS, *CLEANERS, *self._sinks, *(n for k in SANITISERS.values() for n in k)}
        )
        self._annotations: dict[tuple[object, ...], tuple[str, Model | None] | None] = {}
        for sink in SINKS:
            self._sinks.setdefault(sink.name, []).append(sink)

    # -- results --------------------------------------------------------------------------

    def hits_of(self, kind: str) -> list[Hit]:
        if self._hits is None:
            self._hits = {}
            self._run()
        return [h for (k, *_), h in sorted(self._hits.items()) if k == kind]

    def _run(self) -> None:
        for route in self.project.routes:
            function = route.endpoint
            if function is None:
                continue
            label = self.project.route_anchor(route).subject
            arguments = self.root_arguments(function, route.path, label)
            summary = self.summary(function)
            for hit in summary.sinks:
                self._report(hit, arguments, label)
            redirect = route.kwarg("response_class")
            if (
                redirect is not None
                and summary.returns
                and self._redirects(redirect.expr, redirect.ctx)
            ):
                sink = Sink(REDIRECT, "response_class")
                anchor = self.project.route_anchor(route)
                step = FlowStep(
                    function.path, function.fact.span, "returned as the redirect target"
                )
                for origin, entry in bind(summary.returns, arguments, None).items():
                    if reaches(sink, entry):
                        hit = Hit(sink, anchor, "RedirectResponse", entry.step(step), origin)
                        self._keep(hit, label)

    def _redirects(self, expr: Expr, ctx: Ctx) -> bool:
        values = self.project.values(expr, ctx)
        return any(isinstance(v, External) and v.qualname in REDIRECT_CLASSES for v in values)

    def _report(self, hit: Hit, arguments: dict[str, Taint], label: str) -> None:
        for origin, entry in bind({hit.origin: hit.entry}, arguments, None).items():
            if not origin.startswith(PARAM) and reaches(hit.sink, entry):
                self._keep(replace(hit, entry=entry, origin=origin), label)

    def _keep(self, hit: Hit, label: str | None) -> None:
        assert self._hits is not None
        span = hit.anchor.span
        key = (hit.sink.kind, hit.anchor.path, span.line, span.column)
        if key not in self._hits:
            self._hits[key] = replace(hit, route=label)

    # -- sources -----------------------------------------------------------------------

    def root_arguments(
        self, function: FunctionVal, route_path: str | None, label: str
    ) -> dict[str, Taint]:
        """What FastAPI passes each parameter of an endpoint or dependency."""
        found = self._roots.get(function)
        if found is not None:
            return found
        self._roots[function] = {}
        arguments: dict[str, Taint] = {}
        for param in self.project.parameters(function, route_path):
            taint = self._bound_parameter(function, param, route_path, label)
            if taint:
                arguments[param.name] = taint
        self._roots[function] = arguments
        return arguments

    def _bound_parameter(
        self, function: FunctionVal, param: Parameter, route_path: str | None, label: str
    ) -> Taint:
        span = param.span or function.fact.span
        if param.source == DEPENDENCY:
            return self._dependency(param, route_path, label)
        kind = self._parameter_kind(param) if param.source != SPECIAL else self._injected(param)
        if kind is None:
            return {}
        kind_name, model = kind
        if param.source == SPECIAL:
            what = f"data of `{param.name}`"
        elif kind_name == UPLOAD:
            what = f"uploaded file `{param.name}`"
        else:
            what = f"{param.source} parameter `{param.name}`"
        step = FlowStep(function.path, span, f"source: the {what} of `{label}`")
        # A path parameter without `:path` is one segment: Starlette's `str` converter
        # matches no `/` (decoded `%2F` included), so it cannot climb out of a folder.
        segment = param.source == PATH and f"{{{param.name}:path}}" not in (route_path or "")
        # The content of an uploaded file (`data: bytes = File()`) is not a file name.
        content = param.source == FILE and kind_name == DATA
        entry = Entry(
            ((kind_name, kind_name),),
            (step,),
            frozenset({FILE}) if content else frozenset(),
            model=model,
            label=what,
            infix=segment,
        )
        return {f"source:{function.path}:{span.line}:{span.column}": entry}

    def _injected(self, param: Parameter) -> tuple[str, Model | None] | None:
        if param.annotation is None:
            return None
        for value in self.project.values(param.annotation, param.ctx):
            if isinstance(value, External) and value.last in INJECTED_KINDS:
                return INJECTED_KINDS[value.last], None
        name = last_name(param.annotation)
        if name in INJECTED_KINDS:
            return INJECTED_KINDS[name], None
        return None

    def _parameter_kind(self, param: Parameter) -> tuple[str, Model | None] | None:
        """DATA (with its model, for a body model), UPLOAD, or None for a safe type."""
        marker_ctx = param.marker_ctx or param.ctx
        if param.marker is not None and self._safe_pattern(param.marker, marker_ctx):
            return None
        if param.annotation is None:
            return DATA, None
        return self._annotation_kind(param.annotation, param.ctx)

    def _annotation_kind(self, expr: Expr, ctx: Ctx) -> tuple[str, Model | None] | None:
        key = (id(expr), ctx.key)
        if key in self._annotations:
            return self._annotations[key]
        kind: tuple[str, Model | None] | None = None
        for leaf, leaf_ctx, metadata in self._leaves(expr, ctx, (), 0):
            leaf_kind = self._leaf_kind(leaf, leaf_ctx, metadata)
            if leaf_kind is not None and (kind is None or kind[1] is None):
                kind = leaf_kind
        self._annotations[key] = kind
        return kind

    def _leaves(
        self, expr: Expr, ctx: Ctx, outer: tuple[tuple[Expr, Ctx], ...], depth: int
    ) -> Iterator[tuple[Expr, Ctx, tuple[tuple[Expr, Ctx], ...]]]:
        """The types in an annotation (through aliases, `Annotated`, unions and
        containers), to a bounded depth: a self-referring alias (`JSON = dict[str,
        "JSON"] | list["JSON"] | str`) ends as `Any`."""
        if depth > MAX_TYPE_DEPTH:
            yield Name("Any"), ctx, ()
            return
        expr, ctx, metadata = self.project.types.unwrap(expr, ctx)
        metadata = outer + metadata
        if isinstance(expr, Union):
            yield from self._leaves(expr.left, ctx, metadata, depth + 1)
            yield from self._leaves(expr.right, ctx, metadata, depth + 1)
            return
        if isinstance(expr, Subscript) and last_name(expr.value) in TYPE_CONTAINERS:
            items = expr.items
            if last_name(expr.value) in TYPE_MAPPINGS and len(items) == 2:
                items = items[1:]
            for item in items:
                yield from self._leaves(item, ctx, metadata, depth + 1)
            return
        yield expr, ctx, metadata

    def _leaf_kind(
        self, leaf: Expr, ctx: Ctx, metadata: tuple[tuple[Expr, Ctx], ...]
    ) -> tuple[str, Model | None] | None:
        if isinstance(leaf, Const) and leaf.value is None:
            return None
        if isinstance(leaf, Subscript) and last_name(leaf.value) == "Literal":
            return None
        for item, item_ctx in metadata:
            if isinstance(item, Call) and (
                self._safe_pattern(item, item_ctx) or last_name(item.func) in VALIDATOR_MARKERS
            ):
                return None  # an anchored pattern, or a validator that may check the value
        for value in self.project.values(leaf, ctx):
            if isinstance(value, External):
                if value.qualname in SAFE_TYPES or value.qualname in ENUM_BASES:
                    return None
                if value.last in SAFE_TYPE_NAMES and value.top in (
                    "builtins",
                    "uuid",
                    "datetime",
                    "decimal",
                ):
                    return None
                if value.last == "UploadFile":
                    return UPLOAD, None
                if value.top in ("pydantic", "annotated_types") and value.last.startswith(
                    ("con", "Strict")
                ):
                    return None if "str" not in value.last.lower() else (DATA, None)
            if isinstance(value, ClassVal):
                if self.project.inherits(value, lambda e: e.qualname in ENUM_BASES):
                    return None
                models = [m for m, _ in self.project.schemas.models_in(leaf, ctx)]
                return DATA, (models[0] if models else None)
        if isinstance(leaf, Name) and leaf.id in SAFE_TYPE_NAMES | {"UUID4", "PositiveInt"}:
            return None
        return DATA, None

    def _dependency(self, param: Parameter, route_path: str | None, label: str) -> Taint:
        if param.dependency is None:
            return {}
        ctx = param.marker_ctx or param.ctx
        out: Taint = {}
        for value in self.project.values(param.dependency, ctx):
            if isinstance(value, FunctionVal):
                out = union(out, self._dependency_return(value, route_path, label))
            elif isinstance(value, ClassVal):
                init = self.method_of(value, "__init__")
                if init is not None:
                    args = self.root_arguments(init, route_path, label)
                    self._report_root(init, args, label)
                    out = union(out, *args.values())
                elif self.project.schemas.model(value) is not None:
                    model = self.project.schemas.model(value)
                    step = FlowStep(
                        value.path,
                        value.fact.span,
                        f"`{param.name}`: fields of `{value.fact.name}` from the query",
                    )
                    out[f"source:{value.path}:{value.line}"] = Entry(
                        ((DATA, DATA),), (step,), model=model, label=f"query model `{param.name}`"
                    )
        if out and param.span is not None:
            step = FlowStep(param.ctx.path, param.span, f"injected as `{param.name}`")
            out = stepped(out, step)
        return out

    def _dependency_return(
        self, function: FunctionVal, route_path: str | None, label: str
    ) -> Taint:
        found = self._dependency_returns.get(function)
        if found is not None:
            return found
        self._dependency_returns[function] = {}
        arguments = self.root_arguments(function, route_path, label)
        self._report_root(function, arguments, label)
        summary = self.summary(function)
        taint = {
            o: e
            for o, e in bind(summary.returns, arguments, None).items()
            if not o.startswith(PARAM)
        }
        self._dependency_returns[function] = taint
        return taint

    def _report_root(self, function: FunctionVal, arguments: dict[str, Taint], label: str) -> None:
        for hit in self.summary(function).sinks:
            self._report(hit, arguments, label)

    # -- function summaries ---------------------------------------------------------------

    def summary(self, function: FunctionVal) -> Summary:
        found = self._summaries.get(function)
        if found is not None:
            return found
        if function in self._running or len(self._running) >= MAX_DEPTH:
            return Summary()  # recursion, or too deep: read as doing nothing
        self._running.add(function)
        try:
            summary = self.flow(function).summary()
        finally:
            self._running.discard(function)
        self._summaries[function] = summary
        return summary

    def flow(self, function: FunctionVal) -> FunctionFlow:
        found = self._flows.get(function)
        if found is None:
            found = self._flows[function] = FunctionFlow(self, function)
        return found

    def parameter_taint(self, function: FunctionVal, param: Param) -> Taint:
        """A parameter read inside its function: itself, unless its type is safe."""
        model = None
        if param.annotation is not None:
            kind = self._annotation_kind(param.annotation, function.ctx)
            if kind is None:
                return {}
            model = kind[1]
        step = FlowStep(
            function.path,
            param.span or function.fact.span,
            f"`{param.name}`, parameter of `{function.name}()`",
        )
        return {f"{PARAM}{param.name}": Entry(IDENTITY, (step,), model=model)}

    def field_entry(self, entry: Entry, attr: str) -> Entry | None:
        """Reading field `attr` of a model: gone when the field's type is safe."""
        model = entry.model
        assert model is not None
        field = next((f for f in model.fields if f.name == attr), None)
        if field is None:
            return replace(entry, model=None)
        kind = self._annotation_kind(field.annotation, field.ctx)
        if kind is None:
            return None
        if self.project.schemas.validated(field, model):  # a `@field_validator` may check it
            return replace(entry, model=kind[1], cleared=frozenset(KINDS))
        return replace(entry, model=kind[1])

    def constructed(self, cls: ClassVal, arguments: Taint) -> Taint:
        if self.project.inherits(cls, lambda e: e.qualname in ENUM_BASES):
            return {}
        model = self.project.schemas.model(cls)
        return {o: replace(e, model=model) for o, e in arguments.items()} if model else arguments

    def method_of(self, cls: ClassVal, name: str, depth: int = 0) -> FunctionVal | None:
        fact = cls.fact.methods.get(name)
        if fact is not None:
            return FunctionVal.of(fact, cls.ctx)
        if depth > 8:
            return None
        for base in cls.fact.bases:
            for value in self.project.values(base, cls.ctx):
                if isinstance(value, ClassVal):
                    found = self.method_of(value, name, depth + 1)
                    if found is not None:
                        return found
        return None

    def _safe_pattern(self, marker: Call, ctx: Ctx) -> bool:
        """`pattern=` (or `regex=`) anchored to a safe alphabet, written or named."""
        value = marker.kwarg("pattern") or marker.kwarg("regex")
        if value is None:
            return False
        text = value.value if isinstance(value, Const) else self.project.text(value, ctx)
        return isinstance(text, str) and safe_pattern(text)

    @staticmethod
    def is_method(function: FunctionVal) -> bool:
        params = function.fact.params
        return bool(params) and params[0].name in ("self", "cls")

    # -- library knowledge -----------------------------------------------------------

    def is_source(self, name: str) -> bool:
        return _named(name, self.config.sources)

    def source_taint(self, path: str, call: Call, name: str) -> Taint:
        step = FlowStep(path, call.span, f"request value returned by `{name}()`")
        entry = Entry(((DATA, DATA),), (step,), label=f"`{name}()`")
        return {f"source:{path}:{call.span.line}:{call.span.column}": entry}

    def cleans(self, name: str) -> bool:
        return name in CLEANERS

    def sanitised_kinds(self, names: tuple[str, ...]) -> frozenset[str]:
        kinds = {kind for kind, known in SANITISERS.items() for n in names if n in known}
        if any(_named(n, self.config.sanitisers) for n in names):
            kinds.add(self.config.kind)
        return frozenset(kinds)

    def propagates(self, name: str) -> bool:
        return name in PROPAGATORS or name in ("urllib.parse.urlparse", "urllib.parse.urlsplit")

    def sinks_of(self, site: CallSite, names: tuple[str, ...]) -> list[Sink]:
        found = [sink for name in names for sink in self._sinks.get(name, ())]
        found += [
            Sink(self.config.kind, name, 0, "")
            for name in names
            if name not in self._sinks and _named(name, self.config.sinks)
        ]
        if found or any(isinstance(c, FunctionVal) for c in site.callees):
            return found
        method = site.call.func
        if not isinstance(method, Attr):
            return found
        libraries = {n.split(".")[0] for n in names}
        unresolved = not names
        if method.attr in SQL_METHODS and (unresolved or libraries & SQL_LIBRARIES):
            found.append(Sink(SQL, method.attr, 0, "statement", "built"))
        if method.attr in SQL_LIBRARY_METHODS and libraries & SQL_LIBRARIES:
            found.append(Sink(SQL, method.attr, 0, "query", "built"))
        paths = libraries & {"pathlib", "anyio", "aiopath"}
        if (method.attr in FILE_METHODS and (unresolved or paths)) or (
            method.attr in PATH_ONLY_METHODS and paths
        ):
            found.append(Sink(FILE, method.attr, -1, "", "receiver"))
        if method.attr in TEMPLATE_METHODS and (unresolved or libraries & {"jinja2"}):
            found.append(Sink(COMMAND, method.attr, 0, "source"))
        return found

    def sink_value(self, flow: FunctionFlow, site: CallSite, sink: Sink) -> Taint:
        """What reaches the sink's argument that matters."""
        if sink.mode == "receiver":
            func = site.call.func
            return flow.expr(func.value) if isinstance(func, Attr) else {}
        arg = (
            site.kwarg(sink.keyword)
            if sink.position >= 90
            else site.arg(sink.position, sink.keyword)
        )
        if arg is None:
            return {}
        if sink.mode == "yaml":
            loader = site.arg(1, "Loader")
            if loader is not None and last_name(loader) in SAFE_YAML_LOADERS:
                return {}
        if sink.mode in ("shell", "program"):
            shell = site.kwarg("shell")
            with_shell = (
                sink.mode == "shell"
                and shell is not None
                and not (isinstance(shell, Const) and not shell.value)
            )
            if not with_shell:
                return flow.expr(_program(arg, flow))
        return flow.expr(arg)


def _program(arg: Expr, flow: FunctionFlow) -> Expr:
    """The program of an argument list: its first item (through one name)."""
    if isinstance(arg, Name):
        values = [a.value for a in flow.scope.assignments.get(arg.id, ())]
        if values and all(isinstance(v, Seq) for v in values):
            firsts = [v.items[0] for v in values if isinstance(v, Seq) and v.items]
            return firsts[0] if len(firsts) == 1 else Seq(tuple(firsts))
    if isinstance(arg, Seq):
        return arg.items[0] if arg.items else Const(None)
    return arg


def _named(qualname: str, names: tuple[str, ...]) -> bool:
    """`qualname` is one of `names`; a project's names match on their trailing parts
    (`app.net.fetch` names `src.app.net.fetch`), as in `Project.call_sites_of`."""
    return any(qualname == n or qualname.endswith("." + n) for n in names)


def safe_pattern(text: str) -> bool:
    """A regular expression anchored to a safe alphabet: `^[a-z0-9_-]+$` (no `.`,
    `/`, backslash, quotes, spaces or shell characters can match)."""
    if not (text.startswith("^") and text.endswith("$")) and not (
        text.startswith("\\A") and text.endswith("\\Z")
    ):
        return False
    body = text[1:-1] if text.startswith("^") else text[2:-2]
    return SAFE_PATTERN_BODY.fullmatch(body) is not None and "[^" not in body


def hits(project: Project, kind: str) -> Iterator[Hit]:
    yield from project.get(RequestFlow).hits(kind)
