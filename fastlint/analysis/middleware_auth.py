"""What a middleware does to callers: whether it authenticates, where, and when.

A middleware authenticates only when it reads a credential (an `Authorization`
header, an API-key header or query value, a session or auth cookie, `request.user`
or `request.session`) and rejects a request (401/403, or an authentication
exception), itself or through a project function it calls (`if (denied :=
check_key(request)) is not None: return denied`). A CSRF, captcha, host, size or
method check reads no credential and authenticates nobody.

Its path scope comes from its own tests of the path: an early `return await
call_next(request)` for `request.url.path in PUBLIC_PATHS` or
`path.startswith("/static")` exempts those paths; a rejection nested in
`if path.startswith("/admin"):` covers only those. A set held on `self`
(`self.public_paths`) is read from the constructor argument the app passes
(`add_middleware(Gate, public_paths={...})`). A setting tested on the way to the
check (`if not settings.auth_enabled: return await call_next(request)`, a helper's
`if not expected: return None`) and the `if` around the registration are switches.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from fastlint.analysis.proofs import ALL, Extent, PathScope
from fastlint.analysis.switches import Switch, SwitchReader, is_setting_reference
from fastlint.facts.expr import (
    Attr,
    BoolOp,
    Call,
    Compare,
    Const,
    Expr,
    Name,
    Seq,
    Subscript,
    UnaryOp,
    last_name,
)
from fastlint.facts.types import BodyFacts, FunctionFact, Guard
from fastlint.model import known
from fastlint.model.calls import is_main_test, within
from fastlint.model.credentials import _walk
from fastlint.model.dependencies import DependencyAnalyzer
from fastlint.model.middleware import Middleware
from fastlint.model.rejection import class_codes, mentioned_codes
from fastlint.model.resolve import Resolver
from fastlint.model.values import (
    ClassVal,
    Ctx,
    External,
    FunctionVal,
    InstanceVal,
    Scoped,
    Unknown,
    Value,
)
from fastlint.span import Span

__all__ = ["MiddlewareAuth", "MiddlewareJudge", "gates_at"]

HELPER_DEPTH = 2
# Header, cookie and query keys that carry who is calling.
CREDENTIAL_KEY = re.compile(
    r"authori[sz]ation|api[-_]?key|apikey|token|bearer|session|\bsid\b|jwt|auth|password|secret",
    re.I,
)
# What a pure ASGI middleware calls to answer a refused request itself.
REFUSAL_CALL = re.compile(r"response|reject|deny|unauthori[sz]ed|forbid", re.I)
# Keys and helpers about something else: forgery, robots, size, origin.
NOT_CREDENTIAL = re.compile(
    r"csrf|xsrf|captcha|turnstile|content[-_]|host|origin|referer|user[-_]agent|forwarded", re.I
)
CREDENTIAL_ATTRS = frozenset({"user", "auth", "session"})
CREDENTIAL_CALL = re.compile(
    r"authenticat|verify_?(?:token|key|jwt|password|credential)|check_?(?:token|api_?key|auth|credential|password)|decode_?(?:jwt|token)|current_user|api_?key",
    re.I,
)
KEY_LOOKUPS = frozenset({"get", "getlist", "pop", "get_cookie", "get_header"})
AUTH_NAME = re.compile(r"auth|token|key|session|login|jwt|oauth|password|credential", re.I)
REJECT_CODES = frozenset({401, 403})


@dataclass(frozen=True)
class MiddlewareAuth:
    """What one middleware on one app does about callers."""

    name: str
    authenticates: bool
    credential: str | None = None
    rejects: str | None = None
    scope: PathScope = ALL
    switches: tuple[Switch, ...] = ()  # it checks only when these hold
    unknown: str | None = None  # it may authenticate, fastlint cannot read how
    path: str = ""
    line: int = 0


class MiddlewareJudge:
    def __init__(self, dependencies: DependencyAnalyzer, switches: SwitchReader) -> None:
        self.dependencies = dependencies
        self.resolver = dependencies.resolver
        self.switches = switches

    # -- entry points -------------------------------------------------------------------

    def of_middleware(self, middleware: Middleware) -> list[MiddlewareAuth]:
        """A middleware attached with `add_middleware`, `Middleware(...)` or wrapping."""
        gates = tuple(self._gates(middleware.span, middleware.cls.ctx))
        found = []
        for cls in middleware.classes:
            judged = self._class(cls, middleware, gates)
            if judged is not None:
                found.append(judged)
        return found

    def of_function(
        self, function: FunctionVal, site: tuple[Span, Ctx] | None = None
    ) -> MiddlewareAuth | None:
        """An `@app.middleware("http")` function; `site` is where it is registered
        (an `if` around it is a switch)."""
        gates = tuple(self._gates(*site)) if site is not None else ()
        configured = self.dependencies.configured(function).auth
        if configured:
            return MiddlewareAuth(
                function.fact.name,
                True,
                rejects=configured[0],
                switches=gates,
                path=function.path,
                line=function.fact.span.line,
            )
        return self._dispatch(function.fact.name, function, None, gates)

    # -- classes ------------------------------------------------------------------------

    def _class(
        self, cls: Value, middleware: Middleware, gates: tuple[Switch, ...]
    ) -> MiddlewareAuth | None:
        if not isinstance(cls, (ClassVal, External)):
            if isinstance(cls, Unknown) and AUTH_NAME.search(middleware.name):
                return MiddlewareAuth(
                    middleware.name,
                    False,
                    unknown=f"middleware `{middleware.name}`: {cls.reason}",
                    path=middleware.path,
                    line=middleware.span.line,
                )
            return None
        name = cls.last if isinstance(cls, External) else cls.fact.name
        path, line = middleware.path, middleware.span.line
        configured = self.dependencies.configured(cls).auth
        if configured:
            return MiddlewareAuth(
                name, True, rejects=configured[0], switches=gates, path=path, line=line
            )
        if self.resolver.inherits(cls, known.is_auth_middleware):
            # Starlette's AuthenticationMiddleware identifies callers; it turns them
            # away only when its backend raises (routes with `@requires` do).
            return self._starlette_authentication(name, middleware, gates)
        if isinstance(cls, External):
            if AUTH_NAME.search(name) and not known.is_framework(cls):
                return MiddlewareAuth(
                    name,
                    False,
                    unknown=f"middleware `{cls.qualname}` is outside the scanned code",
                    path=path,
                    line=line,
                )
            return None
        method = self.dependencies.method(cls, "dispatch") or self.dependencies.method(
            cls, "__call__"
        )
        if method is None:
            if AUTH_NAME.search(name):
                return MiddlewareAuth(
                    name,
                    False,
                    unknown=f"middleware `{name}` has no `dispatch` or `__call__` to read",
                    path=path,
                    line=line,
                )
            return None
        judged = self._dispatch(name, method, (cls, middleware), gates)
        if judged is not None and not judged.authenticates and not judged.rejects:
            codes = class_codes(cls) & REJECT_CODES
            if codes and judged.credential:
                return MiddlewareAuth(
                    name,
                    True,
                    judged.credential,
                    f"answers {min(codes)}",
                    judged.scope,
                    judged.switches,
                    path=middleware.path,
                    line=middleware.span.line,
                )
        if judged is not None:
            return MiddlewareAuth(
                judged.name,
                judged.authenticates,
                judged.credential,
                judged.rejects,
                judged.scope,
                judged.switches,
                judged.unknown,
                middleware.path,
                middleware.span.line,
            )
        return None

    # -- the function that handles each request -------------------------------------------

    def _starlette_authentication(
        self, name: str, middleware: Middleware, gates: tuple[Switch, ...]
    ) -> MiddlewareAuth:
        """An `AuthenticationMiddleware`: it turns anonymous callers away when its
        backend's `authenticate` raises (`AuthenticationError`); a backend that lets
        them in as unauthenticated users identifies them only; one fastlint cannot
        read leaves the routes unknown."""

        def judged(rejects: str | None = None, unknown: str | None = None) -> MiddlewareAuth:
            return MiddlewareAuth(
                name,
                rejects is not None,
                credential="`request.user`",
                rejects=None if rejects is None else f"its backend {rejects}",
                switches=gates,
                unknown=None if unknown is None else f"middleware `{name}`: {unknown}",
                path=middleware.path,
                line=middleware.span.line,
            )

        given = middleware.arg(0, "backend")
        if given is None:
            return judged(unknown="no `backend` fastlint can see")
        found: str | None = None
        for value in self.resolver.evaluate(given.expr, given.ctx):
            cls = value.cls if isinstance(value, InstanceVal) else None
            if not isinstance(cls, ClassVal):
                return judged(unknown="a backend outside the scanned code")
            method = self.dependencies.method(cls, "authenticate")
            if method is None:
                return judged(unknown="a backend without `authenticate`")
            reason = self.dependencies.rejection.reason(method.fact, method.body_ctx)
            if reason is None:
                return judged()
            found = reason
        return judged(rejects=found)

    def _dispatch(
        self,
        name: str,
        function: FunctionVal,
        owner: tuple[ClassVal, Middleware] | None,
        gates: tuple[Switch, ...],
    ) -> MiddlewareAuth | None:
        helpers = list(self._helpers(function, HELPER_DEPTH, set()))
        credential = next((c for f in helpers if (c := _credential(f.fact))), None)
        rejects = next((r for f in helpers if (r := self._rejects(f))), None)
        if NOT_CREDENTIAL.search(name):  # prefect's `CsrfMiddleware`: says what it checks
            credential = None
        if credential is None or rejects is None:
            return MiddlewareAuth(
                name, False, credential, rejects, path=function.path, line=function.fact.span.line
            )
        scope = self._scope(function, owner)
        inner = tuple(self._inner_switches(function, helpers, owner))
        return MiddlewareAuth(
            name,
            True,
            credential,
            rejects,
            scope,
            gates + inner,
            path=function.path,
            line=function.fact.span.line,
        )

    def _helpers(
        self, function: FunctionVal, depth: int, seen: set[tuple[str, int, int]]
    ) -> Iterator[FunctionVal]:
        key = (function.path, function.line, function.column)
        if key in seen:
            return
        seen.add(key)
        yield function
        if depth == 0:
            return
        for _, value in self.resolver.called_functions(function.fact, function.body_ctx):
            yield from self._helpers(value, depth - 1, seen)

    def _rejects(self, function: FunctionVal) -> str | None:
        codes = mentioned_codes(function.fact) & REJECT_CODES
        if codes:
            return f"`{function.fact.name}` answers {min(codes)}"
        reason = self.dependencies.rejection.reason(function.fact, function.body_ctx, depth=0)
        return f"`{function.fact.name}` {reason}" if reason else None

    # -- scope ----------------------------------------------------------------------------

    def _scope(self, function: FunctionVal, owner: tuple[ClassVal, Middleware] | None) -> PathScope:
        guards = function.fact.body.guards
        for guard in guards:
            # `if scope["type"] != "http" or not self._is_admission_path(scope):
            # pass it on`: it acts on those paths only
            if guard.outcome != "return" or _returns_rejection(guard, function.fact):
                continue
            test = guard.test
            parts = test.values if isinstance(test, BoolOp) and test.op == "or" else (test,)
            for part in parts:
                if isinstance(part, UnaryOp) and part.op == "not":
                    only = self._paths(part.operand, function, owner)
                    if only is not None and (only.exact or only.prefixes):
                        return PathScope(Extent.ONLY, only.exact, only.prefixes, only.methods)
        paths = {g.span: self._paths(g.test, function, owner) for g in guards}
        exempt = [
            (g, scope)
            for g in guards
            if g.outcome == "return"
            and (scope := paths[g.span]) is not None
            and (scope.exact or scope.prefixes)  # not `request.method == "OPTIONS"` alone
            and not _returns_rejection(g, function.fact)
        ]
        if exempt:
            exact = frozenset(p for _, s in exempt for p in s.exact)
            prefixes = tuple(p for _, s in exempt for p in s.prefixes)
            methods = (
                frozenset(m for _, s in exempt for m in s.methods)
                if all(s.methods for _, s in exempt)
                else frozenset()
            )
            if exact or prefixes:
                return PathScope(Extent.EXCEPT, exact, prefixes, methods)
        rejecting = [
            g
            for g in guards
            if g.outcome in ("return", "raise") and _returns_rejection(g, function.fact)
        ]
        guarded = [self._conjoined_paths(g.test, function, owner) for g in rejecting]
        if rejecting and all(guarded):
            # `if path.startswith(GUARDED) and not valid(token): return 401`
            found = [scope for scope in guarded if scope is not None]
            return PathScope(
                Extent.ONLY,
                frozenset(p for f in found for p in f.exact),
                tuple(p for f in found for p in f.prefixes),
            )
        for outer in guards:
            scope = paths[outer.span]
            if scope is None or outer.block is None or not rejecting:
                continue
            if all(within(g.span, outer.block) for g in rejecting if g is not outer):
                return PathScope(Extent.ONLY, scope.exact, scope.prefixes, scope.methods)
        return ALL

    def _conjoined_paths(
        self, test: Expr, function: FunctionVal, owner: tuple[ClassVal, Middleware] | None
    ) -> PathScope | None:
        """The paths a rejection's own test picks out (`path in GUARDED and ...`)."""
        if not (isinstance(test, BoolOp) and test.op == "and"):
            return None
        for value in test.values:
            scope = self._paths(value, function, owner)
            if scope is not None and (scope.exact or scope.prefixes):
                return scope
        return None

    def _paths(
        self,
        test: Expr,
        function: FunctionVal,
        owner: tuple[ClassVal, Middleware] | None,
        depth: int = 0,
    ) -> PathScope | None:
        """The paths (and methods) a test picks out; None when it tests no path."""
        if isinstance(test, Call) and depth < 2:
            # a project predicate: `self._is_admission_path(scope)`
            for value in self.resolver.evaluate(test.func, function.body_ctx):
                if not isinstance(value, FunctionVal):
                    continue
                returned = [r for r in value.fact.return_values if not isinstance(r, Const)]
                scopes = [self._paths(r, value, owner, depth + 1) for r in returned]
                picked = [f for f in scopes if f is not None]
                if picked and len(picked) == len(scopes):
                    return PathScope(
                        Extent.ONLY,
                        frozenset(p for f in picked for p in f.exact),
                        tuple(p for f in picked for p in f.prefixes),
                    )
        if isinstance(test, BoolOp):
            parts = [self._paths(v, function, owner) for v in test.values]
            found = [p for p in parts if p is not None]
            if not found:
                return None
            exact = frozenset(p for s in found for p in s.exact)
            prefixes = tuple(p for s in found for p in s.prefixes)
            methods = frozenset(m for s in found for m in s.methods)
            if not exact and not prefixes:
                return None
            return PathScope(
                Extent.ONLY, exact, prefixes, methods if test.op == "and" else frozenset()
            )
        if isinstance(test, Compare) and len(test.ops) == 1:
            op, right = test.ops[0]
            left = test.left
            if _is_method(left, function) and op in ("==", "in"):
                return PathScope(
                    Extent.ONLY, methods=frozenset(self._strings(right, function, owner))
                )
            if not _is_path(left, function):
                return None
            if op in ("==", "in"):
                return PathScope(Extent.ONLY, frozenset(self._strings(right, function, owner)))
            return None
        if (
            (
                isinstance(test, Call)
                and isinstance(test.func, Attr)
                and test.func.attr == "startswith"
            )
            and _is_path(test.func.value, function)
            and test.args
        ):
            return PathScope(
                Extent.ONLY, prefixes=tuple(self._strings(test.args[0], function, owner))
            )
        return None

    def _strings(
        self, expr: Expr, function: FunctionVal, owner: tuple[ClassVal, Middleware] | None
    ) -> list[str]:
        """The strings an expression holds: a constant, a tuple/list/set of them, a
        module constant, or a constructor argument held on `self`."""
        if isinstance(expr, Seq):
            return [s for item in expr.items for s in self._strings(item, function, owner)]
        if (
            owner is not None
            and isinstance(expr, Attr)
            and isinstance(expr.value, Name)
            and expr.value.id == "self"
        ):
            argument = self._constructor_argument(expr.attr, owner)
            if argument is not None:
                return self._literal_strings(argument)
        return self._literal_strings(Scoped(expr, function.body_ctx))

    def _literal_strings(self, scoped: Scoped) -> list[str]:
        expr = scoped.expr
        if isinstance(expr, Seq):
            return [
                s for item in expr.items for s in self._literal_strings(Scoped(item, scoped.ctx))
            ]
        if (
            isinstance(expr, Call)
            and last_name(expr.func) in ("set", "frozenset", "tuple", "list")
            and expr.args
        ):
            return self._literal_strings(Scoped(expr.args[0], scoped.ctx))
        literal = self.switches.value_of(scoped.expr, scoped.ctx)  # typed settings too
        found: list[str] = []
        for possible in literal.possible if literal is not None else ():
            value = possible.value
            if isinstance(value, str):
                found.append(value)
            elif isinstance(value, (list, tuple)):
                found.extend(v for v in value if isinstance(v, str))
        return found

    def _constructor_argument(self, attr: str, owner: tuple[ClassVal, Middleware]) -> Scoped | None:
        """`self.public_paths = set(public_paths)` in `__init__`, and the app's
        `add_middleware(Gate, public_paths=...)`: the argument given."""
        cls, middleware = owner
        init = self.dependencies.method(cls, "__init__")
        if init is None:
            return None
        params = [p.name for p in init.fact.params]
        for assignment in init.fact.scope.attr_assignments:
            target = assignment.target
            if not (isinstance(target, Attr) and target.attr == attr):
                continue
            source = assignment.value
            if isinstance(source, BoolOp) and source.values:
                source = source.values[0]  # `excluded_paths or [...]`
            if isinstance(source, Call) and source.args:
                source = source.args[0]
            if isinstance(source, Name) and source.id in params:
                index = params.index(source.id) - 2  # after `self` and the wrapped app
                given = middleware.arg(index, source.id) if index >= 0 else None
                if given is None:
                    default = init.fact.params[params.index(source.id)].default
                    return Scoped(default, init.ctx) if default is not None else None
                return given
        return None

    # -- switches -------------------------------------------------------------------------

    def _held_setting(self, test: Expr, cls: ClassVal) -> Expr:
        """`not self.password` where `__init__` did `self.password =
        get_secret_from_env("APP_PASSWORD")`: the setting it holds."""
        if isinstance(test, UnaryOp):
            return UnaryOp(test.op, self._held_setting(test.operand, cls))
        if not (
            isinstance(test, Attr) and isinstance(test.value, Name) and test.value.id == "self"
        ):
            return test
        init = self.dependencies.method(cls, "__init__")
        if init is None:
            return test
        for assignment in init.fact.scope.attr_assignments:
            target = assignment.target
            if isinstance(target, Attr) and target.attr == test.attr:
                value = assignment.value
                if isinstance(value, BoolOp) and value.values:
                    value = value.values[0]
                return value if is_setting_reference(value) else test
        return test

    def _gates(self, span: Span, ctx: Ctx) -> Iterator[Switch]:
        """The `if` blocks around a registration whose test reads a setting."""
        yield from gates_at(self.switches, self.resolver, span, ctx)

    def _inner_switches(
        self,
        function: FunctionVal,
        helpers: list[FunctionVal],
        owner: tuple[ClassVal, Middleware] | None = None,
    ) -> Iterator[Switch]:
        """A setting tested before the check that lets the request through: in the
        dispatch (`if not settings.auth: return await call_next(request)`), or in a
        helper that returns None for "allowed" (`if not expected: return None`)."""
        for f in helpers:
            if f is not function and not (_credential(f.fact) or self._rejects(f)):
                continue  # a helper that is not part of the check (logging, metrics)
            for guard in f.fact.body.guards:
                if guard.outcome != "return" or _returns_rejection(guard, f.fact):
                    continue
                if f is not function and guard.value is not None and not _is_none(guard.value):
                    continue
                test = _substitute(guard.test, f.fact)
                if owner is not None and f is function:
                    test = self._held_setting(test, owner[0])
                if _is_path(guard.test, f) or not _reads_setting(test):
                    continue
                switch = self.switches.switch(test, f.body_ctx, False, f.path, guard.span)
                if switch is not None:
                    yield switch


