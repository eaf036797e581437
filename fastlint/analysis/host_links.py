"""Account links (password reset, verification, invitation) built from the Host header.

A link is built from the request's host when an expression reads
`request.base_url`, `request.url_for(...)`, `request.url.hostname`/`netloc`, or
the `Host` (or `X-Forwarded-Host`) header of a parameter typed `Request`. It is an
account link when the function that builds it, the route it serves, the name it is
stored under, the call it is handed to or the text around it says what for: a
reset, a verification or confirmation, an invitation, an activation, a magic link;
and when it leaves the page it was asked from: it carries a token (`?token=`,
`url_for(..., token=t)`), or it is handed to a call that sends it (`send_mail`).

Starlette takes the host of these URLs from the request's `Host` header, which the
client writes. `TrustedHostMiddleware` with a list of hosts (not `"*"`, its
default) on every app serving the route refuses other hosts; a list fastlint cannot
read counts as one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

from fastlint.analysis import Analysis
from fastlint.analysis.callers import all_served
from fastlint.facts.expr import (
    Attr,
    BinOp,
    Call,
    Const,
    DictExpr,
    Expr,
    FString,
    IfExp,
    Name,
    Seq,
    Subscript,
    dotted,
)
from fastlint.model import known
from fastlint.model.anchor import Anchor
from fastlint.model.middleware import Middleware
from fastlint.model.project import Project
from fastlint.model.values import ClassVal, External, FunctionVal, Unknown
from fastlint.span import Span

__all__ = ["HostLink", "HostLinks"]

# Words that say a link gives access to an account (in names, paths and text).
PURPOSE = re.compile(
    r"(reset|forgot|recover|verif|confirm|activat|invit|magic|passwordless|password|passwd)"
)
PURPOSES = {
    "reset": "password-reset",
    "forgot": "password-reset",
    "recover": "account-recovery",
    "verif": "verification",
    "confirm": "confirmation",
    "activat": "activation",
    "invit": "invitation",
    "magic": "magic",
    "passwordless": "sign-in",
    "password": "password",
    "passwd": "password",
}
# A call named like this sends or builds a link: its name tells what the link is for
# (`send_verification_email(...)`, unlike `verify_flow(..., host=request.url.hostname)`).
SENDER = re.compile(r"send|mail|link|url|notif|message")
# Names and query keys of the secret a link carries.
TOKEN_WORDS = frozenset(
    {"token", "code", "key", "secret", "otp", "nonce", "signature", "sig", "ticket", "uid"}
)

TOKEN_QUERY = re.compile(r"[?&/](token|code|key|otp|sig|signature|ticket)[=/]")
HOST_HEADERS = frozenset({"host", "x-forwarded-host"})
URL_PARTS = frozenset({"hostname", "netloc"})
TRUSTED_HOST = "TrustedHostMiddleware"


@dataclass(frozen=True)
class HostLink:
    """One account link built from the host the client sent."""

    anchor: Anchor
    source: str  # "`request.base_url`"
    purpose: str  # the word that says what the link is for: "reset"
    function: str


class HostLinks(Analysis):
    """Every account link of project code outside tests built from the request's host,
    on routes that no trusted-host list protects."""

    def __init__(self, project: Project) -> None:
        super().__init__(project)

    @cached_property
    def protected_apps(self) -> frozenset[int]:
        """The apps (by `id`) with a `TrustedHostMiddleware` that lists its hosts."""
        return frozenset(
            id(app)
            for app in self.project.apps
            if any(self._trusted(middleware) for middleware in app.middleware)
        )

    @cached_property
    def links(self) -> list[HostLink]:
        found: list[HostLink] = []
        for body in self.project.calls.bodies:
            function = body.function
            if function is None or not function.fact.params:
                continue
            params = frozenset(p.name for p in function.fact.params)
            if not _mentions_host(function, params):
                continue  # cheap: no parameter's host read at all, whatever its type
            if known.in_test_code(self.project.relative_path(body.path)):
                continue
            requests = self._requests(function)
            if not requests:
                continue
            link = self._link(function, requests)
            if link is not None and not self._protected(function):
                found.append(link)
        return found

    def _requests(self, function: FunctionVal) -> frozenset[str]:
        """The parameters typed `Request`."""
        names = set()
        for param in function.fact.params:
            if param.annotation is None:
                continue
            for value in self.project.values(param.annotation, function.ctx):
                if isinstance(value, (External, ClassVal)) and self.project.inherits(
                    value, _is_request
                ):
                    names.add(param.name)
        return frozenset(names)

    def _link(self, function: FunctionVal, requests: frozenset[str]) -> HostLink | None:
        """The first link of `function` built from the request's host that something
        around it says is an account link, and that carries a token or is handed to a
        call sending it (`send_mail`, `notify`): a link shown on the page it was asked
        from reaches only whoever asked."""
        context = [f.name for f in function.ctx.functions] + [function.name]
        context.extend(r.path for r in self.project.routes if r.endpoint == function and r.path)
        purpose = _purpose(context)
        tainted: dict[str, str] = {}  # locals holding the host (`host = request.headers[...]`)
        assigned = function.fact.scope.assignments
        for _ in range(3):
            for local, assignments in assigned.items():
                for assignment in assignments:
                    inner = _within(assignment.value, requests, tainted)
                    if inner is not None and local not in requests:
                        tainted.setdefault(local, inner)
        # (where, how the host is read, words saying what for, sent or carrying a token)
        candidates: list[tuple[Span, str, list[str], bool]] = []
        for site in self.project.calls.in_function(function):
            call = site.call
            own = _source(call, requests)
            if own is not None:
                words = [_strings(a) for a in (*call.args, *(v for _, v in call.kwargs))]
                candidates.append((call.span, own, words, _carries_token(call)))
                continue
            sender = _sender(call)
            for arg in (*call.args, *(v for _, v in call.kwargs)):
                inner = _within(arg, requests, tainted)
                if inner is not None:
                    words = [sender, *(k for k, _ in call.kwargs), _strings(arg)]
                    leaves = bool(sender) or _carries_token(arg)
                    candidates.append((call.span, inner, words, leaves))
        for local, assignments in assigned.items():
            for assignment in assignments:
                inner = _within(assignment.value, requests, tainted)
                if inner is not None and assignment.span is not None:
                    words = [local, _strings(assignment.value)]
                    candidates.append(
                        (assignment.span, inner, words, _carries_token(assignment.value))
                    )
        candidates.sort(key=lambda c: (c[0].line, c[0].column))
        for returned in function.fact.return_values:  # `return f"{request.base_url}..."`
            inner = _within(returned, requests, tainted)
            if inner is not None:
                words = [_strings(returned)]
                candidates.append((function.fact.span, inner, words, _carries_token(returned)))
        for span, source, words, leaves in candidates:
            said = purpose or _purpose(words)
            if said is not None and leaves:
                scope = ".".join(f.name for f in function.ctx.functions) or function.name
                anchor = Anchor(function.path, span, f"{scope} link from host")
                return HostLink(anchor, source, PURPOSES.get(said, said), function.name)
        return None

    def _protected(self, function: FunctionVal) -> bool:
        """Whether every app running `function` lists its hosts."""
        return all_served(self.project, function, self.protected_apps)

    def _trusted(self, middleware: Middleware) -> bool:
        """`TrustedHostMiddleware` given hosts other than `"*"` (or hosts not known)."""
        if not middleware.is_class(_is_trusted_host):
            return False
        hosts = middleware.arg(0, "allowed_hosts")
        if hosts is None:
            return middleware.has_star  # the default is ["*"]
        for possible in self.project.literal(hosts).possible:
            value = possible.value
            if isinstance(value, Unknown) or possible.conditions:
                continue
            entries = [value] if isinstance(value, str) else value
            if isinstance(entries, (list, tuple)) and any(
                isinstance(e, str) and e.strip() == "*" for e in entries
            ):
                return False
        return True


def _mentions_host(function: FunctionVal, names: frozenset[str]) -> bool:
    """Whether `function` reads a host from one of the parameters `names`."""
    fact = function.fact
    values = [
        *(a.value for assigned in fact.scope.assignments.values() for a in assigned),
        *fact.body.calls,
        *fact.return_values,
    ]
    return any(_within(value, names) is not None for value in values)


def _is_request(cls: External) -> bool:
    return cls.top in ("fastapi", "starlette") and cls.last == "Request"


def _is_trusted_host(cls: ClassVal | External) -> bool:
    name = cls.last if isinstance(cls, External) else cls.fact.name
    return name == TRUSTED_HOST


def _source(expr: Expr, requests: frozenset[str]) -> str | None:
    """How `expr` reads the request's host, if it does (itself, not inside)."""
    if (
        isinstance(expr, Attr)
        and expr.attr == "base_url"
        and isinstance(expr.value, Name)
        and expr.value.id in requests
    ):
        return f"`{expr.value.id}.base_url`"
    if isinstance(expr, Attr) and expr.attr in URL_PARTS:
        url = expr.value
        if (
            isinstance(url, Attr)
            and url.attr == "url"
            and isinstance(url.value, Name)
            and url.value.id in requests
        ):
            return f"`{url.value.id}.url.{expr.attr}`"
    if isinstance(expr, Call) and isinstance(expr.func, Attr):
        func = expr.func
        if func.attr == "url_for" and isinstance(func.value, Name) and func.value.id in requests:
            return f"`{func.value.id}.url_for(...)`"
        if func.attr == "get" and _headers(func.value, requests) and expr.args:
            return _header(expr.args[0], func.value)
    if isinstance(expr, Subscript) and _headers(expr.value, requests) and expr.items:
        return _header(expr.items[0], expr.value)
    return None


