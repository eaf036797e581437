"""Whether a function reads a credential: what makes its own 401 an authentication.

An endpoint that raises 401 in its body authenticates only when that body looks
at who is calling: an `Authorization`/API-key/cookie header or parameter, a
session, `request.state.user`, `request.user`/`request.auth`, or a call to a
helper that checks tokens or credentials. A 401 for a disabled feature or a
failed captcha reads none of these and proves nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from fastlint.facts.expr import (
    Attr,
    Call,
    Const,
    Expr,
    Subscript,
    children,
    last_name,
)
from fastlint.facts.types import FunctionFact

# Parameter names and header/cookie keys that carry credentials.
CREDENTIAL_NAME = re.compile(
    r"authori[sz]ation|api[-_]?key|apikey|token|bearer|credential|session|cookie|password|secret|signature"
    # who an authenticating reverse proxy (nginx auth_request, oauth2-proxy,
    # Authelia) says is calling
    r"|\bremote[-_]user\b|x[-_]forwarded[-_](?:user|email)|x[-_]auth[-_]request[-_](?:user|email)",
    re.I,
)
# Attributes that hold the caller once a middleware identified it (`request.user`,
# `request.auth`, `request.state.user`, `request.session`, `request.cookies`).
CREDENTIAL_ATTRS = frozenset({"user", "auth", "session", "cookies", "current_user"})
# Helpers whose name says they check who is calling.
CREDENTIAL_CALL = re.compile(
    r"auth|token|verif|credential|current_user|login|session|api_?key|decode_jwt|jwt", re.I
)
# Calls that hand out a new credential (`create_token(user)`, `generate_api_key()`,
# `secrets.token_urlsafe()`) rather than read the caller's: a login route makes them.
ISSUING_CALL = re.compile(
    r"^_?(?:create|generate|issue|mint|make|new|encode|sign)_|^token_(?:urlsafe|hex|bytes)$",
    re.I,
)
# `headers.get("Authorization")`, `cookies.get("session")`: lookups by key.
KEY_LOOKUPS = frozenset({"get", "getlist", "pop", "get_cookie"})
EXCEPTION_NAME = re.compile(r"(error|exception)$", re.I)
MAX_NODES = 5_000  # expressions looked at per function (hostile input stays cheap)


def reads_credential(fact: FunctionFact) -> str | None:
    """What credential the function reads (a phrase for `--verbose`), or None."""
    for param in fact.params:
        if param.name in ("self", "cls"):
            continue
        if CREDENTIAL_NAME.search(param.name):
            return f"parameter `{param.name}`"
        alias = param.default.kwarg("alias") if isinstance(param.default, Call) else None
        if (
            isinstance(alias, Const)
            and isinstance(alias.value, str)
            and CREDENTIAL_NAME.search(alias.value)
        ):
            return f"parameter `{param.name}` ({alias.value})"
    for expr in _expressions(fact):
        found = _credential_in(expr)
        if found:
            return found
    return None


def _expressions(fact: FunctionFact) -> Iterator[Expr]:
    body = fact.body
    yield from body.calls
    yield from (guard.test for guard in body.guards)
    yield from body.compares
    yield from fact.return_values
    for assignments in fact.scope.assignments.values():
        yield from (a.value for a in assignments)
    yield from (a.value for a in fact.scope.attr_assignments)


def _credential_in(root: Expr) -> str | None:
    for expr in _walk(root):
        if isinstance(expr, Attr) and expr.attr in CREDENTIAL_ATTRS:
            return f"`.{expr.attr}`"
        keys: tuple[Expr, ...] = ()
        if isinstance(expr, Subscript):
            keys = expr.items
        elif isinstance(expr, Call):
            name = last_name(expr.func) or ""
            if name in KEY_LOOKUPS:
                keys = expr.args[:1]
            elif (
                CREDENTIAL_CALL.search(name)
                and not EXCEPTION_NAME.search(name)
                and not ISSUING_CALL.search(name)
            ):
                return f"a call of `{name}`"
        for key in keys:
            if (
                isinstance(key, Const)
                and isinstance(key.value, str)
                and CREDENTIAL_NAME.search(key.value)
            ):
                return f'"{key.value}"'
    return None


def _walk(root: Expr) -> Iterator[Expr]:
    """Every sub-expression of `root`, itself first (at most MAX_NODES)."""
    stack = [root]
    seen = 0
    while stack and seen < MAX_NODES:
        expr = stack.pop()
        seen += 1
        yield expr
        stack.extend(children(expr))
