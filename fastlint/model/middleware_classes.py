"""The middleware classes an app adds, resolved (`add_middleware`, `middleware=[...]`)."""

from __future__ import annotations

from fastlint.facts.expr import Call, Seq
from fastlint.model.resolve import Resolver
from fastlint.model.routing import Container, Scoped
from fastlint.model.values import ClassVal, External


class MiddlewareClasses:
    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver
        self._apps: dict[tuple[str, int, int], list[ClassVal | External]] = {}

    def classes(self, app: Container) -> list[ClassVal | External]:
        """Every class an app's middleware may be, in the order added (once per app)."""
        cached = self._apps.get(app.key)
        if cached is None:
            cached = self._apps[app.key] = self._classes(app)
        return cached

    def _classes(self, app: Container) -> list[ClassVal | External]:
        items = list(app.middleware)
        configured = app.call.kwarg("middleware")  # FastAPI(middleware=[Middleware(cls), ...])
        if isinstance(configured, Seq):
            for item in configured.items:
                if isinstance(item, Call) and item.args:
                    items.append(Scoped(item.args[0], app.ctx))
        found: list[ClassVal | External] = []
        for middleware in items:
            for value in self.resolver.evaluate(middleware.expr, middleware.ctx):
                if isinstance(value, (ClassVal, External)):
                    found.append(value)
        return found
