"""The linked model of a whole project: what rules ask questions of."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from fastlint.config import Settings
from fastlint.facts.expr import Attr, Call, last_name
from fastlint.facts.types import ModuleFacts
from fastlint.model import known
from fastlint.model.annotation import TypeReader
from fastlint.model.bodies import Body
from fastlint.model.calls import CallSite, CallSites
from fastlint.model.dependencies import DependencyAnalyzer, Evidence
from fastlint.model.handlers import AppHandlers, ExceptionHandler, StarletteRoute
from fastlint.model.index import ModuleIndex
from fastlint.model.literal import Literal, Literals
from fastlint.model.parameters import Parameter, ParameterReader
from fastlint.model.resolve import Resolver
from fastlint.model.routing import (
    Container,
    Route,
    RouteInstance,
    Routing,
    Scoped,
)
from fastlint.model.schemas import Schemas
from fastlint.model.values import ClassVal, External, FunctionVal, InstanceVal

WEBSOCKET_AUTH_CALL = re.compile(r"auth|token|verif|credential|current_user|login", re.I)


@dataclass(frozen=True)
class Note:
    """Something fastlint could not resolve, for `--verbose`."""

    path: str
    line: int
    message: str


@dataclass
class Project:
    modules: dict[str, ModuleFacts]
    notes: list[Note] = field(default_factory=list)
    settings: Settings = field(default_factory=Settings)

    def __post_init__(self) -> None:
        roots = tuple(str((self.settings.root / s).resolve()) for s in self.settings.src)
        self.index = ModuleIndex(self.modules, roots)
        self.resolver = Resolver(self.index)
        self.literals = Literals(self.resolver)
        self.types = TypeReader(self.resolver)
        self.routing = Routing(self.resolver)
        self.dependencies = DependencyAnalyzer(
            self.resolver, self.settings.auth_dependencies, self.settings.rate_limiters
        )
        self.schemas = Schemas(self.resolver, self.types, self.literals)
        self.notes.extend(Note(p, line, m) for p, line, m in self.routing.notes)
        self._route_evidence: dict[int, Evidence] = {}
        self._middleware_evidence: dict[tuple[str, int, int], Evidence] = {}

    # -- calls, bodies, parameters, handlers (computed on first use) -----------------

    @cached_property
    def _call_sites(self) -> CallSites:
        return CallSites(self.resolver)

    def call_sites(self) -> list[CallSite]:
        """Every call in module and function bodies, with its callee resolved."""
        return self._call_sites.all()

    def call_sites_of(self, target: str | Callable[[CallSite], bool]) -> list[CallSite]:
        """Calls of a qualified name (`jwt.decode`), or those a predicate accepts."""
        return self._call_sites.of(target)

    @property
    def bodies(self) -> list[Body]:
        """Every module and function body (comparisons, guards, handlers...)."""
        return self._call_sites.bodies

    def body_of(self, function: FunctionVal) -> Body | None:
        """A function's own body."""
        return self._call_sites.body_of(function)

    def parameters(self, function: FunctionVal, route_path: str | None = None) -> list[Parameter]:
        """What FastAPI binds each parameter of an endpoint or dependency from;
        `route_path` is the full path served, for path parameters."""
        return ParameterReader(self.types).parameters(function, route_path)

    @cached_property
    def _handlers(self) -> AppHandlers:
        return AppHandlers(self.routing)

    @property
    def exception_handlers(self) -> list[ExceptionHandler]:
        return self._handlers.exception_handlers

    @property
    def starlette_routes(self) -> list[StarletteRoute]:
        """Routes added with `add_route`/`add_websocket_route`."""
        return self._handlers.starlette_routes

    def literal(self, scoped: Scoped) -> Literal:
        """Every value an expression may have (constants, settings defaults, environment
        fallbacks, conditionals followed across modules), or `Unknown(why)`."""
        return self.literals.of(scoped)

    def note(self, path: str, line: int, message: str) -> None:
        self.notes.append(Note(path, line, message))

    @property
    def apps(self) -> list[Container]:
        return self.routing.apps

    @property
    def routes(self) -> list[Route]:
        return self.routing.routes

    @cached_property
    def instances(self) -> list[RouteInstance]:
        return list(self.routing.instances())

    @cached_property
    def _instances_by_route(self) -> dict[int, list[RouteInstance]]:
        by_route: dict[int, list[RouteInstance]] = {}
        for instance in self.instances:
            by_route.setdefault(id(instance.route), []).append(instance)
        return by_route

    def instances_of(self, route: Route) -> list[RouteInstance]:
        return self._instances_by_route.get(id(route), [])

    def route_label(self, route: Route) -> str:
        """`METHOD /full/path` as served (the first app that serves it), else as declared."""
        instances = self.instances_of(route)
        return instances[0].label if instances else f"{route.method_label} {route.path}"

    def route_evidence(self, instance: RouteInstance) -> Evidence:
        """Everything on the path from app to endpoint: dependencies and middleware.

        Computed once per served route (FL001 and FL006 both ask)."""
        cached = self._route_evidence.get(id(instance))
        if cached is None:
            cached = self._route_evidence[id(instance)] = self._collect_route_evidence(instance)
        return cached

    def _collect_route_evidence(self, instance: RouteInstance) -> Evidence:
        evidence = Evidence()
        evidence.add(self.dependencies.of_list(instance.dependencies))
        evidence.add(self._requires_decorator(instance.route))
        endpoint = instance.route.endpoint
        if endpoint is not None:
            evidence.add(self.dependencies.of_endpoint(endpoint))
            if instance.route.is_websocket:
                evidence.add(_websocket_body_auth(endpoint))
        else:
            evidence.unknown.append("the endpoint function could not be resolved")
        for app in (*instance.outer_apps, instance.app):
            evidence.add(self.middleware_evidence(app))
        return evidence

    def endpoint_evidence(self, route: Route) -> Evidence:
        """Dependencies declared on the route itself and its endpoint (no app context)."""
        evidence = Evidence()
        evidence.add(self.dependencies.of_list(route.dependencies))
        if route.endpoint is not None:
            evidence.add(self.dependencies.of_endpoint(route.endpoint))
        return evidence

    def middleware_evidence(self, app: Container) -> Evidence:
        """Authentication and rate limiting applied by an app's middleware (once per app)."""
        cached = self._middleware_evidence.get(app.key)
        if cached is None:
            cached = self._middleware_evidence[app.key] = self._collect_middleware_evidence(app)
        return cached

    def _collect_middleware_evidence(self, app: Container) -> Evidence:
        evidence = Evidence()
        for middleware in app.middleware:
            for value in middleware.classes:
                if isinstance(value, (ClassVal, External)):
                    evidence.add(self._middleware_class(value))
        for function in app.middleware_functions:
            evidence.add(self._middleware_function(function))
        return evidence

    def _middleware_class(self, cls: ClassVal | External) -> Evidence:
        name = cls.last if isinstance(cls, External) else cls.fact.name
        evidence = self.dependencies.configured(cls)
        if self.resolver.inherits(cls, known.is_auth_middleware):
            evidence.auth.append(f"middleware `{name}`")
        elif isinstance(cls, ClassVal) and any(
            401 in m.auth_status_codes for m in cls.fact.methods.values()
        ):
            # 401 only: middleware answering 403 is usually CSRF, host or IP filtering.
            evidence.auth.append(f"middleware `{name}` answers 401")
        if self.resolver.inherits(cls, known.is_rate_limiter) or known.is_rate_limit_name(name):
            evidence.rate_limit.append(f"middleware `{name}`")
        return evidence

    def _middleware_function(self, function: FunctionVal) -> Evidence:
        evidence = self.dependencies.configured(function)
        if 401 in function.fact.auth_status_codes:
            evidence.auth.append(f"middleware `{function.fact.name}` answers 401")
        if known.is_rate_limit_name(function.fact.name):
            evidence.rate_limit.append(f"middleware `{function.fact.name}`")
        return evidence

    def only_redirects(self, route: Route) -> bool:
        """Whether every `return` of the endpoint hands back a `RedirectResponse`."""
        endpoint = route.endpoint
        if endpoint is None or not endpoint.fact.return_values:
            return False
        for returned in endpoint.fact.return_values:
            values = self.resolver.evaluate(returned, endpoint.body_ctx)
            if not values or not all(
                isinstance(v, InstanceVal)
                and self.resolver.inherits(v.cls, lambda e: e.last == "RedirectResponse")
                for v in values
            ):
                return False
        return True

    def _requires_decorator(self, route: Route) -> Evidence:
        """Starlette's `@requires("authenticated")` on the endpoint."""
        evidence = Evidence()
        for decorator in route.decorators:
            if isinstance(decorator.expr, Call) and last_name(decorator.expr.func) == "requires":
                value = self.resolver.evaluate_one(decorator.expr.func, decorator.ctx)
                if isinstance(value, External) and value.top == "starlette":
                    evidence.auth.append("`@requires(...)` decorator")
        return evidence

    def limiter_decorators(self, route: Route) -> list[str]:
        """slowapi `@limiter.limit(...)` style decorators on a route's endpoint."""
        found = []
        for decorator in route.decorators:
            expr = decorator.expr
            if (
                isinstance(expr, Call)
                and isinstance(expr.func, Attr)
                and expr.func.attr
                in (
                    "limit",
                    "shared_limit",
                )
            ):
                for value in self.resolver.evaluate(expr.func.value, decorator.ctx):
                    if isinstance(value, InstanceVal) and self.resolver.inherits(
                        value.cls, known.is_rate_limiter
                    ):
                        found.append(f"@{expr.func.attr}(...)")
        return found


def _websocket_body_auth(endpoint: FunctionVal) -> Evidence:
    """Browsers cannot send headers on a websocket, so websocket endpoints often
    authenticate in their body (a first message, a query token): a call to an
    auth-named helper, or closing with 1008 (policy violation), counts."""
    evidence = Evidence()
    if 1008 in endpoint.fact.auth_status_codes:
        evidence.auth.append("the websocket endpoint closes with 1008 (policy violation)")
    for callee in endpoint.fact.called:
        name = last_name(callee) or ""
        if WEBSOCKET_AUTH_CALL.search(name):
            evidence.auth.append(f"the websocket endpoint calls `{name}`")
            break
    return evidence
