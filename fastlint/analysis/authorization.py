"""Whether a route checks the caller's role, scope or permission (function level).

Evidence, in the order it is looked for on the route's dependency chain (the
endpoint and every function its dependencies reach):

- a function named like a role or permission check (`require_admin`,
  `role_check`, `get_current_superuser`, `has_permission`);
- `Security(..., scopes=[...])` asked of a scheme;
- a dependency configured with what the caller needs: a keyword naming roles,
  scopes or permissions (`Authenticator(required_scopes={...})`,
  `RoleCheck(allowed_roles={...})`) or a policy function handed to it
  (`PolicyGuard(org_policy.can_manage)`), in a default or an `Annotated` alias;
- a call whose name says it authorises (`is_admin(user)`, `authorize(...)`),
  handed the authenticated caller in the endpoint;
- an `if` that raises when it tests the caller's role or flags
  (`if not user.is_admin: raise ...`, `if caller.role not in allowed: raise ...`);
- a function that answers 403 (FastAPI's "forbidden": the caller is known and
  refused), with `HTTPException` or by raising a project exception class whose
  status is 403 (`class NotPermitted(AppError): status_code = 403`).
"""

from __future__ import annotations

from fastlint.analysis import Analysis
from fastlint.analysis.ownership import AUTHORIZATION_WORDS, CALLER_WORDS, ROLE_WORDS, Ownership
from fastlint.analysis.proofs import Proof, ProofKind
from fastlint.facts.expr import Attr, Call, Const, Expr, Name, Subscript, children, last_name
from fastlint.model.parameters import DEPENDENCY, SPECIAL
from fastlint.model.project import Project
from fastlint.model.rejection import class_codes, mentioned_codes
from fastlint.model.routing import RouteInstance
from fastlint.model.values import ClassVal, FunctionVal, InstanceVal

__all__ = ["RoleChecks"]

FORBIDDEN = 403
# Where a request carries who calls (Starlette's `request.user`/`auth`, a session, what
# a middleware stored in `request.state`/`scope`).
IDENTITY_HOLDERS = frozenset({"state", "user", "auth", "session", "scope", "cookies"})
UNAUTHENTICATED = 401


class RoleChecks(Analysis):
    """The role evidence of each served route, or None."""

    def __init__(self, project: Project) -> None:
        super().__init__(project)
        self._cache: dict[int, str | None] = {}

    def evidence(self, instance: RouteInstance) -> str | None:
        """What checks the caller's role on this route, as a message names it."""
        key = id(instance)
        if key not in self._cache:
            self._cache[key] = self._find(instance)
        return self._cache[key]

    def without_identity(self, instance: RouteInstance, proofs: tuple[Proof, ...]) -> bool:
        """Whether nothing on the route could tell one caller from another: it is
        authenticated by middleware, or by dependencies that return nothing (a gate
        comparing one shared password: Prefect's API password, jesse's
        `require_auth`), and no function on its chain is handed the caller or the
        request. Such an app has one kind of caller and no roles to check."""
        gates = {
            c.function.name
            for c in self.project.chain_functions(instance)
            if not c.endpoint and not c.function.returned
        }
        for proof in proofs:
            if proof.kind is ProofKind.MIDDLEWARE:
                continue
            if proof.kind is ProofKind.DEPENDENCY and proof.provider in gates:
                continue
            return False
        for param in self.project.chain_parameters(instance):
            bound = param.parameter
            if bound.source == SPECIAL and self._reads_identity(param.function, bound.name):
                return False  # `request.state.user`, `request.user`, `request.session`
            if bound.source == DEPENDENCY and any(
                word in bound.name.lower() for word in CALLER_WORDS
            ):
                return False
        return True

    def _reads_identity(self, function: FunctionVal, request: str) -> bool:
        """Whether `function` reads who calls from its request (`request.state.user`,
        `request.user`, `request.session["uid"]`, `request.scope["auth"]`), in a
        test, an assignment or a call."""
        exprs: list[Expr] = [g.test for g in function.fact.body.guards]
        exprs.extend(a.value for values in function.fact.scope.assignments.values() for a in values)
        for site in self.project.calls.in_function(function):
            exprs.extend((site.call.func, *site.call.args, *(v for _, v in site.call.kwargs)))
        while exprs:
            expr = exprs.pop()
            if (
                isinstance(expr, Attr)
                and isinstance(expr.value, Name)
                and expr.value.id == request
                and expr.attr in IDENTITY_HOLDERS
            ):
                return True
            exprs.extend(children(expr))
        return False

    def _find(self, instance: RouteInstance) -> str | None:
        for item in instance.dependencies:
            named = _role_call(item.expr)
            if named is not None:
                return named
        chain = self.project.chain_functions(instance)
        for chained in chain:
            # the endpoint's own name says what it does (`update_roles`), not a check
            if not chained.endpoint and _role_word(chained.function.name):
                return f"`{chained.function.name}`"
        params = self.project.chain_parameters(instance)
        for param in params:
            bound = param.parameter
            for expr in (bound.default, bound.annotation, bound.dependency):
                named = _role_call(expr) if expr is not None else None
                if named is not None:
                    return named
            if bound.source == DEPENDENCY and isinstance(bound.dependency, (Name, Attr)):
                # `_MemberWrite = Authenticator(required_scopes={...})`, then
                # `Annotated[..., Depends(_MemberWrite)]`: the instance's construction
                for value in self.project.values(bound.dependency, bound.marker_ctx or bound.ctx):
                    named = _role_call(value.call) if isinstance(value, InstanceVal) else None
                    if named is not None:
                        return named
        for chained in chain:
            callers = frozenset(
                p.parameter.name
                for p in params
                if p.function == chained.function
                and p.parameter.source == DEPENDENCY
                and any(word in p.parameter.name.lower() for word in CALLER_WORDS)
            )
            # a class-based view's endpoint reaches the caller through `self`
            # (mealie's `self.checks.can_manage()`)
            on_self = _method(chained.function)
            if chained.endpoint and not callers and not on_self:
                continue
            call = self.project.get(Ownership).authorization_call(
                chained.function, callers if chained.endpoint and callers else None
            )
            if call is not None:
                return f"`{call.name or 'a permission check'}`"
            guard = _role_guard(chained.function)
            if guard is not None:
                return f"`{chained.function.name}` tests the caller's `{guard}`"
            if FORBIDDEN in mentioned_codes(chained.function.fact):
                return f"`{chained.function.name}` answers 403"
            forbidden = self._forbidden_raise(chained.function)
            if forbidden is not None:
                return f"`{chained.function.name}` raises `{forbidden}` (403)"
        return None

    def _forbidden_raise(self, function: FunctionVal) -> str | None:
        """A project exception class answering 403 that `function` raises
        (`raise NotPermitted(...)` with `status_code = 403` on the class or as the
        default of its `__init__`)."""
        for raised in function.fact.raises:
            for value in self.project.values(raised, function.body_ctx):
                cls = value.cls if isinstance(value, InstanceVal) else value
                if isinstance(cls, ClassVal) and FORBIDDEN in class_codes(cls):
                    return cls.fact.name
        return None


