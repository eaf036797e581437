"""The attack surface as rows: one `Row` per route as served by one app.

Built from the project model (`fastlint routes`): what authenticates a route and
where it is attached (app, include, router, route, middleware), the response
model, rate limits, schema visibility, tags and the findings on the route. Routes
no app serves and includes fastlint could not follow are kept apart and counted,
never dropped. Pure data: renderers (`fastlint.surface`) print it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from fnmatch import fnmatchcase

from fastlint.analysis.proofs import RouteVerdict
from fastlint.analysis.ratelimit import RateLimits
from fastlint.analysis.route_auth import RouteAuth, Verdict
from fastlint.analysis.shadowing import RouteShadowing
from fastlint.facts.expr import (
    Attr,
    Call,
    Expr,
    Name,
    Subscript,
    last_name,
)
from fastlint.findings import Finding
from fastlint.model.project import Project
from fastlint.model.rejection import mentioned_codes
from fastlint.model.routing import Container, RouteInstance, Scoped, app_label
from fastlint.model.values import Ctx, SyntaxVal
from fastlint.results import Report

# Authentication states, from strongest to weakest evidence.
PRESENT, OPTIONAL, UNKNOWN, NONE = "present", "optional", "unknown", "none"
# Where a source of authentication is attached.
LEVELS = ("middleware", "app", "include", "router", "route", "endpoint")
FORBIDDEN = 403


@dataclass(frozen=True)
class AuthSource:
    """One thing that authenticates a route: what it is, at which level, where."""

    what: str  # "`get_current_user` raises 401", "middleware `AuthMiddleware`"
    level: str  # one of LEVELS
    where: str  # "app/main.py:31"
    provider: str = ""  # the dependency attached (`get_current_user`), when named
    switch: str = ""  # the settings it depends on: "only when `settings.secure` is true ..."

    def describe(self) -> str:
        return f"{self.what} via {self.level} at {self.where}{self._switch}"

    def brief(self) -> str:
        """`get_current_user via include at app/main.py:31` (the reason when unnamed)."""
        return f"{self.provider or self.what} via {self.level} at {self.where}{self._switch}"

    @property
    def _switch(self) -> str:
        return f" ({self.switch})" if self.switch else ""


@dataclass(frozen=True)
class Row:
    """A route as one app serves it."""

    app: str  # `main:app`
    method: str  # "GET", "GET|HEAD", "WEBSOCKET"
    path: str  # the full path, prefixes and mounts applied
    handler: str  # the endpoint function's name ("?" when unresolved)
    file: str  # relative to the report's root
    line: int
    authentication: str  # PRESENT, OPTIONAL, UNKNOWN or NONE
    auth_sources: tuple[AuthSource, ...] = ()
    optional: tuple[str, ...] = ()  # credentials read through schemes that let anyone in
    auth_unknown: tuple[str, ...] = ()  # what fastlint could not follow
    authorization: tuple[str, ...] = ()  # scopes, a 403 raise
    response_model: str = "none"  # a type, "none", or "Response" (the endpoint's own)
    rate_limit: tuple[str, ...] = ()
    include_in_schema: bool | None = True  # None: cannot be told statically
    deprecated: bool | None = False
    websocket: bool = False
    mounted_in: str = ""  # the app this sub-app is mounted in ("" when not mounted)
    tags: tuple[str, ...] = ()
    findings: tuple[str, ...] = ()  # rule codes of the findings on this route
    # `file:line` of the route served instead when an earlier route with the same
    # method and path hides this one (FastAPI serves the first match); "" when served.
    shadowed_by: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        """What identifies the route across revisions: app, method, path."""
        return (self.app, self.method, self.path)

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"


@dataclass(frozen=True)
class Unattached:
    """A route in a router no app fastlint sees includes."""

    label: str
    router: str
    file: str
    line: int


@dataclass
class Inventory:
    rows: list[Row] = field(default_factory=list)
    unattached: list[Unattached] = field(default_factory=list)
    unresolved_includes: list[str] = field(default_factory=list)  # "file:line: message"

    def filtered(
        self, unauthenticated: bool = False, methods: Sequence[str] = (), path: str | None = None
    ) -> Inventory:
        """The rows a reader asked for: unauthenticated only, some methods, a path glob."""
        wanted = {m.upper() for m in methods}
        rows = [
            row
            for row in self.rows
            if (not unauthenticated or row.authentication != PRESENT)
            and (not wanted or wanted & set(row.method.split("|")))
            and (path is None or _path_matches(row.path, path))
        ]
        return Inventory(rows, self.unattached, self.unresolved_includes)


def _path_matches(route: str, pattern: str) -> bool:
    """A glob on the route path; `*` stays within a segment, `**` crosses them."""
    if "**" not in pattern:
        regex = "".join(
            "[^/]*" if c == "*" else "[^/]" if c == "?" else re.escape(c) for c in pattern
        )
        return re.fullmatch(regex, route) is not None
    return fnmatchcase(route, pattern.replace("**", "*"))


def build(project: Project, report: Report) -> Inventory:
    """The inventory of every served route, in a stable order (app, path, method)."""
    findings = _findings_by_route(report.findings)
    shadowing = project.get(RouteShadowing)
    same_label: dict[str, list[RouteInstance]] = {}
    for instance in project.instances:
        same_label.setdefault(instance.label, []).append(instance)
    rows = []
    for instance in project.instances:
        hidden = shadowing.of(instance)
        shadowed_by = ""
        if hidden is not None:
            served = hidden.served.route
            shadowed_by = f"{report.relative(served.file)}:{served.span.line}"
        codes = _codes_for(instance, same_label[instance.label], findings, shadowing)
        rows.append(replace(_row(project, report, instance, codes), shadowed_by=shadowed_by))
    rows.sort(key=lambda r: (r.app, r.path, r.method, bool(r.shadowed_by)))
    unattached = [
        Unattached(r.label, r.router, report.relative(r.path), r.line)
        for r in report.coverage.unchecked
    ]
    unresolved = sorted(
        f"{report.relative(path)}:{line}: {message}"
        for path, line, message in project.routing.unresolved_includes
    )
    return Inventory(rows, unattached, unresolved)


def _findings_by_route(findings: Iterable[Finding]) -> dict[str, list[Finding]]:
    by_route: dict[str, list[Finding]] = {}
    for finding in findings:
        # a finding at a switch or a dependency (FL012, FL011) is about the routes it
        # lists as related
        routes = [finding.route] if finding.route else [r.route for r in finding.related]
        for route in dict.fromkeys(routes):
            if route is not None:
                by_route.setdefault(route, []).append(finding)
    return by_route


def _codes_for(
    instance: RouteInstance,
    alike: list[RouteInstance],
    findings: dict[str, list[Finding]],
    shadowing: RouteShadowing,
) -> dict[str, list[str]]:
    """{label: codes} of the findings on `instance`. Duplicate routes (same label)
    do not share them: a finding goes to the duplicate it points into, else to the
    one served."""
    found = findings.get(instance.label, [])
    if len(alike) > 1:

        def at(other: RouteInstance, finding: Finding) -> bool:
            lines = other.route.lines
            return finding.path == other.route.file and bool(
                {finding.span.line, *finding.also_lines} & set(lines)
            )

        served = next((i for i in alike if shadowing.of(i) is None), alike[0])
        found = [
            f
            for f in found
            if at(instance, f) or (instance is served and not any(at(o, f) for o in alike))
        ]
    return {instance.label: sorted({f.rule for f in found})}


def _row(
    project: Project, report: Report, instance: RouteInstance, findings: dict[str, list[str]]
) -> Row:
    """`findings`: {label: rule codes} of this route's findings."""
    route = instance.route
    endpoint = route.endpoint
    verdict = project.get(RouteAuth).of(instance)
    sources = _auth_sources(report, verdict)
    state = {
        Verdict.AUTHENTICATED: PRESENT,
        Verdict.OPTIONAL: OPTIONAL,
        Verdict.UNKNOWN: UNKNOWN,
        Verdict.OPEN: NONE,
    }.get(verdict.verdict, verdict.label)
    handler_file = endpoint.path if endpoint is not None else route.file
    handler_line = endpoint.fact.span.line if endpoint is not None else route.span.line
    outer = instance.outer_apps
    return Row(
        app=app_label(instance.app),
        method=route.method_label,
        path=instance.full_path,
        handler=endpoint.fact.name if endpoint is not None else "?",
        file=report.relative(handler_file),
        line=handler_line,
        authentication=state,
        auth_sources=tuple(sources),
        optional=tuple(verdict.optional or verdict.fail_open),
        auth_unknown=tuple(verdict.unknown) if verdict.verdict is Verdict.UNKNOWN else (),
        authorization=tuple(_authorization(project, instance)),
        response_model=instance.route.response_model_written,
        rate_limit=tuple(project.get(RateLimits).rate_limits(instance)),
        include_in_schema=_schema_visibility(project, instance),
        deprecated=_flag(project, route.kwarg("deprecated"), False),
        websocket=route.is_websocket,
        mounted_in=app_label(outer[-1]) if outer else "",
        tags=tuple(_tags(project, instance)),
        findings=tuple(sorted(findings.get(instance.label, []))),
    )


