"""Which served routes shadow others: FastAPI (Starlette) serves the first route
that matches a request, so a later route with the same method and path is never
reached, whatever authentication it carries.

Order: routes are matched in the order they were added to the app. fastlint takes
the model's order of served routes and, within one file, the line order (the order
decorators run); across files, includes are not ordered exactly (a known limit).
Only identical paths are compared (`/items/{id}` and `/items/{item_id}` too, since
parameter names do not matter for matching); a parameterised path that catches a
literal one (`/items/{id}` before `/items/me`) is not reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fastlint.analysis import Analysis
from fastlint.model.project import Project
from fastlint.model.routing import RouteInstance

PARAMETER = re.compile(r"\{[^}:]*(:[^}]*)?\}")


__all__ = ["RouteShadowing", "Shadowed"]


@dataclass(frozen=True)
class Shadowed:
    """A served route another one, added before it, hides."""

    hidden: RouteInstance  # never reached
    served: RouteInstance  # what FastAPI serves instead
    methods: tuple[str, ...]  # the methods both answer


def _shape(path: str) -> str:
    """The path as Starlette matches it: parameter names do not matter."""
    return PARAMETER.sub(lambda m: "{" + (m.group(1) or "") + "}", path)


def _methods(instance: RouteInstance) -> set[str]:
    if instance.route.is_websocket:
        return {"WEBSOCKET"}
    methods = set(instance.route.methods)
    return methods | {"HEAD"} if "GET" in methods else methods


class RouteShadowing(Analysis):
    """Every shadowed route, with the route served instead (first match wins)."""

    def __init__(self, project: Project) -> None:
        super().__init__(project)
        self.shadowed: list[Shadowed] = []
        groups: dict[tuple[int, str], list[tuple[int, RouteInstance]]] = {}
        for order, instance in enumerate(project.instances):  # two apps may share a label
            key = (id(instance.app), _shape(instance.full_path))
            groups.setdefault(key, []).append((order, instance))
        for members in groups.values():
            if len(members) < 2:
                continue
            first_in_file: dict[str, int] = {}
            for order, instance in members:
                first_in_file.setdefault(instance.route.file, order)
            ordered = [
                i
                for _, i in sorted(
                    members,
                    key=lambda m: (first_in_file[m[1].route.file], m[1].route.span.line, m[0]),
                )
            ]
            for index, later in enumerate(ordered):
                for earlier in ordered[:index]:
                    if earlier.route is later.route:
                        continue  # one declaration included twice (alternative branches)
                    common = _methods(later) & _methods(earlier)
                    if common and common >= _methods(later) - {"HEAD"}:
                        self.shadowed.append(Shadowed(later, earlier, tuple(sorted(common))))
                        break
        self._by_id = {id(s.hidden): s for s in self.shadowed}

    def of(self, instance: RouteInstance) -> Shadowed | None:
        """What hides `instance`, or None when it is served."""
        return self._by_id.get(id(instance))