# Attributes and keys of the caller that hold its role or privileges (`user.is_admin`,
# `subject.role`, `claims["scopes"]`).
def _privilege_name(name: str) -> bool:
    return _role_word(name) or name.lower() in ("is_staff", "groups")


def _caller_root(expr: Expr) -> bool:
    """Whether an attribute or item chain starts at a name that holds the caller
    (`auth_context.user.is_admin`, `caller["role"]`), not `self` or settings."""
    while isinstance(expr, (Attr, Subscript)):
        expr = expr.value
    if not isinstance(expr, Name):
        return False
    lowered = expr.id.lower()
    return any(word in lowered for word in CALLER_WORDS) or lowered in ("subject", "current")


def _unauthenticated(raised: Expr | None) -> bool:
    """A raised value that answers 401 (`HTTPException(status.HTTP_401_UNAUTHORIZED)`)."""
    todo = [raised] if raised is not None else []
    while todo:
        expr = todo.pop()
        if isinstance(expr, Const) and expr.value == UNAUTHENTICATED:
            return True
        name = last_name(expr)
        if name is not None and ("401" in name or "UNAUTHORIZED" in name.upper()):
            return True
        todo.extend(children(expr))
    return False


def _role_guard(function: FunctionVal) -> str | None:
    """The role attribute an `if` that raises tests on the caller (`if not
    user.is_admin: raise Forbidden()`), or None."""
    for guard in function.fact.body.guards:
        if guard.outcome != "raise" or _unauthenticated(guard.value):
            continue  # a 401 turns away the unverified, not the unprivileged
        todo = [guard.test]
        while todo:
            expr = todo.pop()
            if isinstance(expr, Attr) and _privilege_name(expr.attr) and _caller_root(expr):
                return expr.attr
            if isinstance(expr, Subscript) and _caller_root(expr):
                for item in expr.items:
                    if (
                        isinstance(item, Const)
                        and isinstance(item.value, str)
                        and _privilege_name(item.value)
                    ):
                        return item.value
            todo.extend(children(expr))
    return None


def _method(function: FunctionVal) -> bool:
    params = function.fact.params
    return bool(params) and params[0].name == "self"


def _role_word(name: str) -> bool:
    lowered = name.lower()
    return any(word in lowered for word in ROLE_WORDS)


def _role_call(expr: Expr) -> str | None:
    """`Depends(role_check("admin"))`, `Security(scheme, scopes=["admin"])`,
    `Annotated[User, Depends(require_superuser)]`."""
    if isinstance(expr, Subscript):
        for item in expr.items:
            found = _role_call(item)
            if found is not None:
                return found
        return None
    if not isinstance(expr, Call):
        return None
    if expr.kwarg("scopes") is not None:
        return "`Security(..., scopes=...)`"
    name = last_name(expr.func)
    if name is not None and _role_word(name):
        return f"`{name}`"
    for keyword, value in expr.kwargs:  # `Authenticator(required_scopes={...})`
        if _role_word(keyword) and not (isinstance(value, Const) and value.value is None):
            return f"`{name or 'a dependency'}({keyword}=...)`"
    for arg in (*expr.args, *(value for _, value in expr.kwargs)):
        found = _role_call(arg)
        if found is not None:
            return found
        arg_name = last_name(arg)
        if arg_name is not None and _authorizes(arg_name):
            return f"`{arg_name}`"
    return None


def _authorizes(name: str) -> bool:
    """A function handed to a dependency that decides what the caller may do
    (`org_policy.can_manage`, `is_admin`, `require_role`)."""
    lowered = name.lower()
    return "token" not in lowered and any(word in lowered for word in AUTHORIZATION_WORDS)
