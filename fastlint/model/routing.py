"""Apps, routers, routes and how they are wired together, across files.

Every way FastAPI (0.1xx) and Starlette (0.x and 1.x) register a route is read:
route decorators (`get`... `trace`, `api_route`, `websocket`, and Starlette's
`route`, `websocket_route`) and their call form `router.get(path)(handler)`;
`add_api_route`, `add_api_websocket_route`, `add_route`, `add_websocket_route`;
route objects (`APIRoute`, `APIWebSocketRoute`, `Route`, `WebSocketRoute`, `Mount`
with `app=` or `routes=`, `Host`) in the `routes=[...]` of `FastAPI`, `APIRouter`,
`Starlette` or Starlette's `Router`, or added to `.routes` with
`append`/`insert`/`extend`, or given another's route list (`routes=router.routes`,
`app.router.routes = other.routes`); `include_router`, `mount`, `host`; a project
method wrapping `add_api_route` (each call of it is a route, declared where its path
is written). Routers reach an app through arguments (`**mapping` of a dict display
too), attributes held on objects, dict displays and modules imported by name
(`importlib.import_module`), followed by the resolver. A router's own
`prefix=` and `dependencies=` apply only to the routes FastAPI declares itself,
as at run time. Middleware: `add_middleware`, `middleware=[Middleware(...)]`,
`user_middleware.insert/append/extend(...)`, wrapping (`app = M(app)`), and
function middleware (`@app.middleware("http")`, `app.middleware("http")(fn)`,
`BaseHTTPMiddleware`'s `dispatch=`); see `fastlint.model.middleware`.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import PurePosixPath

from fastlint.facts.expr import (
    Attr,
    Call,
    Const,
    DictExpr,
    Expr,
    Name,
    Seq,
    Subscript,
    dotted,
    last_name,
)
from fastlint.facts.types import FunctionFact, Scope
from fastlint.knowledge import fastapi_starlette
from fastlint.model import known
from fastlint.model import middleware as middlewares
from fastlint.model.anchor import Anchor
from fastlint.model.literal_ops import text
from fastlint.model.middleware import Middleware
from fastlint.model.resolve import Resolver, routes_of
from fastlint.model.values import (
    ClassVal,
    Ctx,
    External,
    FunctionVal,
    InstanceVal,
    SyntaxVal,
    Unknown,
    written,
)
from fastlint.model.values import Scoped as Scoped  # re-exported: it used to live here
from fastlint.span import Span

ContainerKey = tuple[str, int, int]
# Calls that add one route: FastAPI's, and Starlette's (on every app and router).
FASTAPI_ADDS = ("add_api_route", "add_api_websocket_route")
ADD_ROUTE_METHODS = (*FASTAPI_ADDS, "add_route", "add_websocket_route")


@dataclass(frozen=True)
class AttrSet:
    """`app.<name> = value` after construction (`app.debug = True`), where it is written."""

    owner: str  # the container's subject, `app app`
    name: str  # the attribute path below the container: `debug`, `state.limiter`
    value: Scoped
    path: str
    span: Span | None

    @property
    def anchor(self) -> Anchor | None:
        """The assignment; its subject is `app app.debug =` (None when its span is unknown)."""
        if self.span is None:
            return None
        return Anchor(self.path, self.span, f"{self.owner}.{self.name} =")


@dataclass
class Container:
    """A FastAPI/Starlette app or an APIRouter, identified by its construction call."""

    instance: InstanceVal
    kind: str  # "app" or "router"
    is_fastapi: bool
    name: str
    conditional: bool  # built inside a branch
    prefix: str = ""  # a router's own `prefix=`
    routes: list[Route] = field(default_factory=list)
    includes: list[Include] = field(default_factory=list)
    mounts: list[Mount] = field(default_factory=list)
    middleware: list[Middleware] = field(default_factory=list)
    middleware_functions: list[FunctionVal] = field(default_factory=list)
    # where each was registered (the decorator, `app.middleware("http")(fn)`, the
    # `add_middleware(BaseHTTPMiddleware, dispatch=fn)` call), for the `if` around it
    middleware_sites: dict[FunctionVal, tuple[Span, Ctx]] = field(default_factory=dict)
    attr_assignments: list[tuple[str, Scoped]] = field(default_factory=list)
    attr_sets: list[AttrSet] = field(default_factory=list)  # the same, with where they are
    mounted_by: list[Container] = field(default_factory=list)
    # apps whose route list was given this app's routes (`other.router.routes = app.routes`)
    copied_into: list[Container] = field(default_factory=list)
    # `dependencies=[...]` that a router/app subclass's `__init__` passes to its base
    class_dependencies: list[Scoped] = field(default_factory=list)

    @property
    def key(self) -> ContainerKey:
        return (self.instance.path, self.instance.line, self.instance.column)

    @property
    def call(self) -> Call:
        return self.instance.call

    @property
    def ctx(self) -> Ctx:
        return self.instance.ctx

    @property
    def path(self) -> str:
        return self.instance.path

    def kwarg(self, name: str) -> Scoped | None:
        value = self.call.kwarg(name)
        return None if value is None else Scoped(value, self.ctx)

    @property
    def has_star(self) -> bool:
        """`*args`/`**kwargs` in the construction call: its arguments are not all known."""
        return self.call.has_star

    @property
    def anchor(self) -> Anchor:
        """Its construction call; the subject is `app <name>` (or `router <name>`)."""
        return Anchor(self.path, self.call.span, f"{self.kind} {self.name}")

    def attach(self, middleware: Middleware) -> None:
        """Add a middleware, which then names this app in its anchor (and how many of
        its class came before, so that two never share a subject)."""
        attached = replace(middleware, owner=self.anchor.subject)
        same = sum(1 for m in self.middleware if m.anchor.subject == attached.anchor.subject)
        self.middleware.append(replace(attached, ordinal=same + 1) if same else attached)

    @property
    def dependencies(self) -> list[Scoped]:
        """Its own `dependencies=[...]` (app or router level), those its class adds first."""
        return [
            *self.class_dependencies,
            *dependency_list(self.call.kwarg("dependencies"), self.ctx),
        ]


@dataclass
class Include:
    router: Container
    prefix: str
    dependencies: list[Scoped]
    file: str = ""  # the file holding the include_router call
    # `Mount(path, routes=[...])`: the routes below it get no prefix or dependencies
    # of the router or app it is in
    isolated: bool = False
    call: Call | None = None  # the include_router call, in `ctx`
    ctx: Ctx | None = None


@dataclass
class Mount:
    path: str
    app: Container
    path_known: bool = True  # False: the path is an expression fastlint cannot read


@dataclass
class Route:
    """One route declaration: a decorated endpoint or an `add_api_route` call."""

    container: Container
    methods: tuple[str, ...]
    path: str
    endpoint: FunctionVal | None
    call: Call  # the decorator call or the add_api_route call
    ctx: Ctx
    span: Span
    file: str
    is_websocket: bool
    decorators: tuple[Scoped, ...] = ()
    # declared on a parameter (`def add_status(app): app.add_api_route(...)`): each
    # app the helper is called with serves its own copy, named in its label
    per_app: bool = False
    # A Starlette route (`Route(...)`, `add_route`, `@router.route`): FastAPI binds no
    # parameters and runs no dependencies for it, not even its router's or include's.
    starlette: bool = False
    # Declared through its router's own methods (decorators, `add_api_route`), which
    # add the router's `prefix=` and `dependencies=`; False for a route object added
    # to `routes` (`APIRoute(...)`) and for Starlette routes.
    via_router: bool = True
    # `dependencies=` passed in through `**kwargs` (a wrapper's caller gave them)
    spread_dependencies: tuple[Scoped, ...] = ()

    def kwarg(self, name: str) -> Scoped | None:
        value = self.call.kwarg(name)
        return None if value is None else Scoped(value, self.ctx)

    @property
    def has_star(self) -> bool:
        """`*args`/`**kwargs` in the declaring call: its arguments are not all known."""
        return self.call.has_star

    @property
    def dependencies(self) -> list[Scoped]:
        """The route's own `dependencies=[...]` (none for a Starlette route)."""
        if self.starlette:
            return []
        own = dependency_list(self.call.kwarg("dependencies"), self.ctx)
        return [*own, *self.spread_dependencies]

    @property
    def status_code(self) -> object:
        """The `status_code=` written as a constant (`204`); None when it is not."""
        status = self.call.kwarg("status_code")
        return status.value if isinstance(status, Const) else None

    @property
    def status_name(self) -> str | None:
        """The last name `status_code=` is written with (`HTTP_204_NO_CONTENT` for
        `status.HTTP_204_NO_CONTENT`); None when it is not a name."""
        status = self.call.kwarg("status_code")
        return None if status is None else last_name(status)

    @property
    def response_model_written(self) -> str:
        """`response_model=` as written, else the endpoint's return annotation (FastAPI
        reads it), else "none"; "Response" when the endpoint returns a Response itself."""
        model = self.call.kwarg("response_model")
        if model is not None:
            if isinstance(model, Const) and model.value is None:
                return "none"
            return written(model)
        if self.endpoint is None or self.endpoint.return_annotation is None:
            return "none"
        shown = written(self.endpoint.return_annotation)
        if shown == "None":
            return "none"
        return "Response" if shown.endswith("Response") else shown

    @property
    def lines(self) -> tuple[int, ...]:
        """Lines that stand for the route: the decorator's and the `def`'s."""
        if self.endpoint is None or self.endpoint.path != self.file:
            return (self.span.line,)
        return (self.span.line, self.endpoint.fact.span.line)

    @property
    def method_label(self) -> str:
        return "WEBSOCKET" if self.is_websocket else "|".join(self.methods)

    def anchor_as(self, label: str) -> Anchor:
        """The declaration (decorator or `add_api_route` call, and the `def` line),
        about the route `label` names."""
        return Anchor(self.file, self.span, label, route=label, also_lines=self.lines[1:])

    @property
    def declared_label(self) -> str:
        """`METHOD /path` with its router's own prefix, for a route no app serves."""
        prefix = self.container.prefix if self.via_router else ""
        return f"{self.method_label} {prefix}{self.path}"


