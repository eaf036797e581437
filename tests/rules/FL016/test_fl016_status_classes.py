"""FL016 leaves alone application errors that carry their own HTTP status (a
`status_code` on the class, a base, or its `__init__`): their message is written for
the caller, like `HTTPException`'s. A plain exception class is still reported."""

from __future__ import annotations

from pathlib import Path

from fastlint.testing import findings_of

APP = """\
from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse

app = FastAPI()


class AppError(Exception):
    def __init__(self, message: str, status_code: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code


class Conflict(AppError):
    pass


class Rejected(Exception):
    status_code = 403


class StoreFailure(Exception):
    pass


class Upstream(HTTPException):
    def __init__(self, detail: str) -> None:
        super().__init__(status_code=502, detail=detail)


@app.exception_handler(Upstream)
async def on_upstream(request: Request, exc: Upstream) -> JSONResponse:
    return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)


@app.exception_handler(Conflict)
async def on_conflict(request: Request, exc: Conflict) -> JSONResponse:
    return JSONResponse({"detail": exc.message}, status_code=exc.status_code)


@app.exception_handler(StoreFailure)
async def on_store(request: Request, exc: StoreFailure) -> JSONResponse:
    return JSONResponse({"detail": str(exc)}, status_code=500)


@app.get("/items")
def items() -> dict[str, str]:
    try:
        return {"a": "b"}
    except Rejected as e:
        return JSONResponse({"detail": str(e)}, status_code=403)
"""


def test_only_the_plain_exception_class_is_reported(tmp_path: Path) -> None:
    found = findings_of(tmp_path, {"app.py": APP}, "FL016")
    lines = [(f.path.rsplit("/", 1)[-1], f.span.line) for f in found]
    assert lines == [("app.py", 43)]  # `on_store`
    assert "on_store" in found[0].message
