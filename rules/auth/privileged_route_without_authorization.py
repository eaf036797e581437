"""FL025 privileged-route-without-authorization."""

from __future__ import annotations

import re
from collections.abc import Iterator

from fastlint.analysis.authorization import RoleChecks
from fastlint.analysis.ownership import Ownership
from fastlint.analysis.route_auth import RouteAuth, Verdict
from fastlint.findings import Finding, Severity
from fastlint.model.api import Project, RouteInstance
from fastlint.rule import Rule

# Path segments that name an administration area (`/admin`, `/api/admin/...`).
ADMIN_SEGMENT = re.compile(r"^(admin\w*|administration|superusers?|staff|backoffice|sudo)$")
# Collections whose changes are administration: other users, roles, app settings.
MANAGED = frozenset(
    {"users", "roles", "permissions", "members", "accounts", "groups", "tenants"}
    | {"organizations"}
)
# App-wide settings: the first segment after the API prefix (`/api/v1/settings`, not
# mealie's `/api/recipes/bulk-actions/settings`, a recipe's settings).
SETTINGS = frozenset({"settings", "config", "configuration"})
PREFIXES = re.compile(r"^(api|v\d+(\.\d+)?|rest|internal)$")
# Segments that mean "the caller's own" (`/users/me`, `/account/profile`).
OWN = frozenset({"me", "self", "current", "profile", "my", "mine"})
MUTATING = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _placeholders(path: str) -> list[str]:
    """`{item_id}` and `{path:path}` names of a route path."""
    return re.findall(r"{(\w+)(?::\w+)?}", path)


def _segments(path: str) -> list[str]:
    return [s.lower() for s in path.strip("/").split("/") if s and not s.startswith("{")]