@dataclass
class RouteInstance:
    """A route as served by one app, after every include_router and mount on the way."""

    route: Route
    app: Container
    full_path: str
    dependencies: list[Scoped]  # app, include, router and route level, outermost first
    chain: tuple[Container, ...]  # app, routers..., the route's own container
    outer_apps: tuple[Container, ...]  # apps this one is mounted in (their middleware applies)
    include_files: tuple[str, ...] = ()  # files holding the include_router calls on the way
    shared: bool = False  # the route is served by several apps: labels name the app

    @property
    def label(self) -> str:
        """`METHOD /full/path`, and the app when several apps serve the route (so
        each app's finding has its own identity)."""
        label = f"{self.route.method_label} {self.full_path}"
        named = self.shared or (self.route.per_app and self.route.container is self.app)
        return f"{label} (app {app_label(self.app)})" if named else label

    @property
    def files(self) -> tuple[str, ...]:
        """The files whose edits can change how this route is served: the route's and
        its endpoint's, its routers', the include calls' and the apps'."""
        found = [self.route.file]
        if self.route.endpoint is not None:
            found.append(self.route.endpoint.path)
        found.extend(c.path for c in (*self.outer_apps, *self.chain))
        found.extend(self.include_files)
        return tuple(dict.fromkeys(found))

    def matches(self, pattern: str) -> bool:
        """Whether a `"METHOD /path-glob"` pattern (`"GET /health*"`, `"* /public/*"`,
        or `"/docs"` for any method), as in `public-routes`, names this served route."""
        method, _, glob = pattern.strip().rpartition(" ")
        method = method.strip().upper() or "*"
        return (method == "*" or method in self.route.methods) and fnmatch.fnmatchcase(
            self.full_path, glob
        )

    @property
    def anchor(self) -> Anchor:
        """The route's declaration, about the route as this app serves it."""
        return self.route.anchor_as(self.label)

    @property
    def scopes(self) -> list[Scoped]:
        """The `scopes=` given to a dependency call on the route's path (app, include,
        router and route `dependencies=[...]`) or in an endpoint parameter's default or
        `Annotated[...]` annotation: `Security(get_user, scopes=["items:read"])`."""
        calls: list[Scoped] = list(self.dependencies)
        endpoint = self.route.endpoint
        if endpoint is not None:
            for param in endpoint.fact.params:
                for expr in (param.default, param.annotation):
                    if expr is not None:
                        calls.extend(Scoped(e, endpoint.ctx) for e in calls_in(expr))
        found: list[Scoped] = []
        for item in calls:
            scopes = item.expr.kwarg("scopes") if isinstance(item.expr, Call) else None
            if scopes is not None:
                found.append(Scoped(scopes, item.ctx))
        return found


