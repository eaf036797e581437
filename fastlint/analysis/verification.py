"""What a route's dependency chain does with the credentials its security schemes read.

A `fastapi.security` scheme (`OAuth2PasswordBearer`, `HTTPBearer`, `APIKeyHeader`...)
only reads a header: it verifies nothing. This module follows the credential from
the parameter a scheme fills, through the dependencies that hand it on, and says
whether anything *consumes* it: passes it (or a value made from it) to a call that
can verify it (`jwt.decode`, a lookup, a request to another service, a project
helper that in turn consumes it) or compares it. Printing, logging, `len`, `str`,
storing it in a model or returning it consume nothing.

It also says where authentication fails open: a dependency reading a credential
that may be absent (`auto_error=False`, `Header(None)`) and returning without
raising when it is, used by a route that never tests the result; and checks that
switch off when a setting is empty (`if settings.API_KEY and key != settings.API_KEY`,
`os.getenv("API_KEY", "")`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

from fastlint.analysis.switches import Switch, SwitchReader, setting_in
from fastlint.facts.expr import (
    Attr,
    BoolOp,
    Call,
    Compare,
    Const,
    Expr,
    IfExp,
    Name,
    Seq,
    Subscript,
    UnaryOp,
    children,
    last_name,
)
from fastlint.facts.types import Guard
from fastlint.knowledge.security_schemes import LOGGING_METHODS, SCHEME_WORDS
from fastlint.model import known
from fastlint.model.calls import CallSite, CallSites
from fastlint.model.dependencies import DependencyAnalyzer, marker_target
from fastlint.model.literal_eval import Literals
from fastlint.model.parameters import COOKIE, DEPENDENCY, HEADER, QUERY, ParameterReader
from fastlint.model.routing import RouteInstance, Scoped
from fastlint.model.values import (
    ClassVal,
    Ctx,
    External,
    FunctionVal,
    InstanceVal,
    SyntaxVal,
    Unknown,
)
from fastlint.span import Span

__all__ = ["CredentialUse", "Credentials"]

HELPER_DEPTH = 4
SETTINGS_NAME = re.compile(r"settings|config|conf\b|env|\bargs\b|opts\b|options", re.I)
OPTIONAL_SCHEME = "an optional security scheme (auto_error=False)"


@dataclass
class CredentialUse:
    """What the dependencies of one served route do with scheme credentials."""

    read: list[str] = field(default_factory=list)  # where a scheme's credential is bound
    consumed: list[str] = field(default_factory=list)  # where one is verified or forwarded
    other: list[str] = field(default_factory=list)  # authentication that is not a scheme
    unknown: list[str] = field(default_factory=list)  # dependencies fastlint cannot follow
    fail_open: list[str] = field(default_factory=list)  # FL012: where anonymous calls pass
    # dependencies that turn anonymous callers away on every path (raise 401/403, or
    # verify a credential a required scheme reads) and fail open nowhere themselves
    closed: list[str] = field(default_factory=list)
    # settings that switch a check off (open unless configured), at their `if`
    switches: list[Switch] = field(default_factory=list)
    # where a scheme's credential is read: (file, line of the `def`, dependency)
    read_at: list[tuple[str, Span, str]] = field(default_factory=list)

    @property
    def open_paths(self) -> list[str]:
        """Where anonymous callers pass (FL012), unless another dependency on the
        route turns them away first: a best-effort optional identity beside a
        required one lets nobody in."""
        return [] if self.closed else self.fail_open

    @property
    def never_verified(self) -> bool:
        """A scheme reads a credential and nothing on the chain consumes it, nor
        authenticates otherwise, nor is out of sight."""
        return bool(self.read) and not (self.consumed or self.other or self.unknown)

    def add(self, other: CredentialUse) -> None:
        for mine, theirs in (
            (self.read, other.read),
            (self.consumed, other.consumed),
            (self.other, other.other),
            (self.unknown, other.unknown),
            (self.fail_open, other.fail_open),
            (self.closed, other.closed),
        ):
            mine.extend(r for r in theirs if r not in mine)
        self.switches.extend(s for s in other.switches if s not in self.switches)
        self.read_at.extend(r for r in other.read_at if r not in self.read_at)


@dataclass
class _Summary:
    """One dependency: what it does, and what it hands on."""

    use: CredentialUse = field(default_factory=CredentialUse)
    returns_credential: bool = False  # its result is (made from) a scheme credential
    may_return_none: str | None = None  # why anonymous callers get None from it


# Helpers an endpoint calls to check its caller, by name.
AUTH_HELPER = re.compile(r"auth|verif|login|check_token|validate_token", re.I)


class Credentials:
    def __init__(
        self, dependencies: DependencyAnalyzer, calls: CallSites, literals: Literals
    ) -> None:
        self.dependencies = dependencies
        self.resolver = dependencies.resolver
        self.calls = calls
        self.literals = literals
        self.params = ParameterReader(dependencies.types)
        self.switch_reader = SwitchReader(literals)
        self._memo: dict[tuple[object, ...], _Summary] = {}

    # -- a served route ---------------------------------------------------------------

    def of_route(self, instance: RouteInstance, app_auth: Iterable[str]) -> CredentialUse:
        use = CredentialUse()
        use.other.extend(app_auth)
        self._items(instance.dependencies, use)
        endpoint = instance.route.endpoint
        if endpoint is None:
            use.unknown.append("the endpoint function could not be resolved")
        else:
            use.add(self._function(endpoint, endpoint=True).use)
        return use

    def _items(self, items: Iterable[Scoped], use: CredentialUse, depth: int = 0) -> None:
        """`dependencies=[...]` items, also through a list held in a variable
        (`check_key = [Depends(verify_key)]`, `dependencies=check_key`)."""
        for item in items:
            for value in self.resolver.evaluate(item.expr, item.ctx):
                if isinstance(value, SyntaxVal) and isinstance(value.expr, Seq) and depth < 4:
                    inner = (Scoped(e, value.ctx) for e in value.expr.items)
                    self._items(inner, use, depth + 1)
                    continue
                if not isinstance(value, InstanceVal) or not self.dependencies.is_marker(value.cls):
                    use.unknown.append("a `dependencies` item that is not a Depends(...) call")
                    continue
                found = marker_target(value.call, value.ctx, None)
                if found is None:
                    continue
                summary = self._dependency(*found)
                use.add(summary.use)
                if summary.returns_credential:
                    use.read.append("a `dependencies=[...]` item reads a credential and drops it")
                if summary.may_return_none:
                    use.fail_open.append(
                        f"{summary.may_return_none}, and the route drops the result "
                        "(`dependencies=[...]`)"
                    )

    # -- dependencies -------------------------------------------------------------------

    def _dependency(self, target: Expr, ctx: Ctx) -> _Summary:
        """What `Depends(target)` gives its consumer."""
        summary = _Summary()
        for value in self.resolver.evaluate(target, ctx):
            configured = self.dependencies.configured(value)
            if configured.auth:
                summary.use.other.extend(configured.auth)
                continue
            own_call = (
                self.dependencies.method(value.cls, "__call__")
                if isinstance(value, InstanceVal) and isinstance(value.cls, ClassVal)
                else None
            )
            if (
                own_call is not None
                and isinstance(value, InstanceVal)
                and self.resolver.inherits(value.cls, known.is_security_scheme)
            ):
                # A project subclass of a scheme with its own `__call__` (reading the
                # header with `super().__call__(request)`, then checking it): what that
                # method does decides.
                _merge(summary, self._function(own_call))
            elif isinstance(value, InstanceVal) and self.resolver.inherits(
                value.cls, known.is_security_scheme
            ):
                summary.returns_credential = True
                if _auto_error_off(value.call):
                    summary.may_return_none = OPTIONAL_SCHEME
            elif isinstance(value, External):
                if known.is_security_scheme(value):
                    summary.returns_credential = True
                elif not known.is_framework(value):
                    summary.use.unknown.append(f"dependency `{value.qualname}` is not scanned")
            elif isinstance(value, FunctionVal):
                _merge(summary, self._function(value))
            elif isinstance(value, InstanceVal):
                if isinstance(value.cls, External):
                    summary.use.unknown.append(f"dependency `{value.cls.qualname}(...)`")
                    continue
                method = self.dependencies.method(value.cls, "__call__")
                if method is None:
                    summary.use.unknown.append(f"`{value.cls.fact.name}` has no `__call__`")
                else:
                    _merge(summary, self._function(method))
            elif isinstance(value, ClassVal):
                if self.resolver.inherits(value, known.is_security_scheme):
                    summary.returns_credential = True
                    continue
                init = self.dependencies.method(value, "__init__")
                if init is not None:
                    summary.use.add(self._function(init).use)  # an instance is handed on
            elif isinstance(value, Unknown):
                summary.use.unknown.append(value.reason)
        return summary

    def _function(self, function: FunctionVal, endpoint: bool = False) -> _Summary:
        key = (function.path, function.line, function.column, endpoint)
        cached = self._memo.get(key)
        if cached is not None:
            return cached
        summary = self._memo[key] = _Summary()  # a cycle ends with what is known so far
        name = function.fact.name
        credentials: set[str] = set()
        maybe_none: dict[str, str] = {}  # parameter -> why it may be None for anonymous calls
        optional: set[str] = set()  # credentials an optional scheme reads
        for param in self.params.parameters(function):
            if param.source == DEPENDENCY and param.dependency is not None:
                given = self._dependency(param.dependency, param.marker_ctx or param.ctx)
                summary.use.add(given.use)
                if given.returns_credential:
                    credentials.add(param.name)
                    summary.use.read.append(f"`{name}` reads a credential as `{param.name}`")
                    where = (function.path, function.fact.span, name)
                    if where not in summary.use.read_at:
                        summary.use.read_at.append(where)
                    if given.may_return_none:
                        optional.add(param.name)
                if given.may_return_none and not (
                    endpoint and given.may_return_none == OPTIONAL_SCHEME
                ):
                    maybe_none[param.name] = given.may_return_none
            elif (
                not endpoint
                and param.source in (HEADER, COOKIE, QUERY)
                and _is_none(_default_of(param.default, param.marker))
                and known.is_credential_name(param.name)
                and self._consumes(function, self._derived(function, {param.name}), 0)
            ):
                maybe_none[param.name] = (
                    f"`{param.name}` may be absent ({param.source} defaults to None)"
                )
        body_ctx = function.body_ctx
        reason = self.dependencies.rejection.reason(function.fact, body_ctx, endpoint)
        tainted = self._derived(function, credentials)
        if credentials and reason and self._rejects_otherwise(function, tainted):
            summary.use.other.append(f"`{name}` {reason}, on a test of something else")
        consumed = None
        if credentials:
            consumed = self._consumes(function, tainted, 0)
            if consumed:
                summary.use.consumed.append(f"`{name}` {consumed}")
            summary.returns_credential = any(
                _mentions(r, tainted) for r in function.fact.return_values
            )
        elif reason:
            summary.use.other.append(f"`{name}` {reason}")
        for found in self._switched_off(function, bool(reason or credentials)):
            _add_switch(summary.use.switches, found)
        if reason and reason.startswith("calls `"):
            for found in self._switched_off_in_helpers(function, endpoint):
                _add_switch(summary.use.switches, found)
        if endpoint:
            for found in self._passes_when_off(function):
                _add_switch(summary.use.switches, found)
        instead: list[Switch] = []
        if not endpoint and (reason or credentials):
            instead = list(self._defined_instead(function))
            for found in instead:
                _add_switch(summary.use.switches, found)
            for found in self._default_identity(function):
                if not any(s.span == found.span for s in summary.use.switches):
                    _add_switch(summary.use.switches, found)
        present = self._derived(function, credentials | set(maybe_none))
        for param_name, why in maybe_none.items():
            derived = self._derived(function, {param_name})
            if endpoint:
                if not self._tests(function, derived):
                    summary.use.fail_open.append(
                        f"{why}, and the endpoint never tests `{param_name}` for None"
                    )
                continue
            gap = self._returns_without_raising(function, derived, {param_name}, present)
            if gap:
                summary.may_return_none = f"`{name}`: {why}, and it {gap}"
            elif not self._raises_on(function, derived) and any(
                _refers(r, {param_name}) and not self._returned_when_present(function, r, derived)
                for r in function.fact.return_values
            ):
                summary.may_return_none = why  # handed on as is
        required = credentials - optional
        if (
            not endpoint
            and (reason or (consumed and required))
            and not summary.may_return_none
            and not summary.use.fail_open
            and not any(s.default_open is not False for s in summary.use.switches)
        ):
            summary.use.closed.append(f"`{name}` turns anonymous callers away")
        if any(s.default_open is not False for s in instead):
            summary.use.closed.clear()  # its stand-in replaces it and what it depends on
        return summary

    # -- what a body does with a credential -------------------------------------------------

    def _derived(self, function: FunctionVal, names: set[str]) -> set[str]:
        """`names` and the local names assigned from them (`token = cred.credentials`)."""
        tainted = set(names)
        if not names:
            return tainted
        assignments = function.fact.scope.assignments
        changed = True
        while changed:
            changed = False
            for local, assigned in assignments.items():
                if local not in tainted and any(_mentions(a.value, tainted) for a in assigned):
                    tainted.add(local)
                    changed = True
        body = self.calls.body_of(function)
        if body is not None:
            for binding in body.with_bindings:
                if _mentions(binding.value, tainted):
                    tainted.add(binding.name)
        return tainted

    def _consumes(self, function: FunctionVal, tainted: set[str], depth: int) -> str | None:
        """How a function's body verifies or forwards a credential (None: it does not)."""
        body = self.calls.body_of(function)
        if body is None:
            return None
        for comparison in body.comparisons:
            for mine, other in (
                (comparison.left, comparison.right),
                (comparison.right, comparison.left),
            ):
                if _refers(mine, tainted) and not _proves_nothing(mine, other):
                    return f"compares it (line {comparison.span.line})"
        for site in self.calls.in_function(function):
            for position, arg in _arguments(site):
                if _mentions(arg, tainted) and self._call_consumes(site, position, depth):
                    return f"passes it to `{site.name or 'a call'}` (line {site.span.line})"
            if self._method_consumes(site, tainted, depth):
                return f"calls `{site.name or 'a method'}` on it (line {site.span.line})"
        return None

    def _method_consumes(self, site: CallSite, tainted: set[str], depth: int) -> bool:
        """`context.enforce()` on an object made from the credential
        (`context = AuthContext(token=creds.credentials)`): a project method that
        verifies what its object holds (it compares or passes on `self`'s fields).
        Methods fastlint cannot resolve (`token.strip()`) consume nothing."""
        func = site.call.func
        if not isinstance(func, Attr) or not _mentions(func.value, tainted):
            return False
        if depth >= HELPER_DEPTH:
            return False
        methods = [c for c in site.callees if isinstance(c, FunctionVal)]
        return any(
            m.fact.params
            and m.fact.params[0].name == "self"
            and self._consumes(m, {"self"}, depth + 1) is not None
            for m in methods
        )

    def _call_consumes(self, site: CallSite, position: int | str, depth: int) -> bool:
        if last_name(site.call.func) in LOGGING_METHODS:
            return False
        if not site.callees:
            return True  # an unresolved call may verify: do not guess
        for callee in site.callees:
            if isinstance(callee, External):
                if not known.is_non_verifying(callee):
                    return True
            elif isinstance(callee, FunctionVal):
                if self._helper_consumes(callee, position, depth, skip_self=False):
                    return True
            elif isinstance(callee, ClassVal):
                init = self.dependencies.method(callee, "__init__")
                if init is not None and self._helper_consumes(init, position, depth, True):
                    return True
            else:
                return True
        return False

    def _helper_consumes(
        self, helper: FunctionVal, position: int | str, depth: int, skip_self: bool
    ) -> bool:
        if depth >= HELPER_DEPTH:
            return True
        params = [p for p in helper.fact.params if p.kind not in ("*", "**")]
        if skip_self or (params and params[0].name in ("self", "cls")):
            params = params[1:]
        if isinstance(position, int):
            if position >= len(params):
                return True  # into *args: fastlint cannot tell
            name = params[position].name
        else:
            name = position
            if name not in {p.name for p in params}:
                return True
        tainted = self._derived(helper, {name})
        return self._consumes(helper, tainted, depth + 1) is not None

    # -- fail-open paths ------------------------------------------------------------------

    def _returns_without_raising(
        self, function: FunctionVal, tainted: set[str], credential: set[str], present: set[str]
    ) -> str | None:
        """How a dependency lets a missing credential through (None: it does not).
        `tainted`: the credential and values made from it; `credential`: its name,
        which a test of presence reads (`if token:`, not `if user is not None:`);
        `present`: every credential it reads, and values made from them."""
        if self._raises_on(function, tainted):
            return None
        guards = self._guards(function)
        for guard in guards:
            if (
                _tests_absence(guard.test, credential)
                and guard.outcome == "return"
                and (guard.value is None or _is_none(guard.value))
            ):
                return f"returns None when it is missing (line {guard.span.line})"
        if any(
            _is_none(v) and self._anonymous_get(function, v, present)
            for v in function.fact.return_values
        ):
            return "returns None on some path"
        body = self.calls.body_of(function)
        handled = [r for h in (body.handlers if body is not None else ()) for r in h.raises]
        guarded = [g.value for g in guards if g.outcome == "raise"]
        unconditional = [r for r in function.fact.raises if r not in guarded and r not in handled]
        returns = function.fact.return_values
        if not unconditional and all(_mentions(r, tainted) or _is_none(r) for r in returns):
            for guard in guards:
                tested = _negated(guard.test) is None and _mentions(guard.test, credential)
                if tested and guard.outcome in ("return", "falls through"):
                    return (
                        f"only verifies it when it is present (line {guard.span.line}), "
                        "else returns None"
                    )
        return None

    def _returned_when_present(self, function: FunctionVal, value: Expr, tainted: set[str]) -> bool:
        """Whether `value` is returned only under a test that the credential is there
        (`elif basic and check(basic): return basic.username`): anonymous callers,
        who have none, never get it."""
        return any(
            g.outcome == "return"
            and g.value is value
            and _negated(g.test) is None
            and _mentions(g.test, tainted)
            for g in self._guards(function)
        )

    def _anonymous_get(self, function: FunctionVal, value: Expr, present: set[str]) -> bool:
        """Whether a caller without credentials may be handed `value`: not when it
        is returned under a test that a credential is there (`if key is not None:`
        around `if ADMIN_KEY and compare_digest(key, ADMIN_KEY): return None`), nor
        when a setting decides it (`if AUTH_DISABLED: return None`, a switch)."""
        guards = self._guards(function)
        own = [g for g in guards if g.outcome == "return" and g.value is value]
        if not own:
            return True
        guard = own[0]
        if self._setting_part(guard.test, function) is not None and not _mentions(
            guard.test, present
        ):
            return False
        enclosing = [g for g in guards if g.block is not None and _inside(guard.span, g.block)]
        return not any(
            _mentions(g.test, present) and not _tests_absence(g.test, present)
            for g in (guard, *enclosing)
        )

    def _rejects_otherwise(self, function: FunctionVal, tainted: set[str]) -> bool:
        """Whether a body raises on a test that does not involve the credential
        (`if not userinfo: raise ...` after reading the request another way)."""
        guards = self._guards(function)
        return any(g.outcome == "raise" and not _mentions(g.test, tainted) for g in guards)

    def _raises_on(self, function: FunctionVal, tainted: set[str]) -> bool:
        return any(
            g.outcome == "raise" and _mentions(g.test, tainted) for g in self._guards(function)
        )

    def _tests(self, function: FunctionVal, tainted: set[str]) -> bool:
        """Whether a body tests a value: an `if` on it, or a comparison."""
        body = self.calls.body_of(function)
        if body is None:
            return True
        if any(_mentions(g.test, tainted) for g in body.guards):
            return True
        if any(_tested_inline(r, tainted) for r in function.fact.return_values):
            return True  # `user.name if user else "everyone"`
        return any(_refers(c.left, tainted) or _refers(c.right, tainted) for c in body.comparisons)

    def _guards(self, function: FunctionVal) -> tuple[Guard, ...]:
        body = self.calls.body_of(function)
        return () if body is None else body.guards

    def _switched_off(self, function: FunctionVal, checks: bool) -> Iterator[Switch]:
        """Checks that a missing setting switches off, as switches at their `if`."""
        body = self.calls.body_of(function)
        if body is None or not checks:
            return
        ctx = body.ctx
        compared = [c for c in body.comparisons if c.op in ("==", "!=", "in", "not in")]
        operands = [e for c in compared for e in (c.left, c.right)]
        digests = [s for s in self.calls.in_function(function) if _is_digest(s.call)]
        operands += [arg for site in digests for _, arg in _arguments(site)]
        for guard in body.guards:
            test = guard.test
            if guard.outcome == "raise" and isinstance(test, BoolOp) and test.op == "and":
                plain = [v for v in test.values if _is_reference(v)]
                for flag in plain:
                    if _held_key(flag) or (
                        _within_any(flag, operands) and self._is_setting(flag, function)
                    ):
                        found = self._switch(flag, ctx, True, function, guard.span)
                        if found is not None:
                            yield found
            if guard.outcome == "return" and not _is_reference(test):
                unset = _negated(test)
                if (
                    unset is not None
                    and _within_any(unset, operands)
                    and self._is_setting(unset, function)
                ):
                    found = self._switch(unset, ctx, True, function, guard.span)
                    if found is not None:
                        yield found
        yield from self._nested_switch(function, body.guards, operands)
        checked = [(c.left, c.right, c.span) for c in compared]
        checked += [(a, a, site.span) for site in digests for _, a in _arguments(site)]
        for left, right, span in checked:
            for operand in dict.fromkeys((left, right)):
                empty = self._empty_default(operand, ctx)
                if empty and not _refused_when_empty(operand, body.guards):
                    variable = empty.split("`")[1] if empty.count("`") >= 2 else None
                    found = self._switch(operand, ctx, True, function, span, variable)
                    if found is not None:
                        yield found

    def _switched_off_in_helpers(self, function: FunctionVal, endpoint: bool) -> Iterator[Switch]:
        """The same, in a project function the body calls to reject the caller
        (`await verify_key(websocket, config)` returning early while
        `config.api_key is None`)."""
        rejection = self.dependencies.rejection
        for _, value in self.resolver.called_functions(function.fact, function.body_ctx):
            if rejection.reason(value.fact, value.body_ctx, endpoint, depth=0):
                yield from self._switched_off(value, True)

    def _passes_when_off(self, function: FunctionVal) -> Iterator[Switch]:
        """An authentication helper the endpoint calls (`await
        WebSocketAuthHandler(manager).authenticate(websocket)`) whose first test
        hands back success while a setting says so (`if self.manager.config.type ==
        "none": return True, User("guest")`), before looking at the caller."""
        for callee, value in self.resolver.called_functions(function.fact, function.body_ctx):
            if not AUTH_HELPER.search(last_name(callee) or ""):
                continue
            guards = value.fact.body.guards
            if not guards:
                continue
            first = min(guards, key=lambda g: (g.span.line, g.span.column))
            if first.outcome != "return" or not _success(first.value):
                continue
            if setting_in(first.test) is None:
                continue
            found = self.switch_reader.switch(
                first.test, value.body_ctx, False, value.path, first.span
            )
            if found is not None:
                yield found

    def _switch(
        self,
        flag: Expr,
        ctx: Ctx,
        closed_when: bool,
        function: FunctionVal,
        span: Span,
        variable: str | None = None,
    ) -> Switch | None:
        """The switch a setting is; one fastlint cannot name a setting for (a local
        name assigned from one) is named as written."""
        test = flag
        if isinstance(flag, Name):
            bound = function.fact.scope.assignments.get(flag.id, ())
            if len(bound) == 1:
                test = bound[0].value
        found = self.switch_reader.switch(test, ctx, closed_when, function.path, span)
        if found is None:
            truth = self.switch_reader._truth(flag, ctx)
            found = Switch(
                setting=_text(flag),
                variable=variable,
                closed_when=closed_when,
                default="unset" if truth is False else None,
                default_open=None if truth is None else truth != closed_when,
                path=function.path,
                span=span,
            )
        elif variable and found.variable is None:
            found = Switch(
                found.setting,
                variable,
                found.closed_when,
                found.default,
                found.default_open,
                found.path,
                found.span,
            )
        return found

    def _defined_instead(self, function: FunctionVal) -> Iterator[Switch]:
        """`if not settings.auth_enabled: def authenticated(): return True`, `else:`
        the real check: a module that defines a do-nothing twin under a setting
        switches the check off with it."""
        if function.ctx.functions:
            return
        module = self.resolver.index.modules.get(function.path)
        if module is None:
            return
        for twin in module.scope.shadowed:
            if twin.name != function.fact.name or twin is function.fact:
                continue
            if twin.raises or twin.called:
                continue  # another check, not a stand-in
            for guard in module.body.guards:
                if guard.block is not None and _inside(twin.span, guard.block):
                    test, on = guard.test, False
                    if isinstance(test, UnaryOp) and test.op == "not":
                        test, on = test.operand, True  # the stand-in when it is off
                    found = self._switch(test, function.ctx, on, function, guard.span)
                    if found is not None:
                        yield found

    def _default_identity(self, function: FunctionVal) -> Iterator[Switch]:
        """`if not settings.accounts_enabled: return Principal("root", superuser=True)`:
        a dependency that hands out an identity, without checking the caller, when a
        setting says so."""
        body = self.calls.body_of(function)
        if body is None:
            return
        for guard in body.guards:
            if guard.outcome != "return":
                continue
            if guard.value is not None and not isinstance(guard.value, (Call, Name, Attr, Const)):
                continue  # None too: `if AUTH_DISABLED: return None`, no caller needed
            params = {p.name for p in function.fact.params}
            if _mentions(guard.value, self._derived(function, params)):
                continue  # it hands on what the caller sent, checked or not
            if guard.block is not None and any(
                g.outcome == "raise" and _inside(g.span, guard.block) for g in body.guards
            ):
                continue  # the check runs inside the branch
            test = guard.test
            parts = test.values if isinstance(test, BoolOp) and test.op == "and" else (test,)
            sent = self._derived(function, params)
            if _mentions(test, sent) and not _tests_absence(test, sent):
                continue  # a check of what the caller sent decides it
            for part in parts:
                if self._setting_part(part, function) is None or (
                    isinstance(guard.value, Name) and _mentions(part, {guard.value.id})
                ):
                    continue
                found = self._switch(part, body.ctx, False, function, guard.span)
                if found is not None:
                    yield found
                    break

    def _nested_switch(
        self, function: FunctionVal, guards: tuple[Guard, ...], operands: list[Expr]
    ) -> Iterator[Switch]:
        """`if settings.API_KEY:` around the check that raises, and nothing raising
        when the setting is empty (no `else: raise`, no other unconditional raise)."""
        if self._raises_unconditionally(function, guards):
            return
        for outer in guards:
            flag = _presence_of(outer.test) or _bound_by(outer.test, function)
            if flag is None or outer.block is None:
                continue
            inner = [
                g
                for g in guards
                if g is not outer
                and g.outcome == "raise"
                and _inside(g.span, outer.block)
                and _within_any(flag, [g.test])
            ]
            if inner and _within_any(flag, operands) and self._is_setting(flag, function):
                found = self._switch(flag, function.body_ctx, True, function, outer.span)
                if found is not None:
                    yield found

    def _raises_unconditionally(self, function: FunctionVal, guards: tuple[Guard, ...]) -> bool:
        body = self.calls.body_of(function)
        handled = [r for h in (body.handlers if body is not None else ()) for r in h.raises]
        guarded = [g.value for g in guards if g.outcome == "raise"]
        return any(r not in guarded and r not in handled for r in function.fact.raises)

    def _setting_part(self, test: Expr, function: FunctionVal) -> Expr | None:
        """The setting a test reads: `settings.x`, `os.getenv("X")`, or a module
        constant read from the environment (`AUTH_DISABLED = os.environ.get(...) == "1"`)."""
        found = setting_in(test)
        if found is not None:
            return found
        if isinstance(test, UnaryOp) and test.op == "not":
            return self._setting_part(test.operand, function)
        if isinstance(test, BoolOp):
            for value in test.values:
                found = self._setting_part(value, function)
                if found is not None:
                    return found
            return None
        return test if _is_reference(test) and self._is_setting(test, function) else None

    def _is_setting(self, expr: Expr, function: FunctionVal, depth: int = 0) -> bool:
        """A value deployment configures: read from the environment or a settings
        field, an attribute of an object named like settings or parsed arguments
        (`settings.API_KEY`, `shared.args.api_key`), or a local name assigned only
        from one (`expected = settings.API_KEY`)."""
        chain = expr
        while isinstance(chain, Attr):
            chain = chain.value
            if isinstance(chain, Attr) and SETTINGS_NAME.search(chain.attr):
                return True
        if isinstance(chain, Name) and SETTINGS_NAME.search(chain.id) and isinstance(expr, Attr):
            return True
        if isinstance(expr, Name) and depth < 3:
            assigned = function.fact.scope.assignments.get(expr.id, ())
            if assigned and all(self._is_setting(a.value, function, depth + 1) for a in assigned):
                return True
        body = self.calls.body_of(function)
        if body is None:
            return False
        literal = self.literals.of(Scoped(expr, body.ctx))
        return any(p.configurable for p in literal.possible)

    def _empty_default(self, expr: Expr, ctx: Ctx) -> str | None:
        """`os.getenv("API_KEY", "")`: a key whose fallback is empty."""
        if not _is_reference(expr) and not isinstance(expr, Call):
            return None
        literal = self.literals.of(Scoped(expr, ctx))
        for possible in literal.possible:
            if (
                possible.env is not None
                and possible.env.has_default
                and possible.value in ("", None)
                and possible.variable
                and known.is_credential_name(possible.variable.lower())
            ):
                return f"`{possible.variable}`, read with an empty default"
        return None


