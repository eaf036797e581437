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
from itertools import pairwise

from fastlint.analysis.ratelimit import RateLimits
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
from fastlint.model.dependencies import Evidence
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

    def describe(self) -> str:
        return f"{self.what} via {self.level} at {self.where}"

    def brief(self) -> str:
        """`get_current_user via include at app/main.py:31` (the reason when unnamed)."""
        return f"{self.provider or self.what} via {self.level} at {self.where}"


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
        if finding.route:
            by_route.setdefault(finding.route, []).append(finding)
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
    evidence = project.authentication(instance)
    sources = _auth_sources(project, report, instance, evidence)
    if evidence.auth:
        state = PRESENT
    elif evidence.optional:
        state = OPTIONAL
    elif evidence.unknown:
        state = UNKNOWN
    else:
        state = NONE
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
        optional=tuple(evidence.optional),
        auth_unknown=tuple(evidence.unknown),
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


def _auth_sources(
    project: Project, report: Report, instance: RouteInstance, evidence: Evidence
) -> list[AuthSource]:
    """Each authentication reason with the level it is attached at. The model proves
    the route's authentication as a whole; here each level's dependencies are asked
    again on their own to tell where a reason comes from."""
    found: list[AuthSource] = []

    def add(reasons: Iterable[str], level: str, where: str, by: str | None = None) -> None:
        for reason in reasons:
            what = f"`{by}`: {reason}" if by and f"`{by}`" not in reason else reason
            source = AuthSource(what, level, where, by or "")
            if reason not in evidence.auth:
                continue
            seen.add(reason)
            # One dependency attached at one place is one source, however many
            # reasons it gives (a scheme, and the 401 its check raises).
            if by and any((s.provider, s.level, s.where) == (by, level, where) for s in found):
                continue
            if source not in found:
                found.append(source)

    def from_list(items: list[Scoped], level: str, path: str, line: int) -> None:
        for item in items:
            reasons = project.dependencies.of_list([item]).auth
            where = _where(report, path, _item_line(item, line))
            add(reasons, level, where, _dependency_name(item.expr))

    seen: set[str] = set()
    for app in (*instance.outer_apps, instance.app):
        add(
            project.app_authentication(app),
            "middleware",
            _where(report, app.path, app.anchor.span.line),
        )
    chain = instance.chain
    app = chain[0]
    from_list(app.dependencies, "app", app.path, app.anchor.span.line)
    for parent, router in pairwise(chain):
        for include in (i for i in parent.includes if i.router is router):
            line = _include_line(include.dependencies, parent)
            from_list(include.dependencies, "include", include.file or parent.path, line)
        from_list(router.dependencies, "router", router.path, router.anchor.span.line)
    route = instance.route
    from_list(route.dependencies, "route", route.file, route.span.line)
    endpoint = route.endpoint
    if endpoint is not None:
        where = _where(report, endpoint.path, endpoint.fact.span.line)
        for param in endpoint.fact.params:
            for call in _param_calls(project, param.default, param.annotation, endpoint.ctx):
                reasons = project.dependencies.of_list([call]).auth
                add(reasons, "endpoint", where, _dependency_name(call.expr))
        own = project.dependencies.of_endpoint(endpoint).auth
        add([r for r in own if r not in seen], "endpoint", where)
    # Whatever is left (`@requires`, a websocket's own checks) is on the route.
    rest = [r for r in evidence.auth if r not in seen]
    add(rest, "route", _where(report, route.file, route.span.line))
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
