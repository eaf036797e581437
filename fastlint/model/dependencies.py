"""The dependency graph of a route, and what it proves: authentication, rate limits.

Walks `Depends(...)`/`Security(...)` in defaults, `Annotated[...]` metadata and
`dependencies=[...]` lists, through functions, callable class instances, classes
and factories, to the end. Anything not followable is recorded as unknown, so a
rule can stay silent rather than guess.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from fastlint.facts.expr import (
    Attr,
    Call,
    Compare,
    Const,
    Expr,
    Name,
    Seq,
    UnaryOp,
    dotted,
    last_name,
)
from fastlint.facts.types import FunctionFact, Param
from fastlint.knowledge import security_schemes
from fastlint.model import known
from fastlint.model.annotation import TypeReader
from fastlint.model.handler_auth import credential_behind_rejection
from fastlint.model.rejection import Rejection
from fastlint.model.resolve import Resolver
from fastlint.model.routing import Scoped
from fastlint.model.throttling import Throttling
from fastlint.model.values import (
    ClassVal,
    ConstVal,
    Ctx,
    External,
    FunctionVal,
    InstanceVal,
    SyntaxVal,
    Unknown,
    Value,
)

SPECIAL_PARAMS = frozenset({"self", "cls"})
DELEGATION_DEPTH = 4  # self.x() / super().x() hops followed from a dependency's method


@dataclass
class Evidence:
    """What a set of dependencies shows. Reasons are short, human-readable phrases."""

    auth: list[str] = field(default_factory=list)
    rate_limit: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    # Credentials read through schemes that let anonymous callers through.
    optional: list[str] = field(default_factory=list)
    files: set[str] = field(default_factory=set)  # files of the dependencies followed

    def add(self, other: Evidence) -> Evidence:
        self.files |= other.files
        self.auth.extend(r for r in other.auth if r not in self.auth)
        self.rate_limit.extend(r for r in other.rate_limit if r not in self.rate_limit)
        self.unknown.extend(r for r in other.unknown if r not in self.unknown)
        self.optional.extend(r for r in other.optional if r not in self.optional)
        return self


class DependencyAnalyzer:
    def __init__(
        self,
        resolver: Resolver,
        auth_names: tuple[str, ...] = (),
        limiter_names: tuple[str, ...] = (),
    ) -> None:
        self.resolver = resolver
        self.types = TypeReader(resolver)
        self.auth_names = auth_names  # `auth-dependencies`: in-house authentication
        self.limiter_names = limiter_names  # `rate-limiters`: in-house limiters
        self.rejection = Rejection(resolver)
        self.throttling = Throttling(resolver)
        self._memo: dict[tuple[object, ...], Evidence] = {}

    def configured(self, value: Value) -> Evidence:
        """Evidence from `auth-dependencies` / `rate-limiters` naming this value."""
        name = qualified_name(value)
        evidence = Evidence()
        if name is None:
            return evidence
        if any(_names_match(name, wanted) for wanted in self.auth_names):
            evidence.auth.append(f"`{name}` is listed in auth-dependencies")
        if any(_names_match(name, wanted) for wanted in self.limiter_names):
            evidence.rate_limit.append(f"`{name}` is listed in rate-limiters")
        return evidence

    # -- entry points ---------------------------------------------------------------

    def of_list(self, items: Iterable[Scoped]) -> Evidence:
        """Evidence from `dependencies=[...]` items (each a Depends/Security call)."""
        evidence = Evidence()
        for item in items:
            for value in self.resolver.evaluate(item.expr, item.ctx):
                if isinstance(value, SyntaxVal) and isinstance(value.expr, Seq):
                    evidence.add(self.of_list(Scoped(e, value.ctx) for e in value.expr.items))
                elif isinstance(value, InstanceVal) and self.is_marker(value.cls):
                    evidence.add(self._marker(value.call, value.ctx, None))
                else:
                    evidence.unknown.append("a `dependencies` item that is not a Depends(...) call")
        return evidence

    def of_endpoint(self, endpoint: FunctionVal) -> Evidence:
        """Evidence from an endpoint's own parameters and body, and, for a route
        written as a method of a class-based view, from the view's dependencies."""
        evidence = Evidence().add(self.of_function(endpoint, endpoint=True))
        view = self.view_class(endpoint)
        if view is not None:
            evidence.add(self.of_view(view))
        return evidence

    def view_class(self, endpoint: FunctionVal) -> ClassVal | None:
        """The class an endpoint is a method of (taking `self`): a class-based view,
        which `@cbv(router)`-style decorators build per request with `Depends(cls)`."""
        params = endpoint.fact.params
        if not params or params[0].name != "self":
            return None
        ctx = endpoint.ctx
        scope = ctx.functions[-1].scope if ctx.functions else ctx.module_scope
        for cls in scope.classes.values():
            if any(m is endpoint.fact for m in cls.methods.values()):
                return ClassVal.of(cls, ctx)
        return None

    def of_view(self, view: ClassVal) -> Evidence:
        """What a class-based view's dependencies prove: class attributes declared
        with `Depends(...)` (or `Annotated[..., Depends(...)]`), inherited ones too,
        and the parameters of its `__init__`."""
        key = ("view", view.path, view.line, view.column)
        if key in self._memo:
            return self._memo[key]
        evidence = self._memo[key] = Evidence(files={view.path})
        for owner in self.resolver.mro(view):
            if isinstance(owner, ClassVal):
                for fld in owner.fact.fields:
                    param = Param(fld.name, fld.annotation, fld.default)
                    evidence.add(self._param(param, owner.ctx))
        init = self.method(view, "__init__")
        if init is not None:
            evidence.add(self.of_function(init, skip_first=True))
        return evidence

    # -- functions and classes ------------------------------------------------------------

    def of_function(
        self, function: FunctionVal, skip_first: bool = False, endpoint: bool = False
    ) -> Evidence:
        key = ("function", function.path, function.line, function.column, skip_first, endpoint)
        if key in self._memo:
            return self._memo[key]
        evidence = Evidence(files={function.path})
        self._memo[key] = evidence  # cycles end here with what is known so far
        body = function.body_ctx
        params = function.fact.params[1:] if skip_first else function.fact.params
        optional_params = set()
        for param in params:
            if param.name not in SPECIAL_PARAMS:
                found = self._param(param, body)
                if found.optional and not found.auth:
                    optional_params.add(param.name)
                evidence.add(found)
        reason = self.rejection.reason(function.fact, body, endpoint)
        let_through = _returns_without(function.fact, optional_params)
        if reason and let_through:
            # `if token is None: return None`, then the strict check: anonymous
            # callers get through; only a wrong credential is rejected.
            evidence.optional.append(
                f"`{function.fact.name}` returns without checking when `{let_through}` is missing"
            )
            reason = None
        if endpoint and reason is None and self._compares_secret(function):
            # A webhook that checks a signature with hmac.compare_digest and answers
            # 403 (or 401) on a mismatch authenticates its caller.
            rejected = self.rejection.reason(function.fact, body)
            reason = f"{rejected} after a constant-time comparison" if rejected else None
        elif reason and endpoint:
            # An endpoint's own 401 authenticates only after it looks at the caller's
            # credentials; a 401 for a disabled feature or a failed captcha does not.
            credential = credential_behind_rejection(self.resolver, self.rejection, function)
            reason = f"{reason} after reading {credential}" if credential else None
        if reason:
            evidence.auth.append(f"`{function.fact.name}` {reason}")
        elif evidence.optional and not evidence.auth:
            # It reads optional credentials: it may well check them in code fastlint
            # cannot follow. Unknown, unless every call in it was followed.
            opaque = self._opaque_calls(function.fact, body)
            if opaque:
                evidence.unknown.append(
                    f"`{function.fact.name}` reads optional credentials and calls "
                    f"`{opaque}`, which fastlint cannot follow"
                )
        if known.is_rate_limit_name(function.fact.name):
            evidence.rate_limit.append(f"`{function.fact.name}`")
        else:
            throttled = self.throttling.of_function(function) or self.throttling.limiter_used(
                function
            )
            if throttled:  # an in-house limiter: `raise HTTPException(429)` when over the rate
                evidence.rate_limit.append(f"`{function.fact.name}` {throttled}")
        return evidence

    def _param(self, param: Param, ctx: Ctx) -> Evidence:
        evidence = Evidence()
        markers, base = self.markers(param, ctx)
        for call, call_ctx in markers:
            evidence.add(self._marker(call, call_ctx, base))
        return evidence

    def markers(
        self, param: Param, ctx: Ctx
    ) -> tuple[list[tuple[Call, Ctx]], tuple[Expr, Ctx] | None]:
        """The `Depends`/`Security` calls of a parameter (default and `Annotated`
        metadata), and its bare annotation, which `Depends()` without arguments uses."""
        markers: list[tuple[Call, Ctx]] = []
        base: tuple[Expr, Ctx] | None = None
        if param.annotation is not None:
            base_expr, base_ctx, metadata = self.types.unwrap(param.annotation, ctx)
            base = (base_expr, base_ctx)
            for meta, meta_ctx in metadata:
                if isinstance(meta, Call) and self._is_marker_call(meta, meta_ctx):
                    markers.append((meta, meta_ctx))
        if isinstance(param.default, Call) and self._is_marker_call(param.default, ctx):
            markers.append((param.default, ctx))
        return markers, base

    def _is_marker_call(self, call: Call, ctx: Ctx) -> bool:
        """`Depends(...)`/`Security(...)`, also imported under another name
        (`from fastapi import Depends as D`, `fastapi.Depends`)."""
        value = self.resolver.evaluate_one(call.func, ctx)
        return isinstance(value, External) and self.is_marker(value)

    @staticmethod
    def is_marker(cls: ClassVal | External) -> bool:
        return isinstance(cls, External) and (
            known.is_depends(cls) or known.is_security_marker(cls)
        )

    def _marker(self, call: Call, ctx: Ctx, annotation: tuple[Expr, Ctx] | None) -> Evidence:
        """A `Depends(x)` or `Security(x)` call."""
        marker = self.resolver.evaluate_one(call.func, ctx)
        is_security = isinstance(marker, External) and known.is_security_marker(marker)
        found = marker_target(call, ctx, annotation)
        if found is None:
            return Evidence(unknown=["`Depends()` without a dependency or annotation"])
        target, ctx = found
        evidence = Evidence().add(self.of_target(target, ctx))
        factory_call = _factory_call(target, ctx)
        flag = optional_flag(factory_call) if factory_call is not None else None
        if flag is not None and factory_call is not None and evidence.auth:
            # `Depends(get_current_user(required=False))`: the factory's optional variant
            factory = dotted(factory_call.func) or "a factory"
            evidence.optional.append(f"`{factory}` called with {flag}")
            evidence.auth.clear()
        elif self._optional_scheme(target, ctx):
            evidence.optional.append("an optional security scheme (auto_error=False)")
        elif is_security and not evidence.auth:
            evidence.auth.append("a `Security(...)` dependency")
        return evidence

    def _optional_scheme(self, target: Expr, ctx: Ctx) -> bool:
        value = self.resolver.evaluate_one(target, ctx)
        return isinstance(value, InstanceVal) and _auto_error_off(value.call)

    def of_target(self, target: Expr, ctx: Ctx) -> Evidence:
        """What the dependency `target` (the argument of Depends) proves."""
        evidence = Evidence()
        for value in self.resolver.evaluate(target, ctx):
            evidence.add(self.of_value(value))
        return evidence

    def of_value(self, value: Value) -> Evidence:
        configured = self.configured(value)
        if configured.auth or configured.rate_limit:
            return configured
        if isinstance(value, FunctionVal):
            return self.of_function(value)
        if isinstance(value, InstanceVal):
            return self._instance(value)
        if isinstance(value, ClassVal):
            return self._class(value)
        if isinstance(value, External):
            if known.is_security_scheme(value):
                return Evidence(auth=[f"security scheme `{value.last}`"])
            if known.is_rate_limiter(value):
                return Evidence(rate_limit=[f"`{value.last}`"])
            if known.is_framework(value):  # e.g. OAuth2PasswordRequestForm, Request
                return Evidence()
            return Evidence(unknown=[f"dependency `{value.qualname}` is outside the scanned code"])
        if isinstance(value, Unknown):
            return Evidence(unknown=[value.reason])
        if isinstance(value, ConstVal) and value.value is None:
            return Evidence()
        return Evidence(unknown=["a dependency fastlint cannot follow"])

    def _instance(self, instance: InstanceVal) -> Evidence:
        cls = instance.cls
        label = cls.last if isinstance(cls, External) else cls.fact.name
        if self.resolver.inherits(cls, known.is_security_scheme):
            if _auto_error_off(instance.call):
                return Evidence()  # optional authentication proves nothing by itself
            return Evidence(auth=[f"security scheme `{label}`"])
        if self.resolver.inherits(cls, known.is_rate_limiter) or known.is_rate_limit_name(label):
            return Evidence(rate_limit=[f"`{label}`"])
        if isinstance(cls, External):
            return Evidence(
                unknown=[f"dependency `{cls.qualname}(...)` is outside the scanned code"]
            )
        found = self.bound_method(cls, "__call__")
        if found is None:
            return Evidence(unknown=[f"`{label}` instance has no `__call__` fastlint can find"])
        return found

    def _class(self, cls: ClassVal) -> Evidence:
        if self.resolver.inherits(cls, known.is_security_scheme):
            return Evidence(auth=[f"security scheme `{cls.fact.name}`"])
        if self.resolver.inherits(cls, known.is_rate_limiter):
            return Evidence(rate_limit=[f"`{cls.fact.name}`"])
        init = self.method(cls, "__init__")
        if init is None:
            return Evidence()
        return self.of_function(init, skip_first=True)

    def bound_method(
        self,
        cls: ClassVal,
        name: str,
        after: ClassVal | None = None,
        depth: int = DELEGATION_DEPTH,
    ) -> Evidence | None:
        """What method `name` of an instance of `cls` proves, following the class
        hierarchy: `super().name(...)` and `self.other(...)` calls in it lead to the
        methods they run (an override that delegates to the base class's check).
        `after`: look up the method past this class in the MRO (for `super()`)."""
        mro = self.resolver.mro(cls)
        start = mro.index(after) + 1 if after is not None and after in mro else 0
        for owner in mro[start:]:
            if not isinstance(owner, ClassVal) or name not in owner.fact.methods:
                continue
            function = FunctionVal.of(owner.fact.methods[name], owner.ctx)
            evidence = Evidence().add(self.of_function(function, skip_first=True))
            if evidence.auth or depth == 0:
                return evidence
            for callee in function.fact.called:
                delegated = delegation(callee)
                if delegated is None:
                    continue
                via_super, method = delegated
                found = self.bound_method(cls, method, owner if via_super else None, depth - 1)
                if found is not None:
                    evidence.add(found)
                elif via_super:
                    evidence.unknown.append(f"`super().{method}` of `{cls.fact.name}` is not found")
            return evidence
        return None

    def method(self, cls: ClassVal, name: str) -> FunctionVal | None:
        for owner in self.resolver.mro(cls):
            if isinstance(owner, ClassVal) and name in owner.fact.methods:
                return FunctionVal.of(owner.fact.methods[name], owner.ctx)
        return None

    def _compares_secret(self, function: FunctionVal) -> bool:
        """Whether the body compares a secret in constant time (`hmac.compare_digest`)."""
        for callee in function.fact.called:
            if last_name(callee) != "compare_digest":
                continue
            value = self.resolver.evaluate_one(callee, function.body_ctx)
            if isinstance(value, External) and known.is_constant_time_compare(value):
                return True
        return False

    def _opaque_calls(self, fact: FunctionFact, ctx: Ctx) -> str | None:
        """The first call in a body that resolves to nothing fastlint can read."""
        for callee in fact.called:
            if delegation(callee) is not None or callee == Name("super"):
                continue  # followed through the class hierarchy (bound_method)
            for value in self.resolver.evaluate(callee, ctx):
                if isinstance(value, Unknown) or (
                    isinstance(value, External) and not known.is_framework(value)
                ):
                    return dotted(callee) or last_name(callee) or "a call"
        return None


