"""Whether an endpoint's rejection looks at the caller's credential.

An endpoint whose body answers 401/403 authenticates its caller only when that
rejection is about a credential (issue 10, item 8). Where the endpoint raises
itself, its body (or a helper it calls) must read a credential. Where a project
helper raises for it (`await self.check_caller(request.headers)`), that helper,
or one it calls, must read the credential, or be handed one the endpoint read
(`org_for_key(x_api_key)`): a helper answering 401 because a feature is switched
off, called by an endpoint that happens to read an API key, proves nothing.
"""

from __future__ import annotations

from fastlint.facts.expr import Expr, Name
from fastlint.model.credentials import CREDENTIAL_NAME, reads_credential
from fastlint.model.rejection import (
    POLICY_VIOLATION,
    UNAUTHENTICATED,
    Rejection,
    mentioned_codes,
)
from fastlint.model.resolve import Resolver
from fastlint.model.values import FunctionVal

HELPER_DEPTH = 2  # as deep as `Rejection.reason` follows helpers


def credential_behind_rejection(
    resolver: Resolver, rejection: Rejection, endpoint: FunctionVal
) -> str | None:
    """The credential an endpoint's 401/403 is about (a phrase for `--verbose`), or None."""
    if rejection.reason(endpoint.fact, endpoint.body_ctx, endpoint=True, depth=0):
        return credential_read(resolver, endpoint)  # raised in its own body
    handed = _credential_arguments(endpoint)
    for callee, helper in resolver.called_functions(endpoint.fact, endpoint.body_ctx):
        if not rejection.reason(helper.fact, helper.body_ctx, True, HELPER_DEPTH - 1):
            continue
        found = credential_read(resolver, helper)
        if found:
            return f"{found} (in `{helper.fact.name}`)"
        passed = handed.get(callee)
        if passed:
            return f"parameter `{passed}` (handed to `{helper.fact.name}`)"
    return None


def credential_read(resolver: Resolver, function: FunctionVal) -> str | None:
    """The credential a function reads, itself or in a project helper it calls."""
    found = reads_credential(function.fact)
    if found:
        return found
    for _, value in resolver.called_functions(function.fact, function.body_ctx):
        found = reads_credential(value.fact)
        if found:
            return f"{found} (in `{value.fact.name}`)"
    return None


def _credential_arguments(endpoint: FunctionVal) -> dict[Expr, str]:
    """Callee -> the endpoint's credential-named parameter handed to it
    (`check(x_api_key)`, `check(key=api_key)`)."""
    names = {p.name for p in endpoint.fact.params if CREDENTIAL_NAME.search(p.name)}
    handed: dict[Expr, str] = {}
    for call in endpoint.fact.body.calls:
        arguments = (*call.args, *(value for _, value in call.kwargs))
        for argument in arguments:
            if isinstance(argument, Name) and argument.id in names:
                handed.setdefault(call.func, argument.id)
    return handed


def about_credential(resolver: Resolver, helper: FunctionVal) -> bool:
    """Whether a rejecting helper's rejection can be about a credential: it reads
    one (a credential-named parameter included), or it answers 403 only (an access
    gate: local callers only, an IP allow-list). A helper answering 401 that reads
    no credential (a feature switched off) is not authentication."""
    if credential_read(resolver, helper):
        return True
    return UNAUTHENTICATED not in mentioned_codes(helper.fact)


def websocket_policy_close(resolver: Resolver, endpoint: FunctionVal) -> list[str]:
    """A websocket endpoint that reads a credential (a `token` query parameter, a
    header) and closes with a bare 1008 (policy violation): it authenticates in its
    body. Closing with 1008 without reading a credential (a full room) does not."""
    if POLICY_VIOLATION not in endpoint.fact.status_codes:
        return []
    credential = credential_read(resolver, endpoint)
    if credential is None:
        return []
    return [f"the websocket endpoint reads {credential} and closes with 1008 (policy violation)"]
