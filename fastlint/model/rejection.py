"""Whether code visibly turns unauthenticated callers away: the 401/403 policy.

The facts record the status codes and names a body mentions, raw; which of them
mean "not authenticated" is decided here, so a change of heuristic never needs a
new cache format.
"""

from __future__ import annotations

import re

from fastlint.facts.expr import Call, Const, Expr, Name, last_name
from fastlint.facts.types import FunctionFact
from fastlint.model import known
from fastlint.model.resolve import Resolver
from fastlint.model.values import ClassVal, ConstVal, Ctx, External, InstanceVal, Value

HELPER_DEPTH = 3
AUTH_EXCEPTION_NAME = re.compile(
    r"unauthori[sz]ed|forbidden|auth|permission|credential|accessdenied|notallowed", re.I
)
AUTH_CODES = frozenset({401, 403, 1008})
# In an endpoint's own body a 403 usually gates a feature or checks a role of a user
# who must already be authenticated; only 401 (and websocket 1008) prove a check.
ENDPOINT_AUTH_CODES = frozenset({401, 1008})
ENDPOINT_AUTH_EXCEPTION_NAME = re.compile(r"unauthori[sz]ed|authentication|credential", re.I)
# Names of status codes that matter here (`status.HTTP_401_UNAUTHORIZED`,
# `HTTPStatus.FORBIDDEN`, `status.WS_1008_POLICY_VIOLATION`).
AUTH_STATUS_NAMES = {
    "HTTP_401_UNAUTHORIZED": 401,
    "HTTP_403_FORBIDDEN": 403,
    "UNAUTHORIZED": 401,
    "FORBIDDEN": 403,
    "WS_1008_POLICY_VIOLATION": 1008,
}
# Codes that count when written as numbers. A websocket closed with a bare `1008`
# is not counted yet (only `WS_1008_POLICY_VIOLATION` is): counting it is a change
# here, the facts already record it.
NUMBERED_AUTH_CODES = frozenset({401, 403})
UNAUTHENTICATED = 401
POLICY_VIOLATION = 1008  # websocket close code


def mentioned_codes(fact: FunctionFact) -> frozenset[int]:
    """The authentication status codes a function's body mentions (as numbers or by
    name), from the raw codes and names the facts record."""
    named = {AUTH_STATUS_NAMES[n] for n in fact.status_names if n in AUTH_STATUS_NAMES}
    return frozenset((fact.status_codes & NUMBERED_AUTH_CODES) | named)


def class_codes(cls: ClassVal) -> set[int]:
    """Authentication status codes a class mentions: in its methods or as class attributes."""
    codes: set[int] = set()
    for method in cls.fact.methods.values():
        codes |= mentioned_codes(method) & AUTH_CODES
    for value in cls.fact.class_attrs.values():
        if isinstance(value, Const) and value.value in AUTH_CODES:
            codes.add(int(value.value))
    return codes


class Rejection:
    """Finds what a function raises, and through which helper, that rejects a caller."""

    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver

    def reason(
        self, fact: FunctionFact, ctx: Ctx, endpoint: bool = False, depth: int = HELPER_DEPTH
    ) -> str | None:
        """Why the function rejects unauthenticated callers, if it visibly does."""
        if not (fact.raises or fact.called) or depth < 0:
            return None
        for raised in fact.raises:
            for value in self.resolver.evaluate(raised, ctx):
                reason = self._auth_exception(value, endpoint)
                if reason:
                    return reason
        if depth == 0:
            return None
        for callee, value in self.resolver.called_functions(fact, ctx):
            if isinstance(callee, Name) or last_name(callee) is not None:
                reason = self.reason(value.fact, value.body_ctx, endpoint, depth - 1)
                if reason:
                    return f"calls `{value.fact.name}`, which {reason.removeprefix('raises ')}"
        return None

    def refuses(self, raised: Expr, ctx: Ctx) -> str | None:
        """Why raising `raised` turns a caller away (401/403, an authentication
        exception), if it does."""
        for value in self.resolver.evaluate(raised, ctx):
            reason = self._auth_exception(value)
            if reason:
                return reason
        return None

    def _auth_exception(self, value: Value, endpoint: bool = False) -> str | None:
        codes = ENDPOINT_AUTH_CODES if endpoint else AUTH_CODES
        name_pattern = ENDPOINT_AUTH_EXCEPTION_NAME if endpoint else AUTH_EXCEPTION_NAME
        if isinstance(value, (InstanceVal, ClassVal, External)):
            cls = value.cls if isinstance(value, InstanceVal) else value
            name = cls.last if isinstance(cls, External) else cls.fact.name
            if self.resolver.inherits(cls, known.is_http_exception):
                code = None
                if isinstance(value, InstanceVal):
                    code = self._status(value.call, value.ctx)
                    if code is None:  # a subclass taking (detail, code)
                        code = self._status_argument(value.call)
                if code in codes:
                    return f"raises {name}({code})"
                if code is None and isinstance(cls, ClassVal):
                    found = class_codes(cls) & codes
                    if found:
                        return f"raises {name}({min(found)})"
                return None
            if name_pattern.search(name):
                return f"raises {name}"
            if isinstance(value, InstanceVal):
                # `raise ProxyError("...", status.HTTP_403_FORBIDDEN)`: an in-house
                # exception handed an authentication status
                code = self._status_argument(value.call)
                if code in codes:
                    return f"raises {name}({code})"
        return None

    @staticmethod
    def _status_argument(call: Call) -> int | None:
        """A status written by name (`status.HTTP_401_UNAUTHORIZED`) among the
        arguments of a call."""
        for argument in (*call.args, *(value for _, value in call.kwargs)):
            name = last_name(argument)
            if name in AUTH_STATUS_NAMES:
                return AUTH_STATUS_NAMES[name]
        return None

    def _status(self, call: Call, ctx: Ctx) -> int | None:
        status = call.arg(0, "status_code")
        if status is None:
            status = call.kwarg("code")
        if status is None:
            return None
        if isinstance(status, Const) and isinstance(status.value, int):
            return status.value
        name = last_name(status)
        if name in AUTH_STATUS_NAMES:
            return AUTH_STATUS_NAMES[name]
        value = self.resolver.evaluate_one(status, ctx)
        if isinstance(value, ConstVal) and isinstance(value.value, int):
            return value.value
        return None
