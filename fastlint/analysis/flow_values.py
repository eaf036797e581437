"""What request data flow tracks: taint entries, their operations, and hits on sinks.

A value is described by a `Taint`: for each origin (a parameter of the function
being read, symbolically, or a concrete request source), an `Entry` saying what
kind of thing the value is *given* what the origin is (`kinds`: the origin's kind
-> the kind here), the path it took (`chain`), and what has been done to it on
the way (sanitised for some sinks, built into text, placed after a fixed host).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from fastlint.findings import FlowStep
from fastlint.knowledge_flow import DATA, REQUEST, SOCKET, UPLOAD, Sink
from fastlint.model.anchor import Anchor
from fastlint.model.schemas import Model

__all__ = [
    "ALL_KINDS",
    "FIXED_PREFIX",
    "IDENTITY",
    "MAX_ORIGINS",
    "MAX_STEPS",
    "PARAM",
    "Entry",
    "Hit",
    "Taint",
    "bind",
    "compose",
    "fixed",
    "mapped",
    "reaches",
    "stepped",
    "union",
    "updated",
    "within_name",
]

ALL_KINDS = (DATA, REQUEST, UPLOAD, SOCKET)
IDENTITY = tuple((k, k) for k in ALL_KINDS)
MAX_STEPS = 24
MAX_ORIGINS = 8
PARAM = "param:"


@dataclass(frozen=True, slots=True)
class Entry:
    kinds: tuple[tuple[str, str], ...]  # (kind at the origin, kind here)
    chain: tuple[FlowStep, ...]
    cleared: frozenset[str] = frozenset()  # sink kinds a sanitiser or check made it safe for
    built: bool = False  # built into text by an f-string, `+`, `%`, `.format`, `join`
    tail: bool = False  # after a fixed scheme and host, or a relative path
    infix: bool = False  # after fixed text in the same file name (`f"{uid}_{name}"`)
    model: Model | None = field(default=None, compare=False)  # the pydantic model it is
    label: str = ""  # for a concrete source: what it is ("query parameter `url`")

    @property
    def carries_data(self) -> bool:
        return any(now == DATA for _, now in self.kinds)

    def step(self, step: FlowStep | None) -> Entry:
        if step is None or (self.chain and self.chain[-1] == step):
            return self
        return replace(self, chain=_capped((*self.chain, step)))

    def mapped(self, kinds: tuple[tuple[str, str], ...]) -> Entry | None:
        return replace(self, kinds=kinds) if kinds else None


Taint = dict[str, Entry]


def _capped(chain: tuple[FlowStep, ...]) -> tuple[FlowStep, ...]:
    if len(chain) <= MAX_STEPS:
        return chain
    half = MAX_STEPS // 2
    return (*chain[:half], *chain[-half:])


def union(*taints: Taint) -> Taint:
    out: Taint = {}
    for taint in taints:
        for origin, entry in taint.items():
            if origin not in out and len(out) < MAX_ORIGINS:
                out[origin] = entry
    return out


def stepped(taint: Taint, step: FlowStep | None) -> Taint:
    return {o: e.step(step) for o, e in taint.items()} if step is not None else taint


def updated(taint: Taint, **changes: object) -> Taint:
    return {o: replace(e, **changes) for o, e in taint.items()}  # type: ignore[arg-type]


def compose(outer: Entry, inner: Entry, step: FlowStep | None) -> Entry | None:
    """`outer` (an argument) passed where `inner` (a callee's parameter) went."""
    reached = dict(inner.kinds)
    kinds = tuple((origin, reached[now]) for origin, now in outer.kinds if now in reached)
    if not kinds:
        return None
    middle = (step,) if step is not None else ()
    rest = inner.chain
    if (
        rest
        and outer.chain
        and (rest[0].path, rest[0].span) == (outer.chain[-1].path, outer.chain[-1].span)
    ):
        rest = rest[1:]  # the parameter the source is
    return Entry(
        kinds,
        _capped((*outer.chain, *middle, *rest)),
        outer.cleared | inner.cleared,
        outer.built or inner.built,
        outer.tail or inner.tail,
        outer.infix or inner.infix,
        inner.model if len(inner.chain) > 1 or inner.model is not None else outer.model,
        outer.label,
    )


def bind(taint: Taint, arguments: dict[str, Taint], step: FlowStep | None) -> Taint:
    """A callee's `taint` (in terms of its parameters) with the caller's arguments."""
    out: Taint = {}
    for origin, entry in taint.items():
        if not origin.startswith(PARAM):
            out.setdefault(origin, entry)
            continue
        for outer_origin, outer in arguments.get(origin[len(PARAM) :], {}).items():
            composed = compose(outer, entry, step)
            if composed is not None and outer_origin not in out and len(out) < MAX_ORIGINS:
                out[outer_origin] = composed
    return out


def mapped(taint: Taint, operation: dict[str, str | None]) -> Taint:
    """Apply an operation that turns a value of one kind into another (or nothing)."""
    out: Taint = {}
    for origin, entry in taint.items():
        kinds = tuple(
            (first, result)
            for first, now in entry.kinds
            if (result := operation.get(now)) is not None
        )
        new = entry.mapped(kinds)
        if new is not None:
            out[origin] = new
    return out


# Text before a value that fixes where a URL goes: `https://host/...`, `/path/...`,
# or a value the caller did not choose (a configured base URL).
FIXED_PREFIX = re.compile(r"(?:\x00|[A-Za-z][\w+.-]*://[^/?#\x00\x01]+[/?#]|/[^/\\\x01])")


def fixed(prefix: str) -> bool:
    """Whether text `prefix` (`\\x00` for a clean value, `\\x01` for a request value)
    placed before a value decides the scheme and host of a URL built from both."""
    return FIXED_PREFIX.match(prefix) is not None or "?" in prefix or "#" in prefix


def within_name(prefix: str) -> bool:
    """Whether fixed text precedes a value in the same path segment: `uid_` in
    `f"{folder}/{uid}_{name}"`. `../` there names a folder `uid_..` that does not exist."""
    segment = re.split(r"[/\\]", prefix)[-1]
    return any(c not in "\x00\x01" for c in segment)


def reaches(sink: Sink, entry: Entry, final: bool = True) -> bool:
    """Whether a value like `entry` is dangerous at `sink` (checked at the sink, and
    again each time the entry is bound to a caller's argument). Text built by a
    caller is only known once `final` (the origin is a request value)."""
    if sink.kind in entry.cleared or not entry.carries_data:
        return False
    if sink.kind in ("url", "redirect") and entry.tail:
        return False
    if sink.kind == "file" and entry.infix:
        return False
    return sink.mode != "built" or entry.built or not final


@dataclass(frozen=True)
class Hit:
    """A request value reaching a sink: where, and along which path."""

    sink: Sink
    anchor: Anchor  # the sink call (or the route, for a returned redirect)
    callee: str  # the sink as the message names it: `httpx.AsyncClient().get`
    entry: Entry  # concrete: `entry.chain` runs from the source to the sink
    origin: str  # `param:<name>` while still in terms of a function's parameter
    route: str | None = None  # the route the source belongs to