def _headers(expr: Expr, requests: frozenset[str]) -> bool:
    return (
        isinstance(expr, Attr)
        and expr.attr == "headers"
        and isinstance(expr.value, Name)
        and expr.value.id in requests
    )


def _header(key: Expr, headers: Expr) -> str | None:
    if isinstance(key, Const) and isinstance(key.value, str) and key.value.lower() in HOST_HEADERS:
        return f'`{dotted(headers)}["{key.value}"]`'
    return None


def _within(
    expr: Expr, requests: frozenset[str], tainted: dict[str, str] | None = None
) -> str | None:
    """How `expr` or a part of it reads the request's host (or a local holding it)."""
    if tainted and isinstance(expr, Name) and expr.id in tainted:
        return tainted[expr.id]
    found = _source(expr, requests)
    if found is not None:
        return found
    for child in _children(expr):
        found = _within(child, requests, tainted)
        if found is not None:
            return found
    return None


def _children(expr: Expr) -> Iterator[Expr]:
    if isinstance(expr, FString):
        yield from (p for p in expr.parts if not isinstance(p, str))
    elif isinstance(expr, BinOp):
        yield from (expr.left, expr.right)
    elif isinstance(expr, Seq):
        yield from expr.items
    elif isinstance(expr, DictExpr):
        yield from (v for _, v in expr.items)
    elif isinstance(expr, IfExp):
        yield from (expr.body, expr.orelse)
    elif isinstance(expr, Subscript):
        yield expr.value
        yield from expr.items
    elif isinstance(expr, Attr):
        yield expr.value
    elif isinstance(expr, Call):
        yield from (expr.func, *expr.args, *(v for _, v in expr.kwargs))


