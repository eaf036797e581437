"""The linked model of a whole project: what rules ask questions of."""

from __future__ import annotations

import os
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import PurePath
from typing import TypeVar

from fastlint.config import Settings
from fastlint.facts.expr import Expr
from fastlint.facts.types import ModuleFacts
from fastlint.model.anchor import Anchor
from fastlint.model.annotation import TypeReader
from fastlint.model.calls import CallSites
from fastlint.model.chain import ChainFunction, ChainParameter, Chains
from fastlint.model.dependencies import DependencyAnalyzer, Evidence
from fastlint.model.handlers import AppHandlers, ExceptionHandler, StarletteRoute
from fastlint.model.index import ModuleIndex
from fastlint.model.literal import Literal
from fastlint.model.literal_eval import Literals
from fastlint.model.parameters import Parameter, ParameterReader
from fastlint.model.resolve import Resolver
from fastlint.model.routing import (
    Container,
    Route,
    RouteInstance,
    Routing,
    Scoped,
)
from fastlint.model.schemas import Schemas
from fastlint.model.values import ClassVal, Ctx, External, FunctionVal, Value
from fastlint.results import Note as Note  # moved to `fastlint.results`
from fastlint.span import Span


class Analysis:
    """Base of an analysis (see `fastlint.analysis`): built once per project by
    `Project.get`, from the project alone."""

    def __init__(self, project: Project) -> None:
        self.project = project


A = TypeVar("A", bound=Analysis)