def _held_key(flag: Expr) -> bool:
    """`self.api_key`: a key the object was configured with (`if self.api_key and
    not valid: raise ...` checks only when it is set)."""
    return (
        isinstance(flag, Attr)
        and isinstance(flag.value, Name)
        and flag.value.id == "self"
        and known.is_credential_name(flag.attr)
    )


def _add_switch(switches: list[Switch], found: Switch) -> None:
    """One switch per setting of a function: the first place it is tested, with the
    environment variable a later test names (`os.getenv("KEY", "")`)."""
    for i, known_switch in enumerate(switches):
        if (known_switch.path, known_switch.setting) == (found.path, found.setting):
            if known_switch.variable is None and found.variable is not None:
                switches[i] = replace(known_switch, variable=found.variable)
            return
    switches.append(found)


def _refused_when_empty(operand: Expr, guards: Iterable[Guard]) -> bool:
    """`if not TOKEN or ...: raise`: the check refuses everyone when the key is empty;
    `if TOKEN and compare_digest(sent, TOKEN): return ...`: it admits no one then."""
    for guard in guards:
        test = guard.test
        if guard.outcome == "raise":
            parts = test.values if isinstance(test, BoolOp) and test.op == "or" else (test,)
            if any(_negated(part) == operand for part in parts):
                return True
        elif (
            guard.outcome == "return"
            and isinstance(test, BoolOp)
            and test.op == "and"
            and operand in test.values
        ):
            return True
    return False