# -- authentication and where it is attached ------------------------------------------


def _where(report: Report, path: str, line: int) -> str:
    return f"{report.relative(path)}:{line}"


def _item_line(item: Scoped, fallback: int) -> int:
    span = getattr(item.expr, "span", None)
    return span.line if span is not None else fallback


def _auth_sources(report: Report, verdict: RouteVerdict) -> list[AuthSource]:
    """Each proof covering the route, with the level it is attached at; a switched
    one says what switches it (`when APP_SECURE is set`)."""
    found: list[AuthSource] = []
    for proof in verdict.proofs:
        what = proof.what
        if proof.provider and f"`{proof.provider}`" not in what:
            what = f"`{proof.provider}`: {what}"
        if proof.scope.extent.value != "all":
            what += f" ({proof.scope.describe()})"
        switch = "; ".join(f"only when {s.requirement}, {s.default_text}" for s in proof.switches)
        source = AuthSource(
            what, proof.level, _where(report, proof.path, proof.line), proof.provider, switch
        )
        if proof.provider and any(
            (s.provider, s.level, s.where) == (proof.provider, source.level, source.where)
            for s in found
        ):
            continue
        if source not in found:
            found.append(source)
    shown = {s for p in verdict.proofs for s in p.switches}
    noted = [s for s in verdict.noted_switches if s not in shown]
    if found and noted:
        first = found[0]
        extra = "; ".join(
            f"off unless {s.requirement}, {s.default_text}, at "
            f"{_where(report, s.path, s.span.line)}"
            for s in noted
        )
        found[0] = replace(first, switch="; ".join(filter(None, (first.switch, extra))))
    return found


