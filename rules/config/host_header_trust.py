"""FL029 host-header-trust."""

from __future__ import annotations

from collections.abc import Iterator

from fastlint.analysis.host_links import HostLinks
from fastlint.findings import Finding, Severity
from fastlint.model.api import Project
from fastlint.rule import Rule


class HostHeaderTrust(Rule):
    """
    ## What it does
    Reports a password-reset, verification, confirmation, activation, invitation
    or magic link built from the host the client sent: `request.base_url`,
    `request.url_for(...)`, `request.url.hostname`/`netloc`, or the `Host` (or
    `X-Forwarded-Host`) header (`request.headers["host"]`), on a parameter typed
    `Request`, in an app without `TrustedHostMiddleware` listing its hosts (none,
    or `allowed_hosts=["*"]`, its default).

    What the link is for is read from the names around it: the function that
    builds it, the route it serves, the variable it is stored in, the call it is
    handed to and the text written with it (`reset`, `verify`, `confirm`,
    `activate`, `invite`, `magic`, `password`). Only a link that carries a secret
    (a `token`, `code`, `key`... in its query, path or `url_for` keywords) or that
    is handed to a call sending it (named with `send`, `mail`, `notify`, `link`,
    `url`, `message`) is reported: a link drawn on the page that asked for it
    reaches only whoever asked. Each function is reported once, at its first such
    link. Code in tests is not read.

    ## Why is this bad?
    Starlette builds `base_url` and `url_for` from the request's `Host` header,
    which the client writes. An attacker asks for a reset of the victim's account
    with `Host: evil.example`: the victim receives a genuine e-mail whose link
    carries a valid token to the attacker's server, and one click hands the
    account over (password reset poisoning; CWE-20 Improper Input Validation,
    CWE-640 Weak Password Recovery Mechanism for Forgotten Password; OWASP API8
    Security Misconfiguration).

    ## Known limits
    - A link built in a helper is linked to its purpose by the helper's own names
      and text only; a helper `build_url(request, path)` called with
      `"/reset"` is not reported.
    - A helper no route serves directly is protected by a `TrustedHostMiddleware`
      on any app of the project.
    - A link with no token in sight that is handed to a project function not
      named for sending (`user_routes.sign_up(user, request.url_for("verify_email"))`,
      which mails it) or stored and mailed later by a worker is not reported.
    - A proxy that rewrites or checks `Host` (nginx `server_name` with a default
      server that refuses others) is invisible; suppress the finding with a reason.
    - An `allowed_hosts` value fastlint cannot read (from the environment)
      counts as a list of hosts.
    """

    code = "FL029"
    name = "host-header-trust"
    summary = "An account link is built from the Host header the client sent"
    severity = Severity.HIGH
    cwe = 20
    also_cwe = (640,)
    owasp = "API8:2023"
    owasp_title = "Security Misconfiguration"
    precision = "medium"
    security_severity = "7.1"
    fix = (
        "Build account links from a configured public URL (`settings.FRONTEND_URL`), "
        'or add `TrustedHostMiddleware(allowed_hosts=["app.example.com"])`.'
    )
    requires = (HostLinks,)
    bad_example = """\
from fastapi import FastAPI, Request

app = FastAPI(openapi_url=None)


def send_mail(to: str, body: str) -> None: ...


@app.post("/password/forgot")
def forgot_password(request: Request, email: str) -> dict[str, str]:
    link = f"{request.base_url}password/reset?token=t0k3n"  # expect: FL029
    send_mail(email, link)
    return {"status": "sent"}


@app.post("/invitations")
def invite(request: Request, email: str) -> dict[str, str]:
    send_mail(email, str(request.url_for("accept_invitation", code="c0d3")))  # expect: FL029
    return {"status": "sent"}


@app.get("/invitations/{code}")
def accept_invitation(code: str) -> dict[str, str]:
    return {"code": code}
"""
    good_example = """\
import os

from fastapi import FastAPI, Request
from fastapi.middleware.trustedhost import TrustedHostMiddleware

PUBLIC_URL = os.environ.get("PUBLIC_URL", "https://app.example.com")

app = FastAPI(openapi_url=None)


def send_mail(to: str, body: str) -> None: ...


@app.post("/password/forgot")
def forgot_password(email: str) -> dict[str, str]:
    send_mail(email, f"{PUBLIC_URL}/password/reset?token=t0k3n")
    return {"status": "sent"}


admin = FastAPI(openapi_url=None)
admin.add_middleware(TrustedHostMiddleware, allowed_hosts=["admin.example.com"])


@admin.post("/invitations")
def invite(request: Request, email: str) -> dict[str, str]:
    send_mail(email, f"{request.base_url}invitations/accept?code=c0d3")
    return {"status": "sent"}
"""

    def check(self, project: Project) -> Iterator[Finding]:
        for link in project.get(HostLinks).links:
            article = "an" if link.purpose[0] in "aeiou" else "a"
            yield self.finding(
                link.anchor,
                f"`{link.function}` builds {article} {link.purpose} link from {link.source}: "
                "a request with `Host: evil.example` sends the link, and its token, "
                "to the attacker's server",
            )
