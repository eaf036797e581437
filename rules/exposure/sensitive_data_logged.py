"""FL017 sensitive-data-logged."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from fastlint.analysis.logged_data import CREDENTIAL, LoggedRequestData
from fastlint.findings import Finding, Severity
from fastlint.model.api import Project
from fastlint.rule import Rule


@dataclass(frozen=True)
class SensitiveDataLoggedOptions:
    """`[tool.fastlint.rules.FL017]`."""

    personal_data: bool = True  # also report personal data (e-mail, phone...) at low severity


class SensitiveDataLogged(Rule):
    """
    ## What it does
    Reports a logging call in a route's endpoint whose arguments hold request data
    that must not reach logs:

    - a credential: a parameter named like one (`password`, `api_key`,
      `x_api_token` from a header, query, cookie, form or body), the raw token a
      security scheme hands over (`token: str = Depends(oauth2_scheme)`),
      `request.headers` (which holds `Authorization` and `Cookie`), or
      `request.headers.get("authorization")`;
    - a credential field of a request model (`user.password`, `body.api_key`),
      or the whole model (`user`, `user.model_dump()`, `user.dict()`) when it
      has one;
    - at low severity, personal data: a request model's `email`, `phone`,
      `address`, `date_of_birth`... fields, or the whole model holding them
      (option `personal-data = false` turns these off).

    Logging calls are `logging`'s functions, logger objects (`logger.info`,
    `self.log.error`, `logging.getLogger(...)` results), structlog and loguru
    loggers, and `print`. Values are followed through f-strings, `%`, `+`,
    `str()`, `.format()`, lists, dicts and `extra={...}`. Fields typed
    `SecretStr`/`SecretBytes` print as `**********` and are not reported.

    ## Why is this bad?
    Logs are read by more people and systems than the database: log shippers,
    dashboards, support staff, third-party processors. A password or token in a
    log line can be replayed by any of them, and personal data there escapes the
    retention and access rules it is kept under (CWE-532 Insertion of Sensitive
    Information into Log File, CWE-359 Exposure of Private Personal Information;
    OWASP API3 and API8).

    ## Known limits
    - Only the endpoint's own body is read: a value logged in a dependency, a
      middleware, an exception handler or a function the endpoint calls is not
      reported, nor a value first assigned to a local variable
      (`msg = f"{user.password}"; logger.info(msg)`).
    - Field names decide what is a credential or personal data; a field named
      otherwise (`pw`, `contact`) is not reported.
    - A log level that production turns off (`logger.debug`) is still reported:
      configuration can turn it back on.
    """

    code = "FL017"
    name = "sensitive-data-logged"
    summary = "A route logs a credential or personal data from the request"
    severity = Severity.MEDIUM
    cwe = 532
    also_cwe = (359,)
    owasp = "API3:2023"
    owasp_title = "Broken Object Property Level Authorization"
    also_owasp = (("API8:2023", "Security Misconfiguration"),)
    precision = "high"
    security_severity = "5.5"
    fix = (
        "Log an identifier instead of the value (`user.username`, a request id), or mask it; "
        "declare secrets as `SecretStr`."
    )
    Options = SensitiveDataLoggedOptions
    options: SensitiveDataLoggedOptions
    requires = (LoggedRequestData,)
    severity_reasons = (("low", "personal data, not a credential"),)
    invalid = (
        """\
import logging

from fastapi import FastAPI, Header
from pydantic import BaseModel

app = FastAPI(openapi_url=None)
logger = logging.getLogger(__name__)


class SignUp(BaseModel):
    username: str
    email: str
    password: str


@app.post("/signup")
def sign_up(form: SignUp) -> dict[str, str]:
    logger.info("sign-up: %s", form.model_dump())  # expect: FL017
    print(f"new user {form.username} <{form.email}>")  # expect: FL017
    return {"username": form.username}


@app.get("/me")
def me(x_api_key: str = Header()) -> dict[str, str]:
    logger.debug(f"key used: {x_api_key}")  # expect: FL017
    return {}
""",
    )
    valid = (
        """\
import logging

from fastapi import FastAPI, Header
from pydantic import BaseModel, SecretStr

app = FastAPI(openapi_url=None)
logger = logging.getLogger(__name__)


class SignUp(BaseModel):
    username: str
    password: SecretStr


@app.post("/signup")
def sign_up(form: SignUp) -> dict[str, str]:
    logger.info("sign-up: %s", form)  # the password prints as **********
    print(f"new user {form.username}")
    return {"username": form.username}


@app.get("/me")
def me(x_api_key: str = Header()) -> dict[str, str]:
    logger.debug("key used: %s...", len(x_api_key))
    return {}
""",
    )

    def check(self, project: Project) -> Iterator[Finding]:
        for logged in project.get(LoggedRequestData).values:
            credential = logged.kind == CREDENTIAL
            if not credential and not self.options.personal_data:
                continue
            label = "a credential" if credential else "personal data"
            yield self.finding(
                logged.anchor,
                f"{project.route_anchor(logged.route).subject} logs {label}: {logged.what}",
                severity=Severity.HIGH if credential else Severity.LOW,
            )
