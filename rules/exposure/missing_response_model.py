"""FL002 missing-response-model."""

from __future__ import annotations

from collections.abc import Iterator

from fastlint.analysis.responses import Responses
from fastlint.findings import Finding, Severity
from fastlint.model.api import (
    ClassVal,
    External,
    Project,
    Route,
    Scoped,
    known,
)
from fastlint.rule import Rule


class MissingResponseModel(Rule):
    """
    ## What it does
    Reports a JSON route that declares neither `response_model=` nor a return
    annotation, so FastAPI serialises whatever the endpoint returns, as is.

    Not reported: routes that set `response_model=None` on purpose, that set a
    non-JSON `response_class` (HTML, plain text, redirect, streaming, file) on
    the route, router or app, that return a `Response` object or no value at
    all (also through a project helper that returns nothing: `return await
    _forward(request)` where `_forward` answers on the ASGI channel itself),
    that answer 204 No Content, and websocket routes. A `Response` object is
    also what a helper annotated to return one gives (`-> HTMLResponse`,
    Starlette's `_TemplateResponse`, `-> RedirectResponse | None`), what a template engine's
    `TemplateResponse(...)` gives (a `Jinja2Templates` subclass overriding it
    included), what a library method known to return one gives (Authlib's
    `authorize_redirect`, Slack Bolt's `handle`; also on a receiver fastlint cannot
    resolve, in a module that imports the library), what a method annotated to
    return one gives when it is called on a parameter of the enclosing factory
    whose annotated class declares it (`backend.login(...)` for `backend:
    AuthenticationBackend[...]`, as fastapi-users builds its routers), what an
    unannotated project helper gives when one of its own returns is a response
    (`oauth_manager.handle_login(...)` returning Authlib's redirect; two calls
    deep), a local bound to any of these, and a local annotated `response:
    Response` however it is reassigned before it is returned.

    ## Why is this bad?
    Without a response model, FastAPI does not filter the output: return an ORM
    object or a dict built from one and every column goes to the client,
    including fields added to the database later (password hashes, internal
    flags). A response model is an allow-list of what leaves the API (CWE-213,
    OWASP API3:2023 Broken Object Property Level Authorization).

    ## Known limits
    - Routes served by no app fastlint sees are not checked: the coverage warning
      lists them (scan the folder that holds the app).
    - A return annotation of `dict` or `Any` counts as a declaration, although it
      filters nothing.
    - Routes whose endpoint cannot be resolved (built dynamically) are skipped.
    - An endpoint that returns the result of a call fastlint cannot follow is
      reported even when that result is a `Response` object at runtime.
    - An endpoint that builds and returns a pydantic model itself (`return
      ItemOut.model_validate(row)`) is reported although that model filters the
      output: declare it as the response model, so FastAPI documents and checks it.
    """

    code = "FL002"
    name = "missing-response-model"
    summary = "JSON route without a response model"
    severity = Severity.LOW
    cwe = 213
    owasp = "API3:2023"
    owasp_title = "Broken Object Property Level Authorization"
    precision = "medium"
    requires = (Responses,)
    security_severity = "4.3"
    fix = (
        "Declare what the route returns: `response_model=ItemOut` "
        "or a return annotation `-> ItemOut`."
    )
    invalid = (
        """\
from fastapi import FastAPI

app = FastAPI()


@app.get("/items/{item_id}")  # expect: FL002
async def read_item(item_id: int):
    return {"id": item_id, "owner_password_hash": "..."}
""",
    )
    valid = (
        """\
from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from pydantic import BaseModel

app = FastAPI()


class ItemOut(BaseModel):
    id: int


@app.get("/items/{item_id}", response_model=ItemOut)
async def read_item(item_id: int):
    return {"id": item_id}


@app.get("/items/{item_id}/summary")
async def summary(item_id: int) -> ItemOut:
    return ItemOut(id=item_id)


@app.get("/page", response_class=HTMLResponse)
async def page():
    return "<h1>Items</h1>"


@app.delete("/items/{item_id}", status_code=204)
async def delete_item(item_id: int):
    ...
""",
    )

    def check(self, project: Project) -> Iterator[Finding]:
        for route in project.routes:
            if route.is_websocket or route.endpoint is None or route.endpoint.return_annotation:
                continue
            if route.starlette or not project.instances_of(route):
                continue  # no response model in Starlette; unserved: listed as not checked
            if route.kwarg("response_model") is not None or route.has_star:
                continue
            if self._not_json(project, route):
                continue
            anchor = project.route_anchor(route)
            yield self.finding(
                anchor,
                f"{anchor.subject} has no response model: "
                "whatever the endpoint returns is sent as is",
            )

    @staticmethod
    def _not_json(project: Project, route: Route) -> bool:
        if route.status_code == 204 or (route.status_name or "").startswith("HTTP_204"):
            return True
        response_class = _response_class(project, route)
        if response_class is not None:
            for value in project.values(response_class.expr, response_class.ctx):
                if not isinstance(value, (ClassVal, External)):
                    return True  # cannot tell: stay silent
                if not project.inherits(value, known.is_json_response):
                    return True
        assert route.endpoint is not None
        # An endpoint that returns no value (or only `None`) has nothing to leak.
        responses = project.get(Responses)
        return responses.returns_nothing(route.endpoint) or responses.returns_response(
            route.endpoint
        )


def _response_class(project: Project, route: Route) -> Scoped | None:
    """The response class in force: the route's, else the nearest router's or app's default."""
    explicit = route.kwarg("response_class")
    if explicit is not None:
        return explicit
    containers = [route.container]
    for instance in project.instances_of(route):
        containers.extend(reversed(instance.chain))
    for container in containers:
        default = container.kwarg("default_response_class")
        if default is not None:
            return default
    return None
