"""Keep reading to the files that can matter: the prefilter and the import graph."""

from __future__ import annotations

from functools import partial

from fastlint.cache import SALT, FactsCache
from fastlint.config import Settings
from fastlint.facts.types import ModuleFacts
from fastlint.graph import ImportGraph, closure, context_of, declares_routes, serving_context
from fastlint.model.index import ModuleIndex
from fastlint.pipeline.importers import add_wiring_importers
from fastlint.pipeline.plan import Plan
from fastlint.pipeline.read import Reader
from fastlint.prefilter import (
    Request,
    Verdict,
    graph_key,
    import_requests,
    imported_files,
    screen_file,
)


def read_relevant(
    plan: Plan, settings: Settings, reader: Reader, cache: FactsCache | None
) -> set[str]:
    """Read the files the model needs and return them: those the prefilter keeps,
    those importing what builds or wires an app from them, and everything these
    import (for files named alone: only what can change their findings)."""
    to_read = [str(f) for f in plan.analysed]
    tokens = tuple(n.rsplit(".", 1)[-1].encode() for n in settings.auth_dependencies)
    tokens += tuple(n.rsplit(".", 1)[-1].encode() for n in settings.rate_limiters)
    check = partial(screen_file, extra=tokens)
    index = ModuleIndex.for_paths(to_read)

    def screen(files: list[str]) -> list[Verdict]:
        verdicts = reader.map(check, files)
        pairs = zip(files, verdicts, strict=True)
        return [(True, ()) if f in reader.overrides else v for f, v in pairs]

    def facts_of(files: list[str]) -> dict[str, object]:
        reader.read(sorted(set(files) - reader.outcomes.keys()))
        return {f: reader.outcomes[f][0] for f in files}

    def read(files: list[str]) -> dict[str, tuple[Request, ...]]:
        return {
            path: import_requests(r) if isinstance(r, ModuleFacts) else ()
            for path, r in reader.read(files).items()
        }

    def resolve(path: str, requests: tuple[Request, ...]) -> tuple[str, ...]:
        return tuple(sorted(set(imported_files(path, requests, index))))

    graph = ImportGraph.load(cache, repr((SALT, graph_key(tokens))), to_read, resolve)
    for path in reader.overrides:  # what the graph knows of them is the disk's
        graph.nodes.pop(path, None)
    imports = partial(graph.imports, read=read, resolve=resolve)
    kept = graph.screen(to_read, screen)
    analysed = set(kept) | reader.overrides.keys()
    reader.context = lambda path: path not in analysed  # read for their names only
    edges = closure(kept, imports)
    add_wiring_importers(edges, graph.loose(to_read), index, facts_of, imports)
    needed = context_of(map(str, plan.found.files), edges) if plan.named_only else set(edges)
    reader.read(sorted(needed - reader.outcomes.keys()))  # those not read to follow imports
    if plan.named_only:  # every app that serves a route in the context
        outcomes = reader.outcomes
        routes = [p for p in needed if _declares_routes(outcomes[p][0])]
        needed |= serving_context(routes, edges)
        reader.read(sorted(needed - outcomes.keys()))
    for path in reader.overrides:  # never stored: the graph describes the disk
        graph.nodes.pop(path, None)
    graph.save(cache)
    return needed


def _declares_routes(result: object) -> bool:
    return isinstance(result, ModuleFacts) and declares_routes(result)