def _tests_absence(test: Expr, credential: set[str]) -> bool:
    """Whether a test holds when the credential is missing (`if token is None`,
    `if not key or ...`), not when it is there (`if key and check(key)`)."""
    if isinstance(test, BoolOp):
        return any(_tests_absence(v, credential) for v in test.values)
    absent = _negated(test)
    if absent is not None:
        return _mentions(absent, credential)
    return (
        isinstance(test, Compare)
        and len(test.ops) == 1
        and test.ops[0][0] == "=="
        and isinstance(test.ops[0][1], Const)
        and test.ops[0][1].value in ("", None)
        and _mentions(test.left, credential)
    )


def _merge(summary: _Summary, other: _Summary) -> None:
    summary.use.add(other.use)
    summary.returns_credential |= other.returns_credential
    summary.may_return_none = summary.may_return_none or other.may_return_none


def _auto_error_off(call: Call) -> bool:
    flag = call.kwarg("auto_error")
    return isinstance(flag, Const) and flag.value is False


def _default_of(default: Expr | None, marker: Call | None) -> Expr | None:
    """A parameter's default: `Header(None)`'s first argument, else as written."""
    if marker is not None and marker is default:
        return marker.arg(0, "default")
    return default


def _is_none(expr: Expr | None) -> bool:
    return isinstance(expr, Const) and expr.value is None


