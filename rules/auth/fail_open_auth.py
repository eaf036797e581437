"""FL012 fail-open-auth."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from fastlint.analysis.route_auth import RouteAuth, Verdict
from fastlint.findings import Finding, Severity
from fastlint.model.api import Project
from fastlint.rule import Rule


@dataclass(frozen=True)
class FailOpenAuthOptions:
    """`[tool.fastlint.rules.FL012]`."""

    public_routes: tuple[str, ...] = ()  # routes meant to be open: "METHOD /path" globs


class FailOpenAuth(Rule):
    """
    ## What it does
    Reports a route whose authentication lets anonymous callers through:

    - **An optional credential that falls through.** A dependency on the route's
      chain reads a credential that may be absent (a scheme with
      `auto_error=False`, `Header(None)`, `Cookie(None)`, a credential-named query
      parameter defaulting to `None`) and finishes without raising when it is
      (`if token: return verify(token)` falling through, `if not token: return None`,
      an explicit `return None`), and the route (or the dependency consuming the
      result) never tests the result: no `if user is None: raise ...`, no
      `if user:`. A route that tests the result is deliberate optional
      authentication (a personalised public page) and is not reported; neither is
      one listed in `public-routes`.
    - **A check a missing setting switches off.** On the chain, a check guarded by
      the setting's truthiness (`if settings.API_KEY and key != settings.API_KEY:
      raise ...`, also with the setting in a local name or `compare_digest`), the
      check nested in `if settings.API_KEYS:` with nothing raising when it is
      empty, a return before checking when the setting is empty
      (`if not settings.API_KEY: return`), or a comparison with a key read from the
      environment with an empty default (`os.getenv("API_KEY", "")`).

    - **Authentication a setting switches off.** A middleware registered inside
      `if settings.require_password:`, an `include_router(...,
      dependencies=[...])` inside `if args.auth:`, a `dependencies` value that
      holds the check only when configured (`[Depends(check)] if
      config.api_key is not None else []`, a list grown with `append`/`extend`/`+=`
      under `if config.api_key:`, `dependencies=[...] if flag else None`), a
      dependency that returns a default or privileged identity before checking
      the caller (`if not settings.accounts_enabled: return Principal("root",
      superuser=True)`), a middleware, or the helper it or an endpoint calls, that
      lets requests through when a key setting is empty (`if not expected: return
      None`, `if config.api_key is None: return`), an authentication helper an
      endpoint calls whose first test hands back success under a setting (`if
      self.manager.config.type == "none": return True, guest`), an endpoint's check nested in
      `if key := os.getenv("API_KEY"):`. A setting read from a parameter typed
      with a settings class (`config: Config`), or through attributes whose
      types say which class holds it (`self.auth_manager.config.type`, with
      `auth_manager: AuthManager` and `config: AuthConfig` annotated), defaults
      to the class's default; an object built with arguments
      (`Settings(**values_from_toml)`) has no readable default.
      Also: a middleware in any registration form (`@app.middleware("http")`,
      `app.middleware("http")(fn)`, `add_middleware(BaseHTTPMiddleware,
      dispatch=fn)`, `add_middleware(Cls)`) inside such an `if`, including
      `if tokens := [k for k in (args.api_key or [ENV_KEY]) if k]:`; a
      `dependencies=get_dependencies()` list a project function builds under
      `if _KEY:` (a module constant read from the environment is a setting); a
      do-nothing stand-in defined under a module-level `if`
      (`if not settings.auth.enabled: def authenticated(): return True`, the real
      check in the `else:`); a `return None` that hands out nothing but only
      under a setting (`if AUTH_DISABLED: return None`), which stays closed when
      the setting defaults to off.
    - **Not fail-open**: a dependency reading two optional credentials that
      returns only from branches testing them (`if token: return verify(token)`,
      `elif basic and check(basic): return basic.username`) and raises 401 at the
      end; an admitting test that needs the key first (`if ADMIN_KEY and
      compare_digest(sent, ADMIN_KEY): return admin`).

    Switched authentication is reported **once, at the switch** (the `if`),
    naming the setting, its default and how many routes it leaves open
    (`3 routes are open to anonymous callers unless `settings.require_password`
    is true (APP_SECURE, default: false)`), with the routes as related
    locations (SARIF `relatedLocations`, JSON `related`). Severity is high when
    the default leaves the routes open, medium when the default cannot be read
    (an `argparse` flag's default is read; a setting built at run time is not);
    when the default keeps them closed (an opt-out such as `DEV_NO_AUTH`
    defaulting to off) nothing is reported and `fastlint routes` notes the
    switch. `fastlint routes` shows such routes as `open unless SETTING`.

    The dependency chain is followed across files (Annotated aliases, class
    dependencies, dependencies of dependencies, `dependencies=` lists held in a
    variable). A route with such a path is reported here and not by FL001 or
    FL011. A route where another dependency turns anonymous callers away (a
    required key beside a best-effort optional identity) is not reported.

    ## Why is this bad?
    Authentication that fails open turns "no credential" into "allowed": a missing
    header yields `None`, the route treats `None` as a user or never looks, and the
    request is served. A deployment that forgets one environment variable silently
    switches authentication off for everyone (CWE-636 Not Failing Securely,
    CWE-287 Improper Authentication, CWE-1188 Insecure Default Initialization of
    Resource; OWASP API2:2023 Broken Authentication).

    ## Options
    - `public-routes`: routes meant to be open to anonymous callers, as
      `"METHOD /path"` globs (`"GET /feed"`, `"* /public/*"`).

    ## Known limits
    - A scheme created with `auto_error=False` lets anonymous requests through; a
      route is reported only when the dependency that reads it visibly returns
      without raising and nothing tests the result. A dependency that calls code
      fastlint cannot follow on the anonymous path may raise there unseen.
    - A dependency falls through to `None` only when every value it returns is
      made from the optional credential: one that falls back to another
      credential (a session cookie, `request.state.user`) is not reported, nor
      one that hands a context object on for a later `enforce()`.
    - An endpoint that dereferences the result (`user.id`) without testing it is
      reported, although Python then fails with a 500 rather than serving.
    - A setting is recognised by its name (`settings.`, `config.`, `env`,
      parsed `args.`/`opts.`), its environment variable, or a local name assigned
      only from one; a key held in a closure variable of an app factory
      (`if api_key: ...` around `add_middleware`/`dependencies.append`) is not.
    - Authentication switched off by configuration in a method the endpoint calls
      on an object (`if not self.authn_provider: return`), or by defining a dependency that
      always succeeds under `if not settings.auth.enabled:` at module level, is
      not seen. Nor is a key held in an instance attribute that the constructor
      got from the environment (`Account(os.getenv("METRICS_TOKEN"))`, then
      `if self._token is None: return`).
    - A setting read through a typed parameter or attribute takes its class's
      default even when the one instance the app builds is given another value
      where fastlint cannot see it.
    - A check that compares with a key read with an empty default, but refuses
      everyone while the key is empty (`if not TOKEN or ...: raise`), fails
      closed and is not reported.
    - Only settings whose environment variable looks like a credential
      (`API_KEY`, `..._TOKEN`, `..._SECRET`) are read for empty defaults.
    """

    code = "FL012"
    name = "fail-open-auth"
    summary = (
        "Authentication that lets anonymous callers through when a credential or setting is missing"
    )
    severity = Severity.HIGH
    cwe = 636
    also_cwe = (287, 1188)
    owasp = "API2:2023"
    owasp_title = "Broken Authentication"
    precision = "medium"
    security_severity = "8.1"
    fix = (
        "Fail closed: in the dependency, `raise HTTPException(status_code=401)` when the "
        "credential is missing or invalid instead of returning None (or test "
        "`if user is None: raise ...` in the route), and refuse to start, or reject "
        "every call, when the configured key is empty."
    )
    invalid = (
        """\
import jwt
from fastapi import Depends, FastAPI
from fastapi.security import OAuth2PasswordBearer

app = FastAPI()
oauth2_scheme = OAuth2PasswordBearer(tokenUrl="token", auto_error=False)


def get_current_user(token: str | None = Depends(oauth2_scheme)) -> dict | None:
    if token:
        return jwt.decode(token, "secret-from-env", algorithms=["HS256"])
    return None


@app.delete("/items/{item_id}")  # expect: FL012
def delete_item(item_id: int, user: dict = Depends(get_current_user)) -> None:
    ...
""",
    )
    valid = (
        """\
import jwt
from fastapi import Depends, FastAPI, HTTPException
from fastapi.security import OAuth2PasswordBearer

app = FastAPI()
oauth2_scheme = OAuth2PasswordBearer(tokenUrl="token", auto_error=False)


def get_current_user(token: str | None = Depends(oauth2_scheme)) -> dict | None:
    if token:
        return jwt.decode(token, "secret-from-env", algorithms=["HS256"])
    return None


@app.delete("/items/{item_id}")
def delete_item(item_id: int, user: dict | None = Depends(get_current_user)) -> None:
    if user is None:
        raise HTTPException(status_code=401, detail="Not authenticated")
""",
    )

    Options = FailOpenAuthOptions
    requires = (RouteAuth,)
    options: FailOpenAuthOptions

    def check(self, project: Project) -> Iterator[Finding]:
        public = self.options.public_routes
        auth = project.get(RouteAuth)
        for instance in project.instances:
            if any(instance.matches(p) for p in public):
                continue
            verdict = auth.of(instance)
            if verdict.verdict is not Verdict.OPTIONAL or not verdict.fail_open:
                continue
            yield self.finding(
                instance.anchor,
                f"{instance.label} lets anonymous callers through: {verdict.fail_open[0]}",
                related=(self.related(instance.app.anchor, "served by this app"),),
                sources=verdict.files,
            )
        for group in auth.switch_groups:
            routes = [r for r in group.routes if not any(r.matches(p) for p in public)]
            if not routes:
                continue
            switch = group.switch
            count = "1 route is" if len(routes) == 1 else f"{len(routes)} routes are"
            yield self.finding(
                switch.anchor,
                f"{count} open to anonymous callers unless {switch.requirement} "
                f"({switch.default_text}): authentication on "
                f"{'it' if len(routes) == 1 else 'them'} depends on {switch.shown}",
                related=tuple(self.related(r.anchor, f"{r.label} is open") for r in routes),
                severity=Severity.HIGH if switch.default_open else Severity.MEDIUM,
                sources=tuple(dict.fromkeys(f for r in routes for f in auth.of(r).files)),
            )
