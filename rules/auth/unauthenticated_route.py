"""FL001 unauthenticated-route."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from fastlint.analysis.route_auth import RouteAuth, Verdict
from fastlint.findings import Finding, Severity
from fastlint.knowledge import fastapi_starlette
from fastlint.model.api import Project
from fastlint.rule import Rule


@dataclass(frozen=True)
class UnauthenticatedRouteOptions:
    """`[tool.fastlint.rules.FL001]` (`public-routes` also at the top level)."""

    public_routes: tuple[str, ...] = ()  # routes meant to be open: "METHOD /path" globs


class UnauthenticatedRoute(Rule):
    """
    ## What it does
    Reports a route that nothing on its way from the app to the endpoint
    authenticates: no dependency reaches a `fastapi.security` scheme
    (`OAuth2PasswordBearer`, `HTTPBearer`, `APIKeyHeader`, ...), no `Security(...)`
    marker, no dependency raises `HTTPException` with status 401 or 403, and no
    authentication middleware (Starlette's `AuthenticationMiddleware`) wraps the app.

    Dependencies are followed through app-level `FastAPI(dependencies=[...])`,
    `APIRouter(dependencies=[...])`, `include_router(..., dependencies=[...])`,
    route `dependencies=[...]`, endpoint parameters with `Depends`/`Security`
    defaults or `Annotated[..., Depends(...)]` aliases, callable class instances,
    classes and factory functions (`Depends(role_check("admin"))`), across files.
    A router included twice is checked once per include.

    State-changing methods (POST, PUT, PATCH, DELETE) are reported as high
    severity, others as medium.

    ## Why is this bad?
    A route without authentication can be called by anyone who can reach the
    server. FastAPI has no global "deny by default": every route is public unless
    a dependency or middleware says otherwise, so one forgotten `Depends` on one
    router exposes every route under it (CWE-306, OWASP API2:2023 Broken
    Authentication).

    ## Options
    - `public-routes`: routes meant to be open, as `"METHOD /path"` globs on the
      full path (`"GET /health*"`, `"POST /auth/token"`, `"* /public/*"`).
    - `auth-dependencies`: dotted names of in-house functions or classes that
      authenticate (`"app.core.auth.verify_signature"`), for checks fastlint cannot
      recognise.

    ## Known limits
    - Routes of routers that are never included in a scanned app are not
      reported: fastlint cannot know which dependencies the including app adds.
    - A helper that wires an app (`def publish(app, router, prefix)`) is followed
      once per call site, with that site's arguments, so a router reaches only the
      apps it is passed with (a test calling the helper with its own app adds
      nothing to the real one). Past 64 chains of call sites, and inside a loop
      over pairs (`for app, router in pairs: publish(app, router)`), every
      argument stands for its parameter: each app is paired with each router.
    - A dependency fastlint cannot resolve (a third-party object, a dynamic
      import) counts as possible authentication, so the route is not reported;
      `--verbose` lists these.
    - Optional authentication is not authentication: a scheme created with
      `auto_error=False` whose `None` falls through, a factory asked for its optional
      variant (`Depends(get_current_user(required=False))`, also `optional=True`,
      `allow_anonymous=True`, or an `Anonymous` caller among the allowed ones:
      `Authenticator(allowed_subjects={User, Anonymous})`), and a dependency that
      returns early when no token is sent (`if token is None: return None`) before
      calling the strict check all let anonymous callers in. Such routes are
      reported with a message saying that authentication is optional (or by
      FL012 when it finds the path that falls through), so a route meant to serve
      both anonymous and signed-in callers can be listed in `public-routes` or
      suppressed.
    - An endpoint that raises 401 in its own body authenticates only when that
      body (or a helper it calls) reads a credential: an `Authorization`, API-key
      or cookie header or parameter, a session, `request.user`/`request.state.user`,
      or a token-checking helper. A 401 for a failed captcha or a closed feature
      does not count. Where a project helper raises it (a class-based server's
      `await self.check_caller(request.headers)`), that helper or one it calls
      must read the credential, or be handed one the endpoint read
      (`org_for_key(x_api_key)`): an endpoint that reads an API key and calls a
      helper answering 401 because a feature is off is still reported. A webhook
      that compares a signature with
      `hmac.compare_digest` (in its body or a project helper it calls) and answers
      401 or 403 on a mismatch authenticates; one that only logs the comparison
      does not. So does one that verifies the request's signature with a library that raises
      on a mismatch (`standardwebhooks`/`svix` `Webhook(...).verify`,
      `stripe.Webhook.construct_event`, a `cryptography` or `nacl` public key's
      `.verify`, Slack Bolt's request handler, Bot Framework's `process_activity`),
      in its body or a project helper it calls; what it does when the check fails
      is not examined.
    - An endpoint that calls `authenticate...(...)` on something fastlint cannot
      read (a provider chosen by configuration, `self.authn_provider.
      authenticate_or_raise(request.headers)`), in its body, in a function it
      defines or hands to a call (`run_in_threadpool(check, headers)`), or in a
      project helper it calls, counts as possible authentication: it is not
      reported, and `--verbose` lists it. A login route calling a library's
      `authenticate(...)` is therefore not reported either.
    - Dependencies are followed through the class hierarchy: a callable class
      whose `__call__` delegates to `super().__call__(...)` or to another method
      (factories returning a subclass defined inside them included); class-based
      views (`@cbv(router)`, in-house `@controller(router)`) count their class
      attributes declared with `Depends(...)`, inherited ones too, and their
      `__init__` parameters; an `APIRouter` subclass counts the `dependencies`
      its `__init__` passes to `super().__init__`.
    - A security scheme counts as authentication here, whatever the code does
      with its credential: FL011 reports schemes whose credential nothing
      verifies, and FL012 paths that let anonymous callers through
      (`auto_error=False` falling through to `None`). A route gets one of the
      three findings, never two for one cause.
    - A route whose endpoint only returns a `RedirectResponse` is not reported.
    - Routes that are meant to be public (`/health`, a login route) are reported
      too; list them in `public-routes` or suppress the finding.
    - A middleware authenticates only when it reads a credential (an
      `Authorization` header, an API-key header or query value, a session or auth
      cookie, `request.user`/`request.auth`/`request.session`) and rejects the
      request (answers 401/403 or raises an authentication error), in its own
      `dispatch`/`__call__` or in a project function it calls, even in another
      module (`if (denied := check_key(request)) is not None: return denied`). A
      CSRF, captcha, host, size or method check reads no credential and
      authenticates nobody. Starlette's `AuthenticationMiddleware` identifies
      callers: it closes every route only when its backend's `authenticate` raises
      `AuthenticationError` for them; with a backend that lets anonymous callers in
      as unauthenticated users, only routes with `@requires(...)` (or their own
      check) are closed, and a backend fastlint cannot read makes the routes
      `unknown`.
    - Path scope is read from the middleware's or global dependency's own tests of
      the path and method: an early `return await call_next(request)` (or `return`
      in a dependency) for `request.url.path in PUBLIC_PATHS`,
      `path.startswith("/static")`, `scope["path"] in self.public_paths` (the set
      read from the constructor argument, `add_middleware(Gate,
      public_paths={...})`) leaves those paths open, and they are reported here,
      naming the exemption; a check nested in `if path.startswith("/admin"):`,
      or whose own test names the paths (`if path.startswith(GUARDED) and not
      valid(token): return 401`, the path also as
      `scope["path"].removeprefix(root_path)`), covers only those paths; a global
      dependency given on a condition (`[Depends(gate())] if enforce else []`)
      has its exemptions read the same way. Exemptions built in ways fastlint cannot read
      (`any(path.startswith(p) for p in ...)`) are not seen.
    - A middleware or dependency fastlint cannot read that could authenticate (an
      unscanned middleware named like authentication, one without `dispatch`)
      makes its routes `unknown`: they are not reported, and the run's summary
      counts them (`N routes: authentication could not be determined, because
      ...`); `--verbose` and `fastlint routes` list them.
    - Websocket endpoints usually authenticate in their body (browsers cannot send
      headers): a call to a helper whose name mentions auth, token, verify,
      credential or login, or closing with code 1008 (`WS_1008_POLICY_VIOLATION`,
      or a bare `1008` when the endpoint reads a credential such as a `token` query
      parameter; a bare 1008 for a full room does not count), counts as
      authentication, and
      so does handing the query credential to a project helper that calls such a
      function or one that rejects callers like an authentication dependency
      (`await stream(websocket, apikey)` calling `get_current_org(x_api_key=apikey)`).
    - An endpoint that reads a credential itself (an `x_api_key: str = Header()`
      parameter) and passes it to a project helper that raises 401 or 403 (or
      rejects like an authentication dependency) authenticates. A helper that
      answers 403 to non-local callers counts too, as an access gate; one that
      answers 401 without reading a credential (a feature switched off) does not.
      So does an endpoint handing its `request` to such a project function
      (`await require_camera_access(event.camera, request=request)`), also on a
      path a global dependency exempts. A call that hands out a credential
      (`create_token(user)`, `secrets.token_urlsafe()`) reads none of the
      caller's, and a language model's `max_tokens` is not a token.
    - Authentication that exists only under a setting (a middleware added inside
      `if settings.require_password:`, a dependency attached inside `if
      args.auth:`, a dependency that hands out a default identity when a setting is
      off) is FL012's: it reports the switch once, with the routes it leaves open.
      When the setting's default keeps authentication on, the routes count as
      authenticated and `fastlint routes` notes the switch.
    - A feature switch is not authentication: a dependency whose only refusal is
      a setting's test (`if not settings.enable_debug: raise HTTPException(403)`),
      or the same test first thing in the endpoint, refuses everyone or no one.
      While the setting's default turns the feature on, the route is judged
      without it (and reported when nothing else authenticates it); while the
      default keeps it off, nobody reaches the route and it is not reported
      (`fastlint routes` shows `off unless SETTING`). So is a route registered
      only under `if setting:` (its decorator, or an `include_router` on its way;
      also through a local flag set under such an `if`) whose default is off,
      unless the same route is registered outside the `if` too.
    """

    code = "FL001"
    name = "unauthenticated-route"
    summary = "Route reachable without authentication"
    severity = Severity.HIGH
    severity_reasons = (("medium", "a read-only route (GET, HEAD, OPTIONS)"),)
    cwe = 306
    owasp = "API2:2023"
    owasp_title = "Broken Authentication"
    precision = "high"
    security_severity = "8.2"
    fix = (
        "Require authentication: add a dependency such as `Depends(get_current_user)` "
        "to the route, its router, its include_router call or the app."
    )
    invalid = (
        """\
from fastapi import APIRouter, FastAPI

app = FastAPI()
router = APIRouter(prefix="/items")


@router.delete("/{item_id}")  # expect: FL001
async def delete_item(item_id: int) -> None:
    ...


app.include_router(router)
""",
        {
            "shop/__init__.py": "",
            "shop/orders.py": """\
from fastapi import APIRouter

router = APIRouter(prefix="/orders")


@router.post("/{order_id}/refund")  # expect: FL001
async def refund(order_id: int) -> None:
    ...
""",
            "shop/main.py": """\
from fastapi import FastAPI

from shop import orders

app = FastAPI()
app.include_router(orders.router)
""",
        },
    )
    valid = (
        """\
import os

import jwt
from fastapi import APIRouter, Depends, FastAPI, HTTPException
from fastapi.security import OAuth2PasswordBearer

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="token")
SECRET_KEY = os.environ["JWT_SECRET_KEY"]