def gates_at(switches: SwitchReader, resolver: Resolver, span: Span, ctx: Ctx) -> Iterator[Switch]:
    """The `if` tests around `span` (in the body it is written in) that read a setting."""
    module = resolver.index.modules.get(ctx.path)
    if ctx.functions:
        body: BodyFacts = ctx.functions[-1].body
    elif module is not None:
        body = module.body
    else:
        return
    for guard in body.guards:
        if guard.block is None or not within(span, guard.block) or is_main_test(guard.test):
            continue
        switch = switches.switch(guard.test, ctx, True, ctx.path, guard.span)
        if switch is not None:
            yield switch


def _substitute(test: Expr, fact: FunctionFact) -> Expr:
    """A local name assigned once stands for its value (`expected = settings.KEY`)."""
    if isinstance(test, UnaryOp):
        return UnaryOp(test.op, _substitute(test.operand, fact))
    if isinstance(test, Name):
        bound = fact.scope.assignments.get(test.id, ())
        if len(bound) == 1:
            return bound[0].value
    return test


def _reads_setting(test: Expr) -> bool:
    if isinstance(test, UnaryOp):
        return _reads_setting(test.operand)
    if isinstance(test, BoolOp):
        return any(_reads_setting(v) for v in test.values)
    if isinstance(test, Compare):
        return _reads_setting(test.left)
    return is_setting_reference(test)


