"""FL019 unbounded-upload-read."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from fastlint.analysis.upload_reads import FILE, FORM, UnboundedReads
from fastlint.findings import Finding, Severity
from fastlint.model.api import Project
from fastlint.rule import Rule


@dataclass(frozen=True)
class UnboundedUploadReadOptions:
    """`[tool.fastlint.rules.FL019]`."""

    # A proxy in front of the app (nginx `client_max_body_size`, a gateway) limits
    # request bodies: nothing is reported.
    max_body_size_proxy: bool = False


class UnboundedUploadRead(Rule):
    """
    ## What it does
    Reports a call that reads a whole request body or upload into the server with
    nothing bounding its size:

    - `await file.read()` (or `read(-1)`) and `file.file.read()` on a parameter
      typed `UploadFile` (an item of a `list[UploadFile]` too);
    - `await request.body()`, `await request.json()` and `await request.form()`
      (low: form files go to a temporary file, not to memory) on a parameter typed
      `Request`.

    A read is bounded, and not reported, when it is given a size
    (`await file.read(1024 * 1024)` in a loop that counts), when the function that
    reads, a function calling it or a dependency of its route checks a size (a
    comparison with a size or a limit, `file.size`, the `Content-Length` header or
    a number of 1 KiB or more; or a 413 status), and when the apps serving the
    route have a body-size middleware: one named for it
    (`ContentSizeLimitMiddleware`, `LimitUploadSize`, `MaxBodySizeMiddleware`) or
    a middleware of the project that answers 413. Code in tests is not read.

    ## Why is this bad?
    Neither FastAPI nor Starlette limits the size of a request body. A read of
    the whole body holds it in memory: a few requests of a few gigabytes exhaust
    the server's memory and every request it serves fails (CWE-770 Allocation of
    Resources Without Limits or Throttling, CWE-400 Uncontrolled Resource
    Consumption; OWASP API4 Unrestricted Resource Consumption).

    ## Options
    - `max-body-size-proxy`: `true` when a proxy in front of the app limits the
      size of request bodies (nginx `client_max_body_size`, an API gateway):
      nothing is reported (default `false`).

    ## Known limits
    - A size check anywhere in the reading function counts, also one made after
      the whole body is read (`if len(data) > MAX`): the upload is refused, but its
      memory was spent.
    - A 413 anywhere in a middleware counts, also one answered on some paths only.
    - A read in a helper that no route names as its endpoint is bounded by a
      body-size middleware on any app of the project.
    - A check of the `Content-Length` header counts as a bound, though a chunked
      request carries none; count the bytes too.
    - A read through a name whose type is not written (`file = form["file"]`, an
      unannotated helper parameter) is not seen, nor a stream copied to disk
      without a count (`shutil.copyfileobj(file.file, out)`).
    - A loop of bounded reads (`read(65536)`) that never stops at a total is not
      reported.
    """

    code = "FL019"
    name = "unbounded-upload-read"
    summary = "A request body or upload is read whole with no size limit"
    severity = Severity.MEDIUM
    cwe = 770
    also_cwe = (400,)
    owasp = "API4:2023"
    owasp_title = "Unrestricted Resource Consumption"
    precision = "medium"
    security_severity = "5.3"
    fix = (
        "Read in chunks and stop at a limit (`await file.read(1 << 20)` in a loop that "
        "counts, 413 past it), or reject large bodies in a middleware by "
        "`Content-Length` and by counting."
    )
    Options = UnboundedUploadReadOptions
    options: UnboundedUploadReadOptions
    requires = (UnboundedReads,)
    bad_example = """\
from fastapi import FastAPI, Request, UploadFile

app = FastAPI(openapi_url=None)


@app.post("/avatars")
async def upload_avatar(file: UploadFile) -> dict[str, int]:
    data = await file.read()  # expect: FL019
    return {"size": len(data)}


@app.post("/events")
async def ingest(request: Request) -> dict[str, int]:
    payload = await request.json()  # expect: FL019
    return {"count": len(payload)}
"""
    good_example = """\
from fastapi import FastAPI, HTTPException, Request, UploadFile

app = FastAPI(openapi_url=None)
MAX_UPLOAD = 5 * 1024 * 1024


@app.post("/avatars")
async def upload_avatar(file: UploadFile) -> dict[str, int]:
    total = 0
    while chunk := await file.read(64 * 1024):
        total += len(chunk)
        if total > MAX_UPLOAD:
            raise HTTPException(status_code=413)
    return {"size": total}


@app.post("/events")
async def ingest(request: Request) -> dict[str, int]:
    if int(request.headers.get("content-length", "0")) > MAX_UPLOAD:
        raise HTTPException(status_code=413)
    payload = await request.json()
    return {"count": len(payload)}
"""

    def check(self, project: Project) -> Iterator[Finding]:
        if self.options.max_body_size_proxy:
            return
        for read in project.get(UnboundedReads).reads:
            form = read.kind == FORM
            where = "to a temporary file" if form else "into memory"
            whole = "upload" if read.kind == FILE else "request body"
            yield self.finding(
                read.anchor,
                f"{read.what} in `{read.function}` reads the whole {whole} {where} "
                "with no size limit in the app: one large request exhausts the server",
                severity=Severity.LOW if form else None,
            )
