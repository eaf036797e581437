"""FL024 and query parameters named like credentials that are not: a `token` the
endpoint itself hands out as the next page's cursor, a client-made cancel token, a
list of session ids to filter by (`Optional[list[str]]`, `list[str] | None`), and
numbers, flags and tuples written with `Annotated[..., Query()]`. A
`token` query parameter on a route that hands out nothing is still reported."""

from __future__ import annotations

from pathlib import Path

from fastlint.testing import findings_of

APP = """\
from typing import Annotated, Optional

from fastapi import FastAPI, Query
from pydantic import BaseModel

app = FastAPI()
LINES = [f"line {n}" for n in range(100)]


class Page(BaseModel):
    lines: list[str]
    continuation_token: str | None


@app.get("/logs")
def logs(token: str | None = None) -> Page:
    start = int(token or 0)
    return Page(lines=LINES[start : start + 10], continuation_token=str(start + 10))


@app.post("/chat/cancel")
def cancel(request_cancel_token: str) -> dict[str, str]:
    return {"cancelled": request_cancel_token}


@app.get("/sessions")
def sessions(
    session_ids: Optional[list[str]] = None, session_token: list[str] | None = None
) -> list[str]:
    return [*(session_ids or []), *(session_token or [])]


@app.get("/usage")
def usage(
    api_key_limit: Annotated[int, Query(ge=1)] = 5,
    used_client_oauth_token: Annotated[bool | None, Query()] = None,
    api_keys: Annotated[tuple[str, ...], Query()] = (),
) -> list[str]:
    return list(api_keys)[:api_key_limit]


@app.get("/export")
def export(token: str) -> list[str]:
    if token != "s3cret":
        return []
    return LINES
"""


def test_cursors_and_cancel_tokens_are_not_credentials(tmp_path: Path) -> None:
    found = findings_of(tmp_path, {"app.py": APP}, "FL024")
    assert [(f.route, f.span.line) for f in found] == [("GET /export", 42)]
