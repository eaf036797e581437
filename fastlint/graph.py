"""The project's import graph, kept between runs so a re-run reads only what it needs.

For every file it records whether the prefilter keeps it and which project
files its imports name, valid while the file is unchanged (its size, times and
inode; its content too when it changed within the timestamps' resolution).
With it, naming one file (pre-commit) analyses the files that can change that
file's findings, and nothing else:

- the files the full run would read (what the prefilter keeps, and everything
  those import, transitively), restricted to
- the named files, the files that import them (directly or not: the app that
  includes a router imports its module), and everything those import.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from fastlint.cache import FactsCache, Signature, file_signature
from fastlint.facts.expr import Attr, Call, Expr
from fastlint.facts.types import ModuleFacts
from fastlint.knowledge.fastapi_starlette import ROUTE_METHODS
from fastlint.prefilter import Request, Verdict

# What says a file is unchanged since it was recorded (see `fastlint.cache.file_signature`).
Stat = Signature
# The project files a file's imports name (see `fastlint.prefilter.imported_files`).
Resolve = Callable[[str, tuple[Request, ...]], tuple[str, ...]]


@dataclass
class Node:
    stat: Stat
    relevant: bool  # kept by the prefilter (mentions FastAPI, Pydantic, ... or cannot parse)
    requests: tuple[Request, ...] | None = None  # its imports as written; None: not read
    imports: tuple[str, ...] = ()  # the project files they name
    # A file the prefilter does not keep: its imports as written (a file that imports
    # the function building the app is read too, see `fastlint.pipeline.importers`).
    loose: tuple[Request, ...] = ()


@dataclass
class ImportGraph:
    key: str  # the settings the prefilter answers depend on
    files_key: str  # the file list the imports were resolved against
    nodes: dict[str, Node] = field(default_factory=dict)

    @staticmethod
    def load(cache: FactsCache | None, key: str, files: list[str], resolve: Resolve) -> ImportGraph:
        """The stored graph, its imports resolved again if files came or went."""
        files_key = _files_key(files)
        stored = cache.get_graph() if cache is not None else None
        # None yet, written by another fastlint, or for other settings: start afresh.
        if (
            not isinstance(stored, ImportGraph)
            or vars(stored).keys() != _FIELDS
            or stored.key != key
        ):
            return ImportGraph(key, files_key)
        if stored.files_key != files_key:  # a new file may be what an import names
            present = set(files)
            stored.nodes = {p: n for p, n in stored.nodes.items() if p in present}
            for path, node in stored.nodes.items():
                if node.requests is not None:
                    node.imports = resolve(path, node.requests)
            stored.files_key = files_key
        return stored

    def save(self, cache: FactsCache | None) -> None:
        if cache is not None:
            cache.put_graph(self)

    def _fresh(self, path: str) -> Node | None:
        node = self.nodes.get(path)
        if node is None:
            return None
        if node.stat != _stat(path):
            del self.nodes[path]
            return None
        return node

    def screen(self, files: list[str], screen: Callable[[list[str]], list[Verdict]]) -> list[str]:
        """The files the prefilter keeps: recorded answers for unchanged files,
        `screen` for the others."""
        known = {f: node.relevant for f in files if (node := self._fresh(f)) is not None}
        unknown = [f for f in files if f not in known]
        stats = [_stat(f) for f in unknown]  # before reading: a later edit is seen next time
        for file, stat, (keep, loose) in zip(unknown, stats, screen(unknown), strict=True):
            known[file] = keep
            if stat is not None:
                self.nodes[file] = Node(stat, keep, loose=loose)
        return [f for f in files if known[f]]

    def loose(self, files: list[str]) -> dict[str, tuple[Request, ...]]:
        """The imports of the screened files the prefilter does not keep."""
        return {
            f: node.loose
            for f in files
            if (node := self.nodes.get(f)) is not None and not node.relevant and node.loose
        }

    def imports(
        self,
        files: list[str],
        read: Callable[[list[str]], Mapping[str, tuple[Request, ...]]],
        resolve: Resolve,
    ) -> dict[str, tuple[str, ...]]:
        """The project files each file imports: recorded, or from `read` (which
        analyses the files it is given and returns their imports)."""
        found: dict[str, tuple[str, ...]] = {}
        for file in files:
            node = self._fresh(file)
            if node is not None and node.requests is not None:
                found[file] = node.imports
        stats = {f: _stat(f) for f in files if f not in found}
        for file, requests in read(list(stats)).items():
            found[file] = resolve(file, requests)
            node, stat = self.nodes.get(file), stats[file]
            if node is not None and stat is not None:
                self.nodes[file] = Node(stat, node.relevant, requests, found[file], node.loose)
        return found


def closure(
    kept: list[str], imports: Callable[[list[str]], dict[str, tuple[str, ...]]]
) -> dict[str, tuple[str, ...]]:
    """`kept` and every file they import, transitively, each with its imports."""
    edges: dict[str, tuple[str, ...]] = {}
    frontier = sorted(set(kept))
    while frontier:
        batch = imports(frontier)
        edges.update(batch)
        frontier = sorted({t for targets in batch.values() for t in targets} - edges.keys())
    return edges


def context_of(named: Iterable[str], edges: Mapping[str, tuple[str, ...]]) -> set[str]:
    """The files that can change the findings of `named`: the named files and the
    files that import them (transitively), with everything those import."""
    importers: dict[str, list[str]] = {}
    for source, targets in edges.items():
        for target in targets:
            importers.setdefault(target, []).append(source)
    starts = [n for n in named if n in edges]
    ancestors = _reach(starts, importers)
    return _reach(ancestors, edges)


def serving_context(route_files: Iterable[str], edges: Mapping[str, tuple[str, ...]]) -> set[str]:
    """The files that can serve the routes of `route_files`: their importers (the apps
    that include their routers, directly or not), with everything those import. A
    route served by several apps is labelled with its app: a run naming one file must
    see every app, or its findings would not match a full run's."""
    importers: dict[str, list[str]] = {}
    for source, targets in edges.items():
        for target in targets:
            importers.setdefault(target, []).append(source)
    return _reach(_reach([f for f in route_files if f in edges], importers), edges)


def declares_routes(facts: ModuleFacts) -> bool:
    """Whether a file registers routes (decorators or `router.get(path)(handler)`)."""
    scopes = [facts.scope]
    while scopes:
        scope = scopes.pop()
        if any(_registers(call) for call in scope.wiring):
            return True
        functions = [*scope.functions.values()]
        functions += [m for c in scope.classes.values() for m in c.methods.values()]
        for function in functions:
            if any(_registers(d.expr) for d in function.decorators):
                return True
            scopes.append(function.scope)
    return False


def _registers(expr: Expr) -> bool:
    call = expr.func if isinstance(expr, Call) and isinstance(expr.func, Call) else expr
    return (
        isinstance(call, Call) and isinstance(call.func, Attr) and call.func.attr in ROUTE_METHODS
    )


def _reach(starts: Iterable[str], edges: Mapping[str, Iterable[str]]) -> set[str]:
    seen = set(starts)
    todo = list(seen)
    while todo:
        for target in edges.get(todo.pop(), ()):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


_FIELDS = {"key", "files_key", "nodes"}


def _files_key(files: list[str]) -> str:
    digest = hashlib.sha256()
    for file in sorted(files):
        digest.update(os.fsencode(file) + b"\0")
    return digest.hexdigest()


def _stat(path: str) -> Stat | None:
    return file_signature(path)