def _sender(call: Call) -> str:
    """The name of a call that sends or builds a link (`send_reset_email`), else ""."""
    name = (dotted(call.func) or "").lower()
    return name if SENDER.search(name) else ""


def _carries_token(expr: Expr) -> bool:
    """Whether a link carries a secret: a name, keyword or query key saying so
    (`token=...`, `{secrets.token_urlsafe(8)}`, `code=code`)."""
    if isinstance(expr, Const):
        return isinstance(expr.value, str) and TOKEN_QUERY.search(expr.value.lower()) is not None
    if isinstance(expr, (Name, Attr)):
        name = dotted(expr) or (expr.attr if isinstance(expr, Attr) else "")
        return any(_token_word(part) for part in re.split(r"[._]", name.lower()))
    if isinstance(expr, Call) and any(_token_word(k.lower()) for k, _ in expr.kwargs):
        return True
    if isinstance(expr, FString):
        text = "".join(p for p in expr.parts if isinstance(p, str)).lower()
        if TOKEN_QUERY.search(text):
            return True
    return any(_carries_token(child) for child in _children(expr))


def _token_word(word: str) -> bool:
    return word in TOKEN_WORDS or word.startswith("token")


def _strings(expr: Expr) -> str:
    """The literal text written in `expr` (string constants and f-string parts)."""
    if isinstance(expr, Const):
        return expr.value if isinstance(expr.value, str) else ""
    if isinstance(expr, FString):
        return " ".join(p if isinstance(p, str) else _strings(p) for p in expr.parts)
    return " ".join(_strings(child) for child in _children(expr))


def _purpose(texts: list[str]) -> str | None:
    for text in texts:
        match = PURPOSE.search(text.lower())
        if match is not None:
            return match.group(1)
    return None