def _is_none(expr: Expr) -> bool:
    return isinstance(expr, Const) and expr.value is None


def _returns_rejection(guard: Guard, fact: FunctionFact) -> bool:
    """Whether a guard's branch hands back or raises a refusal (a response or an
    exception built with 401/403, or a value it got from a check). A pure ASGI
    middleware answers before a bare `return`: `await response(scope, receive, send)`."""
    value = guard.value
    if guard.outcome == "raise":
        return True
    if value is None and guard.block is not None:
        block = guard.block
        called = [last_name(c.func) or "" for c in fact.scope.calls if within(c.span, block)]
        if any(_passes_on(name) for name in called):
            return False
        return any(REFUSAL_CALL.search(name) for name in called)
    if value is None or _is_none(value):
        return False
    if isinstance(value, Call):
        return not _passes_on(last_name(value.func) or "")
    if isinstance(value, (Attr, Name)):
        return not (isinstance(value, Name) and value.id == "call_next")
    return False


def _passes_on(name: str) -> bool:
    """`call_next(request)`, `self.app(scope, receive, send)`: the request goes on."""
    return name in ("call_next", "app") or name.endswith("app")


def _is_path(expr: Expr, function: FunctionVal) -> bool:
    """`request.url.path`, `scope["path"]`, `request.scope["path"]`, a local name
    assigned from one, or one with `.rstrip("/")`/`.lower()`."""
    if (
        isinstance(expr, Call)
        and isinstance(expr.func, Attr)
        and expr.func.attr in ("rstrip", "lower", "strip", "removeprefix", "removesuffix")
    ):
        return _is_path(expr.func.value, function)
    if isinstance(expr, Attr) and expr.attr == "path":
        return True
    if (
        isinstance(expr, Call)
        and "path" in (last_name(expr.func) or "").lower()
        and any(isinstance(a, Name) and a.id in ("scope", "request") for a in expr.args)
    ):
        return True  # `get_route_path(scope)`
    if isinstance(expr, Subscript) and any(
        isinstance(i, Const) and i.value in ("path", "raw_path") for i in expr.items
    ):
        return True
    if isinstance(expr, Name):
        bound = function.fact.scope.assignments.get(expr.id, ())
        return len(bound) == 1 and bound[0].value is not expr and _is_path(bound[0].value, function)
    return False


