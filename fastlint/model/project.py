"""The linked model of a whole project: what rules ask questions of."""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import PurePath
from typing import TypeVar

from fastlint.config import Settings
from fastlint.facts.expr import Expr
from fastlint.facts.types import ModuleFacts
from fastlint.model.anchor import Anchor
from fastlint.model.annotation import TypeLeaf, TypeReader
from fastlint.model.bodies import Body
from fastlint.model.calls import CallSite, CallSites
from fastlint.model.chain import (
    ChainFunction,
    ChainParameter,
    Chains,
    authorization_call,
    checked_with,
    compared_with_claim,
    query_with,
)
from fastlint.model.dependencies import DependencyAnalyzer, Evidence
from fastlint.model.handlers import AppHandlers, ExceptionHandler, StarletteRoute
from fastlint.model.index import ModuleIndex
from fastlint.model.inputs import RequestInputs
from fastlint.model.keys import KeySetting, key_settings
from fastlint.model.literal import Literal
from fastlint.model.literal_eval import Literals
from fastlint.model.parameters import BODY, Parameter, ParameterReader, path_parameter_names
from fastlint.model.ratelimit import RateLimits
from fastlint.model.request_credentials import CredentialComparison, CredentialComparisons, origins
from fastlint.model.resolve import Resolver
from fastlint.model.responses import Responses
from fastlint.model.routing import (
    Container,
    Route,
    RouteInstance,
    Routing,
    Scoped,
)
from fastlint.model.schemas import Model, ModelField, Schemas
from fastlint.model.tokens import (
    algorithm_from_token,
    compares_claim,
    from_parameter,
    payload_segment,
)
from fastlint.model.values import ClassVal, Ctx, External, FunctionVal, Value
from fastlint.results import Note as Note  # moved to `fastlint.results`
from fastlint.span import Span


class Analysis:
    """Base of an analysis (see `fastlint.analysis`): built once per project by
    `Project.get`, from the project alone."""

    def __init__(self, project: Project) -> None:
        self.project = project


