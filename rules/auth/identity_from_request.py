"""FL013 identity-from-request."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator
from dataclasses import dataclass

from fastlint.analysis.ownership import CALLER_WORDS, ROLE_WORDS, Ownership
from fastlint.analysis.route_auth import RouteAuth
from fastlint.findings import Finding, Severity
from fastlint.model.api import (
    BODY,
    COOKIE,
    DEPENDENCY,
    FORM,
    HEADER,
    QUERY,
    ChainFunction,
    ChainParameter,
    FunctionVal,
    Project,
    RouteInstance,
)
from fastlint.rule import Rule

REQUEST_SOURCES = (QUERY, HEADER, COOKIE, FORM, BODY)


@dataclass(frozen=True)
class IdentityFromRequestOptions:
    """`[tool.fastlint.rules.FL013]`."""

    # Parameter names (globs, any case) that denote the caller's identity or privileges.
    identity_names: tuple[str, ...] = (
        "user_id",
        "uid",
        "owner_id",
        "account_id",
        "customer_id",
        "tenant_id",
        "org_id",
        "workspace_id",
        "role",
        "roles",
        "is_admin",
        "is_superuser",
        "scopes",
        "permissions",
        "allowed_*",
    )


class IdentityFromRequest(Rule):
    """
    ## What it does
    Reports a parameter of an endpoint, or of any dependency on its chain, that
    FastAPI binds from the query, a header, a cookie, a form or the body, and whose
    name says it is the caller's identity or privileges (`user_id`, `tenant_id`,
    `role`, `is_admin`, `scopes`...), on a route that also authenticates the caller:
    the identity was available from the token, yet the request chooses it.

    The finding points at the parameter, with the routes that take it as related
    locations. It is high when the parameter sits in a dependency (every route
    using it is affected, often without a trace in the endpoint's code) or is
    passed to a database query in the function that takes it; medium otherwise.

    Not reported: path parameters (`/users/{user_id}`: a resource being addressed,
    FL001's concern), routes with role or scope evidence (a dependency named like
    an admin, role, scope or permission check, or a function on the chain handing
    the authenticated caller to a call named so: `if is_admin_view(user): ...`,
    `_authorize_list_request(user_api_key_dict=user)`: administrators may choose
    the user), parameters the function compares with an attribute or item of
    another value, directly or through a local name (`if user_id != current_user.id:
    raise ...`, `caller = user.id; if user_id != caller: ...`), and parameters the function hands
    to a call together with the authenticated caller (a dependency parameter named
    like a user, account, principal, identity or claims: `authorize(current_user,
    Policy.list(workspace_id))`, `crud.list(db, user=current_user, owner_id=owner_id)`),
    in the function or one nested in it (a streaming generator), also through
    local names made from either (`parsed = UUID(customer_id)`,
    `benefit = await service.get(session, auth_subject, id)`, then
    `grants.list(session, benefit, customer_id=parsed)`): the value is checked
    against, or scoped to, the authenticated user.

    ## Why is this bad?
    Whoever sends the request picks whose data is read or changed, or which
    privileges they have: `?user_id=42` reads another user's records, `X-Role: admin`
    makes anyone an administrator (CWE-639 authorization bypass through a
    user-controlled key, CWE-807 reliance on untrusted inputs in a security
    decision; OWASP API1:2023 Broken Object Level Authorization, API5:2023 Broken
    Function Level Authorization). A dependency's `user_id: str` parameter silently
    becomes a query parameter of every route that uses it.

    ## Known limits
    - Names decide: a parameter called `owner` or `member` is not reported unless
      `identity-names` lists it, and `role` used as a plain filter is reported.
    - Role or scope evidence is recognised by names: of the dependencies on the
      route's chain (`require_admin`, `check_permissions`), of the calls a
      dependency makes (`_authorize_request(route, ...)`, `has_route_permission(path,
      claims)`: privileges enforced centrally for every route it guards), and of the
      calls the endpoint makes with the authenticated caller (`is_admin(user)`,
      `can_view(principal, ...)`): a call so named counts as a role check whether or
      not it really checks, and a check written
      inline in the endpoint is seen only when it compares the parameter with an
      attribute of another value.
    - Fields of a body model (`payload.user_id`) are not reported: only parameters.
    - A role check on an attribute of the user compared with a constant (`if
      user.role != ADMIN`), or made in a helper whose name does not say so and that
      is not given the caller, is not seen: such listing endpoints that filter by
      `user_id` for administrators are reported. Suppress them, or name the helper
      in the endpoint's dependencies.
    - A call given both the parameter and the authenticated caller counts as a
      check against that caller, whether or not the callee really checks.
    - A dependency given the authenticated caller (`get_service(auth:
      AuthContext = Depends(...))`) is taken to build an object that carries the
      caller: a method call on it given the parameter (`service.list(
      workspace_id=...)`) counts as scoped to the caller, whether or not the
      method really authorises.
    """

    code = "FL013"
    name = "identity-from-request"
    summary = "Caller identity or privileges taken from the request on an authenticated route"
    severity = Severity.HIGH
    severity_reasons = (("medium", "nothing shows the value decides access"),)
    cwe = 639
    also_cwe = (807,)
    owasp = "API1:2023"
    owasp_title = "Broken Object Level Authorization"
    also_owasp = (("API5:2023", "Broken Function Level Authorization"),)
    precision = "medium"
    requires = (RouteAuth, Ownership)
    security_severity = "8.1"
    fix = (
        "Take the identity from the authenticated user: remove the parameter and use "
        "`current_user.id` (or the token's claims) from the authentication dependency; "
        "if administrators may choose, check their role before using it."
    )
    invalid = (
        """\
from fastapi import Depends, FastAPI
from fastapi.security import OAuth2PasswordBearer

app = FastAPI()
oauth2_scheme = OAuth2PasswordBearer(tokenUrl="token")


def get_current_user(token: str = Depends(oauth2_scheme)) -> dict:
    return {"id": 1}


def get_user_id(user_id: int, user: dict = Depends(get_current_user)) -> int:  # expect: FL013
    return user_id


@app.get("/orders")
def list_orders(user_id: int = Depends(get_user_id)) -> list[int]:
    return [user_id]
""",
    )
    valid = (
        """\
from fastapi import Depends, FastAPI, HTTPException
from fastapi.security import OAuth2PasswordBearer

app = FastAPI()
oauth2_scheme = OAuth2PasswordBearer(tokenUrl="token")


def get_current_user(token: str = Depends(oauth2_scheme)) -> dict:
    return {"id": 1}


@app.get("/orders")
def list_orders(user: dict = Depends(get_current_user)) -> list[int]:
    return [user["id"]]


@app.get("/shared")
def list_shared(owner_id: int, user: dict = Depends(get_current_user)) -> list[int]:
    if owner_id != user["id"]:
        raise HTTPException(status_code=403)
    return [owner_id]


@app.get("/users/{user_id}/orders")
def user_orders(user_id: int, user: dict = Depends(get_current_user)) -> list[int]:
    return [user_id]
""",
    )

    Options = IdentityFromRequestOptions
    options: IdentityFromRequestOptions

    def check(self, project: Project) -> Iterator[Finding]:
        found: dict[tuple[str, str], tuple[ChainParameter, list[RouteInstance]]] = {}
        for instance in project.instances:
            if not project.get(RouteAuth).authenticates(instance):
                continue
            chain = project.chain_functions(instance)
            if any(_role_check(c.function.name) for c in chain):
                continue
            params = project.chain_parameters(instance)
            if self._authorizes(project, chain, params):
                continue
            for param in params:
                if not self._identity(param) or self._checked(project, param, params):
                    continue
                key = (param.anchor.path, param.anchor.subject)
                found.setdefault(key, (param, []))[1].append(instance)
        for param, routes in found.values():
            yield self._report(project, param, routes)

    @staticmethod
    def _checked(project: Project, param: ChainParameter, params: list[ChainParameter]) -> bool:
        """Compared with a claim of the user, or handed with the user to a call (an
        authorisation check, a query scoped to the user)."""
        name = param.parameter.name
        if project.get(Ownership).compared_with_claim(param.function, name):
            return True
        users = _callers(params, param.function) | _built_from_caller(project, params, param)
        return (
            bool(users)
            and project.get(Ownership).checked_with(param.function, name, users) is not None
        )

    @staticmethod
    def _authorizes(
        project: Project, chain: list[ChainFunction], params: list[ChainParameter]
    ) -> bool:
        """Whether the route has role evidence in code: a dependency calls a role or
        permission check (`_authorize_request(route, user)`: privileges enforced for
        every route it guards), or the endpoint hands the authenticated user to one
        (`if is_admin(user): ...`)."""
        for chained in chain:
            callers = _callers(params, chained.function) if chained.endpoint else None
            if callers == frozenset():
                continue  # an endpoint without the caller checks nobody's role
            if project.get(Ownership).authorization_call(chained.function, callers) is not None:
                return True
        return False

    def _identity(self, param: ChainParameter) -> bool:
        name = param.parameter.name.lower()
        return param.parameter.source in REQUEST_SOURCES and any(
            fnmatch.fnmatchcase(name, pattern.lower()) for pattern in self.options.identity_names
        )

    def _report(
        self, project: Project, param: ChainParameter, routes: list[RouteInstance]
    ) -> Finding:
        parameter = param.parameter
        query = project.get(Ownership).query_with(param.function, parameter.name)
        where = "the endpoint" if param.endpoint else f"the dependency `{param.function.name}`"
        why = []
        if not param.endpoint:
            why.append("every route using the dependency takes it from the request")
        if query is not None:
            why.append(f"it is passed to `{query.name or 'a query'}`")
        others = f" and {len(routes) - 1} more route(s)" if len(routes) > 1 else ""
        message = (
            f"`{parameter.name}` of {where} comes from the request's {parameter.source} on "
            f"{routes[0].label}{others}, which {'authenticate' if others else 'authenticates'} "
            "the caller: the caller chooses "
            "whose identity or privileges are used"
        )
        if why:
            message += f" ({'; '.join(why)})"
        related = tuple(self.related(r.anchor, "takes it from the request") for r in routes[:5])
        return self.finding(
            param.anchor,
            message,
            related=related,
            severity=Severity.HIGH if why else Severity.MEDIUM,
            sources=tuple(
                dict.fromkeys(f for r in routes for f in project.get(RouteAuth).sources(r))
            ),
        )


def _callers(params: list[ChainParameter], function: FunctionVal) -> frozenset[str]:
    """The parameters of `function` that hold the authenticated caller (a dependency's
    result named like a user, account, principal...)."""
    return frozenset(
        p.parameter.name
        for p in params
        if p.function == function
        and p.parameter.source == DEPENDENCY
        and any(word in p.parameter.name.lower() for word in CALLER_WORDS)
    )


def _built_from_caller(
    project: Project, params: list[ChainParameter], param: ChainParameter
) -> frozenset[str]:
    """The dependency parameters of `param`'s function whose dependency is itself
    given the authenticated caller (`service = Depends(get_service)` with
    `get_service(auth: AuthContext = Depends(...))`): objects that carry the caller."""
    built = set()
    for other in params:
        dependency = other.parameter.dependency
        if other.function != param.function or dependency is None:
            continue
        ctx = other.parameter.marker_ctx or other.parameter.ctx
        for value in project.values(dependency, ctx):
            if isinstance(value, FunctionVal) and _callers(params, value):
                built.add(other.parameter.name)
    return frozenset(built)


def _role_check(name: str) -> bool:
    lowered = name.lower()
    return any(word in lowered for word in ROLE_WORDS)
