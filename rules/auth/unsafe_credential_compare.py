"""FL015 unsafe-credential-compare."""

from __future__ import annotations

from collections.abc import Iterator

from fastlint.analysis.request_credentials import CONFIGURED, DIGEST, LITERAL, RequestCredentials
from fastlint.findings import Finding, Severity
from fastlint.model.api import Project
from fastlint.rule import Rule


class UnsafeCredentialCompare(Rule):
    """
    ## What it does
    Reports `==`, `!=`, `in` or `not in` between a credential the caller sent and
    a secret: a hard-coded literal (high severity), or a secret from configuration
    (an environment variable, a settings field, a constant named like a key: medium).

    A credential the caller sent is the value a `fastapi.security` scheme reads
    (`Depends(oauth2_scheme)`, `Security(api_key_header)`) or its `.credentials` /
    `.password`; a `Header`, `Cookie` or `Query` parameter whose name or alias
    says token, api_key, secret, signature, password, session or otp (`x-api-key`;
    not `token_type` or `api_key_name`); a header
    read from the request (`request.headers["authorization"]`); a login password:
    `form_data.password` of an `OAuth2PasswordRequestForm` dependency,
    `form.password` of a request body model, or a `Form()`/`Body()` parameter named
    like a credential (`password: str = Form()`). Local names are
    followed (`token = authorization.removeprefix("Bearer ")`), across files for
    the scheme (`core/security.py`) and the `Annotated` alias that uses it. An HMAC
    digest compared with `==` to a signature header is reported too (medium). A
    secret inside an f-string counts as the secret (`== f"Bearer {API_TOKEN}"`).

    ## Why is this bad?
    A literal in the code is a credential anyone who reads the code (or the wheel)
    can use, and it cannot be rotated without a release (CWE-798). Comparing a
    secret with `==` stops at the first differing character, so response times
    tell an attacker how much of a guess is right, one character at a time
    (CWE-208); `secrets.compare_digest` takes the same time whatever the input
    (OWASP API2:2023 Broken Authentication).

    A credential looked up with `in` in a dict, list or set written in the code
    (`TOKENS = {"agent-token": ...}`) is compared with hard-coded credentials (high).

    ## Known limits
    - Comparisons with `None`, `""`, placeholders (`"null"`, `"undefined"`) and
      scheme words (`"bearer"`, `"basic"`) are not reported.
    - `if key != "secret":` whose branch hands the key on (`client(api_key=key)`,
      `config.api_key = key`) tests for a placeholder before forwarding the
      caller's own key to another service: not reported. The branch must pass the
      credential as written in the test (not a value made from it).
    - A credential compared with a value read from a database or another service
      (`user.api_key == key`) is not reported: fastlint cannot tell a stored hash
      from a stored secret. A field of a name the function read itself from
      something not named like configuration (`user = get_user(name)`, then
      `form_data.password == user.password`) is such a stored value.
    - A secret from configuration is recognised by where its value comes from
      (`os.getenv`, a `BaseSettings` field) or, when that cannot be followed, by
      its name (`settings.API_KEY`, `config.webhook_secret`, `API_TOKEN`, a
      mapping named like configuration read at a secret's key:
      `ENV_VALUES["PASSWORD"]`).
    - Values passed through helpers in other functions are not followed: only the
      parameters and local names of the function that compares. A secret held by a
      dependency factory's parameter (`def make_auth(api_key): def check(...): ...
      key == api_key`) and a scheme chosen with a conditional default
      (`key = None if scheme is None else Security(scheme)`) are not recognised.
    """

    code = "FL015"
    name = "unsafe-credential-compare"
    summary = "Request credential compared with a literal or a secret using == or in"
    severity = Severity.HIGH
    severity_reasons = (("medium", "the secret comes from configuration, not the source"),)
    cwe = 798
    also_cwe = (208,)
    owasp = "API2:2023"
    owasp_title = "Broken Authentication"
    precision = "high"
    requires = (RequestCredentials,)
    security_severity = "7.5"
    fix = (
        "Compare with `secrets.compare_digest(credential, expected)` (both `str` or both "
        "`bytes`), and read the expected secret from the environment (never a literal); "
        "for a signature use `hmac.compare_digest`."
    )
    invalid = (
        """\
import os

from fastapi import Depends, FastAPI, Header, HTTPException
from fastapi.security import OAuth2PasswordBearer

app = FastAPI()
oauth2_scheme = OAuth2PasswordBearer(tokenUrl="token")
API_KEY = os.environ["API_KEY"]


async def get_current_user(token: str = Depends(oauth2_scheme)) -> dict:
    if token == "fake-super-secret-token":  # expect: FL015
        return {"username": "admin"}
    raise HTTPException(status_code=401)


async def require_api_key(x_api_key: str = Header()) -> None:
    if x_api_key != API_KEY:  # expect: FL015
        raise HTTPException(status_code=401)


@app.get("/me")
async def me(user: dict = Depends(get_current_user)) -> dict:
    return user


@app.post("/jobs", dependencies=[Depends(require_api_key)])
async def start_job() -> None:
    ...
""",
        """\
import os

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.security import OAuth2PasswordRequestForm

app = FastAPI()
ADMIN_PASSWORD = os.environ["ADMIN_PASSWORD"]


@app.post("/token")
async def login(form_data: OAuth2PasswordRequestForm = Depends()) -> dict:
    if form_data.username == "admin" and form_data.password == "root":  # expect: FL015
        return {"access_token": "..."}
    raise HTTPException(status_code=401)


@app.get("/metrics")
async def metrics(request: Request) -> dict:
    if request.headers.get("Authorization") != f"Bearer {ADMIN_PASSWORD}":  # expect: FL015
        raise HTTPException(status_code=401)
    return {}
""",
    )
    valid = (
        """\
import os
import secrets

from fastapi import Depends, FastAPI, Header, HTTPException

app = FastAPI()
API_KEY = os.environ["API_KEY"]


async def require_api_key(x_api_key: str = Header()) -> None:
    if not x_api_key or not secrets.compare_digest(x_api_key, API_KEY):
        raise HTTPException(status_code=401)


@app.post("/jobs", dependencies=[Depends(require_api_key)])
async def start_job(authorization: str = Header()) -> None:
    scheme, _, _ = authorization.partition(" ")
    if scheme.lower() != "bearer":
        raise HTTPException(status_code=401)
""",
    )

    def check(self, project: Project) -> Iterator[Finding]:
        for compared in project.get(RequestCredentials).comparisons():
            if compared.kind == LITERAL:
                yield self.finding(
                    compared.anchor,
                    f"{compared.credential} is compared with the hard-coded {compared.what}: "
                    "anyone who reads the code can authenticate",
                )
            elif compared.kind in (CONFIGURED, DIGEST):
                yield self.finding(
                    compared.anchor,
                    f"{compared.credential} is compared with {compared.what} using "
                    f"`{compared.comparison.op}`, which leaks how much of a guess is right "
                    "through response time",
                    severity=Severity.MEDIUM,
                )
