"""Objects fetched by an id from the path, and whether the caller scopes the fetch.

A heuristic for broken object-level authorization: on an authenticated route
whose endpoint is handed the caller (a dependency parameter named like a user,
account or principal), a path parameter named like an object id (`id`,
`item_id`, `report_uuid`) reaches a fetch (a call named like a query: `get`,
`execute`, `where`, `filter`, `find`...), and nothing in the endpoint uses the
caller with it: no call given both (`get_item(db, item_id, owner=user)`), no
comparison with the caller (`if item.owner_id != user.id`), no dependency that
loads the object by the same path parameter, and no role check on the route.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from fastlint.analysis import Analysis
from fastlint.analysis.authorization import RoleChecks
from fastlint.analysis.ownership import CALLER_WORDS, Ownership, mentions
from fastlint.analysis.route_auth import RouteAuth, Verdict
from fastlint.facts.expr import last_name
from fastlint.model.calls import CallSite
from fastlint.model.chain import ChainParameter
from fastlint.model.parameters import DEPENDENCY, PATH
from fastlint.model.project import Project
from fastlint.model.routing import RouteInstance
from fastlint.model.values import FunctionVal

__all__ = ["ObjectAccess", "UnscopedFetch"]

OBJECT_ID = re.compile(r"^(id|uuid|\w+_(id|uuid|pk))$", re.I)
# The caller's own identity in the path is FL013's concern (identity from the request).
IDENTITY_IDS = frozenset(
    {"user_id", "uid", "owner_id", "account_id", "customer_id", "tenant_id", "org_id"}
    | {"workspace_id", "organization_id", "team_id", "project_id"}
)
# Dependencies that hand over who calls or the tenant they act in (skyvern's
# `current_org`, polar's `auth_subject`, a `workspace` scope): besides the caller words.
SCOPE_WORDS = ("org", "tenant", "workspace", "subject", "current_")
# Service and repository calls that load one object by its id (`crud.get_item(db,
# item_id)`, `repo.find_by_id(id)`, `service.delete_report(report_id)`), besides the
# query methods.
FETCH_NAME = re.compile(r"^_?(get|fetch|find|read|load|delete|update|remove)_\w+$")


@dataclass(frozen=True)
class UnscopedFetch:
    """A path id fetched on an authenticated route without the caller."""

    instance: RouteInstance
    parameter: str
    fetch: CallSite
    callers: tuple[str, ...]


class ObjectAccess(Analysis):
    """Every route that fetches an object by a path id without scoping it to the caller."""

    def __init__(self, project: Project) -> None:
        super().__init__(project)

    @cached_property
    def unscoped(self) -> list[UnscopedFetch]:
        auth = self.project.get(RouteAuth)
        roles = self.project.get(RoleChecks)
        found: list[UnscopedFetch] = []
        for instance in self.project.instances:
            endpoint = instance.route.endpoint
            if endpoint is None or auth.of(instance).verdict is not Verdict.AUTHENTICATED:
                continue
            params = self.project.chain_parameters(instance)
            callers = _callers(params, instance)
            if not callers:
                continue  # no caller in the endpoint: nothing to scope by (a known limit)
            path_ids = {
                p.parameter.name
                for p in params
                if p.function == endpoint and p.parameter.source == PATH
            }
            ids = [
                p.parameter.name
                for p in params
                if p.function == endpoint
                and p.parameter.source == PATH
                and OBJECT_ID.match(p.parameter.name)
                and p.parameter.name.lower() not in IDENTITY_IDS
            ]
            if not ids or roles.evidence(instance) is not None:
                continue
            for name in ids:
                if self._loaded_by_dependency(params, instance, name):
                    continue
                fetch = self.project.get(Ownership).query_with(endpoint, name) or self._fetch(
                    endpoint, name
                )
                if fetch is None:
                    continue
                if self.project.get(Ownership).checked_with(endpoint, name, callers) is not None:
                    continue
                if self._parent_checked(endpoint, fetch, name, path_ids, callers):
                    continue
                if self.project.get(Ownership).compared_with_claim(
                    endpoint, name
                ) or self._compares_caller(instance, callers):
                    continue
                found.append(UnscopedFetch(instance, name, fetch, tuple(sorted(callers))))
        return found

    def _loaded_by_dependency(
        self, params: list[ChainParameter], instance: RouteInstance, name: str
    ) -> bool:
        """A dependency takes the same path parameter: it loads (and may scope) the object."""
        endpoint = instance.route.endpoint
        return any(
            p.function != endpoint and p.parameter.source == PATH and p.parameter.name == name
            for p in params
        )

    def _parent_checked(
        self,
        endpoint: FunctionVal,
        fetch: CallSite,
        name: str,
        path_ids: set[str],
        callers: frozenset[str],
    ) -> bool:
        """The fetch also names a parent from the path that is checked against the
        caller (`is_thread_author(user.id, thread_id)`, then
        `get_element(thread_id, element_id)`): the child is reached through it."""
        ownership = self.project.get(Ownership)
        return any(
            other != name
            and mentions((fetch.call.args, fetch.call.kwargs), other)
            and ownership.checked_with(endpoint, other, callers) is not None
            for other in path_ids
        )

    def _fetch(self, endpoint: FunctionVal, name: str) -> CallSite | None:
        """A service call named like a load by id (`get_item`, `find_report`,
        `delete_invoice`) handed the id itself."""
        for site in self.project.calls.in_function(endpoint):
            called = last_name(site.call.func) or ""
            if FETCH_NAME.match(called) and (
                any(mentions(arg, name) for arg in site.call.args)
                or any(mentions(value, name) for _, value in site.call.kwargs)
            ):
                return site
        return None

    def _compares_caller(self, instance: RouteInstance, callers: frozenset[str]) -> bool:
        """The endpoint compares something with the caller (`item.owner_id != user.id`)."""
        endpoint = instance.route.endpoint
        body = self.project.calls.body_of(endpoint) if endpoint is not None else None
        if body is None:
            return False
        return any(
            mentions((c.left, c.right), caller) for c in body.comparisons for caller in callers
        )


def _callers(params: list[ChainParameter], instance: RouteInstance) -> frozenset[str]:
    endpoint = instance.route.endpoint
    return frozenset(
        p.parameter.name
        for p in params
        if p.function == endpoint
        and p.parameter.source == DEPENDENCY
        and any(word in p.parameter.name.lower() for word in (*CALLER_WORDS, *SCOPE_WORDS))
    )
