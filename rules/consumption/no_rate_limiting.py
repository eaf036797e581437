"""FL006 no-rate-limiting."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from fastlint.analysis.ratelimit import RateLimits
from fastlint.findings import Finding, Related, Severity
from fastlint.knowledge import environment
from fastlint.model.api import Container, Project, known
from fastlint.rule import Rule


@dataclass(frozen=True)
class NoRateLimitingOptions:
    """`[tool.fastlint.rules.FL006]`."""

    # Folder or file name globs of test code: an app built there is not reported.
    test_paths: tuple[str, ...] = environment.TEST_PATHS


class NoRateLimiting(Rule):
    """
    ## What it does
    Reports a `FastAPI(...)` app with no rate limiting anywhere: none of
    slowapi (a `Limiter` attached as `app.state.limiter`, `SlowAPIMiddleware`,
    `@limiter.limit(...)` on a route), a decorator named as a limiter on a route
    (`@rate_limit_requests(...)`, `@throttle`), fastapi-limiter (`RateLimiter` in any
    dependency), or a rate-limiting middleware (a class whose name contains
    `RateLimit` or `Throttl`, as in fastapi-guard or asgi-ratelimit, also when
    `add_middleware` is given a factory that returns one), or an in-house limiter
    that turns callers away with 429 Too Many Requests: a dependency (of a route, a
    router or the whole app, `FastAPI(dependencies=[Depends(limit)])`; a closure a
    factory returns included) or an endpoint that raises `HTTPException(429)`,
    itself or through a helper it calls, or that uses a limiter class by its name
    (`LoginThrottle.from_request(request)`, whatever turns its refusal into 429), or
    a middleware function or class that returns a response with status 429. An
    app mounted inside an app that limits rates is covered by it.

    Apps mounted in an app (`app.mount(...)`, `app.host(...)`) run inside its
    middleware: a deployment is reported once, on its outermost FastAPI app, with
    the mounted apps that limit nothing themselves as related locations.

    An app built in test code (a file under a `test`, `tests` or `testing` folder,
    or named `test_*.py`, `*_test.py`, `conftest.py`) is a test fixture, never a
    deployment: it is not reported (option `test-paths`; `[]` reports it). The
    routes of such apps are still checked by the route rules, as ruff and bandit
    check test code; turn those off for tests with `per-file-ignores`.

    ## Why is this bad?
    Without a limit, one client can call login routes until a password falls
    (credential stuffing), scrape every record, or exhaust CPU, memory and paid
    third-party quotas (CWE-770, OWASP API4:2023 Unrestricted Resource
    Consumption).

    ## Options
    - `test-paths`: folder or file name globs of test code whose apps are not
      reported (default `["test", "tests", "testing", "test_*.py", "*_test.py",
      "conftest.py"]`, matched below the scanned folder; `[]` reports every app).

    ## Known limits
    - Rate limits enforced outside the app (an API gateway, nginx `limit_req`, a
      cloud WAF) are invisible to fastlint; accept the finding where that is the design.
    - One limited route (a throttled sign-in) counts for the whole app: the other
      routes of that app are not reported, limited or not.
    - An app mounted through a name fastlint cannot follow (`app.mount(prefix,
      import_module(path).app)`, a method of an object chosen at runtime) is
      reported on its own, as a deployment of its own.
    - Apps in test code are skipped by their file's path only: an app built in a
      helper module outside the test folders and used only by tests is reported.
    """

    code = "FL006"
    name = "no-rate-limiting"
    summary = "App without rate limiting"
    severity = Severity.MEDIUM
    cwe = 770
    owasp = "API4:2023"
    owasp_title = "Unrestricted Resource Consumption"
    precision = "medium"
    requires = (RateLimits,)
    security_severity = "5.3"
    fix = (
        "Add a rate limiter, e.g. slowapi: "
        "`app.state.limiter = Limiter(key_func=get_remote_address)` "
        'and `@limiter.limit("5/minute")` on routes, or `SlowAPIMiddleware`.'
    )
    invalid = (
        """\
from fastapi import FastAPI

app = FastAPI(openapi_url=None)  # expect: FL006
""",
    )
    valid = (
        """\
from fastapi import FastAPI
from slowapi import Limiter
from slowapi.middleware import SlowAPIMiddleware
from slowapi.util import get_remote_address

limiter = Limiter(key_func=get_remote_address, default_limits=["100/minute"])
app = FastAPI(openapi_url=None)
app.state.limiter = limiter
app.add_middleware(SlowAPIMiddleware)
""",
        """\
import time

from fastapi import Depends, FastAPI, HTTPException, Request

SEEN: dict[str, list[float]] = {}


def limit(request: Request) -> None:
    host = request.client.host if request.client else "-"
    now = time.monotonic()
    recent = [t for t in SEEN.get(host, []) if now - t < 60]
    if len(recent) >= 100:
        raise HTTPException(status_code=429, detail="Too Many Requests")
    SEEN[host] = [*recent, now]


app = FastAPI(openapi_url=None, dependencies=[Depends(limit)])


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}
""",
    )

    Options = NoRateLimitingOptions
    options: NoRateLimitingOptions

    def check(self, project: Project) -> Iterator[Finding]:
        for app in project.apps:
            if (
                not app.is_fastapi
                or _inside_fastapi(app)
                or project.get(RateLimits).rate_limited(app)
            ):
                continue
            if known.in_test_code(project.relative_path(app.anchor.path), self.options.test_paths):
                continue  # a test fixture, never deployed
            mounted = [
                sub
                for sub in _mounted(app)
                if sub.is_fastapi and not project.get(RateLimits).rate_limited(sub)
            ]
            also = f" (nor do the {len(mounted)} apps mounted in it)" if len(mounted) > 1 else ""
            if len(mounted) == 1:
                also = f" (nor does `{mounted[0].name}`, mounted in it)"
            yield self.finding(
                app.anchor,
                f"FastAPI app `{app.name}` has no rate limiting{also}",
                related=tuple(
                    Related(
                        sub.anchor.path,
                        sub.anchor.span,
                        f"`{sub.name}` runs inside `{app.name}`'s middleware",
                    )
                    for sub in mounted
                ),
            )


def _inside_fastapi(app: Container) -> bool:
    """Whether some FastAPI app mounts `app`, directly or through other apps."""
    seen: set[int] = set()
    stack = list(app.mounted_by)
    while stack:
        outer = stack.pop()
        if id(outer) in seen:
            continue
        seen.add(id(outer))
        if outer.is_fastapi:
            return True
        stack.extend(outer.mounted_by)
    return False


def _mounted(app: Container) -> list[Container]:
    """The apps mounted in `app`, directly or through other mounted apps, each once."""
    found: list[Container] = []
    stack = [mount.app for mount in app.mounts]
    while stack:
        sub = stack.pop(0)
        if sub is app or any(sub is f for f in found):
            continue
        found.append(sub)
        stack.extend(mount.app for mount in sub.mounts)
    return found