def _arguments(site: CallSite) -> Iterator[tuple[int | str, Expr]]:
    yield from enumerate(site.args)
    yield from site.kwargs


def _mentions(expr: Expr | None, names: set[str], depth: int = 0) -> bool:
    """Whether `expr` reads one of `names` anywhere inside."""
    if expr is None or depth > 50:
        return False
    if isinstance(expr, Name):
        return expr.id in names
    return any(_mentions(child, names, depth + 1) for child in children(expr))


def _tested_inline(expr: Expr, names: set[str], depth: int = 0) -> bool:
    """Whether `expr` holds a conditional expression (or `and`/`or`) that tests one
    of `names`: `user.name if user else "everyone"`, `user and user.name`."""
    if depth > 50:
        return False
    if isinstance(expr, IfExp) and _mentions(expr.test, names):
        return True
    if isinstance(expr, BoolOp) and expr.values and _mentions(expr.values[0], names):
        return True
    return any(_tested_inline(child, names, depth + 1) for child in children(expr))


def _mentions_any(exprs: Iterable[Expr], names: set[str]) -> bool:
    return any(_mentions(e, names) for e in exprs)


def _refers(expr: Expr, names: set[str]) -> bool:
    """`token`, `cred.credentials`, `data["key"]`: the value itself, not a call on it."""
    while isinstance(expr, (Attr, Subscript)):
        if isinstance(expr, Attr) and expr.attr == "scheme":
            return False  # `credentials.scheme == "Bearer"` checks the word, not the secret
        expr = expr.value
    return isinstance(expr, Name) and expr.id in names


