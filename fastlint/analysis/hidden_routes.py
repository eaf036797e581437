"""Routes left out of the OpenAPI schema, and whether anonymous callers reach them.

A route is hidden when `include_in_schema=False` is given to it or to a router or
app on its way, or when it is served by an app mounted inside another one (the
parent's `/docs` never lists a mounted app's routes) that serves no schema of its
own (`openapi_url=None`) or escapes the parent's `dependencies=[...]`, which do
not run for mounted apps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from fastlint.analysis import Analysis
from fastlint.analysis.ownership import mentions
from fastlint.analysis.route_auth import RouteAuth, Verdict
from fastlint.facts.expr import Call, Const, DictExpr, Expr, Seq, children, last_name
from fastlint.model.parameters import SPECIAL
from fastlint.model.project import Project
from fastlint.model.rejection import mentioned_codes
from fastlint.model.routing import Container, RouteInstance, Scoped, app_label
from fastlint.model.values import FunctionVal

__all__ = ["HiddenRoute", "SchemaVisibility"]

REACHABLE = (Verdict.OPEN, Verdict.OPEN_UNLESS_CONFIGURED)
REFUSALS = frozenset({400, 404, 405, 410, 501})
STATUS_DIGITS = re.compile(r"(\d{3})")
# Operational endpoints that are public and unlisted by convention (probes, the docs
# pages FL005 is about, browser files); dogfood: opal's /healthcheck and /redoc.
OPERATIONAL = re.compile(
    r"^/?(.*/)?(health\w*|healthz|heartbeat|livez?|liveness|readyz?|readiness|ping|docs"
    r"|redoc|openapi\.json|favicon\.ico|robots\.txt|oauth2-redirect)/?$"
    r"|^/\.well-known/"  # discovery documents (RFC 8615): public by design
)


@dataclass(frozen=True)
class HiddenRoute:
    """A served route missing from the schema that anonymous callers reach."""

    instance: RouteInstance
    why: str  # "`include_in_schema=False` on the route", "mounted in app `api`..."
    verdict: Verdict


class SchemaVisibility(Analysis):
    """Whether each served route appears in its app's OpenAPI schema."""

    def __init__(self, project: Project) -> None:
        super().__init__(project)

    def visible(self, instance: RouteInstance) -> bool | None:
        """False when the route, a router or an app on its way hides it; None when a
        flag on the way cannot be read; websockets never appear."""
        if instance.route.is_websocket:
            return False
        flags = [self._flag(instance.route.kwarg("include_in_schema"))]
        flags.extend(self._flag(c.kwarg("include_in_schema")) for c in instance.chain)
        if any(f is False for f in flags):
            return False
        return None if any(f is None for f in flags) else True

    def hidden_by(self, instance: RouteInstance) -> str | None:
        """What leaves an HTTP route out of the schema, if something does."""
        if instance.route.is_websocket:
            return None  # never in OpenAPI: not hidden on purpose
        if self._flag(instance.route.kwarg("include_in_schema")) is False:
            return "`include_in_schema=False` on the route"
        for container in instance.chain:
            if self._flag(container.kwarg("include_in_schema")) is False:
                return f"`include_in_schema=False` on {_what(container)}"
        if not instance.outer_apps:
            return None
        guarded = [a for a in instance.outer_apps if a.kwarg("dependencies") is not None]
        if guarded:
            return (
                f"served by app `{app_label(instance.app)}` mounted in "
                f"`{app_label(guarded[-1])}`, whose `dependencies=[...]` do not run for it"
            )
        schema = instance.app.kwarg("openapi_url")
        if schema is not None and self.project.literal(schema).value is None:
            return (
                f"served by app `{app_label(instance.app)}`, mounted in "
                f"`{app_label(instance.outer_apps[-1])}` and serving no schema of its own"
            )
        return None

    @cached_property
    def hidden_public(self) -> list[HiddenRoute]:
        """Hidden routes anonymous callers reach in the configuration that ships."""
        auth = self.project.get(RouteAuth)
        documented = {
            i.route.endpoint
            for i in self.project.instances
            if i.route.endpoint is not None
            and self.visible(i) is True
            and self.hidden_by(i) is None
        }
        found = []
        for instance in self.project.instances:
            why = self.hidden_by(instance)
            if why is None or OPERATIONAL.match(instance.full_path):
                continue
            if _docs_page(instance):
                continue  # a docs page served by hand (`/swagger`, `/scalar`): FL005's
            if set(instance.route.methods) <= {"HEAD", "OPTIONS"} or _constant(instance):
                continue  # probes by another name: nothing read, nothing but a constant
            if _refuses(instance) or instance.route.endpoint in documented:
                continue  # a catch-all 404, or a hidden alias of a documented endpoint
            if self._gated(instance):
                continue  # the endpoint refuses callers itself (`_require_local_access`)
            verdict = auth.of(instance)
            if verdict.verdict in REACHABLE and not verdict.redirects_only:
                found.append(HiddenRoute(instance, why, verdict.verdict))
        return found

    def _gated(self, instance: RouteInstance) -> bool:
        """Whether the endpoint turns callers away by what their request says: an `if`
        on the request that answers 401/403, or a helper handed the request that does
        (skyvern's `_require_local_access(request)`, refusing all but localhost)."""
        endpoint = instance.route.endpoint
        if endpoint is None:
            return False
        requests = {
            p.name
            for p in self.project.parameters(endpoint, instance.full_path)
            if p.source == SPECIAL
        }
        if not requests:
            return False
        fact = endpoint.fact
        if mentioned_codes(fact) and any(
            g.outcome in ("raise", "return") and any(mentions(g.test, r) for r in requests)
            for g in fact.body.guards
        ):
            return True
        for site in self.project.calls.in_function(endpoint):
            if not any(mentions((site.call.args, site.call.kwargs), r) for r in requests):
                continue
            for callee in site.callees:
                if isinstance(callee, FunctionVal) and mentioned_codes(callee.fact):
                    return True
        return False

    def _flag(self, scoped: Scoped | None) -> bool | None:
        if scoped is None:
            return True
        value = self.project.literal(scoped).value
        return value if isinstance(value, bool) else None


