"""Parse only the files that can matter.

A file is read by the model when it mentions FastAPI, Starlette, Pydantic and
their friends, or a library a rule looks at (JWT, sessions, servers): a cheap
byte search for the words `fastlint.knowledge` lists. It is read too when such
a file imports it, directly or through other imports (a model's base class, a
dependency, a settings object defined where nothing says "fastapi"). Other
files cannot contribute a route, a model or a dependency: they are not parsed,
unless they import what builds or wires an app (`from .app import create_app`,
then `app = create_app()` where nothing says "fastapi"): for that, the prefilter
hands back the imports of the files it does not keep (read from the syntax tree
it builds anyway to find files that do not compile), and `wiring_names` says
which names of a kept file build or wire an app.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator

from fastlint.facts.expr import Const, Expr, FString, Iterate, Name, Seq, last_name
from fastlint.facts.types import BodyFacts, Import, ModuleFacts, Scope
from fastlint.files import MAX_FILE_BYTES, read_regular
from fastlint.knowledge.fastapi_starlette import (
    DEPENDS,
    FASTAPI,
    MIDDLEWARE_MODULES,
    SECURITY,
    STARLETTE,
)
from fastlint.knowledge.jwt_sessions import (
    AUTHJWT_LIBRARIES,
    JWT_LIBRARIES,
    SESSION_LIBRARIES,
    SIGNING_LIBRARIES,
)
from fastlint.knowledge.pydantic_models import PYDANTIC, SQLMODEL
from fastlint.knowledge.rate_limiters import RATE_LIMIT_LIBRARIES
from fastlint.knowledge.servers_cors import SERVERS
from fastlint.model.index import ModuleIndex, relative_target

# Words from the library tables (5dce36f): the prefilter reaches files that only
# use jwt/jose/itsdangerous/uvicorn/starlette.middleware; part of the import graph's key.
# A file that mentions none of these words cannot declare a route, a model, a
# dependency or a middleware, nor use a library a rule looks at: it is not parsed
# unless a file that matters imports it.
PREFILTER_WORDS = (
    FASTAPI,
    STARLETTE,
    PYDANTIC,
    SQLMODEL,
    *RATE_LIMIT_LIBRARIES,
    *JWT_LIBRARIES,
    *SESSION_LIBRARIES,
    *SIGNING_LIBRARIES,
    *SERVERS,
    *MIDDLEWARE_MODULES,
    *AUTHJWT_LIBRARIES,
    "SecurityConfig",  # fastapi-guard
    DEPENDS,
    SECURITY,
    "APIRouter",
    "include_router",
    "add_api_route",
    "BaseModel",
    "fastlint",  # suppression comments
    "noqa: FL",
)

# The words a file must mention to be parsed (see `fastlint.PREFILTER_WORDS`).
TOKENS = tuple(word.encode() for word in PREFILTER_WORDS)
# A route registered with a literal path, or a middleware, in a file that names no
# framework (a plugin's `def register(self, app): @app.get("/metrics")`): kept, so
# the route is at least counted as not checked, the middleware at least noted.
ROUTE_SHAPES = re.compile(
    rb"@[\w.]+\.(?:get|post|put|patch|delete|head|options|trace|api_route|route|websocket"
    rb"|websocket_route)\(\s*(?:path\s*=\s*)?[rf]?[\"']/"
    rb"|\.add_(?:api_|websocket_|api_websocket_)?route\(\s*(?:path\s*=\s*)?[rf]?[\"']/"
    rb"|\.add_middleware\(|\.middleware\(\s*[\"']http[\"']\s*\)"
)


# Changes when the prefilter's answers change shape (now: the imports of unkept files).
ANSWERS = b"\0answers: keep, imports of files not kept"


def graph_key(extra: tuple[bytes, ...]) -> tuple[bytes, ...]:
    """Every word the prefilter answers on: part of the stored import graph's key, so
    a fastlint that looks for other words never trusts another one's answers."""
    return (*TOKENS, ROUTE_SHAPES.pattern, *extra, ANSWERS)


# An import as written: (module, level of leading dots, imported name or None).
Request = tuple[str, int, str | None]
# The prefilter's answer: keep the file?, and the imports of a file it does not keep.
Verdict = tuple[bool, tuple[Request, ...]]
KEEP: Verdict = (True, ())


def mentions(path: str, extra: tuple[bytes, ...] = ()) -> bool:
    """Whether a file must be analysed: it mentions anything fastlint models, or it
    cannot be read or compiled (so that its error is reported, not skipped)."""
    return screen_file(path, extra)[0]