def _dependency_name(expr: Expr) -> str | None:
    """`current_user` for `Depends(current_user)` or `Security(current_user, ...)`."""
    if not isinstance(expr, Call):
        return None
    target = expr.args[0] if expr.args else expr.kwarg("dependency")
    return None if target is None else last_name(target)


def _include_line(items: list[Scoped], parent: Container) -> int:
    for item in items:
        span = getattr(item.expr, "span", None)
        if span is not None:
            return int(span.line)
    return parent.anchor.span.line


def _authorization(project: Project, instance: RouteInstance) -> list[str]:
    """Scopes asked of a security scheme, and a 403 the endpoint raises."""
    found: list[str] = []
    for scopes in instance.scopes:
        values = _strings(project, scopes)
        text = ", ".join(values) if values else "unknown"
        entry = f"scopes: {text}"
        if entry not in found:
            found.append(entry)
    endpoint = instance.route.endpoint
    if endpoint is not None and FORBIDDEN in mentioned_codes(endpoint.fact):
        found.append(f"`{endpoint.fact.name}` answers 403")
    return found


def _param_calls(
    project: Project, default: Expr | None, annotation: Expr | None, ctx: Ctx
) -> list[Scoped]:
    """Calls in a parameter's default and annotation, through an `Annotated` alias
    (`CurrentUser = Annotated[User, Depends(get_current_user)]`)."""
    found = [Scoped(c, ctx) for e in (default, annotation) if e is not None for c in _calls_in(e)]
    if isinstance(annotation, (Name, Attr)):
        for value in project.values(annotation, ctx):
            if isinstance(value, SyntaxVal):
                found.extend(Scoped(c, value.ctx) for c in _calls_in(value.expr))
    return found


def _calls_in(expr: Expr) -> list[Expr]:
    """Calls in a default or an `Annotated[...]` annotation."""
    if isinstance(expr, Call):
        return [expr]
    if isinstance(expr, Subscript):
        return [c for item in expr.items for c in _calls_in(item)]
    return []


def _strings(project: Project, scoped: Scoped) -> list[str]:
    literal = project.literal(scoped)
    values: list[str] = []
    for possible in literal.known:
        value = possible.value
        items = value if isinstance(value, (list, tuple)) else [value]
        values.extend(str(v) for v in items if isinstance(v, str) and str(v) not in values)
    return values


# -- what the route returns, shows and is tagged with -------------------------------------


def _flag(project: Project, scoped: Scoped | None, default: bool) -> bool | None:
    if scoped is None:
        return default
    value = project.literal(scoped).value
    return value if isinstance(value, bool) else None


def _schema_visibility(project: Project, instance: RouteInstance) -> bool | None:
    """False when the route, or a router or app on its way, hides it from the schema."""
    if instance.route.is_websocket:
        return False  # websockets never appear in OpenAPI
    flags = [_flag(project, instance.route.kwarg("include_in_schema"), True)]
    flags.extend(_flag(project, c.kwarg("include_in_schema"), True) for c in instance.chain)
    if any(f is False for f in flags):
        return False
    if any(f is None for f in flags):
        return None
    return True


def _tags(project: Project, instance: RouteInstance) -> list[str]:
    tags: list[str] = []
    owners = [c.kwarg("tags") for c in instance.chain[1:]]
    for scoped in (*owners, instance.route.kwarg("tags")):
        if scoped is not None:
            tags.extend(t for t in _strings(project, scoped) if t not in tags)
    return tags
