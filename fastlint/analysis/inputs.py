"""What a route takes from the request: the annotations of its parameters.

The endpoint's parameters, and those of every dependency it reaches (functions,
callable instances, classes), that are not themselves `Depends`/`Security`
markers. Values that are understood without reading their code (security
schemes, rate limiters, library classes, names listed in `auth-dependencies` or
`rate-limiters`) are not followed.
"""

from __future__ import annotations

from collections.abc import Iterable

from fastlint.analysis import Analysis
from fastlint.facts.expr import Seq
from fastlint.model import known
from fastlint.model.dependencies import SPECIAL_PARAMS, marker_target
from fastlint.model.project import Project
from fastlint.model.routing import Route, Scoped
from fastlint.model.values import ClassVal, External, FunctionVal, InstanceVal, SyntaxVal, Value

FunctionKey = tuple[str, int, int, bool]


class RequestInputs(Analysis):
    """What each route takes from the request (FL004)."""

    def __init__(self, project: Project) -> None:
        super().__init__(project)
        self.dependencies = project.dependencies
        self.resolver = project.resolver
        self._memo: dict[FunctionKey, list[Scoped]] = {}

    def of_route(self, route: Route) -> list[Scoped]:
        """The request inputs of a route's own dependencies and its endpoint."""
        inputs = self._of_list(route.dependencies)
        if route.endpoint is not None:
            inputs.extend(self._of_function(route.endpoint, skip_first=False))
        return inputs

    def _of_list(self, items: Iterable[Scoped]) -> list[Scoped]:
        inputs: list[Scoped] = []
        for item in items:
            for value in self.resolver.evaluate(item.expr, item.ctx):
                if isinstance(value, SyntaxVal) and isinstance(value.expr, Seq):
                    inputs.extend(self._of_list(Scoped(e, value.ctx) for e in value.expr.items))
                elif isinstance(value, InstanceVal) and self.dependencies.is_marker(value.cls):
                    found = marker_target(value.call, value.ctx, None)
                    if found is not None:
                        inputs.extend(self._of_target(Scoped(*found)))
        return inputs

    def _of_target(self, target: Scoped) -> list[Scoped]:
        inputs: list[Scoped] = []
        for value in self.resolver.evaluate(target.expr, target.ctx):
            inputs.extend(self._of_value(value))
        return inputs

    def _of_value(self, value: Value) -> list[Scoped]:
        configured = self.dependencies.configured(value)
        if configured.auth or configured.rate_limit:
            return []
        if isinstance(value, FunctionVal):
            return self._of_function(value, skip_first=False)
        if isinstance(value, InstanceVal):
            cls = value.cls
            label = cls.last if isinstance(cls, External) else cls.fact.name
            if (
                isinstance(cls, External)
                or self.resolver.inherits(cls, known.is_security_scheme)
                or self.resolver.inherits(cls, known.is_rate_limiter)
                or known.is_rate_limit_name(label)
            ):
                return []
            call_method = self.dependencies.method(cls, "__call__")
            return [] if call_method is None else self._of_function(call_method, skip_first=True)
        if isinstance(value, ClassVal):
            if self.resolver.inherits(value, known.is_security_scheme) or self.resolver.inherits(
                value, known.is_rate_limiter
            ):
                return []
            init = self.dependencies.method(value, "__init__")
            return [] if init is None else self._of_function(init, skip_first=True)
        return []

    def _of_function(self, function: FunctionVal, skip_first: bool) -> list[Scoped]:
        key = (function.path, function.line, function.column, skip_first)
        if key in self._memo:
            return self._memo[key]
        inputs: list[Scoped] = []
        self._memo[key] = inputs  # cycles end here with what is known so far
        body = function.body_ctx
        params = function.fact.params[1:] if skip_first else function.fact.params
        for param in params:
            if param.name in SPECIAL_PARAMS:
                continue
            markers, base = self.dependencies.markers(param, body)
            if not markers:
                if param.annotation is not None:
                    inputs.append(Scoped(param.annotation, body))
                continue
            for call, call_ctx in markers:
                found = marker_target(call, call_ctx, base)
                if found is not None:
                    inputs.extend(self._of_target(Scoped(*found)))
        return inputs


__all__ = [
    "RequestInputs",
]
