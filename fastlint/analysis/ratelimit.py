"""Rate limiting of an app: middleware, limiter decorators, limiting dependencies.

An app is limited when its middleware limits rates (slowapi, fastapi-limiter,
`*RateLimit*`/`*Throttl*` classes, names listed in `rate-limiters`, a factory
that returns one, or in-house middleware answering 429: model/throttling.py), when a
slowapi `Limiter` is attached as `app.state.limiter`, when one of its routes is
limited by a decorator or a dependency, or when an app it is mounted in is.
"""

from __future__ import annotations

from collections.abc import Callable

from fastlint.analysis import Analysis
from fastlint.facts.expr import Attr, Call, last_name
from fastlint.knowledge import rate_limiters
from fastlint.model import known
from fastlint.model.dependencies import Evidence
from fastlint.model.project import Project
from fastlint.model.routing import Container, Route, RouteInstance
from fastlint.model.values import ClassVal, External, FunctionVal, InstanceVal

LIMITER_STATE = "state.limiter"  # slowapi: `app.state.limiter = limiter`


class RateLimits(Analysis):
    """What limits the rate of each served route and app (FL006, the route inventory)."""

    def __init__(self, project: Project) -> None:
        super().__init__(project)
        self.dependencies = project.dependencies
        self.resolver = project.resolver
        self._apps: dict[tuple[str, int, int], list[str]] = {}

    def rate_limits(self, instance: RouteInstance) -> list[str]:
        """What limits the rate of a served route (empty: nothing)."""
        return self.of_route(instance, self.project.dependency_evidence(instance))

    def rate_limited(self, app: Container) -> bool:
        """Whether anything limits the rate of an app's requests: its middleware, a
        limiter in its state, one of its routes, or an app it is mounted in."""
        return self.app_limited(app, self._routes_limited)

    def _routes_limited(self, app: Container) -> bool:
        return any(
            self.rate_limits(instance) for instance in self.project.instances if instance.app is app
        )

    def of_app(self, app: Container) -> list[str]:
        """Rate limiting applied by an app's middleware (computed once per app)."""
        cached = self._apps.get(app.key)
        if cached is None:
            cached = self._apps[app.key] = self._middleware(app)
        return cached

    def _middleware(self, app: Container) -> list[str]:
        reasons: list[str] = []
        classes = (c for m in app.middleware for c in m.classes)
        for cls in (c for c in classes if isinstance(c, (ClassVal, External))):
            name = cls.last if isinstance(cls, External) else cls.fact.name
            reasons.extend(self.dependencies.configured(cls).rate_limit)
            if self.resolver.inherits(cls, known.is_rate_limiter) or known.is_rate_limit_name(name):
                reasons.append(f"middleware `{name}`")
            elif isinstance(cls, ClassVal):
                throttled = self.dependencies.throttling.of_class(cls)
                if throttled:  # an in-house middleware that answers 429
                    reasons.append(f"middleware `{name}`: {throttled}")
        for factory in (c for m in app.middleware for c in m.classes):
            if isinstance(factory, FunctionVal):
                reasons.extend(self._factory(factory))
        for function in app.middleware_functions:
            reasons.extend(self.dependencies.configured(function).rate_limit)
            if known.is_rate_limit_name(function.fact.name):
                reasons.append(f"middleware `{function.fact.name}`")
            else:
                throttled = self.dependencies.throttling.of_function(function)
                if throttled:
                    reasons.append(f"middleware `{function.fact.name}` {throttled}")
        return reasons

    def _factory(self, factory: FunctionVal) -> list[str]:
        """`app.add_middleware(make_limiter, ...)`: a factory whose returned middleware
        (an instance or a class) limits rates."""
        for returned in factory.fact.return_values:
            for value in self.resolver.evaluate(returned, factory.body_ctx):
                cls = value.cls if isinstance(value, InstanceVal) else value
                if not isinstance(cls, (ClassVal, External)):
                    continue
                name = cls.last if isinstance(cls, External) else cls.fact.name
                if self.resolver.inherits(cls, known.is_rate_limiter) or known.is_rate_limit_name(
                    name
                ):
                    return [f"middleware `{name}` made by `{factory.fact.name}()`"]
        return []

    def of_route(self, instance: RouteInstance, dependencies: Evidence) -> list[str]:
        """What limits a served route: its dependencies, decorators and middleware."""
        reasons = list(dependencies.rate_limit)
        reasons.extend(self.decorators(instance.route))
        for app in (*instance.outer_apps, instance.app):
            reasons.extend(self.of_app(app))
        return reasons

    def decorators(self, route: Route) -> list[str]:
        """slowapi `@limiter.limit(...)` style decorators on a route's endpoint, and
        decorators named as limiters (`@rate_limit_requests(...)`, `@throttle`)."""
        found = []
        for decorator in route.decorators:
            expr = decorator.expr
            named = last_name(expr.func if isinstance(expr, Call) else expr)
            if named is not None and known.is_rate_limit_name(named):
                found.append(f"@{named}")
                continue
            if (
                isinstance(expr, Call)
                and isinstance(expr.func, Attr)
                and expr.func.attr in rate_limiters.LIMIT_DECORATORS
            ):
                for value in self.resolver.evaluate(expr.func.value, decorator.ctx):
                    if isinstance(value, InstanceVal) and self.resolver.inherits(
                        value.cls, known.is_rate_limiter
                    ):
                        found.append(f"@{expr.func.attr}(...)")
        return found

    def app_limited(
        self,
        app: Container,
        routes_limited: Callable[[Container], bool],
        seen: frozenset[tuple[str, int, int]] = frozenset(),
    ) -> bool:
        """Whether anything limits the rate of an app's requests; `routes_limited(app)`
        says whether one of the routes it serves is limited."""
        if app.key in seen:
            return False
        seen = seen | {app.key}
        if self.of_app(app):
            return True
        if any(name == LIMITER_STATE for name, _ in app.attr_assignments):
            return True
        if routes_limited(app):
            return True
        return any(self.app_limited(outer, routes_limited, seen) for outer in app.mounted_by)


__all__ = [
    "LIMITER_STATE",
    "RateLimits",
]
