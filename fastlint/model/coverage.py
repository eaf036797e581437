"""What a run could and could not check: routes served by an app fastlint sees,
routes no visible app serves, and wiring it could not follow."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from fastlint.model.project import Project


@dataclass(frozen=True)
class UncheckedRoute:
    """A route in a router that no app fastlint sees includes."""

    path: str
    line: int
    label: str  # `METHOD /path` with its router's own prefix
    router: str  # the router's variable name


@dataclass(frozen=True)
class Coverage:
    routes: int = 0  # routes declared in the scanned files
    served: int = 0  # of those, served by an app fastlint sees (so checked)
    unchecked: tuple[UncheckedRoute, ...] = ()
    unchecked_routers: int = 0  # routers holding the unchecked routes
    unresolved_includes: int = 0  # include_router/mount calls whose target is unknown
    unresolved_dependencies: int = 0  # served routes with a dependency fastlint cannot follow

    @property
    def summary(self) -> str | None:
        """One line for the text summary when routes were not checked, else None."""
        count = len(self.unchecked)
        if not count:
            return None
        routes = "1 route" if count == 1 else f"{count} routes"
        routers = "1 router" if self.unchecked_routers == 1 else f"{self.unchecked_routers} routers"
        verb = "is" if count == 1 else "are"
        pronoun = "it was" if count == 1 else "they were"
        return (
            f"{routes} in {routers} {verb} served by no app fastlint could see, so {pronoun} "
            "not checked: scan the folder that holds the app; --verbose lists them"
        )

    def counts(self) -> dict[str, int]:
        """The numbers, for machine-readable reports."""
        return {
            "routes": self.routes,
            "served": self.served,
            "not_checked": len(self.unchecked),
            "routers_not_included": self.unchecked_routers,
            "unresolved_includes": self.unresolved_includes,
            "unresolved_dependencies": self.unresolved_dependencies,
        }

    def listing(self, relative: Any = str) -> list[str]:
        """`path:line: METHOD /path (router `name`)` for each unchecked route."""
        return [
            f"{relative(r.path)}:{r.line}: {r.label} (router `{r.router}`) is served by no app "
            "fastlint could see: not checked"
            for r in self.unchecked
        ]


def measure(project: Project, files: Collection[str]) -> Coverage:
    """Coverage of the routes declared in `files` (the files being checked)."""
    routes = [r for r in project.routes if r.file in files]
    served = [r for r in routes if project.instances_of(r)]
    unchecked = sorted(
        (
            UncheckedRoute(r.file, r.span.line, r.declared_label, r.container.name)
            for r in routes
            if not project.instances_of(r)
        ),
        key=lambda u: (u.path, u.line, u.label),
    )
    routers = {r.container.key for r in routes if not project.instances_of(r)}
    undecided = sum(
        1
        for route in served
        for instance in project.instances_of(route)
        if project.route_evidence(instance).unknown
    )
    return Coverage(
        routes=len(routes),
        served=len(served),
        unchecked=tuple(unchecked),
        unchecked_routers=len(routers),
        unresolved_includes=len(project.routing.unresolved_includes),
        unresolved_dependencies=undecided,
    )
