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
from dataclasses import dataclass

from fastlint.facts.expr import Seq
from fastlint.model import known
from fastlint.model.anchor import Anchor
from fastlint.model.dependencies import DependencyAnalyzer, marker_target
from fastlint.model.parameters import DEPENDENCY, Parameter, ParameterReader
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
