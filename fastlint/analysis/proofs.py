"""The records of the authentication analysis: verdicts, proofs and their path scope."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from fastlint.analysis.switches import Switch
from fastlint.model.anchor import Anchor
from fastlint.span import Span

__all__ = ["ALL", "Extent", "PathScope", "Proof", "ProofKind", "RouteVerdict", "Verdict"]


class Verdict(str, Enum):
    """Who can call a served route, in the configuration that ships."""

    AUTHENTICATED = "authenticated"
    OPEN = "open"
    OPEN_UNLESS_CONFIGURED = "open-unless-configured"
    OPTIONAL = "optional"
    UNKNOWN = "unknown"
    # nobody reaches it: not served, or refusing every caller, until a setting
    # whose default is off turns it on (a feature switch, not authentication)
    OFF = "off"


class ProofKind(str, Enum):
    SCHEME = "security scheme"
    DEPENDENCY = "dependency"
    MIDDLEWARE = "middleware"
    ENDPOINT = "endpoint check"
    MOUNT = "mount"  # middleware of an app the route's app is mounted in


class Extent(str, Enum):
    ALL = "all"
    ONLY = "only"  # only the paths listed
    EXCEPT = "except"  # all but the paths listed


@dataclass(frozen=True)
class PathScope:
    """Which requests a check applies to, as read from its own tests of the path
    (`request.url.path`, `scope["path"]`), the method, and constructor arguments
    (`public_paths={...}`)."""

    extent: Extent = Extent.ALL
    exact: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()
    methods: frozenset[str] = frozenset()  # the listed paths count for these only (empty: any)

    def _listed(self, path: str, methods: tuple[str, ...]) -> bool:
        if self.methods and not set(methods) & self.methods:
            return False
        return path in self.exact or any(path.startswith(p) for p in self.prefixes)

    def covers(self, path: str, methods: tuple[str, ...]) -> bool:
        if self.extent is Extent.ALL:
            return True
        listed = self._listed(path, methods)
        return listed if self.extent is Extent.ONLY else not listed

    def describe(self) -> str:
        listed = sorted(self.exact) + [f"{p}*" for p in self.prefixes]
        methods = f" ({', '.join(sorted(self.methods))})" if self.methods else ""
        if self.extent is Extent.ALL:
            return "all routes"
        word = "only" if self.extent is Extent.ONLY else "all except"
        return f"{word} {', '.join(listed) or 'some paths'}{methods}"


ALL = PathScope()


@dataclass(frozen=True)
class Proof:
    """One thing on a route's way that authenticates it (or would, when switched on)."""

    kind: ProofKind
    what: str  # what it is and why it counts, for people
    level: str  # middleware, app, include, router, route, endpoint
    path: str
    line: int
    credential: str | None = None
    scope: PathScope = ALL
    switches: tuple[Switch, ...] = ()  # it runs only when these hold (empty: always)
    provider: str = ""  # the dependency or middleware, by name

    @property
    def anchor(self) -> Anchor:
        return Anchor(
            self.path, Span(self.line, 1, self.line, 1), f"{self.kind.value} {self.provider}"
        )

    @property
    def always(self) -> bool:
        return not self.switches

    @property
    def closed_by_default(self) -> bool:
        """Switched, but every switch's default keeps it on."""
        return bool(self.switches) and all(s.default_open is False for s in self.switches)


@dataclass
class RouteVerdict:
    """The authentication analysis's answer for one served route."""

    verdict: Verdict
    proofs: tuple[Proof, ...] = ()  # those that cover the route
    exempted: tuple[Proof, ...] = ()  # on its way, but their scope leaves it out
    switches: tuple[Switch, ...] = ()  # open unless configured: what closes it
    noted_switches: tuple[Switch, ...] = ()  # switches whose default keeps it closed
    optional: tuple[str, ...] = ()  # why anonymous callers get through optional auth
    fail_open: tuple[str, ...] = ()  # FL012: where an optional credential falls through
    unknown: tuple[str, ...] = ()  # why it could not be determined
    off: tuple[Switch, ...] = ()  # off: the settings that would turn it on
    unverified: tuple[str, ...] = ()  # FL011: scheme credentials nothing verifies
    unverified_at: tuple[tuple[str, Span, str], ...] = ()  # (file, `def`, dependency)
    redirects_only: bool = False
    files: tuple[str, ...] = field(default_factory=tuple)  # sources of findings about it

    @property
    def label(self) -> str:
        if self.verdict is Verdict.OPEN_UNLESS_CONFIGURED and self.switches:
            return "open unless " + " or ".join(dict.fromkeys(s.name for s in self.switches))
        if self.verdict is Verdict.OFF and self.off:
            return "off unless " + " and ".join(dict.fromkeys(s.requirement for s in self.off))
        if self.unverified:
            return "authenticated (credential never verified)"
        return self.verdict.value
