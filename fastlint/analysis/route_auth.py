"""Who can call each served route: the authentication analysis.

`project.get(RouteAuth).of(instance)` gives a `RouteVerdict`: `authenticated`,
`open`, `open-unless-configured`, `optional` or `unknown`, with the proofs behind it
(security schemes, dependencies, middleware, endpoint checks, middleware of apps it
is mounted in), each with the credential it reads, its path scope and the switches
it depends on. FL001, FL011, FL012 and `fastlint routes` read only this.

How a verdict is reached:
- proofs are gathered on the route's way: each `dependencies=[...]` item (app,
  include, router, route) and endpoint parameter, the endpoint's own checks, and
  the middleware of its app and of the apps it is mounted in;
- a proof whose path scope leaves the route out (a public path) does not count;
- a proof that runs only when a setting holds (an `if` around its registration,
  a setting tested before its check, a dependency handing out a default identity)
  leaves the route open unless configured, when the setting's default leaves it
  off or cannot be read; when the default keeps it on, the route is authenticated
  and the switch is noted;
- nothing that authenticates, but something that may and cannot be read: unknown.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cached_property
from itertools import pairwise

from fastlint.analysis.authentication import Authentication
from fastlint.analysis.feature_gates import FeatureGates
from fastlint.analysis.middleware_auth import MiddlewareAuth, MiddlewareJudge
from fastlint.analysis.proofs import ALL, Extent, PathScope, Proof, ProofKind, RouteVerdict, Verdict
from fastlint.analysis.switched_items import SwitchedItems
from fastlint.analysis.switches import Switch, SwitchReader
from fastlint.analysis.verification import Credentials, CredentialUse
from fastlint.facts.expr import Call, Const, Expr, IfExp, Seq, last_name
from fastlint.model.anchor import Anchor
from fastlint.model.dependencies import Evidence, marker_target
from fastlint.model.project import Analysis, Project
from fastlint.model.routing import Container, RouteInstance
from fastlint.model.values import Ctx, FunctionVal, InstanceVal, Scoped
from fastlint.span import Span

__all__ = [
    "Proof",
    "ProofKind",
    "RouteAuth",
    "RouteVerdict",
    "Switch",
    "SwitchGroup",
    "UnverifiedGroup",
    "Verdict",
]


# One item of a `dependencies=` entry: itself, its evidence, the switches it is
# there under, its path scope, and the call or statement that puts it there.
_Part = tuple[Scoped, Evidence, tuple[Switch, ...], PathScope, Span | None]


@dataclass(frozen=True)
class SwitchGroup:
    """One switch and the routes it leaves open (FL012 reports it once)."""

    switch: Switch
    routes: tuple[RouteInstance, ...]


@dataclass(frozen=True)
class UnverifiedGroup:
    """One dependency reading a credential nothing verifies, and its routes (FL011)."""

    path: str
    span: Span
    dependency: str
    read: str
    routes: tuple[RouteInstance, ...]

    @property
    def anchor(self) -> Anchor:
        """The dependency's `def`."""
        return Anchor(self.path, self.span, f"dependency {self.dependency}")


