"""The functions on a served route's dependency chain, and the parameters they take.

The endpoint, and every dependency it reaches through app, include, router and
route `dependencies=[...]` and through parameters (`Depends`/`Security` in
defaults and `Annotated` aliases): functions, callable instances (`__call__`)
and classes (`__init__`). Security schemes, rate limiters and library classes
are not followed (their code is not the project's). Each parameter comes with
the source FastAPI binds it from for that route's path, and an anchor.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields, is_dataclass

from fastlint.facts.expr import Attr, Name, Seq, Subscript, last_name
from fastlint.model import known
from fastlint.model.anchor import Anchor
from fastlint.model.bodies import Body
from fastlint.model.calls import CallSite
from fastlint.model.dependencies import DependencyAnalyzer, marker_target
from fastlint.model.parameters import DEPENDENCY, Parameter, ParameterReader
from fastlint.model.request_credentials import origins
from fastlint.model.routing import RouteInstance, Scoped
from fastlint.model.values import ClassVal, External, FunctionVal, InstanceVal, SyntaxVal, Value

MAX_HELPER_DEPTH = 3
FunctionKey = tuple[str, int, int]


@dataclass(frozen=True, eq=False)
class ChainFunction:
    """A function on a route's dependency chain; `endpoint` when it is the endpoint."""

    function: FunctionVal
    endpoint: bool


@dataclass(frozen=True, eq=False)
class ChainParameter:
    """A parameter of a function on a route's chain, as FastAPI binds it there."""

    function: FunctionVal
    parameter: Parameter
    endpoint: bool  # a parameter of the endpoint itself (not of a dependency)

    @property
    def anchor(self) -> Anchor:
        """The parameter's name in its `def`; about `function.parameter`."""
        fact = self.function.fact
        span = self.parameter.span or fact.span
        subject = f"{fact.name}.{self.parameter.name}"
        return Anchor(self.function.path, span, subject, also_lines=(fact.span.line,))


class Chains:
    def __init__(self, dependencies: DependencyAnalyzer, parameters: ParameterReader) -> None:
        self.dependencies = dependencies
        self.resolver = dependencies.resolver
        self.reader = parameters
        self._functions: dict[int, list[ChainFunction]] = {}
        self._targets: dict[FunctionKey, list[Value]] = {}
        self._bound: dict[tuple[FunctionKey, str], list[Parameter]] = {}

    def functions(self, instance: RouteInstance) -> list[ChainFunction]:
        """The endpoint and every function its dependencies reach, each once."""
        cached = self._functions.get(id(instance))
        if cached is None:
            cached = self._functions[id(instance)] = self._reach(instance)
        return cached

    def _reach(self, instance: RouteInstance) -> list[ChainFunction]:
        found: dict[tuple[str, int, int], ChainFunction] = {}
        for value in self._list_values(instance.dependencies):
            self._add(value, found)
        endpoint = instance.route.endpoint
        if endpoint is not None:
            key = (endpoint.path, endpoint.line, endpoint.column)
            found.pop(key, None)
            self._visit(ChainFunction(endpoint, True), found)
        return list(found.values())

    def parameters(self, instance: RouteInstance) -> list[ChainParameter]:
        """Every parameter of the chain's functions, bound for the route's full path."""
        params: list[ChainParameter] = []
        for chained in self.functions(instance):
            function = chained.function
            key = ((function.path, function.line, function.column), instance.full_path)
            bound = self._bound.get(key)
            if bound is None:
                bound = self._bound[key] = self.reader.parameters(function, instance.full_path)
            params.extend(ChainParameter(chained.function, p, chained.endpoint) for p in bound)
        return params

    def helpers(
        self, function: FunctionVal, depth: int = MAX_HELPER_DEPTH
    ) -> Iterator[FunctionVal]:
        """Project functions `function` calls, and those they call (a few levels)."""
        seen: set[tuple[str, int, int]] = set()
        todo = [(function, 0)]
        while todo:
            current, level = todo.pop()
            key = (current.path, current.line, current.column)
            if key in seen:
                continue
            seen.add(key)
            yield current
            if level >= depth:
                continue
            for callee in current.fact.called:
                for value in self.resolver.evaluate(callee, current.body_ctx):
                    if isinstance(value, FunctionVal):
                        todo.append((value, level + 1))

    # -- following the graph --------------------------------------------------------

    def _list_values(self, items: Iterable[Scoped]) -> Iterator[Value]:
        for item in items:
            for value in self.resolver.evaluate(item.expr, item.ctx):
                if isinstance(value, SyntaxVal) and isinstance(value.expr, Seq):
                    yield from self._list_values(Scoped(e, value.ctx) for e in value.expr.items)
                elif isinstance(value, InstanceVal) and self.dependencies.is_marker(value.cls):
                    target = marker_target(value.call, value.ctx, None)
                    if target is not None:
                        yield from self.resolver.evaluate(*target)

    def _add(self, value: Value, found: dict[FunctionKey, ChainFunction]) -> None:
        configured = self.dependencies.configured(value)
        if configured.auth or configured.rate_limit:
            return
        if isinstance(value, FunctionVal):
            self._visit(ChainFunction(value, False), found)
        elif isinstance(value, InstanceVal) and isinstance(value.cls, ClassVal):
            if not self._library_like(value.cls):
                method = self.dependencies.method(value.cls, "__call__")
                if method is not None:
                    self._visit(ChainFunction(method, False), found)
        elif isinstance(value, ClassVal) and not self._library_like(value):
            init = self.dependencies.method(value, "__init__")
            if init is not None:
                self._visit(ChainFunction(init, False), found)

    def _library_like(self, cls: ClassVal) -> bool:
        return self.resolver.inherits(cls, known.is_security_scheme) or self.resolver.inherits(
            cls, known.is_rate_limiter
        )

    def _visit(
        self, chained: ChainFunction, found: dict[tuple[str, int, int], ChainFunction]
    ) -> None:
        function = chained.function
        key = (function.path, function.line, function.column)
        if key in found:
            return
        found[key] = chained
        targets = self._targets.get(key)
        if targets is None:
            targets = self._targets[key] = [
                value
                for param in self.reader.parameters(function)
                if param.source == DEPENDENCY and param.dependency is not None
                for value in self.resolver.evaluate(param.dependency, param.marker_ctx or param.ctx)
                if not isinstance(value, External)
            ]
        for value in targets:
            self._add(value, found)


