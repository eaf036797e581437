"""Parse only the files that can matter.

A file is read by the model when it mentions FastAPI, Starlette, Pydantic and
their friends, or a library a rule looks at (JWT, sessions, servers): a cheap
byte search for the words `fastlint.knowledge` lists. It is read too when such
a file imports it, directly or through other imports (a model's base class, a
dependency, a settings object defined where nothing says "fastapi"). Other
files cannot contribute a route, a model or a dependency: they are not parsed.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator

from fastlint.facts.types import Import, ModuleFacts, Scope
from fastlint.files import MAX_FILE_BYTES, read_regular
from fastlint.knowledge import PREFILTER_WORDS
from fastlint.model.index import ModuleIndex, relative_target

# The words a file must mention to be parsed (see `fastlint.knowledge.PREFILTER_WORDS`).
TOKENS = tuple(word.encode() for word in PREFILTER_WORDS)


def graph_key(extra: tuple[bytes, ...]) -> tuple[bytes, ...]:
    """Every word the prefilter answers on: part of the stored import graph's key, so
    a fastlint that looks for other words never trusts another one's answers."""
    return (*TOKENS, *extra)


def mentions(path: str, extra: tuple[bytes, ...] = ()) -> bool:
    """Whether a file must be analysed: it mentions anything fastlint models, or it
    cannot be read or compiled (so that its error is reported, not skipped)."""
    try:
        data = read_regular(path, MAX_FILE_BYTES)
    except OSError:
        return True
    if len(data) > MAX_FILE_BYTES:
        return True  # analysed only to be reported as too large
    if any(token in data for token in (*TOKENS, *extra)):
        return True
    try:
        compile(data, path, "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return True
    return False


# An import as written: (module, level of leading dots, imported name or None).
Request = tuple[str, int, str | None]


def import_requests(facts: ModuleFacts) -> tuple[Request, ...]:
    """Every import in `facts` (any scope), as written."""
    requests = [(imp.module, imp.level, imp.name) for imp in _imports(facts.scope)]
    requests.extend((module, level, None) for module, level in facts.star_imports)
    return tuple(dict.fromkeys(requests))


def imported_files(importer: str, requests: Iterable[Request], index: ModuleIndex) -> Iterator[str]:
    """Every scanned file the imports of `importer` may name (module or submodule)."""
    for module, level, name in requests:
        yield from _targets(importer, module, level, name, index)


def _targets(
    importer: str, module: str, level: int, name: str | None, index: ModuleIndex
) -> Iterator[str]:
    names = [module] if name is None else [module, f"{module}.{name}".strip(".")]
    if name is None and level == 0:  # import a.b.c: a, a.b and a.b.c run
        parts = module.split(".")
        names = [".".join(parts[: i + 1]) for i in range(len(parts))]
    for dotted in names:
        path = (
            index.find_relative(importer, level, dotted) if level else index.find(dotted, importer)
        )
        if path is not None:
            yield path
        elif not level and index.is_package(dotted, importer):
            yield from index.folder_files(dotted, importer)
        elif level:
            yield from index.files_in(str(relative_target(importer, level, dotted)))


def _imports(scope: Scope) -> Iterable[Import]:
    yield from scope.imports.values()
    for function in scope.functions.values():
        yield from _imports(function.scope)
    for cls in scope.classes.values():
        for method in cls.methods.values():
            yield from _imports(method.scope)