async def get_current_user(token: str = Depends(oauth2_scheme)) -> str:
    try:
        payload = jwt.decode(token, SECRET_KEY, algorithms=["HS256"])
    except jwt.InvalidTokenError:
        raise HTTPException(status_code=401, detail="Invalid token")
    return str(payload["sub"])


app = FastAPI()
router = APIRouter(prefix="/items", dependencies=[Depends(get_current_user)])


@router.delete("/{item_id}")
async def delete_item(item_id: int) -> None:
    ...


app.include_router(router)
""",
        {
            "shop/__init__.py": "",
            "shop/auth.py": """\
import os

import jwt
from fastapi import Depends, HTTPException
from fastapi.security import OAuth2PasswordBearer

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="token")


async def current_user(token: str = Depends(oauth2_scheme)) -> str:
    try:
        payload = jwt.decode(token, os.environ["JWT_SECRET"], algorithms=["HS256"])
    except jwt.InvalidTokenError:
        raise HTTPException(status_code=401, detail="Invalid token")
    return str(payload["sub"])
""",
            "shop/orders.py": """\
from fastapi import APIRouter

router = APIRouter(prefix="/orders")


@router.post("/{order_id}/refund")
async def refund(order_id: int) -> None:
    ...
""",
            "shop/main.py": """\