class RouteAuth(Analysis):
    def __init__(self, project: Project) -> None:
        super().__init__(project)
        self.dependencies = project.dependencies
        self.resolver = project.resolver
        self.switch_reader = SwitchReader(project.literals)
        self.endpoints = Authentication(project.dependencies, self._is_dependency)
        self.judge = MiddlewareJudge(project.dependencies, self.switch_reader)
        calls = project.calls
        self.credentials = Credentials(project.dependencies, calls, project.literals)
        self._apps: dict[tuple[str, int, int], list[MiddlewareAuth]] = {}
        self._uses: dict[int, CredentialUse] = {}
        self._items: dict[int, list[_Part]] = {}
        self.switched_items = SwitchedItems(self.switch_reader, self.resolver)
        self.gates = FeatureGates(self.switch_reader, project.dependencies.rejection, self.resolver)

    # -- per route ------------------------------------------------------------------------

    def of(self, instance: RouteInstance) -> RouteVerdict:
        """The verdict on one served route."""
        return self._all[id(instance)]

    @cached_property
    def _all(self) -> dict[int, RouteVerdict]:
        found = {id(i): self._judge(i) for i in self.project.instances}
        # A route served twice by one app, once under a switch and once in the `else`
        # branch without it (`if args.auth: include_router(r, dependencies=[...])
        # else: include_router(r)`), is open unless configured, like its twin.
        by_label: dict[tuple[object, str], list[RouteInstance]] = {}
        for instance in self.project.instances:
            by_label.setdefault((instance.app.key, instance.label), []).append(instance)
        for twins in by_label.values():
            switched = [found[id(i)] for i in twins if found[id(i)].switches]
            if not switched:
                continue
            for twin in twins:
                verdict = found[id(twin)]
                if (
                    verdict.verdict is Verdict.OPEN
                    and not verdict.proofs
                    and not verdict.unverified
                ):
                    found[id(twin)] = replace(
                        verdict,
                        verdict=Verdict.OPEN_UNLESS_CONFIGURED,
                        switches=switched[0].switches,
                    )
        return found

    def credential_use(self, instance: RouteInstance) -> CredentialUse:
        cached = self._uses.get(id(instance))
        if cached is None:
            besides = [
                p.what
                for p in self._proofs(instance)
                if p.kind not in (ProofKind.SCHEME, ProofKind.DEPENDENCY)
            ]
            cached = self._uses[id(instance)] = self.credentials.of_route(instance, besides)
        return cached

    def _judge(self, instance: RouteInstance) -> RouteVerdict:
        off = self._off(instance)
        if off:
            return RouteVerdict(Verdict.OFF, off=off, files=self.sources(instance))
        proofs = self._proofs(instance)
        methods = instance.route.methods
        covering = tuple(p for p in proofs if p.scope.covers(instance.full_path, methods))
        exempted = tuple(p for p in proofs if p not in covering)
        evidence = self._evidence(instance)
        unknown = list(evidence.unknown) + [
            m.unknown for app in self._apps_of(instance) for m in self.middleware(app) if m.unknown
        ]
        files = self.sources(instance)
        always = [p for p in covering if p.always or p.closed_by_default]
        noted = tuple(s for p in covering if p.closed_by_default for s in p.switches)
        redirects = self.endpoints.only_redirects(instance.route)
        base = RouteVerdict(
            Verdict.OPEN,
            covering,
            exempted,
            noted_switches=noted,
            unknown=tuple(unknown),
            redirects_only=redirects,
            files=files,
            optional=tuple(evidence.optional),
        )
        if not always:
            switched = tuple(s for p in covering for s in p.switches if s.default_open is not False)
            if switched:
                return replace(base, verdict=Verdict.OPEN_UNLESS_CONFIGURED, switches=switched)
            use = self.credential_use(instance)
            if use.fail_open:
                return replace(base, verdict=Verdict.OPTIONAL, fail_open=tuple(use.fail_open))
            if unknown:
                return replace(base, verdict=Verdict.UNKNOWN)
            if evidence.optional:
                return replace(base, verdict=Verdict.OPTIONAL)
            return base
        use = self.credential_use(instance)
        if use.open_paths:
            return replace(base, verdict=Verdict.OPTIONAL, fail_open=tuple(use.open_paths))
        # the chain's own checks (not middleware around it) are what a switch in the
        # chain turns off
        in_chain = all(
            p.kind in (ProofKind.SCHEME, ProofKind.DEPENDENCY, ProofKind.ENDPOINT) for p in always
        )
        only_dependencies = all(p.kind in (ProofKind.SCHEME, ProofKind.DEPENDENCY) for p in always)
        switched = tuple(s for s in use.switches if s.default_open is not False)
        if switched and in_chain and not use.closed:
            return replace(base, verdict=Verdict.OPEN_UNLESS_CONFIGURED, switches=switched)
        noted += tuple(s for s in use.switches if s.default_open is False)
        if use.never_verified and only_dependencies:
            # a scheme turns away callers who send nothing, and lets in any who send
            # something: authenticated in name only (FL011)
            return replace(
                base,
                verdict=Verdict.AUTHENTICATED,
                unverified=tuple(use.read),
                unverified_at=tuple(use.read_at),
                noted_switches=noted,
            )
        return replace(base, verdict=Verdict.AUTHENTICATED, noted_switches=noted)

    # -- proofs ---------------------------------------------------------------------------

    def _apps_of(self, instance: RouteInstance) -> tuple[Container, ...]:
        return (*instance.outer_apps, instance.app)

    def _proofs(self, instance: RouteInstance) -> list[Proof]:
        proofs: list[Proof] = []
        outer = set(id(a) for a in instance.outer_apps)
        for app in self._apps_of(instance):
            kind = ProofKind.MOUNT if id(app) in outer else ProofKind.MIDDLEWARE
            for judged in self.middleware(app):
                if judged.authenticates:
                    proofs.append(
                        Proof(
                            kind,
                            f"middleware `{judged.name}`: {judged.rejects}",
                            "middleware",
                            judged.path,
                            judged.line,
                            judged.credential,
                            judged.scope,
                            judged.switches,
                            judged.name,
                        )
                    )
        route = instance.route
        for item in instance.dependencies:
            for part, evidence, switches, scope, where in self._item(item):
                if evidence.auth and not self._feature_switch(part):
                    proofs.append(
                        Proof(
                            _kind(evidence.auth),
                            evidence.auth[0],
                            self._level(instance, item),
                            part.ctx.path,
                            where.line if where is not None else _line(item, route.span.line),
                            None,
                            scope,
                            switches,
                            _dependency_name(part.expr) or "",
                        )
                    )
        endpoint = route.endpoint
        if endpoint is not None:
            line = endpoint.fact.span.line
            seen: set[str] = set()
            for param in endpoint.fact.params:
                calls, _ = self.dependencies.markers(param, endpoint.ctx)
                for call, ctx in calls:
                    found = self.dependencies.of_list([Scoped(call, ctx)]).auth
                    if found:
                        seen.update(found)
                        if self._feature_switch(Scoped(call, ctx)):
                            continue
                        name = _dependency_name(call) or ""
                        proofs.append(
                            Proof(
                                _kind(found),
                                found[0],
                                "endpoint",
                                endpoint.path,
                                line,
                                provider=name,
                            )
                        )
            for reason in self.dependencies.of_endpoint(endpoint).auth:
                if reason in seen:
                    continue
                kind = (
                    ProofKind.ENDPOINT
                    if reason.startswith(f"`{endpoint.fact.name}`")
                    else _kind([reason])
                )
                proofs.append(Proof(kind, reason, "endpoint", endpoint.path, line))
        for reason in self._endpoint_checks(instance).auth:
            proofs.append(Proof(ProofKind.ENDPOINT, reason, "route", route.file, route.span.line))
        return _either_way(proofs)

    # -- feature switches -------------------------------------------------------------

    def _gate(self, item: Scoped) -> Switch | None:
        """The feature switch a dependency item is (`Depends(require_debug_enabled)`
        refusing everyone while `settings.enable_debug` is off), if it is one."""
        expr = item.expr
        if not isinstance(expr, Call):
            for value in self.resolver.evaluate(expr, item.ctx):
                if isinstance(value, InstanceVal) and self.dependencies.is_marker(value.cls):
                    return self._gate(Scoped(value.call, value.ctx))
            return None
        found = marker_target(expr, item.ctx, None)
        if found is None:
            return None
        gates = [
            self.gates.of_function(value)
            for value in self.resolver.evaluate(*found)
            if isinstance(value, FunctionVal)
        ]
        return gates[0] if len(gates) == 1 else None

    def _feature_switch(self, item: Scoped) -> bool:
        """A dependency that is a feature switch with a readable default: not
        authentication (it refuses everyone, or no one)."""
        gate = self._gate(item)
        return gate is not None and gate.default_open is not None

    def _off(self, instance: RouteInstance) -> tuple[Switch, ...]:
        """The settings whose default keeps the route off: a feature switch on its
        way refusing everyone, or an `if` around its registration (unless the same
        route is also registered outside it)."""
        found: list[Switch] = []
        for item in instance.dependencies:
            for part in self.switched_items.of(item):
                found.extend(g for g in (self._gate(part.item),) if g is not None)
        endpoint = instance.route.endpoint
        if endpoint is not None:
            for param in endpoint.fact.params:
                for call, ctx in self.dependencies.markers(param, endpoint.ctx)[0]:
                    found.extend(g for g in (self._gate(Scoped(call, ctx)),) if g is not None)
            first = self.gates.of_function(endpoint, endpoint=True)
            if first is not None:
                found.append(first)
        if self._twins[(instance.app.key, instance.label)] == 1:
            for span, ctx in self._registrations(instance):
                found.extend(self.gates.around(span, ctx))
            for outer, inner in pairwise(instance.chain):
                for include in outer.includes:
                    if include.router is inner and include.call is not None and include.ctx:
                        picked = self.gates.picked(include.call, include.ctx, inner.key)
                        found.extend(p for p in (picked,) if p is not None)
        return tuple(dict.fromkeys(s for s in found if s.default_open))

    def _registrations(self, instance: RouteInstance) -> Iterator[tuple[Span, Ctx]]:
        """The calls that put the route in its app: its decorator (or
        `add_api_route`) and each `include_router` on its way (none for a router
        included several times: which include serves the route is not told)."""
        route = instance.route
        yield route.call.span, route.ctx
        endpoint = route.endpoint
        if (
            endpoint is not None
            and endpoint.path == route.file
            and _innermost(endpoint.ctx) is _innermost(route.ctx)
        ):
            # a decorated `def`: an `if` block around it starts at the `def`, below
            # its decorators
            yield endpoint.fact.span, route.ctx
        chain = instance.chain
        for outer, inner in pairwise(chain):
            includes = [i for i in outer.includes if i.router is inner]
            if not includes or any(i.call is None or i.ctx is None for i in includes):
                continue
            if len(includes) == 1:
                include = includes[0]
                assert include.call is not None and include.ctx is not None
                yield include.call.span, include.ctx

    @cached_property
    def _twins(self) -> dict[tuple[object, str], int]:
        counts: dict[tuple[object, str], int] = {}
        for instance in self.project.instances:
            key = (instance.app.key, instance.label)
            counts[key] = counts.get(key, 0) + 1
        return counts

    def _item(self, item: Scoped) -> list[_Part]:
        """The items a `dependencies=` entry stands for (a list built in a variable,
        a conditional expression), each with its evidence, the switches it is
        there under and its path scope."""
        cached = self._items.get(id(item))
        if cached is None:
            cached = self._items[id(item)] = [
                (
                    part.item,
                    self.dependencies.of_list([part.item]),
                    part.switches,
                    self._dependency_scope(part.item),
                    part.where,
                )
                for part in self.switched_items.of(item)
            ]
        return cached

    def _dependency_scope(self, item: Scoped) -> PathScope:
        """A global dependency that returns early for some paths
        (`if request.url.path in EXEMPT_PATHS: return`) leaves them out."""
        for expr in _marker_calls(item.expr):
            found = marker_target(expr, item.ctx, None)
            if found is None:
                continue
            for value in self.resolver.evaluate(*found):
                if isinstance(value, FunctionVal):
                    scope = self.judge._scope(value, None)
                    if scope.extent is Extent.EXCEPT:
                        return scope
        return ALL

    def _level(self, instance: RouteInstance, item: Scoped) -> str:
        chain = instance.chain
        if any(d.expr is item.expr for d in instance.route.dependencies):
            return "route"
        if any(d.expr is item.expr for d in chain[0].dependencies):
            return "app"
        for container in chain[1:]:
            if any(d.expr is item.expr for d in container.dependencies):
                return "router"
        for container in chain:
            for include in container.includes:
                if any(d.expr is item.expr for d in include.dependencies):
                    return "include"
        return "route"

    def _evidence(self, instance: RouteInstance) -> Evidence:
        evidence = Evidence().add(self.project.dependency_evidence(instance))
        return evidence.add(self._endpoint_checks(instance))

    def _endpoint_checks(self, instance: RouteInstance) -> Evidence:
        key = -id(instance)
        cached = self._endpoint_cache.get(key)
        if cached is None:
            if self.project.dependency_evidence(instance).auth and self._covered(instance):
                cached = Evidence()  # the dependencies authenticate: nothing more is asked
            else:
                cached = self.endpoints.endpoint_checks(instance)
            self._endpoint_cache[key] = cached
        return cached

    @cached_property
    def _dependency_functions(self) -> frozenset[FunctionVal]:
        return frozenset(
            c.function
            for i in self.project.instances
            for c in self.project.chain_functions(i)
            if not c.endpoint
        )

    def _is_dependency(self, function: FunctionVal) -> bool:
        """Whether a served route has `function` as a dependency."""
        return function in self._dependency_functions

    def _covered(self, instance: RouteInstance) -> bool:
        """Whether a dependency that authenticates applies to the route: one in its
        endpoint's parameters, or one on its way whose path scope (a global
        dependency returning early for `EXEMPT_PATHS`) does not leave it out."""
        endpoint = instance.route.endpoint
        if endpoint is None or self.dependencies.of_endpoint(endpoint).auth:
            return True
        methods = instance.route.methods
        return any(
            evidence.auth and scope.covers(instance.full_path, methods)
            for item in instance.dependencies
            for _, evidence, _, scope, _ in self._item(item)
        )

    @cached_property
    def _endpoint_cache(self) -> dict[int, Evidence]:
        return {}

    def middleware(self, app: Container) -> list[MiddlewareAuth]:
        """What each middleware of an app does about callers (computed once per app)."""
        cached = self._apps.get(app.key)
        if cached is None:
            judged: list[MiddlewareAuth] = []
            for middleware in app.middleware:
                judged.extend(self.judge.of_middleware(middleware))
            for function in app.middleware_functions:
                found = self.judge.of_function(function, app.middleware_sites.get(function))
                if found is not None:
                    judged.append(found)
            cached = self._apps[app.key] = judged
        return cached

    # -- across routes --------------------------------------------------------------------

    @cached_property
    def switch_groups(self) -> list[SwitchGroup]:
        """Each switch that leaves routes open, with the routes (FL012)."""
        groups: dict[tuple[str, int, int], tuple[Switch, list[RouteInstance]]] = {}
        for instance in self.project.instances:
            verdict = self.of(instance)
            if verdict.verdict is not Verdict.OPEN_UNLESS_CONFIGURED:
                continue
            for switch in dict.fromkeys(verdict.switches):
                entry = groups.setdefault(switch.key, (switch, []))
                if all(
                    (r.app.key, r.label) != (instance.app.key, instance.label) for r in entry[1]
                ):
                    entry[1].append(instance)
        return [SwitchGroup(s, tuple(r)) for s, r in groups.values()]

    @cached_property
    def unverified_groups(self) -> list[UnverifiedGroup]:
        """Each dependency whose scheme credential nothing verifies, with its routes."""
        groups: dict[tuple[str, Span, str], tuple[str, list[RouteInstance]]] = {}
        for instance in self.project.instances:
            verdict = self.of(instance)
            if not verdict.unverified:
                continue
            route = instance.route
            where = (
                verdict.unverified_at[0]
                if verdict.unverified_at
                else (route.file, route.span, instance.label)
            )
            routes = groups.setdefault(where, (verdict.unverified[0], []))[1]
            if all((r.app.key, r.label) != (instance.app.key, instance.label) for r in routes):
                routes.append(instance)
        return [
            UnverifiedGroup(path, span, name, read, tuple(routes))
            for (path, span, name), (read, routes) in groups.items()
        ]

    def undetermined(self, instances: Iterable[RouteInstance]) -> dict[str, int]:
        """Why routes could not be judged, with how many routes each reason covers."""
        reasons: dict[str, int] = {}
        for instance in instances:
            verdict = self.of(instance)
            if verdict.verdict is Verdict.UNKNOWN and verdict.unknown:
                reasons[verdict.unknown[0]] = reasons.get(verdict.unknown[0], 0) + 1
        return reasons

    def sources(self, instance: RouteInstance) -> tuple[str, ...]:
        """Every file whose edit can change a finding about this served route: its
        chain (route, routers, include calls, apps) and its dependencies' files."""
        evidence = self.project.dependency_evidence(instance)
        files = (*instance.files, *sorted(evidence.files))
        return tuple(dict.fromkeys(files))

    @cached_property
    def _serving(self) -> frozenset[FunctionVal]:
        chains = self.project._chains
        on_routes = frozenset(
            c.function for i in self.project.instances for c in self.project.chain_functions(i)
        )
        return frozenset(h for f in on_routes for h in chains.helpers(f))

    def serves_requests(self, function: FunctionVal) -> bool:
        """Whether `function` runs while a route is served: an endpoint, a dependency,
        or a project function one of them calls (a few levels deep)."""
        return function in self._serving

    @cached_property
    def _authenticating(self) -> dict[FunctionVal, list[RouteInstance]]:
        found: dict[FunctionVal, list[RouteInstance]] = {}
        for instance in self.project.instances:
            if not self._evidence(instance).auth and not self.of(instance).proofs:
                continue
            for chained in self.project.chain_functions(instance):
                if chained.endpoint:
                    continue
                for helper in self.project.helpers(chained.function):
                    found.setdefault(helper, []).append(instance)
        return found

    def authenticated_routes(self, function: FunctionVal) -> list[RouteInstance]:
        """The served routes whose authentication runs `function`: a dependency on
        their chain (not the endpoint) that authenticates them, or a project function
        it calls; empty when none does."""
        return self._authenticating.get(function, [])

    def authenticates(self, instance: RouteInstance) -> bool:
        """Whether something on the route's way authenticates its callers (a proof
        that covers it, switched or not)."""
        return bool(self.of(instance).proofs)