def _proves_nothing(mine: Expr, other: Expr) -> bool:
    """Comparisons with None, "" or a scheme word check presence, not the secret."""
    if isinstance(other, Const):
        value = other.value
        return (
            value is None
            or value == ""
            or (isinstance(value, str) and value.strip().lower() in SCHEME_WORDS)
        )
    return False


def _is_digest(call: Call) -> bool:
    return last_name(call.func) == "compare_digest"


def _within(target: Expr, expr: Expr, depth: int = 0) -> bool:
    """Whether `target` is `expr` or one of its sub-expressions."""
    if depth > 50:
        return False
    return target == expr or any(_within(target, c, depth + 1) for c in children(expr))


def _within_any(target: Expr, exprs: Iterable[Expr]) -> bool:
    return any(_within(target, e) for e in exprs)


def _inside(span: Span, block: Span) -> bool:
    return (span.line, span.column) >= (block.line, block.column) and (
        span.end_line,
        span.end_column,
    ) <= (block.end_line, block.end_column)


def _presence_of(test: Expr) -> Expr | None:
    """`X` from `if X:` or `if X is not None:` when X is a plain reference."""
    if _is_reference(test):
        return test
    if (
        isinstance(test, Compare)
        and len(test.ops) == 1
        and test.ops[0][0] == "is not"
        and _is_none(test.ops[0][1])
        and _is_reference(test.left)
    ):
        return test.left
    return None