def calls_in(expr: Expr) -> list[Expr]:
    """Calls in a parameter's default or `Annotated[...]` annotation."""
    if isinstance(expr, Call):
        return [expr]
    if isinstance(expr, Subscript):
        return [c for item in expr.items for c in calls_in(item)]
    return []


class Routing:
    """Finds every app and router and links routes to the apps that serve them."""

    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver
        self.containers: dict[ContainerKey, Container] = {}
        self.routes: list[Route] = []
        self.notes: list[tuple[str, int, str]] = []
        self.unresolved_includes: list[tuple[str, int, str]] = []  # also in notes
        # Middleware registered on an app fastlint cannot resolve (also in notes): it
        # may authenticate routes fastlint sees, which then cannot be judged open.
        self.unresolved_middleware: list[tuple[str, int, str]] = []
        self._linked: set[tuple[object, ...]] = set()  # wiring steps already applied
        # Route decorators on a receiver fastlint cannot resolve (`@self.app.get(...)`
        # where `self.app` is a parameter): (file, line, `METHOD path`, receiver).
        self.unattached: list[tuple[str, int, str, str]] = []
        self._find_containers()
        self._find_routes_and_wiring()
        middlewares.number_alike([c.middleware for c in self.containers.values()])

    # -- discovery ---------------------------------------------------------------------

    def _find_containers(self) -> None:
        for ctx, scope in self.resolver.all_scopes():
            for call, conditional in scope.constructed:
                for value in self.resolver.evaluate(call, ctx):
                    if isinstance(value, InstanceVal):
                        self._container(value, conditional, scope_names(scope, call))

    def _container(
        self, instance: InstanceVal, conditional: bool = False, name: str | None = None
    ) -> Container | None:
        key = (instance.path, instance.line, instance.column)
        if key in self.containers:
            return self.containers[key]
        kind = self._kind(instance.cls)
        if kind is None:
            return None
        is_fastapi = kind == "app" and self.resolver.inherits(instance.cls, known.is_fastapi_app)
        prefix = self._text(instance.call.kwarg("prefix"), instance.ctx) if kind == "router" else ""
        container = Container(instance, kind, is_fastapi, name or kind, conditional, prefix)
        if isinstance(instance.cls, ClassVal):
            container.class_dependencies = self._class_dependencies(instance.cls)
        self.containers[key] = container
        for configured in middlewares.configured(instance.call, instance.ctx, self.resolver):
            self._attach(container, configured)
        self._route_list(container, instance.call.kwarg("routes"), instance.ctx)
        return container

    def _attach(self, container: Container, middleware: Middleware) -> None:
        """Attach a middleware; `BaseHTTPMiddleware(app, dispatch=fn)` (added or
        listed the same way) runs `fn` as `@app.middleware("http")` does."""
        container.attach(middleware)
        if not any(
            isinstance(c, External) and known.is_base_http_middleware(c) for c in middleware.classes
        ):
            return
        dispatch = middleware.arg(0, "dispatch")
        function = None if dispatch is None else self._endpoint(dispatch.expr, dispatch.ctx)
        if function is not None and function not in container.middleware_functions:
            container.middleware_functions.append(function)
            container.middleware_sites[function] = (middleware.span, middleware.cls.ctx)

    def _route_list(self, container: Container, expr: Expr | None, ctx: Ctx) -> None:
        """`routes=[Route(...), Mount(...)]` given to an app, a router or a `Mount`:
        each route object registers on `container` (the list may be a name bound
        elsewhere)."""
        if expr is None:
            return
        for item, item_ctx in middlewares.list_items(expr, ctx, self.resolver):
            self._route_items(container, item, item_ctx)
        for value in self.resolver.evaluate(expr, ctx):
            source = routes_of(value)
            if source is not None:
                self._routes_copied(container, *source, ctx)

    def _routes_copied(self, container: Container, call: Call, source_ctx: Ctx, ctx: Ctx) -> None:
        """The route list of another app or router given as this one's
        (`Starlette(routes=router.routes)`, `app.routes.extend(api.routes)`,
        `app.router.routes = other.app.routes`): its route objects, with the prefixes
        and dependencies they were declared with, are served here. An app whose routes
        are copied this way is served through the one it is copied into."""
        for source in self.containers_of(call, source_ctx):
            if source is container:
                continue
            if self._first("include", container.key, source.key, "routes"):
                container.includes.append(Include(source, "", [], ctx.path))
                if source.kind == "app":
                    source.copied_into.append(container)

    def _route_items(self, container: Container, item: Expr, ctx: Ctx) -> None:
        """The route objects an expression stands for, registered on `container`."""
        for value in self.resolver.evaluate(item, ctx):
            if isinstance(value, InstanceVal):
                self._route_object(container, value)

    def _route_object(self, container: Container, value: InstanceVal) -> None:
        """One `APIRoute`/`Route`/`WebSocketRoute`/`Mount`/`Host` object (or of a
        subclass) that `container` serves."""
        found = self._route_class(value.cls)
        if found is None:
            return
        kind, ext = found
        call, ctx = value.call, value.ctx
        if kind == "mount":
            host = ext.last == "Host"
            self._mount(container, call, ctx, host=host)
            routes = None if host else call.kwarg("routes")
            if routes is None:
                return
            path = self._text(call.arg(0, "path"), ctx).rstrip("/")
            key = (value.path, value.line, value.column)
            mount = self.containers.get(key)
            if mount is None:
                mount = Container(value, "router", False, "mount", False)
                self.containers[key] = mount
                self._route_list(mount, routes, ctx)
            if self._first("include", container.key, key, _at(call, ctx), path):
                container.includes.append(Include(mount, path, [], ctx.path, isolated=True))
            return
        methods = ("WEBSOCKET",) if kind == "websocket" else self._methods("api_route", call, ctx)
        endpoint = self._endpoint(call.arg(1, "endpoint"), ctx)
        path = self._text(call.arg(0, "path"), ctx)
        starlette = not ext.last.startswith("API")
        self._add_route(container, call, ctx, path, methods, endpoint, starlette, False)

    def _route_class(self, cls: ClassVal | External) -> tuple[str, External] | None:
        """What a routing class (or one derived from it) makes, and that class."""
        for c in (cls,) if isinstance(cls, External) else self.resolver.mro(cls):
            if isinstance(c, External):
                kind = known.route_object(c)
                if kind is not None:
                    return kind, c
        return None

    def _appended(self, call: Call, ctx: Ctx) -> None:
        """`app.routes.append(Route(...))`, `router.routes.extend([...])`,
        `app.router.routes.insert(0, Mount(...))`; and middleware put straight into
        the list `add_middleware` fills: `app.user_middleware.insert(0, Middleware(...))`."""
        func = call.func
        if not (
            isinstance(func, Attr)
            and func.attr in fastapi_starlette.ROUTE_LIST_METHODS
            and isinstance(func.value, Attr)
            and func.value.attr in ("routes", "user_middleware")
            and call.args
        ):
            return
        item = call.args[-1]
        for bound in self.resolver.bound_contexts(ctx):
            for container in self.containers_of(func.value.value, bound):
                if func.value.attr == "user_middleware":
                    self._user_middleware(container, call, func.attr == "extend", bound)
                elif func.attr == "extend":
                    self._route_list(container, item, bound)
                else:
                    self._route_items(container, item, bound)

    def _user_middleware(self, container: Container, call: Call, extend: bool, ctx: Ctx) -> None:
        """`app.user_middleware.insert(0, Middleware(Cls))` (or `.append`, `.extend`)."""
        if not self._first("middleware", container.key, _at(call, ctx)):
            return
        item = call.args[-1]
        pairs = middlewares.list_items(item, ctx, self.resolver) if extend else [(item, ctx)]
        for entry, entry_ctx in pairs:
            for found in middlewares.listed(entry, entry_ctx, self.resolver):
                self._attach(container, found)

    def _class_dependencies(self, cls: ClassVal) -> list[Scoped]:
        """`class AuthRouter(APIRouter)` whose `__init__` calls
        `super().__init__(dependencies=[...], ...)`: those dependencies, for every
        instance of the class (inherited `__init__`s too)."""
        found: list[Scoped] = []
        for owner in self.resolver.mro(cls):
            if not isinstance(owner, ClassVal) or "__init__" not in owner.fact.methods:
                continue
            init = owner.fact.methods["__init__"]
            for call in init.body.calls:
                func = call.func
                if (
                    isinstance(func, Attr)
                    and func.attr == "__init__"
                    and isinstance(func.value, Call)
                    and func.value.func == Name("super")
                ):
                    found.extend(dependency_list(call.kwarg("dependencies"), owner.ctx.enter(init)))
        return found

    def _kind(self, cls: ClassVal | External) -> str | None:
        if self.resolver.inherits(cls, known.is_router):
            return "router"
        if self.resolver.inherits(cls, known.is_starlette_router):
            return "router"  # `Router(routes=[...])`, mounted as an ASGI app
        if self.resolver.inherits(cls, known.is_fastapi_app) or self.resolver.inherits(
            cls, known.is_starlette_app
        ):
            return "app"
        return None

    def _text(self, expr: Expr | None, ctx: Ctx) -> str:
        """A string argument for display and path joining ("" when absent, `<...>`
        when it cannot be read: a prefix is never dropped silently)."""
        if expr is None:
            return ""
        found = self.resolver.string(expr, ctx)
        return f"<{text(expr)}>" if found is None else found

    def containers_of(self, expr: Expr, ctx: Ctx) -> list[Container]:
        """The apps/routers an expression may stand for."""
        result = []
        for value in self.resolver.evaluate(expr, ctx):
            if isinstance(value, InstanceVal):
                container = self._container(value)
                if container is not None:
                    result.append(container)
        return result

    def _find_routes_and_wiring(self) -> None:
        for ctx, scope in self.resolver.all_scopes():
            for function in (*scope.shadowed, *scope.functions.values()):
                self._decorated(function, ctx)
            for cls in scope.classes.values():
                for method in cls.methods.values():
                    self._decorated(method, ctx)
            for call in scope.wiring:
                self._wiring(call, ctx)
            for call in scope.calls:
                self._appended(call, ctx)
            for call, _ in scope.constructed:
                self._wrapping(call, scope, ctx)
                if _registers_route(call):  # `handler = router.post("/x")(handler)`
                    self._call_form(call, ctx)
            for assignment in scope.attr_assignments:
                target = assignment.target
                if isinstance(target, Attr):
                    self._attr_assignment(
                        target, Scoped(assignment.value, ctx), ctx, assignment.span
                    )

    def _decorated(self, function: FunctionFact, ctx: Ctx) -> None:
        for decorator in function.decorators:
            call = decorator.expr
            if not isinstance(call, Call) or not isinstance(call.func, Attr):
                continue
            decorators = tuple(Scoped(d.expr, ctx) for d in function.decorators)
            self._registered(call, FunctionVal.of(function, ctx), ctx, decorator.span, decorators)

    def _registered(
        self,
        call: Call,
        endpoint: FunctionVal | None,
        ctx: Ctx,
        span: Span,
        decorators: tuple[Scoped, ...] = (),
    ) -> None:
        """`<router>.<method>(path, ...)` applied to `endpoint`, as a decorator or as a
        call (`router.post("/x")(handler)`)."""
        assert isinstance(call.func, Attr)
        method = call.func.attr
        if method not in fastapi_starlette.REGISTERING_METHODS:
            return
        containers = self.containers_of(call.func.value, ctx)
        if not containers and method != "middleware":
            self._unattached(call, ctx, span)
        elif not containers:
            self._unknown_middleware(ctx, call, "middleware: could not resolve the app")
        for container in containers:
            if method == "middleware":
                if endpoint is not None:
                    container.middleware_functions.append(endpoint)
                    container.middleware_sites[endpoint] = (span, ctx)
                continue
            route = Route(
                container=container,
                methods=self._methods(method, call, ctx),
                path=self._text(call.arg(0, "path"), ctx),
                endpoint=endpoint,
                call=call,
                ctx=ctx,
                span=span,
                file=ctx.path,
                is_websocket=method in ("websocket", "websocket_route"),
                decorators=decorators,
                starlette=method in fastapi_starlette.STARLETTE_ROUTE_METHODS,
                via_router=method not in fastapi_starlette.STARLETTE_ROUTE_METHODS,
            )
            container.routes.append(route)
            self.routes.append(route)

    def _wrapper(self, call: Call, ctx: Ctx) -> bool:
        """Whether `x.add_api_route(...)` calls a project function (a method that wraps
        the framework's: `Api.add_api_route(self, path, endpoint, **kwargs)`), whose
        own registration is the route."""
        return any(isinstance(v, FunctionVal) for v in self.resolver.evaluate(call.func, ctx))

    def _declared_at(self, call: Call, ctx: Ctx) -> tuple[Span, str]:
        """Where a route added by `call` is declared: the call itself, or, when its
        path is a parameter of the function the call is in (a wrapper), the call of
        that function that passes the path (followed out through wrappers of wrappers),
        as bound in `ctx`."""
        span, file = call.span, ctx.path
        written, where = call.arg(0, "path"), ctx
        for _ in range(8):
            if not (isinstance(written, Name) and where.functions):
                break
            function = where.functions[-1]
            site = where.site(len(where.functions))
            names = [p.name for p in function.params]
            if site is None or written.id not in names:
                break
            outer, outer_ctx = site
            position = names.index(written.id)
            if names[:1] == ["self"] and isinstance(outer.func, Attr):
                position -= 1  # `self.add(path)`: arguments start after `self`
            passed = outer.kwarg(written.id)
            if passed is None and 0 <= position < len(outer.args):
                passed = outer.args[position]
            if passed is None:
                break
            span, file = outer.span, outer_ctx.path
            written, where = passed, outer_ctx
        return span, file

    def _unattached(self, call: Call, ctx: Ctx, span: Span, file: str | None = None) -> None:
        """Keep a route whose receiver cannot be resolved, to count it as not checked
        (a decorator on a receiver known to be something else, a Flask or Slack Bolt
        app, is no FastAPI route; `add_api_route` is FastAPI's name alone)."""
        assert isinstance(call.func, Attr)
        path = self._text(call.arg(0, "path"), ctx)
        if not path.startswith("/"):  # `handlers.get(name)(event)` is a dict lookup
            return
        method = call.func.attr
        added = method in ("add_api_route", "add_api_websocket_route")  # FastAPI's own names
        values = self.resolver.evaluate(call.func.value, ctx)
        if added or all(isinstance(v, Unknown) for v in values):
            if method.startswith("add_"):
                method = "websocket" if "websocket" in method else "api_route"
            methods = "|".join(self._methods(method, call, ctx))
            receiver = dotted(call.func.value) or "?"
            entry = (file or ctx.path, span.line, f"{methods} {path}", receiver)
            if entry not in self.unattached:
                self.unattached.append(entry)

    def _call_form(self, call: Call, ctx: Ctx) -> None:
        """`router.post("/x")(handler)` / `app.get(path)(func)`."""
        assert isinstance(call.func, Call) and isinstance(call.func.func, Attr)
        values = self.resolver.evaluate(call.args[0], ctx)
        endpoint = values[0] if len(values) == 1 else None
        endpoint = endpoint if isinstance(endpoint, FunctionVal) else None
        decorators = (
            ()
            if endpoint is None
            else tuple(Scoped(d.expr, endpoint.ctx) for d in endpoint.fact.decorators)
        )
        self._registered(call.func, endpoint, ctx, call.span, decorators)

    def _methods(self, method: str, call: Call, ctx: Ctx) -> tuple[str, ...]:
        if method in fastapi_starlette.HTTP_METHODS:
            return (method.upper(),)
        if method in ("websocket", "websocket_route"):
            return ("WEBSOCKET",)
        methods, where = call.kwarg("methods"), ctx
        for kind, mapping in call.stars if methods is None else ():
            # `add_api_route(path, endpoint, **kwargs)` in a wrapper: its caller's
            for value in self.resolver.evaluate(mapping, ctx) if kind == "**" else ():
                if isinstance(value, SyntaxVal) and isinstance(value.expr, DictExpr):
                    for key, item in value.expr.items:
                        if key == Const("methods"):
                            methods, where = item, value.ctx
        if isinstance(methods, Seq):
            names = [self.resolver.string(m, where) for m in methods.items]
            return tuple(n.upper() for n in names if n)
        return ("GET",)

    def _wiring(self, call: Call, ctx: Ctx) -> None:
        if isinstance(call.func, Call):
            self._call_form(call, ctx)
            return
        assert isinstance(call.func, Attr)
        method = call.func.attr
        # A call inside a helper is wired once per call site of the helper, with that
        # site's arguments: `wire(app, router)` and `wire(test_app, test_router)` never
        # include `test_router` into `app`.
        resolved = routers = False
        for bound in self.resolver.bound_contexts(ctx):
            targets = self.containers_of(call.func.value, bound)
            resolved = resolved or bool(targets)
            routers = self._wire(method, call, bound, targets) or routers
        if not resolved and method in ADD_ROUTE_METHODS and not self._wrapper(call, ctx):
            # inside a wrapper (`def add_api_route(self, path, endpoint, **kw)`), each
            # call of the wrapper is one route, named where its path is written
            for bound in self.resolver.bound_contexts(ctx):
                self._unattached(call, bound, *self._declared_at(call, bound))
        if not resolved and method == "add_middleware":
            self._unknown_middleware(ctx, call, "add_middleware: could not resolve the app")
        if not resolved and method in (*fastapi_starlette.INCLUDE_METHODS, "mount", "host"):
            self._unresolved(ctx, call, f"{method}: could not resolve the app or router")
        elif resolved and not routers and method == "include_router":
            self._unresolved(ctx, call, "include_router: could not resolve the router")

    def _wire(self, method: str, call: Call, ctx: Ctx, targets: list[Container]) -> bool:
        """Apply one wiring call to the apps/routers it is made on; for an include,
        whether it found a router to include."""
        assert isinstance(call.func, Attr)
        found = False
        for container in targets:
            if method == "include_router":
                found = self._include(container, call, ctx) or found
            elif method in fastapi_starlette.INCLUDE_METHODS:  # Cadwyn: every positional argument
                for router in call.args:
                    self._include(container, Call(call.func, (router,), (), False, call.span), ctx)
            elif method == "mount":
                self._mount(container, call, ctx)
            elif method == "host":  # `app.host("api.example.com", sub)`: same path, by host
                self._mount(container, call, ctx, host=True)
            elif method == "add_middleware":
                added = middlewares.added(call, ctx, self.resolver)
                if added is not None and self._first("middleware", container.key, _at(call, ctx)):
                    self._attach(container, added)
            elif method in ADD_ROUTE_METHODS:
                self._added_route(container, call, ctx, method)
        return found

    def _first(self, *key: object) -> bool:
        """Whether a wiring step is seen for the first time (a helper called twice
        with the same arguments wires once)."""
        if key in self._linked:
            return False
        self._linked.add(key)
        return True

    def _wrapping(self, call: Call, scope: Scope, ctx: Ctx) -> None:
        """`app = SomeMiddleware(app, ...)`."""
        for app, wrapper in middlewares.wrapping(
            call, scope, ctx, self.resolver, self.containers_of
        ):
            self._attach(app, wrapper)

    def _include(self, container: Container, call: Call, ctx: Ctx) -> bool:
        """Record an include; whether the router was resolved (a Cadwyn-style
        include with several routers says so itself)."""
        router_expr = call.arg(0, "router")
        if router_expr is None:
            return True
        routers = self.containers_of(router_expr, ctx)
        cadwyn = not (isinstance(call.func, Attr) and call.func.attr == "include_router")
        if not routers and cadwyn:  # `include_router` itself is noted by `_wiring`
            self._unresolved(ctx, call, "include_router: could not resolve the router")
        prefix = self._text(call.kwarg("prefix"), ctx)
        deps = dependency_list(call.kwarg("dependencies"), ctx)
        for router in routers:
            if self._first("include", container.key, router.key, _at(call, ctx), prefix):
                container.includes.append(
                    Include(router, prefix, deps, ctx.path, call=call, ctx=ctx)
                )
        return bool(routers)

    def _unknown_middleware(self, ctx: Ctx, call: Call, message: str) -> None:
        """A middleware registration on a receiver that resolves to nothing known
        (a receiver known to be something else, such as a Flask app, is left out)."""
        assert isinstance(call.func, Attr)
        values = self.resolver.evaluate(call.func.value, ctx)
        note = (ctx.path, call.span.line, message)
        if all(isinstance(v, Unknown) for v in values) and self._first("note", note):
            self.notes.append(note)
            self.unresolved_middleware.append(note)

    def _unresolved(self, ctx: Ctx, call: Call, message: str) -> None:
        note = (ctx.path, call.span.line, message)
        if not self._first("note", note):
            return
        self.notes.append(note)
        self.unresolved_includes.append(note)

    def _mount(self, container: Container, call: Call, ctx: Ctx, host: bool = False) -> None:
        app_expr = call.arg(1, "app")
        if app_expr is None:
            return
        # Starlette drops a mount path's trailing slash: a sub-app at "/" serves "/x".
        path = "" if host else self._text(call.arg(0, "path"), ctx).rstrip("/")
        written = None if host else call.arg(0, "path")
        known = written is None or (self.resolver.string(written, ctx) or "<").count("<") == 0
        for sub in self.containers_of(app_expr, ctx):
            if self._first("mount", container.key, sub.key, _at(call, ctx), path):
                container.mounts.append(Mount(path, sub, known))
                sub.mounted_by.append(container)

    def _added_route(self, container: Container, call: Call, ctx: Ctx, method: str) -> None:
        """`add_api_route`, `add_api_websocket_route`, and Starlette's `add_route` and
        `add_websocket_route` (whose endpoint is `route` in Starlette, `endpoint` in
        FastAPI's router)."""
        websocket = "websocket" in method
        endpoint_expr = call.arg(1, "endpoint") or call.kwarg("route")
        endpoint = self._endpoint(endpoint_expr, ctx)
        methods: tuple[str, ...] = (
            ("WEBSOCKET",) if websocket else self._methods("api_route", call, ctx)
        )
        path = self._text(call.arg(0, "path"), ctx)
        starlette = method not in FASTAPI_ADDS
        self._add_route(
            container,
            call,
            ctx,
            path,
            methods,
            endpoint,
            starlette,
            not starlette,
            self._declared_at(call, ctx),
        )

    def _endpoint(self, expr: Expr | None, ctx: Ctx) -> FunctionVal | None:
        """The function an endpoint argument stands for (None: a class, or not known)."""
        if expr is None:
            return None
        values = self.resolver.evaluate(expr, ctx)
        if len(values) == 1 and isinstance(values[0], FunctionVal):
            return values[0]
        return None

    def _add_route(
        self,
        container: Container,
        call: Call,
        ctx: Ctx,
        path: str,
        methods: tuple[str, ...],
        endpoint: FunctionVal | None,
        starlette: bool,
        via_router: bool,
        declared: tuple[Span, str] | None = None,
    ) -> None:
        """A route made by a call (`add_api_route(...)`, `Route(...)`) on `container`;
        `declared` is where it is named, when not at `call` (a wrapper's caller)."""
        if not self._first("route", container.key, _at(call, ctx), path, methods):
            return
        span, file = declared or (call.span, ctx.path)
        route = Route(
            container=container,
            methods=methods,
            path=path,
            endpoint=endpoint,
            call=call,
            ctx=ctx,
            span=span,
            file=file,
            is_websocket=methods == ("WEBSOCKET",),
            per_app=container.kind == "app" and _on_parameter(call, ctx),
            starlette=starlette,
            via_router=via_router,
            spread_dependencies=self._spread_dependencies(call, ctx),
        )
        container.routes.append(route)
        self.routes.append(route)

    def _spread_dependencies(self, call: Call, ctx: Ctx) -> tuple[Scoped, ...]:
        """`dependencies=[...]` a call receives through `**kwargs` (a wrapper of
        `add_api_route` whose caller passes them)."""
        if not call.stars or call.kwarg("dependencies") is not None:
            return ()
        spread = self.resolver.spread(call, ctx) or []
        return tuple(
            d
            for key, item, where in spread
            if key == "dependencies"
            for d in dependency_list(item, where)
        )

    def _attr_assignment(
        self, target: Attr, value: Scoped, ctx: Ctx, span: Span | None = None
    ) -> None:
        """`app.state.limiter = ...`, `app.openapi_url = None` and the like."""
        base: Expr = target.value
        names = [target.attr]
        while isinstance(base, Attr) and base.attr == "state":
            names.insert(0, base.attr)
            base = base.value
        for container in self.containers_of(base, ctx):
            if names == ["routes"]:  # `app.router.routes = other.routes`
                self._route_list(container, value.expr, value.ctx)
            container.attr_assignments.append((".".join(names), value))
            subject = container.anchor.subject
            container.attr_sets.append(AttrSet(subject, ".".join(names), value, ctx.path, span))

    # -- linking -------------------------------------------------------------------------

    @property
    def apps(self) -> list[Container]:
        return sorted((c for c in self.containers.values() if c.kind == "app"), key=lambda c: c.key)

    def instances(self) -> list[RouteInstance]:
        """Every route as served by every app, through includes and mounts. A route
        served by several apps names its app in its label."""
        found: list[RouteInstance] = []
        for app in self.apps:
            if app.mounted_by or app.copied_into:
                continue  # reached through the app it is mounted or copied in
            found.extend(self._app_instances(app, "", (), set()))
        # One router object included several times the same way serves its routes
        # once: routers made at one place in a base class (`self.router = APIRouter()`
        # in `BaseRouter.__init__`) are one router here, included once per subclass.
        unique: dict[tuple[object, ...], RouteInstance] = {}
        for instance in found:
            way = tuple((d.expr, d.ctx.key) for d in instance.dependencies)
            key = (id(instance.route), instance.app.key, instance.full_path, way)
            unique.setdefault(key, instance)
        found = list(unique.values())
        # Apps told apart by file and variable: `app = FastAPI(debug=True)` in one
        # branch and `app = FastAPI()` in the other are one deployment.
        # A route added by a helper (`app.add_api_route(...)` in a function each app
        # calls) is one declaration served by several apps, too.
        apps: dict[tuple[str, int, int], set[str]] = {}
        for instance in found:
            apps.setdefault(_declared(instance.route), set()).add(app_label(instance.app))
        for instance in found:
            instance.shared = len(apps[_declared(instance.route)]) > 1
        return found

    def _app_instances(
        self, app: Container, prefix: str, outer: tuple[Container, ...], seen: set[ContainerKey]
    ) -> Iterator[RouteInstance]:
        if app.key in seen:
            return
        seen = seen | {app.key}
        yield from self._router_instances(app, app, (prefix, prefix, []), (app,), outer, seen, ())
        for mount in app.mounts:
            path = prefix + mount.path
            if mount.app.kind == "app":
                yield from self._app_instances(mount.app, path, (*outer, app), seen)
            elif mount.app.key not in seen:  # an APIRouter is an ASGI app too
                yield from self._router_instances(
                    app, mount.app, (path, path, []), (app, mount.app), outer, seen, ()
                )

    def _router_instances(
        self,
        app: Container,
        container: Container,
        way: tuple[str, str, list[Scoped]],
        chain: tuple[Container, ...],
        outer: tuple[Container, ...],
        seen: set[ContainerKey],
        include_files: tuple[str, ...],
    ) -> Iterator[RouteInstance]:
        """The routes of `container` and of what it includes. `way` is what FastAPI
        applies on the way to the routes it declares itself (every mount path and
        include prefix, every outer router's own prefix; their dependencies), and
        the prefix of Starlette routes (mount paths and include prefixes only): a
        router's own `prefix=` and `dependencies=` reach neither its Starlette routes
        nor route objects added to its `routes`."""
        prefix, plain, deps = way
        own_prefix = container.prefix
        own_deps = container.dependencies
        seen = seen | {container.key}
        for route in container.routes:
            if route.starlette:
                path, route_deps = plain + route.path, []
            elif route.via_router:
                path = prefix + own_prefix + route.path
                route_deps = deps + own_deps + route.dependencies
            else:
                path, route_deps = prefix + route.path, deps + route.dependencies
            yield RouteInstance(route, app, path, route_deps, chain, outer, include_files)
        for include in container.includes:
            if include.router.key in seen:
                continue
            if include.isolated:  # `Mount(path, routes=[...])`: a route object itself
                inner: tuple[str, str, list[Scoped]] = (
                    prefix + include.prefix,
                    plain + include.prefix,
                    [],
                )
            else:
                inner = (
                    prefix + own_prefix + include.prefix,
                    plain + include.prefix,
                    deps + own_deps + include.dependencies,
                )
            yield from self._router_instances(
                app,
                include.router,
                inner,
                (*chain, include.router),
                outer,
                seen,
                (*include_files, include.file),
            )