def delegation(callee: Expr) -> tuple[bool, str] | None:
    """`super().name` -> (True, name); `self.name` -> (False, name); else None."""
    if not isinstance(callee, Attr):
        return None
    owner = callee.value
    if isinstance(owner, Name) and owner.id == "self":
        return False, callee.attr
    if isinstance(owner, Call) and isinstance(owner.func, Name) and owner.func.id == "super":
        return True, callee.attr
    return None


def marker_target(
    call: Call, ctx: Ctx, annotation: tuple[Expr, Ctx] | None
) -> tuple[Expr, Ctx] | None:
    """What a `Depends(x)`/`Security(x)` call depends on: `x`, else the annotation."""
    target = call.arg(0, "dependency")
    if target is not None:
        return target, ctx
    return annotation


def qualified_name(value: Value) -> str | None:
    """`path.to.module.name` for a function, class or instance (by its class)."""
    if isinstance(value, InstanceVal):
        value = value.cls
    if isinstance(value, External):
        return value.qualname
    if isinstance(value, (FunctionVal, ClassVal)):
        module = value.path.removesuffix(".py").removesuffix("/__init__").strip("/")
        return f"{module.replace('/', '.')}.{value.fact.name}"
    return None


def _names_match(full: str, configured: str) -> bool:
    """`app.api.deps.get_user` matches `/src/app/api/deps.py`'s `get_user` and `deps.get_user`."""
    return ("." + full).endswith("." + configured)


