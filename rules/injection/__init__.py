"""Injection: request values reaching URLs, redirects, files, SQL and commands.

The five rules share one shape: read the request data flow for their sink kind
and report each sink a request value reaches, with the path it took.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

from fastlint.analysis import Analysis
from fastlint.analysis.request_flow import FlowConfig, Hit, RequestFlow
from fastlint.findings import Finding
from fastlint.model.api import Project
from fastlint.rule import Rule


@dataclass(frozen=True)
class FlowOptions:
    """`[tool.fastlint.rules.FLxxx]`: a team's own sources, sinks and sanitisers, by
    qualified name (`app.utils.read_input`, `app.net.fetch`, `app.paths.safe_join`)."""

    sources: tuple[str, ...] = ()  # functions whose return value is a request value
    sinks: tuple[str, ...] = ()  # functions whose first argument must not be one
    sanitisers: tuple[str, ...] = ()  # functions whose return value is safe for this sink


class FlowRule(Rule):
    """A rule reporting request values that reach sinks of one kind."""

    kind: ClassVar[str]
    reaches: ClassVar[str]  # "the URL fetched by", "the path opened by"...
    Options = FlowOptions
    options: FlowOptions
    requires: ClassVar[tuple[type[Analysis], ...]] = (RequestFlow,)

    def check(self, project: Project) -> Iterator[Finding]:
        o = self.options
        config = FlowConfig(self.kind, o.sources, o.sinks, o.sanitisers)
        for hit in project.get(RequestFlow).hits(self.kind, config):
            yield self.finding(hit.anchor, self.message(hit), flow=hit.entry.chain)

    def message(self, hit: Hit) -> str:
        source = hit.entry.label or "a request value"
        route = f" of `{hit.route}`" if hit.route else ""
        steps = len(hit.entry.chain) - 2
        via = f" through {steps} step{'s' if steps != 1 else ''}" if steps > 0 else ""
        return f"The {source}{route} reaches {self.reaches} `{hit.callee}`{via}"
