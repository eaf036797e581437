"""FL011 credential-never-verified."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from fastlint.analysis.route_auth import RouteAuth
from fastlint.findings import Finding, Severity
from fastlint.model.api import Project
from fastlint.rule import Rule


@dataclass(frozen=True)
class CredentialNeverVerifiedOptions:
    """`[tool.fastlint.rules.FL011]`."""

    # An API gateway or proxy in front of the app verifies every token: schemes only
    # read the identity it passes on.
    trusted_upstream_auth: bool = False
    # Routes whose credential a trusted upstream verifies: "METHOD /path" globs.
    trusted_routes: tuple[str, ...] = ()


class CredentialNeverVerified(Rule):
    """
    ## What it does
    Reports a route whose only authentication is a `fastapi.security` scheme
    (`OAuth2PasswordBearer`, `HTTPBearer`, `APIKeyHeader`...) whose credential
    nothing on the route's dependency chain ever *consumes*.

    The credential is followed from the parameter the scheme fills, through the
    dependencies that hand it on (`get_token` -> `get_current_user`), across
    files. It is consumed when it, its `.credentials`/`.username`/`.password`, or a
    value made from it is passed to a call that can verify it (`jwt.decode`, a
    verify or lookup helper, a database or cache query, an HTTP request to an
    identity service, a project helper that in turn consumes it, or any call
    fastlint cannot resolve), or is compared with something other than `None`,
    `""` or a scheme word (`"Bearer"`). Returning it as is, storing it in a model,
    printing, logging, `len(...)` and `str(...)` consume nothing.

    One dependency whose credential nothing verifies is one finding, at the
    dependency's `def`, naming how many routes rely on it and listing them as
    related locations (SARIF `relatedLocations`, JSON `related`).

    A route that something else authenticates (a dependency that raises 401/403
    without reading a scheme, an authentication middleware, `@requires(...)`,
    `auth-dependencies`) is not reported, nor one whose chain has a dependency
    fastlint cannot follow.

    ## Why is this bad?
    A security scheme only reads a header: `OAuth2PasswordBearer` returns whatever
    follows `Bearer `, `APIKeyHeader` whatever the header holds. If nothing checks
    it, any caller who sends *some* token is let in, while the route looks
    protected to every reviewer and tool that counts schemes as authentication
    (CWE-287 Improper Authentication, CWE-306 Missing Authentication for Critical
    Function; OWASP API2:2023 Broken Authentication).

    ## Options
    - `trusted-upstream-auth`: `true` when a gateway or proxy in front of the app
      verifies every credential (the rule then reports nothing).
    - `trusted-routes`: routes whose credential an upstream verifies, as
      `"METHOD /path"` globs. A finding can also be suppressed with
      `# fastlint: ignore[FL011]` on the dependency's `def` line.

    ## Known limits
    - A credential passed to a call fastlint cannot resolve counts as verified:
      fastlint does not guess what a third-party helper does.
    - A credential stored on `request.state` and read by the endpoint or a later
      middleware is not followed: the route is reported.
    - Verification inside a class method reached through an attribute
      (`self.verifier.check(token)`) counts when the call cannot be resolved.
    - Routes with a credential that may be absent (`auto_error=False`) that let
      anonymous callers through are FL012's, not this rule's.
    - A dependency that reads a scheme but raises 401/403 on a test of something
      else (a user it looked up from the request by other means) counts as
      authenticating otherwise, even when the scheme's own value is unused
      (argilla's provider re-reads the request in its backends).
    """

    code = "FL011"
    name = "credential-never-verified"
    summary = "Security scheme whose credential nothing verifies"
    severity = Severity.HIGH
    cwe = 287
    also_cwe = (306,)
    owasp = "API2:2023"
    owasp_title = "Broken Authentication"
    precision = "high"
    security_severity = "8.1"
    fix = (
        "Verify the credential in the dependency that reads it: decode the token with "
        '`jwt.decode(token, key, algorithms=["HS256"])` (key from the environment) and '
        "raise `HTTPException(401)` on failure, or look the key up and compare it with "
        "`secrets.compare_digest`."
    )
    invalid = (
        """\
from fastapi import APIRouter, Depends, FastAPI
from fastapi.security import OAuth2PasswordBearer

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="token")


async def get_current_user(token: str = Depends(oauth2_scheme)) -> str:  # expect: FL011
    return token


app = FastAPI()
router = APIRouter(prefix="/items", dependencies=[Depends(get_current_user)])


@router.delete("/{item_id}")
async def delete_item(item_id: int) -> None:
    ...


app.include_router(router)
""",
        {
            "shop/__init__.py": "",
            "shop/deps.py": """\
from fastapi import Depends
from fastapi.security import OAuth2PasswordBearer

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="token")


async def get_current_user(token: str = Depends(oauth2_scheme)) -> str:  # expect: FL011
    return token
""",
            "shop/main.py": """\
from fastapi import Depends, FastAPI

from shop.deps import get_current_user

app = FastAPI()


@app.delete("/items/{item_id}", dependencies=[Depends(get_current_user)])
async def delete_item(item_id: int) -> None:
    ...
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
            "shop/deps.py": """\
import os

import jwt
from fastapi import Depends, HTTPException
from fastapi.security import OAuth2PasswordBearer

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="token")


async def get_current_user(token: str = Depends(oauth2_scheme)) -> str:
    try:
        payload = jwt.decode(token, os.environ["JWT_SECRET_KEY"], algorithms=["HS256"])
    except jwt.InvalidTokenError:
        raise HTTPException(status_code=401, detail="Invalid token")
    return str(payload["sub"])
""",
            "shop/main.py": """\
from fastapi import Depends, FastAPI

from shop.deps import get_current_user

app = FastAPI()


@app.delete("/items/{item_id}", dependencies=[Depends(get_current_user)])
async def delete_item(item_id: int) -> None:
    ...
""",
        },
    )

    Options = CredentialNeverVerifiedOptions
    requires = (RouteAuth,)
    options: CredentialNeverVerifiedOptions

    def check(self, project: Project) -> Iterator[Finding]:
        if self.options.trusted_upstream_auth:
            return
        auth = project.get(RouteAuth)
        for group in auth.unverified_groups:
            routes = [
                r
                for r in group.routes
                if not any(r.matches(p) for p in self.options.trusted_routes)
            ]
            if not routes:
                continue
            first = routes[0]
            count = "1 route" if len(routes) == 1 else f"{len(routes)} routes"
            names = first.label if len(routes) == 1 else f"{first.label} and {len(routes) - 1} more"
            message = (
                f"{count} ({names}) {'is' if len(routes) == 1 else 'are'} authenticated only "
                f"by `{group.dependency}`, whose credential nothing verifies ({group.read}; "
                "it is never decoded, looked up or compared)"
            )
            related = tuple(self.related(r.anchor, f"{r.label} relies on it") for r in routes)
            yield self.finding(
                group.anchor,
                message,
                related=related,
                sources=tuple(dict.fromkeys(f for r in routes for f in auth.of(r).files)),
            )
