"""FL006 no-rate-limiting."""

from __future__ import annotations

from collections.abc import Iterator

from fastlint.findings import Finding, Severity
from fastlint.model.api import Project
from fastlint.rule import Rule


class NoRateLimiting(Rule):
    """
    ## What it does
    Reports a `FastAPI(...)` app with no rate limiting anywhere: none of
    slowapi (a `Limiter` attached as `app.state.limiter`, `SlowAPIMiddleware`,
    `@limiter.limit(...)` on a route), fastapi-limiter (`RateLimiter` in any
    dependency), or a rate-limiting middleware (a class whose name contains
    `RateLimit` or `Throttl`, as in fastapi-guard or asgi-ratelimit). An app
    mounted inside an app that limits rates is covered by it.

    ## Why is this bad?
    Without a limit, one client can call login routes until a password falls
    (credential stuffing), scrape every record, or exhaust CPU, memory and paid
    third-party quotas (CWE-770, OWASP API4:2023 Unrestricted Resource
    Consumption).

    ## Known limits
    - Rate limits enforced outside the app (an API gateway, nginx `limit_req`, a
      cloud WAF) are invisible to fastlint; accept the finding where that is the design.
    """

    code = "FL006"
    name = "no-rate-limiting"
    summary = "App without rate limiting"
    severity = Severity.MEDIUM
    cwe = 770
    owasp = "API4:2023"
    owasp_title = "Unrestricted Resource Consumption"
    precision = "medium"
    security_severity = "5.3"
    fix = (
        "Add a rate limiter, e.g. slowapi: "
        "`app.state.limiter = Limiter(key_func=get_remote_address)` "
        'and `@limiter.limit("5/minute")` on routes, or `SlowAPIMiddleware`.'
    )
    bad_example = """\
from fastapi import FastAPI

app = FastAPI(openapi_url=None)  # expect: FL006
"""
    good_example = """\
from fastapi import FastAPI
from slowapi import Limiter
from slowapi.middleware import SlowAPIMiddleware
from slowapi.util import get_remote_address

limiter = Limiter(key_func=get_remote_address, default_limits=["100/minute"])
app = FastAPI(openapi_url=None)
app.state.limiter = limiter
app.add_middleware(SlowAPIMiddleware)
"""

    def check(self, project: Project) -> Iterator[Finding]:
        for app in project.apps:
            if not app.is_fastapi or project.rate_limited(app):
                continue
            yield self.finding(app.anchor, f"FastAPI app `{app.name}` has no rate limiting")
