"""FL016 exception-detail-in-response."""

from __future__ import annotations

from collections.abc import Iterator

from fastlint.analysis.exception_detail import ExceptionDetails
from fastlint.findings import Finding, Severity
from fastlint.model.api import Project
from fastlint.rule import Rule


class ExceptionDetailInResponse(Rule):
    """
    ## What it does
    Reports a response that carries the text of a caught exception:

    - in an `except ... as e:` block, `raise HTTPException(status_code, detail=...)`
      (or `WebSocketException(reason=...)`) whose detail is built from `e`
      (`str(e)`, `repr(e)`, `f"failed: {e}"`, `e.args`, a local variable assigned
      from it) or from the traceback (`traceback.format_exc()`,
      `sys.exc_info()`), or a returned response (`JSONResponse({"error": str(e)})`,
      a returned dict or string) built the same way;
    - an exception handler registered on an app
      (`@app.exception_handler(Exception)`, `add_exception_handler`) whose
      response is built from the exception it is handed.

    High when the status is 5xx or every exception is caught (`except:`,
    `except Exception`, a handler for `Exception`); medium otherwise. Exceptions
    written for the caller are not reported: `HTTPException` and its subclasses,
    `WebSocketException`, `RequestValidationError` and pydantic's
    `ValidationError`. Code in tests is not read.

    ## Why is this bad?
    An unexpected exception's text describes the server, not the request: SQL
    statements and table names, file paths, hostnames and ports of internal
    services, library versions, sometimes the credentials in a connection
    string. Sent to the caller, it maps the system for an attacker and turns a
    blind injection into a visible one (CWE-209 Generation of Error Message
    Containing Sensitive Information; OWASP API8 Security Misconfiguration).

    The exception's text is followed through `str()`, `repr()`, `format()`,
    f-strings, `%`, `+`, string methods (`.format`, `.join`, `.replace`...) and
    attribute reads; not through other calls, which may make a safe message of it
    (`ERROR_MESSAGES.DEFAULT(e)`, `error_for_client(exc)`). authlib's
    `OAuthError` is written for the client too.

    ## Known limits
    - Only the `except` block itself and registered handlers are read: an
      exception text passed to a helper that builds the response, or stored and
      returned later, is not followed.
    - A project exception class that carries its own HTTP status (a
      `status_code` on the class or a base, or a `status_code` parameter of its
      `__init__`), or derives from `HTTPException`, is taken as written for the
      caller and not reported. One without (a `DomainError("Title is
      required")`, a `ValueError` raised for bad input) is reported when caught
      with a detail built from it: on 36 real apps about 40% of the 1089
      findings are such designed messages (true to the letter, of low value);
      add a suppression, or give the class its status.
    - Any attribute of the exception but its type and status is taken as its
      text: `f"Maximum of {e.max_allowed} reached"` is reported.
    - The status of `HTTPException(status.HTTP_...)` is read from the name;
      a status held in a variable is unknown (then the caught type decides).
    """

    code = "FL016"
    name = "exception-detail-in-response"
    summary = "A caught exception's text is sent in the response"
    severity = Severity.MEDIUM
    cwe = 209
    owasp = "API8:2023"
    owasp_title = "Security Misconfiguration"
    precision = "high"
    security_severity = "5.3"
    fix = (
        "Log the exception (`logger.exception(...)`) and send a fixed message "
        '(`detail="Internal error"`) with an id the logs can be searched by.'
    )
    requires = (ExceptionDetails,)
    invalid = (
        """\
import logging

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse

app = FastAPI(openapi_url=None)


def load_report(report_id: int) -> dict[str, int]:
    raise RuntimeError(f"connect to postgres://reports:pw@10.0.0.5/{report_id} failed")


@app.get("/reports/{report_id}")
def report(report_id: int) -> dict[str, int]:
    try:
        return load_report(report_id)
    except Exception as exc:
        raise HTTPException(status_code=500, detail=str(exc))  # expect: FL016


@app.exception_handler(Exception)
async def on_error(request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse({"error": repr(exc)}, status_code=500)  # expect: FL016
""",
    )
    valid = (
        """\
import logging

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse

app = FastAPI(openapi_url=None)
logger = logging.getLogger(__name__)


def load_report(report_id: int) -> dict[str, int]:
    raise RuntimeError("connection failed")


@app.get("/reports/{report_id}")
def report(report_id: int) -> dict[str, int]:
    try:
        return load_report(report_id)
    except HTTPException as exc:
        raise HTTPException(status_code=exc.status_code, detail=exc.detail)
    except Exception:
        logger.exception("report %s failed", report_id)
        raise HTTPException(status_code=500, detail="Internal error")


@app.exception_handler(Exception)
async def on_error(request: Request, exc: Exception) -> JSONResponse:
    logger.error("unhandled: %s", exc)
    return JSONResponse({"error": type(exc).__name__}, status_code=500)
""",
    )

    def check(self, project: Project) -> Iterator[Finding]:
        for detail in project.get(ExceptionDetails).details:
            high = detail.broad or (detail.status is not None and detail.status >= 500)
            status = f" with status {detail.status}" if detail.status else ""
            yield self.finding(
                detail.anchor,
                f"{detail.sink}{status} carries the text of a caught exception "
                f"({detail.caught}): internal details reach the caller",
                severity=Severity.HIGH if high else Severity.MEDIUM,
            )
