"""Who runs a function: the routes it is the endpoint of, the project functions calling it.

Shared by analyses that judge a function by where it runs (the apps serving it, the
checks its callers make).
"""

from __future__ import annotations

from fastlint.model.project import Project
from fastlint.model.routing import RouteInstance
from fastlint.model.values import FunctionVal

__all__ = ["all_served", "callers", "serving"]


def serving(project: Project, function: FunctionVal) -> list[RouteInstance]:
    """The route instances whose endpoint is `function`."""
    return [i for i in project.instances if i.route.endpoint == function]


def callers(project: Project, function: FunctionVal) -> frozenset[FunctionVal]:
    """The project functions that call `function` by its name (itself aside)."""
    return frozenset(
        site.function
        for site in project.calls.named(function.name)
        if site.function is not None and site.function != function and function in site.callees
    )


def all_served(
    project: Project, function: FunctionVal, apps: frozenset[int], depth: int = 0
) -> bool:
    """Whether every app (by `id`) that runs `function` is in `apps`: the apps serving
    it as an endpoint (or the apps they are mounted in), else those running each of its
    callers, a few calls up; any app of `apps` when no route or caller is known."""
    instances = serving(project, function)
    if instances:
        return all(any(id(app) in apps for app in (i.app, *i.outer_apps)) for i in instances)
    found = callers(project, function)
    if not found or depth >= 3:
        return bool(apps)
    return all(all_served(project, caller, apps, depth + 1) for caller in found)
