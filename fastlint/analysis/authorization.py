"""Whether a route checks the caller's role, scope or permission (function level).

Evidence, in the order it is looked for on the route's dependency chain (the
endpoint and every function its dependencies reach):

- a function named like a role or permission check (`require_admin`,
  `role_check`, `get_current_superuser`, `has_permission`);
- `Security(..., scopes=[...])` asked of a scheme;
- a call whose name says it authorises (`is_admin(user)`, `authorize(...)`),
  handed the authenticated caller in the endpoint;
- a function that answers 403 (FastAPI's "forbidden": the caller is known and
  refused).
"""

from __future__ import annotations

from fastlint.analysis import Analysis
from fastlint.analysis.ownership import CALLER_WORDS, ROLE_WORDS, Ownership
from fastlint.facts.expr import Call, Expr, Subscript, last_name
from fastlint.model.parameters import DEPENDENCY
from fastlint.model.project import Project
from fastlint.model.rejection import mentioned_codes
from fastlint.model.routing import RouteInstance

__all__ = ["RoleChecks"]

FORBIDDEN = 403


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

    def _find(self, instance: RouteInstance) -> str | None:
        for item in instance.dependencies:
            named = _role_call(item.expr)
            if named is not None:
                return named
        chain = self.project.chain_functions(instance)
        for chained in chain:
            if _role_word(chained.function.name):
                return f"`{chained.function.name}`"
        params = self.project.chain_parameters(instance)
        for param in params:
            for expr in (param.parameter.default, param.parameter.annotation):
                named = _role_call(expr) if expr is not None else None
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
            if chained.endpoint and not callers:
                continue
            call = self.project.get(Ownership).authorization_call(
                chained.function, callers if chained.endpoint else None
            )
            if call is not None:
                return f"`{call.name or 'a permission check'}`"
            if FORBIDDEN in mentioned_codes(chained.function.fact):
                return f"`{chained.function.name}` answers 403"
        return None


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
    for arg in expr.args:
        found = _role_call(arg)
        if found is not None:
            return found
        arg_name = last_name(arg)
        if arg_name is not None and _role_word(arg_name):
            return f"`{arg_name}`"
    return None
