"""Authentication at the endpoint: checks besides dependencies and middleware.

Starlette's `@requires(...)`, a websocket's checks in its body, an endpoint that
hands a credential it read to a checking helper, a verified request signature,
and calls of `authenticate...()` on something fastlint cannot read (possible
authentication). Dependencies are `fastlint.model.dependencies`'s, middleware
`middleware_auth`'s; `route_auth` puts them together.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from fastlint.facts.expr import Attr, Call, Expr, Name, last_name
from fastlint.facts.types import FunctionFact
from fastlint.model import known
from fastlint.model.credentials import reads_credential
from fastlint.model.dependencies import DependencyAnalyzer, Evidence
from fastlint.model.handler_auth import about_credential, credential_read, websocket_policy_close
from fastlint.model.rejection import POLICY_VIOLATION, mentioned_codes
from fastlint.model.routing import Route, RouteInstance
from fastlint.model.values import ClassVal, ConstVal, External, FunctionVal, InstanceVal, Value

__all__ = ["Authentication"]

HELPER_DEPTH = 2  # project helpers followed to a signature check or `authenticate...()`
CALLER_CREDENTIAL = re.compile(r"authori[sz]ation|api[-_]?key|apikey|token|bearer|credential", re.I)
# A language model's token counts (`max_tokens`, `num_new_tokens`): not credentials.
TOKEN_COUNT = re.compile(
    r"(?:max|min|num|total|prompt|completion|output|input|new)_?tokens?$", re.I
)
MARKERS = ("Depends", "Security")
REQUEST_TYPES = frozenset({"Request", "HTTPConnection"})
AUTHENTICATE_CALL = re.compile(r"authenticate", re.I)
WEBSOCKET_AUTH_CALL = re.compile(r"auth|token|verif|credential|current_user|login", re.I)


class Authentication:
    def __init__(
        self,
        dependencies: DependencyAnalyzer,
        is_dependency: Callable[[FunctionVal], bool] | None = None,
    ) -> None:
        self.dependencies = dependencies
        self.resolver = dependencies.resolver
        # whether a function is a dependency of some served route
        self.is_dependency = is_dependency or (lambda _: False)

    def endpoint_checks(self, instance: RouteInstance) -> Evidence:
        """What authenticates a served route besides its dependencies and middleware:
        `@requires(...)`, a websocket's own checks, an endpoint handing the credential
        it read to a checking helper, a verified signature; and possible
        authentication fastlint cannot read (`unknown`)."""
        evidence = Evidence()
        evidence.auth.extend(self._requires_decorator(instance.route))
        endpoint = instance.route.endpoint
        if endpoint is not None and instance.route.is_websocket:
            evidence.auth.extend(_websocket_body_auth(endpoint))
            if not evidence.auth:
                evidence.auth.extend(websocket_policy_close(self.resolver, endpoint))
            if not evidence.auth:
                evidence.auth.extend(self._websocket_helper_auth(endpoint))
        if endpoint is not None and not evidence.auth and not instance.route.is_websocket:
            credential = _caller_credential(endpoint.fact)
            if credential:
                evidence.auth.extend(self._checked_by_helper(endpoint, credential))
        if endpoint is not None and not evidence.auth and not instance.route.is_websocket:
            evidence.auth.extend(self._request_checked_by_helper(endpoint))
        if endpoint is not None and not evidence.auth:
            evidence.auth.extend(self._signature_checked(endpoint))
        if endpoint is not None and not evidence.auth:
            evidence.unknown.extend(self._opaque_authentication(endpoint))
        return evidence

    def _signature_checked(self, endpoint: FunctionVal) -> list[str]:
        """A webhook endpoint that verifies the request's signature with a library
        that raises on a mismatch (`Webhook(secret).verify(body, headers)`, a public
        key's `.verify(...)`), itself or in a project helper it calls."""
        rejection = self.dependencies.rejection
        for _, value, caller in self._calls(endpoint, HELPER_DEPTH, set()):
            if isinstance(value, External) and known.is_signature_verifier(value):
                return [f"`{caller.fact.name}` verifies a signature (`{value.qualname}`)"]
            if isinstance(value, External) and known.is_constant_time_compare(value):
                # `hmac.compare_digest` in a helper (`_verify_signature(body, header)`),
                # and a 401/403 on the way: the signature or secret is enforced
                rejected = rejection.reason(caller.fact, caller.body_ctx) or rejection.reason(
                    endpoint.fact, endpoint.body_ctx
                )
                if rejected:
                    return [f"`{caller.fact.name}` compares a secret in constant time ({rejected})"]
        return []

    def _websocket_helper_auth(self, endpoint: FunctionVal) -> list[str]:
        """A websocket endpoint handing its query credentials to a project helper
        (`await stream(websocket, apikey=apikey)`) that checks them: a call, in the
        helpers it calls, to an auth-named function or to one that rejects callers
        like an authentication dependency (`get_current_org(x_api_key=apikey)`)."""
        for callee, value, caller in self._calls(endpoint, HELPER_DEPTH, set()):
            name = last_name(callee) or ""
            if caller is not endpoint and WEBSOCKET_AUTH_CALL.search(name):
                return [f"`{caller.fact.name}` calls `{name}`"]
            if isinstance(value, FunctionVal) and self.dependencies.of_function(value).auth:
                return [f"`{caller.fact.name}` calls `{name}`, which authenticates"]
        return []

    def _request_checked_by_helper(self, endpoint: FunctionVal) -> list[str]:
        """An endpoint that hands its `request` to a project function that other
        routes use as an authentication dependency, reading a credential from it
        (`await require_camera_access(event.camera, request=request)` where other
        routes have `Depends(require_camera_access)`). An OAuth callback handing its
        request to `handle_callback` is a login, not this."""
        requests = {
            p.name
            for p in endpoint.fact.params
            if p.annotation is not None and last_name(p.annotation) in REQUEST_TYPES
        }
        if not requests:
            return []
        handed = {
            call.func
            for call in endpoint.fact.body.calls
            if any(
                isinstance(a, Name) and a.id in requests
                for a in (*call.args, *(v for _, v in call.kwargs))
            )
        }
        for callee in endpoint.fact.called:
            if callee not in handed:
                continue
            for value in self.resolver.evaluate(callee, endpoint.body_ctx):
                if (
                    isinstance(value, FunctionVal)
                    and self.is_dependency(value)
                    and self.dependencies.of_function(value).auth
                    and credential_read(self.resolver, value)
                ):
                    name = last_name(callee) or value.fact.name
                    return [
                        f"`{endpoint.fact.name}` hands its request to `{name}`, which checks it"
                    ]
        return []

    def _checked_by_helper(self, endpoint: FunctionVal, credential: str) -> list[str]:
        """An endpoint that reads a credential itself (an `x_api_key` header
        parameter) and calls a project helper that rejects callers like an
        authentication dependency does (`resolve_org_from_api_key(x_api_key)`
        raising 403)."""
        for callee, value, caller in self._calls(endpoint, HELPER_DEPTH, set()):
            if (
                isinstance(value, FunctionVal)
                and value.fact is not endpoint.fact
                and self.dependencies.of_function(value).auth
                and about_credential(self.resolver, value)
            ):
                name = last_name(callee) or value.fact.name
                return [f"`{caller.fact.name}` reads {credential} and calls `{name}`"]
        return []

    def _opaque_authentication(self, endpoint: FunctionVal) -> list[str]:
        """An endpoint that calls `authenticate...(...)` on something fastlint cannot
        read (a provider chosen by configuration: `self.authn_provider.
        authenticate_or_raise(headers)`), itself, in a function it defines or in a
        project helper it calls: possible authentication, which fastlint cannot see."""
        for callee, value, caller in self._calls(endpoint, HELPER_DEPTH, set()):
            name = last_name(callee) or ""
            if AUTHENTICATE_CALL.match(name) and not isinstance(
                value, (FunctionVal, ClassVal, ConstVal)
            ):
                return [f"`{caller.fact.name}` calls `{name}`, which fastlint cannot follow"]
        return []

    def _calls(
        self, function: FunctionVal, depth: int, seen: set[tuple[str, int, int]]
    ) -> Iterator[tuple[Expr, Value, FunctionVal]]:
        """(callee, what it may be, the function calling it) for the calls of a
        function, of the functions it defines (`run_sync(process)`), and of the
        project functions it calls or hands to a call, `depth` deep."""
        if (function.path, function.line, function.column) in seen:
            return
        seen.add((function.path, function.line, function.column))
        for callee in function.fact.called:
            for value in self.resolver.evaluate(callee, function.body_ctx):
                yield callee, value, function
                if depth and isinstance(value, FunctionVal):
                    yield from self._calls(value, depth - 1, seen)
        for nested in function.fact.scope.functions.values():
            yield from self._calls(FunctionVal.of(nested, function.body_ctx), depth, seen)
        if not depth:
            return
        for call in function.fact.body.calls:  # `run_sync(self.check, headers)`
            for argument in call.args:
                if not isinstance(argument, (Name, Attr)):
                    continue
                for value in self.resolver.evaluate(argument, function.body_ctx):
                    if isinstance(value, FunctionVal):
                        yield from self._calls(value, depth - 1, seen)

    def _requires_decorator(self, route: Route) -> list[str]:
        """Starlette's `@requires("authenticated")` on the endpoint."""
        reasons = []
        for decorator in route.decorators:
            if isinstance(decorator.expr, Call) and last_name(decorator.expr.func) == "requires":
                value = self.resolver.evaluate_one(decorator.expr.func, decorator.ctx)
                if isinstance(value, External) and known.is_requires_decorator(value):
                    reasons.append("`@requires(...)` decorator")
        return reasons

    def only_redirects(self, route: Route) -> bool:
        """Whether every `return` of the endpoint hands back a `RedirectResponse`."""
        endpoint = route.endpoint
        if endpoint is None or not endpoint.fact.return_values:
            return False
        for returned in endpoint.fact.return_values:
            values = self.resolver.evaluate(returned, endpoint.body_ctx)
            if not values or not all(
                isinstance(v, InstanceVal)
                and self.resolver.inherits(v.cls, known.is_redirect_response)
                for v in values
            ):
                return False
        return True


def _caller_credential(fact: FunctionFact) -> str | None:
    """A credential the caller sends that an endpoint reads itself: a token or API
    key parameter (not a dependency), or a header or cookie looked up by such a key
    (`request.headers.get("x-api-key")`)."""
    for param in fact.params:
        default = param.default
        dependency = isinstance(default, Call) and last_name(default.func) in MARKERS
        if _caller_credential_name(param.name) and not dependency:
            return f"parameter `{param.name}`"
    found = reads_credential(fact)
    if found and found.startswith('"') and _caller_credential_name(found.strip('"')):
        return found
    return None


def _caller_credential_name(name: str) -> bool:
    return CALLER_CREDENTIAL.search(name) is not None and TOKEN_COUNT.search(name) is None


def _websocket_body_auth(endpoint: FunctionVal) -> list[str]:
    """Browsers cannot send headers on a websocket, so websocket endpoints often
    authenticate in their body (a first message, a query token): a call to an
    auth-named helper, or closing with 1008 (policy violation), counts."""
    reasons = []
    if POLICY_VIOLATION in mentioned_codes(endpoint.fact):
        reasons.append("the websocket endpoint closes with 1008 (policy violation)")
    for callee in endpoint.fact.called:
        name = last_name(callee) or ""
        if WEBSOCKET_AUTH_CALL.search(name):
            reasons.append(f"the websocket endpoint calls `{name}`")
            break
    return reasons