class PrivilegedRouteWithoutAuthorization(Rule):
    """
    ## What it does
    Reports an authenticated route that does something only some callers should,
    when nothing on its way checks the caller's role, scope or permission:

    - routes under an administration path (`/admin`, `/api/admin/...`,
      `/superusers`, `/staff`, `/backoffice`) or tagged `admin` (high);
    - routes that create, change or delete users, roles, permissions, members,
      groups, tenants or organizations themselves (the path ends with the
      collection, or with one of its ids: `POST /users`, `DELETE /users/{user_id}`,
      `PUT /roles/{name}`), or the app's settings (`PATCH /api/v1/settings`),
      unless the path is the caller's own (`/users/me`, `/profile`) or the
      endpoint compares the path id with the caller (medium).

    Role evidence is looked for on the route's whole dependency chain (the
    endpoint and every function its dependencies reach, across files): a
    function or dependency named like a role check (`role_check("admin")`,
    `require_superuser`, `get_current_active_admin`, `has_permission`),
    `Security(..., scopes=[...])`, a dependency instance configured with what
    the caller needs (`Authenticator(required_scopes={...})`,
    `RoleCheck(allowed_roles={...})`, `PolicyGuard(org_policy.can_manage)`,
    also behind an `Annotated` alias or a module-level name), a call named like
    an authorisation check handed the caller (`authorize(user, ...)`,
    `is_admin(user)`; in a class-based view, `self.checks.can_manage()`), an
    `if` that raises on the caller's role or flags (`if not user.is_admin:
    raise ...`; a 401 there only verifies), or a function on the chain that
    answers 403, also by raising a project exception whose class answers 403.

    Apps with one kind of caller are left alone: when the route is authenticated
    only by middleware or by dependencies that return nothing (one shared
    password), and nothing on its chain is handed the caller or the request,
    there are no roles to check.

    Whether the route authenticates is the authentication analysis's verdict
    (FL001 reports routes that do not).

    ## Why is this bad?
    Authentication says who the caller is, not what they may do. When an
    administration route checks only that the caller is logged in, every user
    of the app is an administrator (CWE-285 Improper Authorization, CWE-862
    Missing Authorization; OWASP API5 Broken Function Level Authorization).

    ## Known limits
    - **Off by default** (a preview rule: select it with `--select FL025` or
      `extend-select`). Read on 36 real apps, once the checks above were
      read, it made 2 findings: one right but of little value (a self-service
      `POST /organizations` whose caller becomes the new tenant's owner), one
      false (below). Too few to vouch for a default rule; on the previous read
      28 findings were 17 false, every cause since fixed.
    - Paths and tags decide what is privileged: an administration route under
      another name (`/manage`, `/ops`) is not reported, and a route under
      `/admin` that any member may use is (open_webui's `GET /admin/details`,
      the administrator's contact shown to every user).
    - A role check made in a way the chain does not show (a database query
      filtered by role, a middleware that checks roles, a decorator) is not
      seen: the route is reported; suppress it with the reason.
    - Single-user apps that still hand routes a user object (one account that
      owns everything) have no roles, but their management routes are
      reported; turn the rule off for them. (One shared password checked by
      middleware or by a dependency returning nothing is recognised.)
    - A check in a guard class's `__call__` counts whatever the instance was
      configured with: an `Authenticator()` given no scopes is taken as a check.
    - An inline role test is recognised on names: an `if` that raises and reads
      a role-like attribute or key (`role`, `is_admin`, `scopes`, `permissions`)
      of a value named like the caller (`user`, `auth_context`, `subject`).
    """

    code = "FL025"
    name = "privileged-route-without-authorization"
    summary = "An administration route checks who the caller is but not what they may do"
    severity = Severity.MEDIUM
    cwe = 285
    also_cwe = (862,)
    owasp = "API5:2023"
    owasp_title = "Broken Function Level Authorization"
    precision = "medium"
    security_severity = "7.1"
    fix = (
        "Add a role or permission check to the route, its router or the dependency it uses "
        '(`Depends(require_role("admin"))`, `Security(get_user, scopes=["admin"])`).'
    )
    requires = (RouteAuth, RoleChecks, Ownership)
    preview = True  # 2 findings on 36 apps (1 false): too few to judge; `--select FL025`
    bad_example = """\
from fastapi import APIRouter, Depends, FastAPI, HTTPException
from fastapi.security import OAuth2PasswordBearer

app = FastAPI(openapi_url=None)
oauth2 = OAuth2PasswordBearer(tokenUrl="token")
USERS = {"t-alice": {"name": "alice", "role": "member"}}


def current_user(token: str = Depends(oauth2)) -> dict[str, str]:
    user = USERS.get(token)
    if user is None:
        raise HTTPException(status_code=401)
    return user


admin = APIRouter(prefix="/admin", dependencies=[Depends(current_user)])


@admin.post("/maintenance")  # expect: FL025
def maintenance() -> dict[str, bool]:
    return {"started": True}


@app.delete("/users/{name}")  # expect: FL025
def delete_user(name: str, user: dict[str, str] = Depends(current_user)) -> None:
    USERS.pop(name, None)


app.include_router(admin)
"""
    good_example = """\
from fastapi import APIRouter, Depends, FastAPI, HTTPException
from fastapi.security import OAuth2PasswordBearer

app = FastAPI(openapi_url=None)
oauth2 = OAuth2PasswordBearer(tokenUrl="token")
USERS = {"t-alice": {"name": "alice", "role": "member"}}


def current_user(token: str = Depends(oauth2)) -> dict[str, str]:
    user = USERS.get(token)
    if user is None:
        raise HTTPException(status_code=401)
    return user


def require_admin(user: dict[str, str] = Depends(current_user)) -> dict[str, str]:
    if user["role"] != "admin":
        raise HTTPException(status_code=403)
    return user


admin = APIRouter(prefix="/admin", dependencies=[Depends(require_admin)])


@admin.post("/maintenance")
def maintenance() -> dict[str, bool]:
    return {"started": True}


@app.delete("/users/me")
def delete_me(user: dict[str, str] = Depends(current_user)) -> None:
    USERS.pop(user["name"], None)


app.include_router(admin)
"""

    def check(self, project: Project) -> Iterator[Finding]:
        auth = project.get(RouteAuth)
        roles = project.get(RoleChecks)
        for instance in project.instances:
            privilege = self._privilege(project, instance)
            verdict = auth.of(instance)
            if privilege is None or verdict.verdict is not Verdict.AUTHENTICATED:
                continue
            if roles.evidence(instance) is not None:
                continue
            if roles.without_identity(instance, verdict.proofs):
                continue  # one shared secret: no roles to tell apart
            high = privilege.startswith("an administration")
            yield self.finding(
                instance.route.anchor_as(instance.label),
                f"{instance.label} is {privilege}, and nothing on its way checks the "
                "caller's role, scope or permission: any authenticated user may call it",
                severity=Severity.HIGH if high else None,
            )

    @staticmethod
    def _privilege(project: Project, instance: RouteInstance) -> str | None:
        segments = _segments(instance.full_path)
        if any(ADMIN_SEGMENT.match(s) for s in segments):
            return "an administration route"
        tags = instance.route.kwarg("tags")
        if tags is not None and any(
            isinstance(p.value, str) and p.value.lower() == "admin"
            for p in project.literal(tags).known
        ):
            return "an administration route (tag `admin`)"
        methods = set(instance.route.methods) & MUTATING
        if not methods or not segments or OWN & set(segments):
            return None
        verb = "|".join(sorted(methods))
        if segments[-1] in MANAGED:  # `/users`, `/users/{id}`; not `/users/api-tokens`
            endpoint = instance.route.endpoint
            if endpoint is not None and any(
                project.get(Ownership).compared_with_claim(endpoint, name)
                for name in _placeholders(instance.full_path)
            ):
                return None  # the caller's own record, or an administrator's: checked
            return f"a change to {segments[-1]} (`{verb}`)"
        first = next((s for s in segments if not PREFIXES.match(s)), None)
        if first in SETTINGS:
            return f"a change to the app's {first} (`{verb}`)"
        return None
