"""FL021 open-redirect."""

from __future__ import annotations

from fastlint.findings import Severity

from . import FlowRule


class OpenRedirect(FlowRule):
    """
    ## What it does
    Reports a request value that becomes the target of a redirect:
    `RedirectResponse(url)` (FastAPI's or Starlette's), `response.headers["location"]`,
    or the return value of a route declared with `response_class=RedirectResponse`.
    Request values and how they are followed are as for FL020 (typed parameters,
    `Request` data, uploads, dependencies' return values; across functions and
    modules), and the finding shows the path.

    Not reported: a value checked to be relative in an `if` that raises or returns
    (`next.startswith("/") and not next.startswith("//")`, a test of
    `urlparse(next).netloc`), matched against allowed hosts (`in ALLOWED`, `==`), or
    passed to a function named like a check (`is_safe_redirect(next)`); a value
    after a fixed host or path (`f"/items/{item_id}"`, `f"{settings.FRONTEND}/done"`);
    and `request.url_for(...)`.

    ## Why is this bad?
    An open redirect lends the site's name to any address: a link to the trusted
    domain sends users to a phishing page, and OAuth flows that redirect with a
    code or token leak it to the attacker. CWE-601, OWASP API8:2023 Security
    Misconfiguration.

    ## Options
    `[tool.fastlint.rules.FL021]`: `sources`, `sinks` and `sanitisers`, lists of
    qualified names.

    ## Known limits
    - Flow-insensitive within a function: a check anywhere in it clears the value
      everywhere in it; `startswith("/")` alone is not a check, but any `in` or `==`
      test of the value is.
    - `f"/{path}"` is reported (`//evil.example` leaves the site); `f"/app/{path}"`
      is not, though a browser may still normalise `/app/../..` within the site.
    - Headers set through `response.headers.update(...)` or `MutableHeaders.append`
      are not followed.
    """

    code = "FL021"
    name = "open-redirect"
    summary = "A request value decides where a redirect goes"
    severity = Severity.MEDIUM
    cwe = 601
    owasp = "API8:2023"
    owasp_title = "Security Misconfiguration"
    precision = "high"
    security_severity = "6.1"
    fix = "Redirect only to relative paths (`/x`, not `//x`) or allowlisted hosts."
    kind = "redirect"
    reaches = "the redirect target of"
    bad_example = """\
from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse

app = FastAPI()


@app.get("/login/done")
async def login_done(next: str):
    return RedirectResponse(next)  # expect: FL021


@app.get("/out")
async def out(request: Request):
    target = request.query_params.get("to", "/")
    return RedirectResponse(url=target)  # expect: FL021
"""
    good_example = """\
from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import RedirectResponse

app = FastAPI()


@app.get("/login/done")
async def login_done(next: str):
    if not next.startswith("/") or next.startswith("//"):
        raise HTTPException(400, "bad redirect")
    return RedirectResponse(next)


@app.get("/items/{item_id}/view")
async def view(item_id: str, request: Request):
    RedirectResponse(request.url_for("home"))
    return RedirectResponse(f"/items/{item_id}")
"""