from fastapi import Depends, FastAPI

from shop import orders
from shop.auth import current_user

app = FastAPI()
app.include_router(orders.router, dependencies=[Depends(current_user)])
""",
        },
    )

    Options = UnauthenticatedRouteOptions
    requires = (RouteAuth,)
    options: UnauthenticatedRouteOptions

    def check(self, project: Project) -> Iterator[Finding]:
        public = self.options.public_routes
        auth = project.get(RouteAuth)
        reported: set[tuple[str, int, str]] = set()
        for instance in project.instances:
            route = instance.route
            if any(instance.matches(p) for p in public):
                continue
            verdict = auth.of(instance)
            if verdict.verdict is Verdict.OPTIONAL and verdict.fail_open:
                project.note_about(instance.anchor, "fails open (FL012)")
                continue
            if verdict.verdict is Verdict.UNKNOWN:
                for reason in verdict.unknown:
                    project.note_about(instance.anchor, reason)
                continue
            if verdict.verdict not in (Verdict.OPEN, Verdict.OPTIONAL) or verdict.unverified:
                continue  # authenticated; open unless configured is FL012's, unverified FL011's
            if verdict.redirects_only:
                project.note_about(instance.anchor, "only redirects")
                continue
            state_changing = bool(set(route.methods) & fastapi_starlette.STATE_CHANGING)
            if verdict.verdict is Verdict.OPTIONAL and verdict.optional:
                why = (
                    f"its authentication is optional ({verdict.optional[-1]}): callers "
                    "without credentials get through"
                )
            elif verdict.exempted:
                exempt = verdict.exempted[0]
                why = (
                    f"{exempt.provider or exempt.kind.value} authenticates "
                    f"{exempt.scope.describe()}, which leaves this path out"
                )
            else:
                why = "no dependency or middleware on its path authenticates the caller"
            identity = (route.file, route.span.line, instance.label)
            if identity in reported:
                continue  # two apps known by one name (`app` in two tests) serve it
            reported.add(identity)
            related = [self.related(instance.app.anchor, "served by this app")]
            related += [
                self.related(p.anchor, f"{p.kind.value} `{p.provider}` leaves this path out")
                for p in verdict.exempted[:1]
            ]
            yield self.finding(
                instance.anchor,
                f"{instance.label} is reachable without authentication: {why}",
                related=tuple(related),
                severity=Severity.HIGH if state_changing else Severity.MEDIUM,
                sources=verdict.files,
            )
