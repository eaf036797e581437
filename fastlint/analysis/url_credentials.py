"""Credentials a route takes from the URL's query string.

Three forms: a route (or a dependency of it) declaring a query parameter named
like a credential (`token`, `api_key`, `password`); an `APIKeyQuery` security
scheme; and an endpoint reading one from `request.query_params`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from fastlint.analysis import Analysis
from fastlint.facts.expr import Attr, Const, Expr, Name, Subscript, Union, last_name
from fastlint.model import known
from fastlint.model.anchor import Anchor
from fastlint.model.parameters import QUERY
from fastlint.model.project import Project
from fastlint.model.routing import Route

__all__ = ["UrlCredential", "UrlCredentials"]

APIKEY_QUERY = "fastapi.security.APIKeyQuery"
# Query parameters named like credentials that are not (dogfood: skyvern's `page_token`,
# zenml's `expand_secrets: bool`, polar's `expo_push_token`): pagination cursors,
# flags about secrets, and device addresses.
NOT_CREDENTIAL_PREFIXES = ("page_", "next_", "prev_", "continuation_", "cursor")
# skyvern's `request_cancel_token`: an id the client makes up to cancel its own request.
NOT_CREDENTIAL_SUFFIXES = ("push_token", "_cursor", "cancel_token")
FLAG_TYPES = frozenset({"bool", "int", "float"})
LIST_TYPES = frozenset({"list", "List", "set", "Set", "tuple", "Tuple", "Sequence"})
QUERY_READS = frozenset({"get", "getlist", "__getitem__"})


@dataclass(frozen=True)
class UrlCredential:
    """One credential read from the query string."""

    anchor: Anchor
    name: str  # the query parameter's name
    how: str  # "query parameter", "`APIKeyQuery` scheme", "`request.query_params`"
    websocket: bool  # on a websocket route: browsers cannot set headers there


class UrlCredentials(Analysis):
    """Every credential the project's routes read from the URL."""

    def __init__(self, project: Project) -> None:
        super().__init__(project)

    @cached_property
    def found(self) -> list[UrlCredential]:
        found: list[UrlCredential] = []
        seen: set[tuple[str, int, str]] = set()
        for route in self.project.routes:
            if route.endpoint is None:
                continue
            label = self.project.route_anchor(route).subject
            served = self.project.instances_of(route)  # a prefix's `{placeholders}` too
            path = served[0].full_path if served else route.path
            cursor = self._hands_out_cursor(route)
            for param in self.project.parameters(route.endpoint, path):
                if cursor and param.name.lower() in ("token", "cursor"):
                    continue  # the continuation the previous page handed out
                if param.source == QUERY and _credential(param.name, param.annotation):
                    key = (route.file, route.span.line, param.name)
                    if key not in seen:
                        seen.add(key)
                        found.append(
                            UrlCredential(
                                route.anchor_as(label).part(param.name),
                                param.name,
                                "query parameter",
                                route.is_websocket,
                            )
                        )
            found.extend(self._query_reads(route, label))
        for site in self.project.calls.of(APIKEY_QUERY):
            name = _text(site.arg(0, "name")) or "?"
            found.append(UrlCredential(site.anchor, name, "`APIKeyQuery` scheme", False))
        return found

    def _hands_out_cursor(self, route: Route) -> bool:
        """Whether the endpoint answers with the token of the next page
        (`continuation_token=...`, `next_page_token=...`): its own `token` query
        parameter is then that cursor coming back (airflow's log pages)."""
        assert route.endpoint is not None
        for site in self.project.calls.in_function(route.endpoint):
            for keyword, _ in site.call.kwargs:
                lowered = keyword.lower()
                if lowered.startswith(NOT_CREDENTIAL_PREFIXES) and "token" in lowered:
                    return True
        return False

    def _query_reads(self, route: Route, label: str) -> list[UrlCredential]:
        """`request.query_params.get("token")` in the endpoint."""
        assert route.endpoint is not None
        found = []
        for site in self.project.calls.in_function(route.endpoint):
            func = site.call.func
            if not (isinstance(func, Attr) and func.attr in QUERY_READS):
                continue
            holder = func.value
            if not (
                isinstance(holder, Attr)
                and holder.attr == "query_params"
                and isinstance(holder.value, Name)
            ):
                continue
            key = _text(site.arg(0, "key"))
            if key is not None and known.is_credential_name(key):
                how = "`request.query_params`"
                found.append(UrlCredential(site.anchor, key, how, route.is_websocket))
        return found


def _credential(name: str, annotation: Expr | None) -> bool:
    """A query parameter that holds a credential: named like one, not a cursor or a
    flag (`expand_secrets: bool`)."""
    lowered = name.lower()
    if lowered.startswith(NOT_CREDENTIAL_PREFIXES) or lowered.endswith(NOT_CREDENTIAL_SUFFIXES):
        return False
    annotation = _unwrap_optional(annotation)
    if annotation is not None and last_name(annotation) in FLAG_TYPES:
        return False
    if isinstance(annotation, Subscript) and last_name(annotation.value) in LIST_TYPES:
        return False  # arize's `session_ids: list[str]`: several ids to filter by
    return known.is_credential_name(name)


def _unwrap_optional(annotation: Expr | None) -> Expr | None:
    """`list[str]` of `Optional[list[str]]`, of `list[str] | None` and of
    `Annotated[list[str] | None, Query(...)]`."""
    for _ in range(3):
        if (
            isinstance(annotation, Subscript)
            and annotation.items
            and last_name(annotation.value) in ("Optional", "Annotated")
        ):
            annotation = annotation.items[0]
            continue
        if isinstance(annotation, Union):
            sides = [
                side
                for side in (annotation.left, annotation.right)
                if not (isinstance(side, Const) and side.value is None)
            ]
            if len(sides) == 1:
                annotation = sides[0]
                continue
        break
    return annotation


def _text(expr: Expr | None) -> str | None:
    """A string literal's value."""
    return expr.value if isinstance(expr, Const) and isinstance(expr.value, str) else None