def mentions(expr: object, name: str) -> bool:
    """Whether an expression reads the local name `name` anywhere inside it."""
    if isinstance(expr, Name):
        return expr.id == name
    if isinstance(expr, tuple):
        return any(mentions(item, name) for item in expr)
    if is_dataclass(expr) and not isinstance(expr, type):
        return any(mentions(getattr(expr, f.name), name) for f in fields(expr))
    return False


def query_with(calls: list[CallSite], name: str) -> CallSite | None:
    """The first call that queries a database or store (`execute`, `filter`, `where`,
    `get`... by method name) with `name` among its arguments."""
    for site in calls:
        if last_name(site.call.func) in known.QUERY_METHODS and (
            mentions(site.args, name) or mentions(site.kwargs, name)
        ):
            return site
    return None


def compared_with_claim(body: Body | None, name: str) -> bool:
    """Whether the body compares `name` with an attribute or item of another value
    (`user_id != current_user.id`, `org_id not in user["orgs"]`)."""
    if body is None:
        return False
    for comparison in body.comparisons:
        for mine, other in (
            (comparison.left, comparison.right),
            (comparison.right, comparison.left),
        ):
            if mine != Name(name):
                continue
            for origin in origins(other, body.function):  # `caller = user.id` first
                if isinstance(origin, (Attr, Subscript)) and not mentions(origin, name):
                    return True
    return False


def authorization_call(calls: list[CallSite], callers: frozenset[str]) -> CallSite | None:
    """The first call given one of `callers` (the names holding the authenticated
    user) whose name says it checks roles or permissions: `is_admin(user)`,
    `_authorize_list_request(user_api_key_dict=user)`, `check_scopes(principal, ...)`."""
    for site in calls:
        name = (last_name(site.call.func) or "").lower()
        if any(word in name for word in known.AUTHORIZATION_WORDS) and any(
            mentions((site.args, site.kwargs), caller) for caller in callers
        ):
            return site
    return None


def checked_with(calls: list[CallSite], name: str, others: frozenset[str]) -> CallSite | None:
    """The first call given both `name` and one of `others` (`authorize(user,
    Policy.list(workspace_id))`, `crud.get(db, owner_id=owner_id, user=user)`): the
    value is used together with the authenticated user."""
    for site in calls:
        arguments = (site.args, site.kwargs)
        if mentions(arguments, name) and any(mentions(arguments, o) for o in others):
            return site
    return None
