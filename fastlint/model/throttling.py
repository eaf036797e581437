"""Whether code turns callers away with 429 Too Many Requests: an in-house rate limit.

A dependency (or a closure a factory returns) that raises `HTTPException(429)`,
directly or through a helper it calls, or that uses a limiter class by name
(`LoginThrottle.from_request(request)`), limits the rate of the routes using it; a
middleware function or class whose code returns a response with status 429 (or
raises the exception) limits the rate of the whole app. Which code says "too many
requests" is decided here, from the raw status codes and names the facts record.
"""

from __future__ import annotations

from fastlint.facts.expr import Attr, Call, Const, Expr, Name, last_name
from fastlint.facts.types import FunctionFact
from fastlint.model import known
from fastlint.model.resolve import Resolver
from fastlint.model.values import ClassVal, ConstVal, Ctx, External, FunctionVal, InstanceVal

TOO_MANY_REQUESTS = 429
TOO_MANY_NAMES = frozenset({"HTTP_429_TOO_MANY_REQUESTS", "TOO_MANY_REQUESTS"})
HELPER_DEPTH = 2


def mentions_429(fact: FunctionFact) -> bool:
    """Whether a function's body mentions the status 429, as a number or by name."""
    return TOO_MANY_REQUESTS in fact.status_codes or bool(fact.status_names & TOO_MANY_NAMES)


class Throttling:
    """Finds the 429 a function raises or returns, and through which helper."""

    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver

    def of_function(self, function: FunctionVal, depth: int = HELPER_DEPTH) -> str | None:
        """Why `function` rejects callers with 429, if it visibly does."""
        return self._reason(function.fact, function.body_ctx, depth)

    def limiter_used(self, function: FunctionVal) -> str | None:
        """A limiter class the body uses, by its name (`*RateLimit*`, `*Throttl*`, or a
        known limiter library's): `LoginThrottle.from_request(request)`,
        `limiter.hit(key)` on an instance of one. What it refuses with (an exception
        an exception handler turns into 429) need not be visible."""
        for callee in function.fact.called:
            root = callee.value if isinstance(callee, Attr) else callee
            for value in self.resolver.evaluate(root, function.body_ctx):
                cls = value.cls if isinstance(value, InstanceVal) else value
                if isinstance(cls, External) and known.is_rate_limiter(cls):
                    return f"uses `{cls.last}`"
                if isinstance(cls, ClassVal) and known.is_rate_limit_name(cls.fact.name):
                    return f"uses `{cls.fact.name}`"
        return None

    def of_class(self, cls: ClassVal) -> str | None:
        """A middleware class whose methods (`dispatch`, `__call__`, helpers) answer 429."""
        for owner in self.resolver.mro(cls):
            if not isinstance(owner, ClassVal):
                continue
            for method in owner.fact.methods.values():
                reason = self.of_function(FunctionVal.of(method, owner.ctx))
                if reason:
                    return f"`{owner.fact.name}.{method.name}` {reason}"
        return None

    def _reason(self, fact: FunctionFact, ctx: Ctx, depth: int) -> str | None:
        if mentions_429(fact):
            for raised in fact.raises:
                if self._is_429(raised, ctx, http_exception=True):
                    return f"raises {_label(raised)}(429)"
            for returned in fact.return_values:
                if self._is_429(returned, ctx, http_exception=False):
                    return f"returns {_label(returned)}(status_code=429)"
        if depth <= 0:
            return None
        for callee, value in self.resolver.called_functions(fact, ctx):
            if isinstance(callee, Name) or last_name(callee) is not None:
                reason = self._reason(value.fact, value.body_ctx, depth - 1)
                if reason:
                    return f"calls `{value.fact.name}`, which {reason}"
        return None

    def _is_429(self, expr: Expr, ctx: Ctx, http_exception: bool) -> bool:
        """`HTTPException(429, ...)` (raised) or `JSONResponse(..., status_code=429)`
        (returned): an instance of an HTTP exception or a response class built with 429."""
        if not isinstance(expr, Call):
            return False
        for value in self.resolver.evaluate(expr, ctx):
            if not isinstance(value, InstanceVal):
                continue
            predicate = known.is_http_exception if http_exception else known.is_response_class
            if not self.resolver.inherits(value.cls, predicate):
                continue
            status = value.call.kwarg("status_code")
            if status is None and http_exception:
                status = value.call.arg(0, "status_code")
            if status is not None and self._status(status, value.ctx) == TOO_MANY_REQUESTS:
                return True
        return False

    def _status(self, status: Expr, ctx: Ctx) -> int | None:
        if isinstance(status, Const) and isinstance(status.value, int):
            return status.value
        if last_name(status) in TOO_MANY_NAMES:
            return TOO_MANY_REQUESTS
        value = self.resolver.evaluate_one(status, ctx)
        if isinstance(value, ConstVal) and isinstance(value.value, int):
            return value.value
        return None


def _label(expr: Expr) -> str:
    if isinstance(expr, Call):
        return last_name(expr.func) or "an exception"
    return "an exception"
