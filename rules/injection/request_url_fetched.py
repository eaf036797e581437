"""FL020 request-url-fetched."""

from __future__ import annotations

from fastlint.findings import Severity

from . import FlowRule


class RequestUrlFetched(FlowRule):
    """
    ## What it does
    Reports a request value that reaches the URL (or the host) the server fetches:
    `httpx` (functions, `Client`/`AsyncClient` methods and `base_url=`), `requests`
    (functions and `Session` methods), `aiohttp.ClientSession` methods,
    `urllib.request.urlopen`/`Request`, `urllib3` and `websockets.connect`.

    Request values are what FastAPI binds from the request, by type: `str`, `bytes`,
    `Any`, `dict`, lists of them, URL-like types and body models' string fields
    (`HttpUrl` too: it checks the form, not the host); `request.query_params`,
    `headers`, `cookies`, `path_params`, `await request.json()/form()/body()`,
    `UploadFile.filename`, `WebSocket.receive_*()`; and what a dependency returns
    from them. `int`, `float`, `bool`, `UUID`, dates, `Enum`, `Literal` and strings
    with a `pattern=` anchored to letters, digits, `_` and `-` are not. The value is
    followed through assignments, f-strings, `+`, `%`, `.format`, string methods,
    containers, model attributes, `await`, returns and calls into the project's
    functions and service classes, in any module. The finding shows the path.

    Not reported: a value checked against an allowlist in an `if` test
    (`urlparse(url).hostname in ALLOWED`, `url.startswith("https://api.example.com/")`,
    a comparison with a configured URL), or passed to a function named like a check
    (`is_allowed_url(url)`, `validate_url(url)`, also as `to_thread(validate_url, url)`);
    the return value of a function named like a sanitiser (`safe_url(u)`,
    `sanitize(u)`); a model field with a `@field_validator` and a type with an
    `AfterValidator`/`Predicate`; and a value placed after a fixed scheme and
    host, after a relative path or after a configured base URL
    (`f"{settings.API}/items?q={q}"`), or passed as `params=`.

    ## Why is this bad?
    Server-side request forgery: the caller makes the server fetch an address of
    their choosing, from inside the network: cloud metadata endpoints
    (`169.254.169.254`), admin interfaces and databases that trust the server, or
    files through other schemes. CWE-918, OWASP API7:2023 Server Side Request
    Forgery.

    ## Options
    `[tool.fastlint.rules.FL020]`: `sources`, `sinks` and `sanitisers`, lists of
    qualified names (`app.net.fetch_json` as a sink, `app.net.allowed_url` as a
    sanitiser whose return value is safe).

    ## Known limits
    - Flow-insensitive within a function: a check anywhere in the function clears
      the value everywhere in it, and any `if` test naming the value with `in`, `==`
      or a check method counts as a check (a weak check hides a real flaw).
    - Checks and sanitisers are also recognised by name (words such as `safe`,
      `valid`, `check`, `allow`, `sanitize`, `inside`), and a validator on a field or
      type is taken to check it, whatever it does.
    - Admin-only endpoints that test a configured URL (`POST /verify`) are reported:
      authorisation is FL001's concern, not this rule's.
    - A value right after a configured value (`f"{base}{path}"`) is taken to be a
      path under that base, though a base without a trailing `/` lets `@host` in.
    - Calls the model cannot resolve (a client passed around untyped, callbacks,
      `getattr`) are not followed; nor are values stored on `self` or in globals
      and read elsewhere.
    """

    code = "FL020"
    name = "request-url-fetched"
    summary = "A request value decides which URL the server fetches (SSRF)"
    severity = Severity.HIGH
    cwe = 918
    owasp = "API7:2023"
    owasp_title = "Server Side Request Forgery"
    precision = "high"
    security_severity = "8.6"
    fix = "Fetch only allowlisted hosts: check `urlparse(url).hostname` against a fixed set."
    kind = "url"
    reaches = "the URL fetched by"
    bad_example = """\
import httpx
from fastapi import FastAPI

app = FastAPI()


def preview_url(link: str) -> str:
    return link.strip()


@app.get("/preview")
async def preview(url: str):
    target = preview_url(url)
    async with httpx.AsyncClient() as client:
        response = await client.get(target)  # expect: FL020
    return {"status": response.status_code}
"""
    good_example = """\
from urllib.parse import urlparse

import httpx
from fastapi import FastAPI, HTTPException

app = FastAPI()
ALLOWED_HOSTS = {"api.example.com"}


@app.get("/preview")
async def preview(url: str):
    if urlparse(url).hostname not in ALLOWED_HOSTS:
        raise HTTPException(400, "host not allowed")
    async with httpx.AsyncClient() as client:
        response = await client.get(url)
    return {"status": response.status_code}


@app.get("/search")
async def search(q: str, item_id: int):
    async with httpx.AsyncClient() as client:
        await client.get(f"https://api.example.com/search?q={q}")
        await client.get(f"https://api.example.com/items/{item_id}")
        response = await client.get("https://api.example.com/find", params={"q": q})
    return {"status": response.status_code}
"""