def _returns_without(fact: FunctionFact, optional: set[str]) -> str | None:
    """The optional credential parameter whose absence makes the function return
    early (`if token is None: return None`, `if not credentials: return`)."""
    if not optional:
        return None
    for guard in fact.body.guards:
        if guard.outcome != "return":
            continue
        test = guard.test
        if isinstance(test, UnaryOp) and test.op == "not":
            test = test.operand
        elif isinstance(test, Compare) and test.ops[:1] in (
            (("is", Const(None)),),
            (("==", Const(None)),),
        ):
            test = test.left
        else:
            continue
        if isinstance(test, Name) and test.id in optional:
            return test.id
    return None


def _factory_call(target: Expr, ctx: Ctx) -> Call | None:
    """The call that made a dependency: `Depends(f(...))`, or `Depends(x)` with
    `x = f(...)` bound once in the module or function around."""
    if isinstance(target, Call):
        return target
    if not isinstance(target, Name):
        return None
    scope = ctx.functions[-1].scope if ctx.functions else ctx.module_scope
    bound = scope.assignments.get(target.id) or ctx.module_scope.assignments.get(target.id)
    if bound and len(bound) == 1 and isinstance(bound[0].value, Call):
        return bound[0].value
    return None


def optional_flag(call: Call) -> str | None:
    """How a factory call asks for its optional variant: a keyword
    (`get_user(required=False)`) or an anonymous caller among the allowed ones
    (`Authenticator(allowed_subjects={User, Anonymous})`); None otherwise."""
    for name, wanted in security_schemes.OPTIONAL_AUTH_FLAGS:
        flag = call.kwarg(name)
        if isinstance(flag, Const) and flag.value is wanted:
            return f"`{name}={wanted}`"
    for argument in (*call.args, *(value for _, value in call.kwargs)):
        elements = argument.items if isinstance(argument, Seq) else (argument,)
        for element in elements:
            name = last_name(element) or ""
            if security_schemes.ANONYMOUS_CALLER.search(name):
                return f"`{name}` allowed"
    return None


def _auto_error_off(call: Call) -> bool:
    """`OAuth2PasswordBearer(..., auto_error=False)`: the scheme lets anonymous calls through."""
    flag = call.kwarg("auto_error")
    return isinstance(flag, Const) and flag.value is False