def _either_way(proofs: list[Proof]) -> list[Proof]:
    """A switch with authentication on both of its sides (`[Depends(a)] if flag else
    [Depends(b)]`) switches nothing off: the proofs hold without it."""
    sides: dict[tuple[str, int, int], set[bool]] = {}
    for proof in proofs:
        for switch in proof.switches:
            sides.setdefault(switch.key, set()).add(switch.closed_when)
    both = {key for key, kept in sides.items() if len(kept) == 2}
    if not both:
        return proofs
    return [replace(p, switches=tuple(s for s in p.switches if s.key not in both)) for p in proofs]


def _innermost(ctx: Ctx) -> object:
    """The function a context is in (None: the module body)."""
    return ctx.functions[-1] if ctx.functions else None


def _kind(reasons: list[str]) -> ProofKind:
    if all(r.startswith(("security scheme", "a `Security")) for r in reasons):
        return ProofKind.SCHEME
    return ProofKind.DEPENDENCY


def _line(item: Scoped, fallback: int) -> int:
    span = getattr(item.expr, "span", None)
    return span.line if span is not None else fallback


def _dependency_name(expr: Expr) -> str | None:
    """`current_user` for `Depends(current_user)` or `Security(current_user, ...)`."""
    if not isinstance(expr, Call):
        return None
    target = expr.args[0] if expr.args else expr.kwarg("dependency")
    if target is None or isinstance(target, Const):
        return None
    return last_name(target)


def _marker_calls(expr: Expr, depth: int = 0) -> list[Call]:
    """The `Depends(...)` calls an item holds: itself, or inside a list or either
    branch of a conditional (`[Depends(gate())] if enforce else []`)."""
    if isinstance(expr, Call):
        return [expr]
    if depth > 3:
        return []
    if isinstance(expr, IfExp):
        return [*_marker_calls(expr.body, depth + 1), *_marker_calls(expr.orelse, depth + 1)]
    if isinstance(expr, Seq):
        return [c for e in expr.items for c in _marker_calls(e, depth + 1)]
    return []
