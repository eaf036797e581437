"""FL028 shadowed-route."""

from __future__ import annotations

from collections.abc import Iterator

from fastlint.analysis.shadowing import RouteShadowing
from fastlint.findings import Finding, Severity
from fastlint.model.api import Project
from fastlint.rule import Rule


class ShadowedRoute(Rule):
    """
    ## What it does
    Reports a route that an earlier route with the same method and path hides:
    FastAPI serves the first route that matches a request, so the later one is
    never reached. The finding sits on the hidden route (as ruff reports a
    redefinition where it is redefined) and names the route served instead.

    ## Why is this bad?
    A reviewer reads the hidden route, with its authentication dependency, and
    believes the path is protected; the route that answers is the other one. An
    unauthenticated copy placed before an authenticated route opens it without a
    visible change to the authenticated code (CWE-1329 style dead code that masks
    the live path; OWASP API9:2023 Improper Inventory Management).

    ## Known limits
    - Only routes with the same path shape are compared (parameter names do not
      matter); a parameterised path that catches a literal one declared after it
      (`/items/{id}` before `/items/me`) is not reported.
    - Within one file, routes are ordered by line; across files, by the order
      fastlint reads the includes, which may differ from the order the app adds
      them.
    """

    code = "FL028"
    name = "shadowed-route"
    summary = "Route hidden by an earlier route with the same method and path"
    severity = Severity.MEDIUM
    cwe = 561
    owasp = "API9:2023"
    owasp_title = "Improper Inventory Management"
    precision = "high"
    security_severity = "5.3"
    requires = (RouteShadowing,)
    fix = "Remove or rename one of the two routes; FastAPI serves only the first."
    invalid = (
        """\
from fastapi import Depends, FastAPI
from fastapi.security import HTTPBearer

app = FastAPI(openapi_url=None)
bearer = HTTPBearer()


@app.get("/admin/users", response_model=list)
def list_users_preview():
    return []


@app.get("/admin/users", response_model=list)  # expect: FL028
def list_users(token=Depends(bearer)):
    return []
""",
        # Parameter names do not matter to matching: `/items/{key}` is `/items/{id}`.
        """\
from fastapi import FastAPI

app = FastAPI(openapi_url=None)


@app.delete("/items/{item_id}", response_model=dict)
def drop(item_id: int):
    return {}


@app.delete("/items/{key}", response_model=dict)  # expect: FL028
def drop_by_key(key: str):
    return {}
""",
    )
    valid = (
        """\
from fastapi import Depends, FastAPI
from fastapi.security import HTTPBearer

app = FastAPI(openapi_url=None)
bearer = HTTPBearer()


@app.get("/admin/users", response_model=list)
def list_users(token=Depends(bearer)):
    return []


@app.post("/admin/users", response_model=dict)
def add_user(token=Depends(bearer)):
    return {}
""",
        # A literal path declared before the parameterised one is reached first: the
        # usual order, and not a duplicate.
        """\
from fastapi import FastAPI

app = FastAPI(openapi_url=None)


@app.get("/users/me", response_model=dict)
def me():
    return {}


@app.get("/users/{user_id}", response_model=dict)
def user(user_id: int):
    return {}
""",
        # Two apps may serve the same path: each is its own table of routes.
        {
            "public.py": (
                "from fastapi import FastAPI\n\napp = FastAPI(openapi_url=None)\n\n\n"
                '@app.get("/status", response_model=dict)\ndef status():\n    return {}\n'
            ),
            "admin.py": (
                "from fastapi import FastAPI\n\napp = FastAPI(openapi_url=None)\n\n\n"
                '@app.get("/status", response_model=dict)\ndef status():\n    return {}\n'
            ),
        },
    )

    def check(self, project: Project) -> Iterator[Finding]:
        for shadowed in project.get(RouteShadowing).shadowed:
            served = shadowed.served
            yield self.finding(
                shadowed.hidden.anchor,
                f"{shadowed.hidden.label} is never reached: {served.label} is declared first "
                "and FastAPI serves the first route that matches",
                related=(self.related(served.route.anchor_as(served.label), "served instead"),),
            )