@dataclass
class Project:
    modules: dict[str, ModuleFacts]
    notes: list[Note] = field(default_factory=list)
    settings: Settings = field(default_factory=Settings)

    def __post_init__(self) -> None:
        roots = tuple(str((self.settings.root / s).resolve()) for s in self.settings.src)
        self.index = ModuleIndex(self.modules, roots)
        self.resolver = Resolver(self.index)
        self.literals = Literals(self.resolver)
        self.types = TypeReader(self.resolver)
        self.routing = Routing(self.resolver)
        self.dependencies = DependencyAnalyzer(
            self.resolver, self.settings.auth_dependencies, self.settings.rate_limiters
        )
        self.schemas = Schemas(self.resolver, self.types, self.literals)
        self.notes.extend(Note(p, line, m) for p, line, m in self.routing.notes)
        self.calls = CallSites(self.resolver)  # call sites and bodies (`calls.of("jwt.decode")`)
        self._dependency_evidence: dict[int, Evidence] = {}
        self._analyses: dict[type[Analysis], Analysis] = {}

    def get(self, analysis: type[A]) -> A:
        """The analysis `analysis` of this project, computed on first use and kept."""
        found = self._analyses.get(analysis)
        if found is None:
            found = self._analyses[analysis] = analysis(self)
        assert isinstance(found, analysis)
        return found

    @cached_property
    def _base(self) -> PurePath | None:
        paths = [PurePath(path).parent for path in self.modules]
        try:
            return PurePath(os.path.commonpath(paths)) if paths else None
        except ValueError:  # paths on different drives
            return None

    def relative_path(self, path: str) -> str:
        """A file's path relative to the folder all the project's files share, with `/`
        separators (a project scanned from its root has `tests/...`, `app/...`)."""
        base = self._base
        pure = PurePath(path)
        if base is not None and pure.is_relative_to(base):
            return pure.relative_to(base).as_posix()
        return pure.as_posix()

    # -- what expressions stand for (rules ask here, never the resolver) ----------------

    def values(self, expr: Expr, ctx: Ctx) -> list[Value]:
        """Everything `expr` may stand for where `ctx` evaluates it (Unknown: why not)."""
        return self.resolver.evaluate(expr, ctx)

    def value(self, expr: Expr, ctx: Ctx) -> Value:
        """The one value of `expr`, else Unknown."""
        return self.resolver.evaluate_one(expr, ctx)

    def text(self, expr: Expr, ctx: Ctx) -> str | None:
        """The string `expr` builds, when it is known (f-strings of constants too)."""
        return self.resolver.string(expr, ctx)

    def inherits(self, cls: ClassVal | External, predicate: Callable[[External], bool]) -> bool:
        """Whether `cls` is, or derives from, a library class `predicate` accepts."""
        return self.resolver.inherits(cls, predicate)

    # -- calls, bodies, parameters, handlers (computed on first use) -----------------

    def parameters(self, function: FunctionVal, route_path: str | None = None) -> list[Parameter]:
        """What FastAPI binds each parameter of an endpoint or dependency from;
        `route_path` is the full path served, for path parameters."""
        return ParameterReader(self.types).parameters(function, route_path)

    @cached_property
    def _handlers(self) -> AppHandlers:
        return AppHandlers(self.routing)

    @property
    def exception_handlers(self) -> list[ExceptionHandler]:
        return self._handlers.exception_handlers

    @property
    def starlette_routes(self) -> list[StarletteRoute]:
        """Routes added with `add_route`/`add_websocket_route`."""
        return self._handlers.starlette_routes

    def marked_nosec(self, path: str, span: Span, checks: Collection[str]) -> bool:
        """Whether bandit's `# nosec` silences one of `checks` (ids or names) on a line
        of `span`: a bare `# nosec`, or one that names the check."""
        facts = self.modules.get(path)
        if facts is None:
            return False
        return any(
            span.line <= line <= span.end_line and (not tests or any(t in checks for t in tests))
            for line, tests in facts.nosec
        )

    @cached_property
    def _chains(self) -> Chains:
        return Chains(self.dependencies, ParameterReader(self.types))

    def chain_functions(self, instance: RouteInstance) -> list[ChainFunction]:
        """The endpoint and every function its dependencies reach (app, include,
        router and route `dependencies=[...]`, parameters), across files."""
        return self._chains.functions(instance)

    def chain_parameters(self, instance: RouteInstance) -> list[ChainParameter]:
        """The parameters of `chain_functions`, with what FastAPI binds them from."""
        return self._chains.parameters(instance)

    def helpers(self, function: FunctionVal) -> list[FunctionVal]:
        """`function` and the project functions it calls, a few levels deep."""
        return list(self._chains.helpers(function))

    def literal(self, scoped: Scoped) -> Literal:
        """Every value an expression may have (constants, settings defaults, environment
        fallbacks, conditionals followed across modules), or `Unknown(why)`."""
        return self.literals.of(scoped)

    def note(self, path: str, line: int, message: str) -> None:
        self.notes.append(Note(path, line, message))

    def note_about(self, anchor: Anchor, reason: str) -> None:
        """Something fastlint could not resolve about a model object (`--verbose`)."""
        self.note(anchor.path, anchor.span.line, f"{anchor.subject}: {reason}")

    @property
    def apps(self) -> list[Container]:
        return self.routing.apps

    @property
    def routes(self) -> list[Route]:
        return self.routing.routes

    @cached_property
    def instances(self) -> list[RouteInstance]:
        return list(self.routing.instances())

    @cached_property
    def _instances_by_route(self) -> dict[int, list[RouteInstance]]:
        by_route: dict[int, list[RouteInstance]] = {}
        for instance in self.instances:
            by_route.setdefault(id(instance.route), []).append(instance)
        return by_route

    def instances_of(self, route: Route) -> list[RouteInstance]:
        return self._instances_by_route.get(id(route), [])

    def route_anchor(self, route: Route) -> Anchor:
        """A route declaration, about the route as the first app that serves it
        serves it (as declared when no app does)."""
        instances = self.instances_of(route)
        if instances:
            return instances[0].anchor
        return route.anchor_as(route.declared_label)

    def dependency_evidence(self, instance: RouteInstance) -> Evidence:
        """What the dependencies on a served route's path prove: app, include, router
        and route `dependencies=[...]`, and the endpoint's parameters and body.

        Computed once per served route (FL001 and FL006 both ask)."""
        cached = self._dependency_evidence.get(id(instance))
        if cached is None:
            cached = self._dependency_evidence[id(instance)] = self._dependencies_of(instance)
        return cached

    def _dependencies_of(self, instance: RouteInstance) -> Evidence:
        evidence = self.dependencies.of_list(instance.dependencies)
        endpoint = instance.route.endpoint
        if endpoint is not None:
            evidence.add(self.dependencies.of_endpoint(endpoint))
        else:
            evidence.unknown.append("the endpoint function could not be resolved")
        return evidence