def _what(container: Container) -> str:
    kind = "router" if container.kind == "router" else "app"
    return f"{kind} `{app_label(container)}`"


def _constant(instance: RouteInstance) -> bool:
    """An endpoint that takes nothing and returns only literals (`return {"ok": True}`,
    `return Response()`): a probe, whatever its path (opal's `/`, skyvern's version)."""
    endpoint = instance.route.endpoint
    if endpoint is None or endpoint.fact.params:
        return False
    returned = endpoint.returned
    return bool(returned) and all(_literal(expr) for expr in returned)


# Functions that render the API's docs pages (FastAPI's, and scalar-fastapi's).
DOCS_PAGES = frozenset(
    {"get_swagger_ui_html", "get_redoc_html", "get_swagger_ui_oauth2_redirect_html"}
    | {"get_scalar_api_reference"}
)


def _docs_page(instance: RouteInstance) -> bool:
    """An endpoint returning a docs page (`return get_swagger_ui_html(...)`): the
    schema's own viewer under another path (docling-serve's `/swagger`, `/scalar`)."""
    endpoint = instance.route.endpoint
    return endpoint is not None and any(
        isinstance(expr, Call) and last_name(expr.func) in DOCS_PAGES for expr in endpoint.returned
    )


def _literal(expr: Expr) -> bool:
    if isinstance(expr, Const):
        return True
    if isinstance(expr, Call):  # `Response()`, `JSONResponse({"ok": True})`
        return not expr.kwargs and all(_literal(arg) for arg in expr.args)
    if isinstance(expr, (Seq, DictExpr)):
        return all(_literal(part) for part in children(expr))
    return False


def _refusal_response(expr: Expr) -> bool:
    """A response built with a refusal status written as a number (`JSONResponse(
    status_code=404, content={...})`)."""
    if not isinstance(expr, Call):
        return False
    status = expr.kwarg("status_code")
    return isinstance(status, Const) and status.value in REFUSALS


def _refuses(instance: RouteInstance) -> bool:
    """An endpoint that returns nothing and only answers an error (zenml's and
    airflow's catch-all `/{path:path}` raising 404): nothing is reached through it."""
    endpoint = instance.route.endpoint
    if endpoint is None:
        return False
    if endpoint.returned:  # airflow's `return JSONResponse(status_code=404, content=...)`
        return all(_refusal_response(expr) for expr in endpoint.returned)
    fact = endpoint.fact
    codes = set(fact.status_codes) | {
        int(m.group(1)) for name in fact.status_names if (m := STATUS_DIGITS.search(name))
    }
    return bool(codes) and codes <= REFUSALS