def _success(value: Expr | None) -> bool:
    """`True`, an identity made up on the spot (`User(id="guest")`), or a tuple
    starting with `True` (`return True, User(...)`)."""
    if isinstance(value, Const):
        return value.value is True
    if isinstance(value, Seq) and value.items:
        return _success(value.items[0])
    return isinstance(value, Call) and not value.args and bool(value.kwargs)


def _bound_by(test: Expr, function: FunctionVal) -> Expr | None:
    """`key` for `if key := os.getenv("KEY"):`: the name an assignment expression
    in the test binds (only there)."""
    for name, bound in function.fact.scope.assignments.items():
        if len(bound) == 1 and bound[0].span is None and bound[0].value is test:
            return Name(name)
    return None


def _is_reference(expr: Expr) -> bool:
    """A plain name or attribute chain: `API_KEY`, `settings.API_KEY`."""
    while isinstance(expr, Attr):
        expr = expr.value
    return isinstance(expr, Name)


def _negated(test: Expr) -> Expr | None:
    """`X` from `not X` or `X is None` when X is a plain reference."""
    if isinstance(test, UnaryOp) and test.op == "not" and _is_reference(test.operand):
        return test.operand
    if (
        isinstance(test, Compare)
        and len(test.ops) == 1
        and test.ops[0][0] in ("is", "==")
        and _is_none(test.ops[0][1])
        and _is_reference(test.left)
    ):
        return test.left
    return None


def _text(expr: Expr) -> str:
    if isinstance(expr, Name):
        return expr.id
    if isinstance(expr, Attr):
        return f"{_text(expr.value)}.{expr.attr}"
    if isinstance(expr, Call) and not expr.args and not expr.kwargs:
        return f"{_text(expr.func)}()"  # `settings().server.auth.enabled`
    return "the setting"