A = TypeVar("A", bound=Analysis)


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
        self.rate_limiting = RateLimits(self.dependencies)
        self.responses = Responses(self.resolver)
        self.inputs = RequestInputs(self.dependencies)
        self._dependency_evidence: dict[int, Evidence] = {}
        self._analyses: dict[type[Analysis], Analysis] = {}

    def get(self, analysis: type[A]) -> A:
        """The analysis `analysis` of this project, computed on first use and kept."""
        found = self._analyses.get(analysis)
        if found is None:
            found = self._analyses[analysis] = analysis(self)
        assert isinstance(found, analysis)
        return found

    @cached_property
    def _base(self) -> PurePath | None:
        paths = [PurePath(path).parent for path in self.modules]
        try:
            return PurePath(os.path.commonpath(paths)) if paths else None
        except ValueError:  # paths on different drives
            return None

    def relative_path(self, path: str) -> str:
        """A file's path relative to the folder all the project's files share, with `/`
        separators (a project scanned from its root has `tests/...`, `app/...`)."""
        base = self._base
        pure = PurePath(path)
        if base is not None and pure.is_relative_to(base):
            return pure.relative_to(base).as_posix()
        return pure.as_posix()

    # -- what expressions stand for (rules ask here, never the resolver) ----------------

    def values(self, expr: Expr, ctx: Ctx) -> list[Value]:
        """Everything `expr` may stand for where `ctx` evaluates it (Unknown: why not)."""
        return self.resolver.evaluate(expr, ctx)

    def value(self, expr: Expr, ctx: Ctx) -> Value:
        """The one value of `expr`, else Unknown."""
        return self.resolver.evaluate_one(expr, ctx)

    def text(self, expr: Expr, ctx: Ctx) -> str | None:
        """The string `expr` builds, when it is known (f-strings of constants too)."""
        return self.resolver.string(expr, ctx)

    def inherits(self, cls: ClassVal | External, predicate: Callable[[External], bool]) -> bool:
        """Whether `cls` is, or derives from, a library class `predicate` accepts."""
        return self.resolver.inherits(cls, predicate)

    # -- models and types ----------------------------------------------------------------

    def models_in(self, annotation: Expr, ctx: Ctx) -> Iterator[tuple[Model, TypeLeaf]]:
        """The models an annotation refers to: `list[A] | B | None` gives A and B."""
        return self.schemas.models_in(annotation, ctx)

    def field_models(self, field: ModelField) -> Iterator[tuple[Model, TypeLeaf]]:
        """The models a field's type refers to; in a generic model used as
        `Page[Client]`, `items: list[T]` refers to Client."""
        return self.schemas.field_models(field)

    def validated(self, field: ModelField, model: Model) -> bool:
        """Whether a `@field_validator`/`@validator` of `model` names `field` (what
        it does, e.g. redact the value, is not known)."""
        return self.schemas.validated(field, model)

    def length_validated(self, field: ModelField, model: Model) -> bool:
        """Whether a `@field_validator`/`@validator` of `model` names `field` and
        calls `len` (a length it may enforce is not known)."""
        return self.schemas.validated(field, model, measuring=True)

    def checks_length(self, validator: Expr, ctx: Ctx) -> bool:
        """Whether a validator marker (`AfterValidator(fn)`) may bound a length:
        `fn` calls `len`, or cannot be read."""
        return self.schemas.checks_length(validator, ctx)

    def nested_models(self, model: Model) -> Iterator[tuple[ModelField, Model]]:
        """Fields of `model` whose type is (or contains) another model."""
        return self.schemas.nested(model)

    def field_options(self, field: ModelField, leaf: TypeLeaf | None = None) -> dict[str, Expr]:
        """Keyword arguments of `Field(...)`, from the default and `Annotated` metadata."""
        return self.schemas.field_options(field, leaf)

    def type_leaves(self, annotation: Expr, ctx: Ctx) -> Iterator[TypeLeaf]:
        """The concrete types in an annotation, through aliases, unions and containers."""
        return self.types.leaves(annotation, ctx)

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

    def call_sites_of_subclasses(self, target: str) -> list[CallSite]:
        """Calls of project subclasses of the external class `target` (qualified name)."""
        return self._call_sites.of_subclasses(target)

    def call_sites_named(self, name: str) -> list[CallSite]:
        """Calls whose callee is written with last name `name` (`response.set_cookie`)."""
        return self._call_sites.named(name)

    def receiver_classes(self, site: CallSite) -> tuple[ClassVal | External, ...]:
        """For a method call, the classes its receiver may be an instance of (a
        constructed object, or a parameter's annotation); empty when unknown."""
        return self._call_sites.receiver_classes(site)

    def call_sites_in(self, function: FunctionVal) -> list[CallSite]:
        """The calls made in a function's own body (not in functions nested in it)."""
        return self._call_sites.in_function(function)

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

    def marked_nosec(self, path: str, span: Span, checks: Collection[str]) -> bool:
        """Whether bandit's `# nosec` silences one of `checks` (ids or names) on a line
        of `span`: a bare `# nosec`, or one that names the check."""
        facts = self.modules.get(path)
        if facts is None:
            return False
        return any(
            span.line <= line <= span.end_line and (not tests or any(t in checks for t in tests))
            for line, tests in facts.nosec
        )

    @cached_property
    def key_settings(self) -> list[KeySetting]:
        """Signing keys given to a library as configuration: fastapi-users' user
        manager secrets, fastapi-jwt-auth's `authjwt_secret_key`."""
        return key_settings(self.resolver, self._call_sites)

    def origins(self, expr: Expr, function: FunctionVal | None) -> list[Expr]:
        """`expr` and, for a local name of `function`, what was assigned to it (followed)."""
        return list(origins(expr, function))

    @cached_property
    def _chains(self) -> Chains:
        return Chains(self.dependencies, ParameterReader(self.types))

    def chain_functions(self, instance: RouteInstance) -> list[ChainFunction]:
        """The endpoint and every function its dependencies reach (app, include,
        router and route `dependencies=[...]`, parameters), across files."""
        return self._chains.functions(instance)

    def chain_parameters(self, instance: RouteInstance) -> list[ChainParameter]:
        """The parameters of `chain_functions`, with what FastAPI binds them from."""
        return self._chains.parameters(instance)

    def helpers(self, function: FunctionVal) -> list[FunctionVal]:
        """`function` and the project functions it calls, a few levels deep."""
        return list(self._chains.helpers(function))

    def query_with(self, function: FunctionVal, name: str) -> CallSite | None:
        """A call in `function` that queries a database or store (by method name:
        `execute`, `filter`, `where`, `get`...) with the local `name` in its arguments."""
        return query_with(self.call_sites_in(function), name)

    def checked_with(
        self, function: FunctionVal, name: str, others: frozenset[str]
    ) -> CallSite | None:
        """A call in `function`, or in a function nested in it (`async def
        create_csv(): ...` streaming the result), given both its `name` and one of
        `others` (the names holding the authenticated user): `authorize(user,
        Policy.list(org_id))`."""
        calls = [site for f in self._nested(function) for site in self.call_sites_in(f)]
        return checked_with(calls, name, others, function)

    def _nested(self, function: FunctionVal) -> list[FunctionVal]:
        """`function` and the functions defined inside it."""
        return [function] + [
            b.function
            for b in self.bodies
            if b.function is not None
            and b.path == function.path
            and any(f is function.fact for f in b.ctx.functions[:-1])
        ]

    def authorization_call(
        self, function: FunctionVal, callers: frozenset[str] | None = None
    ) -> CallSite | None:
        """A call in `function` whose name says it checks roles or permissions
        (`is_admin_view(user)`, `_authorize_request(...)`), given the authenticated
        user (one of `callers`) unless `callers` is None."""
        return authorization_call(self.call_sites_in(function), callers)

    def compared_with_claim(self, function: FunctionVal, name: str) -> bool:
        """Whether `function` compares its `name` with an attribute or item of another
        value (`user_id != current_user.id`): a check against the authenticated user."""
        return compared_with_claim(self.body_of(function), name)

    @cached_property
    def _on_routes(self) -> frozenset[FunctionVal]:
        """Endpoints and dependencies of every served route."""
        return frozenset(
            c.function for instance in self.instances for c in self.chain_functions(instance)
        )

    @cached_property
    def _path_names(self) -> dict[FunctionVal, frozenset[str]]:
        """The `{placeholders}` of the paths each endpoint and dependency serves."""
        names: dict[FunctionVal, frozenset[str]] = {}
        for instance in self.instances:
            found = path_parameter_names(instance.full_path)
            for chained in self.chain_functions(instance):
                names[chained.function] = names.get(chained.function, frozenset()) | found
        return names

    def algorithm_from_token(self, expr: Expr, function: FunctionVal | None) -> bool:
        """Whether an `algorithms` argument holds the `alg` of the token's own,
        unverified header (`jwt.get_unverified_header(token)["alg"]`)."""
        return algorithm_from_token(expr, function)

    def compares_claim(self, function: FunctionVal | None, claim: str) -> bool:
        """Whether the claim `claim` is compared by hand (`now < claims.exp`) in
        `function`, in a project function it calls, or in a function that calls it
        (and the functions that one calls, a few levels): a check its decode turned
        off (`verify_exp: False`) is made after it."""
        return function is not None and any(
            compares_claim(self.body_of(f), claim) for f in self.nearby(function)
        )

    def nearby(self, function: FunctionVal) -> list[FunctionVal]:
        """`function`, the project functions that call it, and the project functions
        either calls (a few levels): where work it leaves undone may be done."""
        near = [function]
        for site in self.call_sites_named(function.fact.name):
            if site.function is not None and function in site.callees:
                near.append(site.function)
        return list(dict.fromkeys(h for f in near for h in self.helpers(f)))

    def from_parameter(self, expr: Expr, function: FunctionVal) -> bool:
        """Whether `expr` is made from a parameter of `function` (following its local
        names): whoever calls the function chooses it."""
        return from_parameter(expr, function)

    def payload_segment(self, expr: Expr, function: FunctionVal | None) -> bool:
        """Whether `expr` is a JWT's payload segment (`token.split(".")[1]`)."""
        return payload_segment(expr, function)

    @cached_property
    def _request_credentials(self) -> CredentialComparisons:
        return CredentialComparisons(
            ParameterReader(self.types),
            self.literals,
            lambda f: f in self._on_routes,
            lambda f: self._path_names.get(f, frozenset()),
        )

    @cached_property
    def _credential_comparisons(self) -> list[CredentialComparison]:
        return self._request_credentials.comparisons(self.bodies)

    def request_credential(self, expr: Expr, function: FunctionVal) -> str | None:
        """What credential the caller sent `expr` holds in `function` (a scheme's
        token, a credential header, cookie or query value, `request.headers[...]`),
        in words; None when it holds none that fastlint can see."""
        body = self.body_of(function)
        return None if body is None else self._request_credentials.credential(expr, body)

    def credential_comparisons(self) -> list[CredentialComparison]:
        """Every `==`/`!=`/`in` of a request credential (a scheme's token, an API-key
        header...) in a function body, with what it is compared with."""
        return self._credential_comparisons

    def literal(self, scoped: Scoped) -> Literal:
        """Every value an expression may have (constants, settings defaults, environment
        fallbacks, conditionals followed across modules), or `Unknown(why)`."""
        return self.literals.of(scoped)

    def note(self, path: str, line: int, message: str) -> None:
        self.notes.append(Note(path, line, message))

    def note_about(self, anchor: Anchor, reason: str) -> None:
        """Something fastlint could not resolve about a model object (`--verbose`)."""
        self.note(anchor.path, anchor.span.line, f"{anchor.subject}: {reason}")

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
        return self.route_anchor(route).subject

    def route_anchor(self, route: Route) -> Anchor:
        """A route declaration, about the route as the first app that serves it
        serves it (as declared when no app does)."""
        instances = self.instances_of(route)
        if instances:
            return instances[0].anchor
        return route.anchor_as(route.declared_label)

    def dependency_evidence(self, instance: RouteInstance) -> Evidence:
        """What the dependencies on a served route's path prove: app, include, router
        and route `dependencies=[...]`, and the endpoint's parameters and body.

        Computed once per served route (FL001 and FL006 both ask)."""
        cached = self._dependency_evidence.get(id(instance))
        if cached is None:
            cached = self._dependency_evidence[id(instance)] = self._dependencies_of(instance)
        return cached

    def _dependencies_of(self, instance: RouteInstance) -> Evidence:
        evidence = self.dependencies.of_list(instance.dependencies)
        endpoint = instance.route.endpoint
        if endpoint is not None:
            evidence.add(self.dependencies.of_endpoint(endpoint))
        else:
            evidence.unknown.append("the endpoint function could not be resolved")
        return evidence

    def returns_response(self, function: FunctionVal) -> bool:
        """Whether some `return` of `function` hands back a Response object: an
        instance, a helper annotated to return one, a template engine's
        `TemplateResponse(...)`, or a local annotated as one."""
        return self.responses.returns_response(function)

    def returns_nothing(self, function: FunctionVal) -> bool:
        """Whether every `return` of `function` gives `None` (written, or the result
        of a project helper that returns nothing)."""
        return self.responses.returns_nothing(function)

    def echoed_body(self, route: Route) -> list[Parameter]:
        """The request-body parameters the endpoint returns as received (`return
        user` for a `user: UserIn` body): the request echoed back."""
        if route.endpoint is None:
            return []
        body = [p for p in self.parameters(route.endpoint) if p.source == BODY]
        echoed = self.responses.echoed(route.endpoint, frozenset(p.name for p in body))
        return [p for p in body if p.name in echoed]

    def rate_limits(self, instance: RouteInstance) -> list[str]:
        """What limits the rate of a served route (empty: nothing)."""
        return self.rate_limiting.of_route(instance, self.dependency_evidence(instance))

    def rate_limited(self, app: Container) -> bool:
        """Whether anything limits the rate of an app's requests: its middleware, a
        limiter in its state, one of its routes, or an app it is mounted in."""
        return self.rate_limiting.app_limited(app, self._routes_limited)

    def _routes_limited(self, app: Container) -> bool:
        return any(self.rate_limits(instance) for instance in self.instances if instance.app is app)

    def request_inputs(self, route: Route) -> list[Scoped]:
        """Annotations of what a route takes from the request: the parameters of its
        endpoint and of its own dependencies (not those of routers or apps)."""
        return self.inputs.of_route(route)
