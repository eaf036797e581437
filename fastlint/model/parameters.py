"""Parameters of endpoints and dependencies, with where FastAPI takes each from.

Follows FastAPI's own `fastapi.dependencies.utils.analyze_param`: a marker
(`Query()`, `Depends()`...) in `Annotated[...]` metadata (the last one wins) or
as the default decides; otherwise `Request`-like classes are injected, a name
that appears in the route's path is a path parameter, `UploadFile` is a file,
models, lists, sets, tuples and mappings are the body, and anything else scalar
is a query parameter. A type fastlint cannot classify gives "unknown", with why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from fastlint.facts.expr import Call, Const, Expr, Subscript, Union, last_name
from fastlint.facts.types import Param
from fastlint.knowledge.fastapi_starlette import INJECTED_CLASSES, PARAMETER_MARKERS
from fastlint.knowledge.pydantic_models import PYDANTIC_COMPLEX
from fastlint.model import known
from fastlint.model.annotation import TypeReader
from fastlint.model.values import ClassVal, ConstVal, Ctx, External, FunctionVal, SyntaxVal
from fastlint.span import Span

PATH, QUERY, HEADER, COOKIE = "path", "query", "header", "cookie"
BODY, FORM, FILE = "body", "form", "file"
DEPENDENCY, SPECIAL, UNKNOWN = "dependency", "special", "unknown"
SOURCES = (PATH, QUERY, HEADER, COOKIE, BODY, FORM, FILE, DEPENDENCY, SPECIAL, UNKNOWN)

# FastAPI's parameter functions and the source each declares; classes it injects.
MARKERS = PARAMETER_MARKERS
SPECIAL_CLASSES = INJECTED_CLASSES
SEQUENCES = frozenset(
    {"list", "List", "set", "Set", "tuple", "Tuple", "frozenset", "FrozenSet"}
    | {"Sequence", "MutableSequence", "deque", "Deque", "AbstractSet", "MutableSet"}
)
MAPPINGS = frozenset({"dict", "Dict", "Mapping", "MutableMapping", "OrderedDict", "DefaultDict"})
UNIONS = frozenset({"Optional", "Union"})
# Packages whose classes are scalar values to pydantic (strings, numbers, dates, ids...).
SCALAR_PACKAGES = frozenset({"datetime", "uuid", "decimal", "enum", "pathlib", "ipaddress"})
SCALAR_BUILTINS = frozenset({"str", "int", "float", "bool", "bytes", "complex", "object"})
TYPING_SCALARS = frozenset({"Any", "Literal", "LiteralString", "AnyStr", "Pattern"})
TYPED_DICTS = frozenset({"TypedDict"})
SELF_NAMES = frozenset({"self", "cls"})
PATH_PARAM = re.compile(r"{([^}:]*)")


@dataclass(frozen=True, eq=False)
class Parameter:
    """One parameter of an endpoint or dependency, and what FastAPI binds it from.

    `source` is one of `SOURCES`: path, query, header, cookie, body, form, file,
    dependency, special (`Request`, `Response`, `BackgroundTasks`,
    `SecurityScopes`, `WebSocket`, `HTTPConnection`), or unknown (`why` says why).
    """

    name: str
    annotation: Expr | None
    default: Expr | None  # as written (a `Query(...)` call when that is the default)
    source: str
    span: Span | None
    ctx: Ctx = field(repr=False)  # where the annotation and default are evaluated
    marker: Call | None = field(default=None, repr=False)  # Query(...), Depends(...)...
    dependency: Expr | None = field(default=None, repr=False)  # what a dependency calls
    # Where `marker` and `dependency` are evaluated: not `ctx` when they come from an
    # `Annotated` alias defined in another module.
    marker_ctx: Ctx | None = field(default=None, repr=False)
    why: str | None = None  # for "unknown"


def path_parameter_names(route_path: str) -> frozenset[str]:
    """`{name}` and `{name:converter}` placeholders of a route path."""
    return frozenset(PATH_PARAM.findall(route_path))


class ParameterReader:
    def __init__(self, types: TypeReader) -> None:
        self.types = types
        self.resolver = types.resolver

    def parameters(self, function: FunctionVal, route_path: str | None = None) -> list[Parameter]:
        """The parameters FastAPI sees on `function` (an endpoint, a dependency, or a
        class's `__init__`/`__call__`: a leading `self`/`cls` is left out); `route_path`
        (the full path the route is served at) tells path parameters apart."""
        params = function.fact.params
        if params and params[0].name in SELF_NAMES:
            params = params[1:]
        in_path = path_parameter_names(route_path or "")
        return [self._parameter(p, function.ctx, in_path) for p in params]

    def _parameter(self, param: Param, ctx: Ctx, in_path: frozenset[str]) -> Parameter:
        source, marker, marker_ctx, why = self._source(param, ctx, in_path)
        dependency = None
        if source == DEPENDENCY and marker is not None:
            dependency = marker.arg(0, "dependency")
            if dependency is None:  # a bare `Depends()`: the annotated class
                dependency, marker_ctx = self._type(param, ctx)[:2]
        return Parameter(
            param.name,
            param.annotation,
            param.default,
            source,
            param.span,
            ctx,
            marker=marker,
            dependency=dependency,
            marker_ctx=marker_ctx,
            why=why,
        )

    def _type(self, param: Param, ctx: Ctx) -> tuple[Expr | None, Ctx, list[tuple[Expr, Ctx]]]:
        """The annotation without `Annotated` (aliases followed), and its metadata."""
        if param.annotation is None:
            return None, ctx, []
        expr, type_ctx, metadata = self.types.unwrap(param.annotation, ctx)
        return expr, type_ctx, list(metadata)

    def _source(
        self, param: Param, ctx: Ctx, in_path: frozenset[str]
    ) -> tuple[str, Call | None, Ctx | None, str | None]:
        """(source, the marker call that declares it and its context, why unknown)."""
        type_expr, type_ctx, metadata = self._type(param, ctx)
        annotated: tuple[str, Call, Ctx] | None = None
        for item, item_ctx in metadata:
            found = self._marker(item, item_ctx)
            if found is not None and isinstance(item, Call):
                annotated = (found, item, item_ctx)  # the last one wins, as in FastAPI
        default = None
        if isinstance(param.default, Call):
            found = self._marker(param.default, ctx)
            if found is not None:
                default = (found, param.default, ctx)
        for declared in (annotated, default):
            if declared is not None and declared[0] == DEPENDENCY:
                return declared[0], declared[1], declared[2], None
        kind = QUERY if type_expr is None else self._kind(type_expr, type_ctx)
        if kind == SPECIAL:
            return SPECIAL, None, None, None
        for declared in (annotated, default):
            if declared is not None:
                return declared[0], declared[1], declared[2], None
        if param.name in in_path:
            return PATH, None, None, None
        if kind in (QUERY, BODY, FILE):
            return kind, None, None, None
        if kind == "none":
            return QUERY, None, None, None
        return UNKNOWN, None, None, kind

    def _marker(self, expr: Expr, ctx: Ctx) -> str | None:
        """The source a `Query(...)`/`Depends(...)`... call declares, else None."""
        if not isinstance(expr, Call) or last_name(expr.func) not in MARKERS:
            return None
        value = self.resolver.evaluate_one(expr.func, ctx)
        if isinstance(value, External) and value.top == "fastapi":
            return MARKERS.get(value.last)
        return None

    def _kind(self, expr: Expr, ctx: Ctx, depth: int = 0) -> str:
        """What FastAPI makes of a type: SPECIAL, FILE, BODY (complex), QUERY
        (scalar), "none", or else a reason it is unknown."""
        expr, ctx, _ = self.types.unwrap(expr, ctx)
        if depth > 10:
            return "the annotation is nested too deeply"
        if isinstance(expr, Const) and expr.value is None:
            return "none"
        if isinstance(expr, Union):
            return _union([self._kind(e, ctx, depth + 1) for e in (expr.left, expr.right)])
        if isinstance(expr, Subscript):
            head = last_name(expr.value)
            if head in UNIONS:
                return _union([self._kind(e, ctx, depth + 1) for e in expr.items])
            if head in SEQUENCES:
                items = [self._kind(e, ctx, depth + 1) for e in expr.items]
                return FILE if items and all(k == FILE for k in items[:1]) else BODY
            if head in MAPPINGS:
                return BODY
            if head in TYPING_SCALARS or head == "Literal":
                return QUERY
            return self._kind(expr.value, ctx, depth + 1)  # a generic class: `Page[Item]`
        values = self.resolver.evaluate(expr, ctx)
        if len(values) != 1:
            return "the annotation may stand for several types"
        value = values[0]
        if isinstance(value, ConstVal) and value.value is None:
            return "none"
        if isinstance(value, External):
            return _external_kind(value)
        if isinstance(value, ClassVal):
            return self._class_kind(value)
        if isinstance(value, SyntaxVal):
            return "the annotation is not a class"
        return getattr(value, "reason", "the annotation is not a class")

    def _class_kind(self, cls: ClassVal) -> str:
        kinds = {
            _external_kind(base) for base in self.resolver.mro(cls) if isinstance(base, External)
        }
        for kind in (SPECIAL, FILE, BODY, QUERY):
            if kind in kinds:
                return kind
        return f"`{cls.fact.name}` is a class fastlint cannot tell is a model or a scalar"


def _external_kind(ext: External) -> str:
    last, top = ext.last, ext.top
    if top in ("fastapi", "starlette"):
        if last in SPECIAL_CLASSES:
            return SPECIAL
        if last == "UploadFile":
            return FILE
    if top == "builtins":
        if last in SCALAR_BUILTINS:
            return QUERY
        if last in SEQUENCES or last in MAPPINGS:
            return BODY
    if top in ("typing", "typing_extensions", "collections"):
        if last in SEQUENCES or last in MAPPINGS or last in TYPED_DICTS:
            return BODY
        if last in TYPING_SCALARS:
            return QUERY
    if known.is_pydantic_model(ext) or (
        top in ("pydantic", "sqlmodel") and last in PYDANTIC_COMPLEX
    ):
        return BODY
    if top in ("pydantic", "pydantic_extra_types") or top in SCALAR_PACKAGES:
        return QUERY
    return f"`{ext.qualname}` is a class fastlint does not know"


def _union(kinds: list[str]) -> str:
    """A union is a file if a member is, else complex if a member is, else scalar."""
    members = [k for k in kinds if k != "none"]
    for kind in (FILE, BODY, SPECIAL):
        if kind in members:
            return kind if kind != SPECIAL else "a union with an injected class"
    unknown = [k for k in members if k != QUERY]
    if unknown:
        return unknown[0]
    return QUERY
