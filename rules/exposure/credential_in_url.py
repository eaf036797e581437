"""FL024 credential-in-url."""

from __future__ import annotations

from collections.abc import Iterator

from fastlint.analysis.url_credentials import UrlCredentials
from fastlint.findings import Finding, Severity
from fastlint.model.api import Project
from fastlint.rule import Rule


class CredentialInUrl(Rule):
    """
    ## What it does
    Reports a credential taken from the URL's query string: a route's query
    parameter named like a credential (`token`, `access_token`, `api_key`,
    `password`, `secret`; not `token_type` or `api_key_name`), an `APIKeyQuery`
    security scheme, or an endpoint reading one from `request.query_params`
    (`request.query_params.get("token")`).

    On a websocket route the finding is low: browsers cannot set headers on a
    websocket handshake, so a `?token=` there is common practice; prefer a
    short-lived, single-use ticket.

    ## Why is this bad?
    URLs are written down everywhere a request passes: access logs of the
    server and of every proxy and load balancer, browser history, bookmarks,
    `Referer` headers sent to other sites, monitoring tools. A credential in the
    query string is read from all of them and can be replayed (CWE-598 Use of
    GET Request Method With Sensitive Query Strings; OWASP API2 Broken
    Authentication).

    ## Known limits
    - Names decide what is a credential: a query parameter named otherwise
      (`k`, `sig`) is not reported, and one named like a credential that holds
      something else is (`page_token`/`next_token` cursors, a `token` the
      endpoint itself hands out as `continuation_token=...`, `*_cancel_token`
      ids, lists of ids and parameters typed `bool`/`int`, such as
      `expand_secrets: bool`, also inside `Annotated[...]`, are not). A filter
      named so is reported: litellm's `?api_key=` choosing whose spend to show
      (it accepts raw keys), `session_id_prefix` selecting sessions to end.
    - Only the endpoint's own parameters and body are read: a dependency that
      declares the query parameter is not reported at each route using it.
    - Signed URLs (an expiring signature in the query, as S3 presigned URLs) are
      a deliberate design; suppress them with a reason.
    """

    code = "FL024"
    name = "credential-in-url"
    summary = "A credential is read from the URL's query string"
    severity = Severity.MEDIUM
    cwe = 598
    owasp = "API2:2023"
    owasp_title = "Broken Authentication"
    precision = "medium"
    security_severity = "5.3"
    fix = (
        "Take the credential from a header (`Authorization`, `APIKeyHeader`) or a "
        "cookie; for websockets, exchange it for a short-lived one-time ticket."
    )
    requires = (UrlCredentials,)
    severity_reasons = (("low", "a websocket, where browsers cannot send headers"),)
    invalid = (
        """\
from fastapi import FastAPI, Request, Security
from fastapi.security import APIKeyQuery

app = FastAPI(openapi_url=None)
key_in_query = APIKeyQuery(name="api_key")  # expect: FL024


@app.get("/export")  # expect: FL024
def export(access_token: str) -> dict[str, str]:
    return {}


@app.get("/feed")
def feed(request: Request, key: str = Security(key_in_query)) -> dict[str, str]:
    token = request.query_params.get("token")  # expect: FL024
    return {"token": str(bool(token))}
""",
    )
    valid = (
        """\
from fastapi import FastAPI, Security
from fastapi.security import APIKeyHeader

app = FastAPI(openapi_url=None)
key_in_header = APIKeyHeader(name="x-api-key")


@app.get("/export")
def export(
    page_token: str = "", include_secrets: bool = False, token_type: str = "bearer"
) -> dict[str, str]:
    return {}


@app.get("/feed")
def feed(key: str = Security(key_in_header)) -> dict[str, str]:
    return {}
""",
    )

    def check(self, project: Project) -> Iterator[Finding]:
        for credential in project.get(UrlCredentials).found:
            where = "a websocket's query string" if credential.websocket else "the query string"
            yield self.finding(
                credential.anchor,
                f"`{credential.name}` ({credential.how}) is a credential read from {where}: "
                "URLs are logged by servers and proxies and kept in browser history",
                severity=Severity.LOW if credential.websocket else None,
            )
