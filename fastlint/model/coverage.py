"""What a run could and could not check: routes served by an app fastlint sees,
routes no visible app serves, and wiring it could not follow."""

from __future__ import annotations

from collections.abc import Callable, Collection

from fastlint.model.project import Project
from fastlint.model.routing import RouteInstance
from fastlint.results import Coverage, UncheckedRoute


def measure(
    project: Project,
    files: Collection[str],
    undecided: Callable[[RouteInstance], str | None] = lambda instance: None,
) -> Coverage:
    """Coverage of the routes declared in `files` (the files being checked);
    `undecided` says why a served route's authentication could not be determined
    (None: it could)."""
    routes = [r for r in project.routes if r.file in files]
    served = [r for r in routes if project.instances_of(r)]
    unchecked = [
        UncheckedRoute(r.file, r.span.line, r.declared_label, r.container.name)
        for r in routes
        if not project.instances_of(r)
    ]
    routers: set[object] = {r.container.key for r in routes if not project.instances_of(r)}
    # Route decorators whose router fastlint could not resolve (in no context).
    declared = {(r.file, r.span.line) for r in project.routes}
    unattached = {
        (path, line, label, receiver)
        for path, line, label, receiver in project.routing.unattached
        if path in files and (path, line) not in declared
    }
    unchecked += [UncheckedRoute(*route) for route in unattached]
    routers |= {(p, receiver) for p, _, _, receiver in unattached}
    unchecked.sort(key=lambda u: (u.path, u.line, u.label))
    reasons: dict[str, int] = {}
    for route in served:
        for instance in project.instances_of(route):
            why = undecided(instance)
            if why is not None:
                reasons[why] = reasons.get(why, 0) + 1
    return Coverage(
        routes=len(routes) + len(unattached),
        served=len(served),
        unchecked=tuple(unchecked),
        unchecked_routers=len(routers),
        unresolved_includes=len(project.routing.unresolved_includes),
        unresolved_dependencies=sum(reasons.values()),
        undetermined=tuple(sorted(reasons.items(), key=lambda r: (-r[1], r[0]))),
    )