def screen_file(path: str, extra: tuple[bytes, ...] = ()) -> Verdict:
    """`mentions`, with the imports of a file it does not keep."""
    try:
        data = read_regular(path, MAX_FILE_BYTES)
    except OSError:
        return KEEP
    if len(data) > MAX_FILE_BYTES:
        return KEEP  # analysed only to be reported as too large
    if any(token in data for token in (*TOKENS, *extra)) or ROUTE_SHAPES.search(data):
        return KEEP
    try:
        tree = compile(data, path, "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return KEEP
    return False, tuple(dict.fromkeys(_tree_imports(tree)))


# Statements whose bodies may hold imports (a `main()` importing the app factory).
_BLOCKS = ("body", "orelse", "finalbody", "handlers")


def _tree_imports(tree: ast.AST) -> Iterator[Request]:
    """Every import statement of a syntax tree, in any block (a cheap walk over
    statements only: expressions cannot hold imports)."""
    todo: list[ast.AST] = list(getattr(tree, "body", ()))
    while todo:
        node = todo.pop()
        if isinstance(node, ast.Import):
            yield from ((alias.name, 0, None) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            for alias in node.names:
                yield (
                    (module, node.level, None)
                    if alias.name == "*"
                    else (
                        module,
                        node.level,
                        alias.name,
                    )
                )
        elif isinstance(node, (ast.stmt, ast.excepthandler)):
            for block in _BLOCKS:
                todo.extend(getattr(node, block, None) or ())


# The name of a request for every module of a package (`import_module(f"pkg.{x}")`).
ANY_MODULE = "<any module>"


def import_requests(facts: ModuleFacts) -> tuple[Request, ...]:
    """Every import in `facts` (any scope), as written, and the modules it loads
    with `importlib.import_module(...)` where their names can be read."""
    requests = [(imp.module, imp.level, imp.name) for imp in _imports(facts.scope)]
    requests.extend((module, level, None) for module, level in facts.star_imports)
    for module in _loaded_modules(facts):
        package, star, _ = module.partition(".*")
        requests.append((package, 0, ANY_MODULE) if star else (module, 0, None))
    return tuple(dict.fromkeys(requests))


def _loaded_modules(facts: ModuleFacts) -> Iterator[str]:
    """`import_module("pkg.mod")`, `import_module(name)` with `name` looping over a
    module-level list of such strings, and `import_module(f"pkg.plugins.{name}")`
    (the package `pkg.plugins`, all of whose modules it may load)."""
    for body in (facts.body, *_bodies(facts.scope)):
        for call in body.calls:
            if last_name(call.func) == "import_module" and call.args:
                yield from _module_names(call.args[0], facts, 0)


def _module_names(expr: Expr, facts: ModuleFacts, depth: int) -> Iterator[str]:
    if isinstance(expr, Const) and isinstance(expr.value, str):
        yield expr.value
    elif isinstance(expr, FString) and expr.parts and isinstance(expr.parts[0], str):
        package = expr.parts[0].rpartition(".")[0]
        if package:
            yield f"{package}.*"
    elif isinstance(expr, Iterate) and depth < 3:
        yield from _module_names(expr.iterable, facts, depth + 1)
    elif isinstance(expr, Seq):
        for item in expr.items:
            yield from _module_names(item, facts, depth + 1)
    elif isinstance(expr, Name) and depth < 3:
        for scope in _scopes(facts.scope):
            for assigned in scope.assignments.get(expr.id, ()):
                yield from _module_names(assigned.value, facts, depth + 1)


def _bodies(scope: Scope) -> Iterator[BodyFacts]:
    for function in scope.functions.values():
        yield function.body
        yield from _bodies(function.scope)
    for cls in scope.classes.values():
        for method in cls.methods.values():
            yield method.body
            yield from _bodies(method.scope)


def _scopes(scope: Scope) -> Iterator[Scope]:
    yield scope
    for function in scope.functions.values():
        yield from _scopes(function.scope)
    for cls in scope.classes.values():
        for method in cls.methods.values():
            yield from _scopes(method.scope)


def imported_files(importer: str, requests: Iterable[Request], index: ModuleIndex) -> Iterator[str]:
    """Every scanned file the imports of `importer` may name (module or submodule)."""
    for module, level, name in requests:
        yield from _targets(importer, module, level, name, index)


def _targets(
    importer: str, module: str, level: int, name: str | None, index: ModuleIndex
) -> Iterator[str]:
    if name == ANY_MODULE:  # `import_module(f"pkg.plugins.{name}")`: any of them
        yield from index.folder_files(module, importer)
        return
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
