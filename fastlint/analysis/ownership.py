"""Whether an endpoint checks that the caller owns what it names (FL013).

The judgements `identity-from-request` makes about a function on a route's chain:
does it compare an identifier from the request with the authenticated user
(`user_id != current_user.id`), hand both to one call (`authorize(user,
Policy.list(org_id))`), call something whose name says it checks permissions, or
query a store with the identifier.
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass

from fastlint.analysis import Analysis
from fastlint.facts.expr import Attr, Name, Subscript, last_name
from fastlint.model.bodies import Body, origins
from fastlint.model.calls import CallSite
from fastlint.model.values import FunctionVal

# Tuned on litellm's and polar's ownership checks when FL013 landed (351f484).
# Calls that query a database or store with their arguments (by method name).
QUERY_METHODS = frozenset(
    {
        "execute",
        "scalar",
        "scalars",
        "filter",
        "filter_by",
        "where",
        "get",
        "find",
        "find_one",
        "find_many",
        "select",
        "query",
        "fetch",
        "fetchrow",
        "fetchval",
        "get_by_id",
    }
)

# Tuned on litellm's admin views (is_admin_view) and polar's authorize(...) when FL013
# landed (351f484, 1a6a337).
# Words in a dependency's name that mean it checks roles, scopes or permissions.
# Words in a dependency parameter's name that mean it holds the authenticated caller;
# tuned on the dependency parameters of the dogfood apps when FL013 landed (351f484).
CALLER_WORDS = ("user", "account", "principal", "identity", "auth", "caller", "claims", "member")
ROLE_WORDS = ("admin", "superuser", "role", "scope", "permission", "privilege", "staff")

# From litellm's /user/list, /organization/list and /spend/users, which hand the
# caller to `_authorize_list_request(user_api_key_dict=...)` (1a6a337).
# Words in a call's name that mean it checks what the caller may do (given the caller).
AUTHORIZATION_WORDS = (
    *ROLE_WORDS,
    *("authoriz", "authoris", "allowed", "forbid", "can_", "has_access", "check_access"),
)


class Ownership(Analysis):
    """Checks of an identifier against the authenticated user, in function bodies."""

    def query_with(self, function: FunctionVal, name: str) -> CallSite | None:
        """A call in `function` that queries a database or store (by method name:
        `execute`, `filter`, `where`, `get`...) with the local `name` in its arguments."""
        return query_with(self.project.calls.in_function(function), name)

    def checked_with(
        self, function: FunctionVal, name: str, others: frozenset[str]
    ) -> CallSite | None:
        """A call in `function`, or in a function nested in it (`async def
        create_csv(): ...` streaming the result), given both its `name` and one of
        `others` (the names holding the authenticated user): `authorize(user,
        Policy.list(org_id))`."""
        calls = [site for f in self._nested(function) for site in self.project.calls.in_function(f)]
        return checked_with(calls, name, others, function)

    def _nested(self, function: FunctionVal) -> list[FunctionVal]:
        """`function` and the functions defined inside it."""
        return [function] + [
            b.function
            for b in self.project.calls.bodies
            if b.function is not None
            and b.path == function.path
            and any(f is function.fact for f in b.ctx.functions[:-1])
        ]

    def authorization_call(
        self, function: FunctionVal, callers: frozenset[str] | None = None
    ) -> CallSite | None:
        """A call in `function` whose name says it checks roles or permissions
        (`is_admin_view(user)`, `_authorize_request(...)`), given the authenticated
        user (one of `callers`) unless `callers` is None."""
        return authorization_call(self.project.calls.in_function(function), callers)

    def compared_with_claim(self, function: FunctionVal, name: str) -> bool:
        """Whether `function` compares its `name` with an attribute or item of another
        value (`user_id != current_user.id`): a check against the authenticated user."""
        return compared_with_claim(self.project.calls.body_of(function), name)


def mentions(expr: object, name: str) -> bool:
    """Whether an expression reads the local name `name` anywhere inside it."""
    if isinstance(expr, Name):
        return expr.id == name
    if isinstance(expr, tuple):
        return any(mentions(item, name) for item in expr)
    if is_dataclass(expr) and not isinstance(expr, type):
        return any(mentions(getattr(expr, f.name), name) for f in fields(expr))
    return False


def query_with(calls: list[CallSite], name: str) -> CallSite | None:
    """The first call that queries a database or store (`execute`, `filter`, `where`,
    `get`... by method name) with `name` among its arguments."""
    for site in calls:
        if last_name(site.call.func) in QUERY_METHODS and (
            mentions(site.args, name) or mentions(site.kwargs, name)
        ):
            return site
    return None


def compared_with_claim(body: Body | None, name: str) -> bool:
    """Whether the body compares `name` with an attribute or item of another value
    (`user_id != current_user.id`, `org_id not in user["orgs"]`)."""
    if body is None:
        return False
    for comparison in body.comparisons:
        for mine, other in (
            (comparison.left, comparison.right),
            (comparison.right, comparison.left),
        ):
            if mine != Name(name):
                continue
            for origin in origins(other, body.function):  # `caller = user.id` first
                if isinstance(origin, (Attr, Subscript)) and not mentions(origin, name):
                    return True
    return False


def authorization_call(calls: list[CallSite], callers: frozenset[str] | None) -> CallSite | None:
    """The first call whose name says it checks roles or permissions (`is_admin(user)`,
    `_authorize_list_request(user_api_key_dict=user)`, `check_scopes(principal, ...)`;
    not a token call such as `authorize_access_token`), given one of `callers` (the
    names holding the authenticated user) unless `callers` is None."""
    for site in calls:
        name = (last_name(site.call.func) or "").lower()
        # not a token call (`authorize_access_token`) or a header parser
        # (chainlit's `get_authorization_scheme_param`)
        if "token" in name or "scheme" in name:
            continue
        if not any(word in name for word in AUTHORIZATION_WORDS):
            continue
        if callers is None or any(mentions((site.args, site.kwargs), caller) for caller in callers):
            return site
    return None


def checked_with(
    calls: list[CallSite], name: str, others: frozenset[str], function: FunctionVal | None = None
) -> CallSite | None:
    """The first call given both `name` and one of `others` (`authorize(user,
    Policy.list(workspace_id))`, `crud.get(db, owner_id=owner_id, user=user)`): the
    value is used together with the authenticated user. With `function`, values its
    local names were made from count too (`parsed = UUID(customer_id)`, `benefit =
    await service.get(session, auth_subject, id)`)."""
    mine, theirs = derived(function, {name}), derived(function, set(others))
    for site in calls:
        arguments = (site.args, site.kwargs)
        given = (*arguments, site.call.func)  # `service.list(...)` with the caller's service
        if any(mentions(arguments, n) for n in mine) and any(mentions(given, o) for o in theirs):
            return site
    return None


def derived(function: FunctionVal | None, names: set[str], rounds: int = 3) -> set[str]:
    """`names` and the local names of `function` assigned from them, a few steps on."""
    found = set(names)
    if function is None:
        return found
    assignments = function.fact.scope.assignments
    for _ in range(rounds):
        grown = {
            local
            for local, values in assignments.items()
            if local not in found and any(mentions(v.value, n) for v in values for n in found)
        }
        if not grown:
            break
        found |= grown
    return found


__all__ = [
    "AUTHORIZATION_WORDS",
    "CALLER_WORDS",
    "QUERY_METHODS",
    "ROLE_WORDS",
    "Ownership",
]