def _is_method(expr: Expr, function: FunctionVal) -> bool:
    if isinstance(expr, Attr) and expr.attr == "method":
        return True
    return isinstance(expr, Subscript) and any(
        isinstance(i, Const) and i.value == "method" for i in expr.items
    )


def _credential(fact: FunctionFact) -> str | None:
    """The credential a body reads, strictly: a credential-named header, cookie or
    query key, `request.user`/`.auth`/`.session`, or a call of a credential helper."""
    body = fact.body
    roots: list[Expr] = [
        *body.calls,
        *(g.test for g in body.guards),
        *body.compares,
        *fact.return_values,
    ]
    for assigned in fact.scope.assignments.values():
        roots.extend(a.value for a in assigned)
    for root in roots:
        for expr in _walk(root):
            if isinstance(expr, Attr) and expr.attr in CREDENTIAL_ATTRS:
                return f"`.{expr.attr}`"
            keys: tuple[Expr, ...] = ()
            if isinstance(expr, Subscript):
                keys = expr.items
            elif isinstance(expr, Compare) and expr.ops[0][0] in ("in", "not in"):
                keys = (expr.left,)  # `"authorization" not in request.headers`
            elif isinstance(expr, Call):
                name = last_name(expr.func) or ""
                if name in KEY_LOOKUPS:
                    keys = expr.args[:1]
                elif CREDENTIAL_CALL.search(name) and not NOT_CREDENTIAL.search(name):
                    return f"a call of `{name}`"
            for key in keys:
                if isinstance(key, Const) and isinstance(key.value, (str, bytes)):
                    word = (
                        key.value.decode("latin-1") if isinstance(key.value, bytes) else key.value
                    )
                    if CREDENTIAL_KEY.search(word) and not NOT_CREDENTIAL.search(word):
                        return f'"{word}"'
    return None