def _on_parameter(call: Call, ctx: Ctx) -> bool:
    """Whether `<receiver>.add_api_route(...)` is made on a parameter of the function
    it is written in (`app` in `def add_status(app)`)."""
    receiver = call.func.value if isinstance(call.func, Attr) else None
    if isinstance(receiver, Attr) and receiver.attr == "router":  # app.router.add_api_route
        receiver = receiver.value
    return (
        isinstance(receiver, Name)
        and bool(ctx.functions)
        and any(p.name == receiver.id for p in ctx.functions[-1].params)
    )


def _declared(route: Route) -> tuple[str, int, int]:
    """Where a route is declared."""
    return (route.file, route.span.line, route.span.column)


def _at(call: Call, ctx: Ctx) -> tuple[str, int, int]:
    """Where a call is written."""
    return (ctx.path, call.span.line, call.span.column)


def _registers_route(call: Call) -> bool:
    inner = call.func
    return (
        len(call.args) == 1
        and isinstance(inner, Call)
        and isinstance(inner.func, Attr)
        and inner.func.attr in fastapi_starlette.REGISTERING_METHODS
    )


def app_label(app: Container) -> str:
    """`main:app`: the app's file (its folder for an `__init__.py`) and variable."""
    file = PurePosixPath(app.path)
    stem = file.parent.name if file.stem == "__init__" else file.stem
    return f"{stem}:{app.name}"


def dependency_list(expr: Expr | None, ctx: Ctx) -> list[Scoped]:
    """The items of a `dependencies=[...]` argument."""
    if expr is None:
        return []
    if isinstance(expr, Seq):
        return [Scoped(item, ctx) for item in expr.items]
    return [Scoped(expr, ctx)]


def scope_names(scope: object, call: Call) -> str | None:
    """The variable a construction call is assigned to, for messages."""
    assignments = getattr(scope, "assignments", {})
    for name, bound in assignments.items():
        for assignment in bound:
            if assignment.value is call:
                return str(name)
    return None
