"""Exception handlers and Starlette-style routes of each app.

Exception handlers come from `@app.exception_handler(Exc)`,
`app.add_exception_handler(Exc, handler)` and
`FastAPI(exception_handlers={Exc: handler})`; Starlette routes from
`app.add_route(path, endpoint)` and `app.add_websocket_route(path, endpoint)`
(FastAPI's own `add_api_route` is a route of the routing model).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fastlint.facts.expr import Attr, Call, DictExpr, Expr, Seq
from fastlint.facts.types import FunctionFact
from fastlint.model.routing import Container, Routing
from fastlint.model.values import Ctx, FunctionVal
from fastlint.span import Span


@dataclass(frozen=True, eq=False)
class ExceptionHandler:
    """`exception` (a class or a status code, as written) is handled by `handler`."""

    app: Container = field(repr=False)
    exception: Expr
    handler: FunctionVal | None  # None when it could not be resolved to a function
    path: str
    span: Span
    ctx: Ctx = field(repr=False)  # where `exception` is evaluated


@dataclass(frozen=True, eq=False)
class StarletteRoute:
    """A route added with `add_route`/`add_websocket_route` (no FastAPI parameters)."""

    app: Container = field(repr=False)
    route_path: str | None  # None when not a literal
    endpoint: FunctionVal | None
    methods: tuple[str, ...]  # ("WEBSOCKET",) for a websocket route
    path: str
    span: Span
    ctx: Ctx = field(repr=False)


class AppHandlers:
    """Reads exception handlers and Starlette routes, once, from the routing model."""

    def __init__(self, routing: Routing) -> None:
        self.routing = routing
        self.resolver = routing.resolver
        self.exception_handlers: list[ExceptionHandler] = []
        self.starlette_routes: list[StarletteRoute] = []
        for container in routing.apps:
            self._constructor(container)
        for ctx, scope in self.resolver.all_scopes():
            functions = list(scope.functions.values())
            for cls in scope.classes.values():
                functions.extend(cls.methods.values())
            for function in functions:
                self._decorated(function, ctx)
            for call in scope.wiring:
                self._wiring(call, ctx)

    def _function(self, expr: Expr | None, ctx: Ctx) -> FunctionVal | None:
        if expr is None:
            return None
        values = self.resolver.evaluate(expr, ctx)
        if len(values) == 1 and isinstance(values[0], FunctionVal):
            return values[0]
        return None

    def _constructor(self, app: Container) -> None:
        handlers = app.call.kwarg("exception_handlers")
        if isinstance(handlers, DictExpr):
            for key, value in handlers.items:
                if key is not None:
                    self.exception_handlers.append(
                        ExceptionHandler(
                            app,
                            key,
                            self._function(value, app.ctx),
                            app.path,
                            app.call.span,
                            app.ctx,
                        )
                    )

    def _decorated(self, function: FunctionFact, ctx: Ctx) -> None:
        for decorator in function.decorators:
            call = decorator.expr
            if not (isinstance(call, Call) and isinstance(call.func, Attr)):
                continue
            if call.func.attr != "exception_handler" or not call.args:
                continue
            for app in self.routing.containers_of(call.func.value, ctx):
                self.exception_handlers.append(
                    ExceptionHandler(
                        app,
                        call.args[0],
                        FunctionVal.of(function, ctx),
                        ctx.path,
                        decorator.span,
                        ctx,
                    )
                )

    def _wiring(self, call: Call, ctx: Ctx) -> None:
        if not isinstance(call.func, Attr):  # `add_routes(app)`: a helper the resolver follows
            return
        method = call.func.attr
        if method not in ("add_exception_handler", "add_route", "add_websocket_route"):
            return
        for app in self.routing.containers_of(call.func.value, ctx):
            if method == "add_exception_handler":
                exception = call.arg(0, "exc_class_or_status_code")
                if exception is not None:
                    handler = self._function(call.arg(1, "handler"), ctx)
                    self.exception_handlers.append(
                        ExceptionHandler(app, exception, handler, ctx.path, call.span, ctx)
                    )
                continue
            websocket = method == "add_websocket_route"
            path_expr = call.arg(0, "path")
            self.starlette_routes.append(
                StarletteRoute(
                    app,
                    None if path_expr is None else self.resolver.string(path_expr, ctx),
                    self._function(call.arg(1, "route") or call.kwarg("endpoint"), ctx),
                    ("WEBSOCKET",) if websocket else self._methods(call, ctx),
                    ctx.path,
                    call.span,
                    ctx,
                )
            )

    def _methods(self, call: Call, ctx: Ctx) -> tuple[str, ...]:
        """`methods=[...]` of `add_route` (Starlette defaults to GET)."""
        methods = call.kwarg("methods")
        if isinstance(methods, Seq):
            names = [self.resolver.string(m, ctx) for m in methods.items]
            return tuple(n.upper() for n in names if n)
        return ("GET",)
