"""Read the files that build the app from what kept files define.

A file that mentions no FastAPI word may still make the app: a `main.py` doing
`app = create_app()` and `register_routes(app)`, both imported from a module the
prefilter keeps. Such a file is read when it imports, from a file being read,
a name that builds or wires an app or router (`wiring_names`), or that file as a
module. Its imports come from the prefilter, which reads them from the syntax
tree it builds anyway: files that import nothing of the kind cost nothing more.
Then the same question is asked again of the files not yet read, so a package
`__init__` re-exporting `create_app` leads to the file importing it from there.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping

from fastlint.facts.expr import Attr, Call, Expr, Name
from fastlint.facts.types import ModuleFacts, Scope
from fastlint.knowledge.fastapi_starlette import APP_CLASSES, ROUTE_METHODS
from fastlint.model.index import ModuleIndex
from fastlint.prefilter import Request

# Wiring methods other libraries have too (`requests.Session.mount`): alone, they say
# nothing about an app.
SHARED_METHODS = frozenset({"mount", "host"})
# The facts of files (reading those not read yet); files that failed are left out.
FactsOf = Callable[[list[str]], Mapping[str, object]]
Edges = dict[str, tuple[str, ...]]
# The project files each file of a batch imports (`fastlint.graph.ImportGraph.imports`).
Imports = Callable[[list[str]], dict[str, tuple[str, ...]]]


def add_wiring_importers(
    edges: Edges,
    loose: Mapping[str, tuple[Request, ...]],
    index: ModuleIndex,
    facts_of: FactsOf,
    imports: Imports,
) -> list[str]:
    """Grow `edges` (files read, with their imports) with the files of `loose` (not
    kept, with their imports as written) that import what builds or wires an app,
    and with what those import; return the files so added, in order."""
    names = WiringNames(index, facts_of, edges)
    pending = {path: requests for path, requests in loose.items() if path not in edges}
    added: list[str] = []
    while pending:
        wanted = {
            path: [(target, name) for target, name in _resolve(path, requests, index)]
            for path, requests in pending.items()
        }
        names.prepare({t for pairs in wanted.values() for t, _ in pairs if t in edges})
        keep = sorted(
            path
            for path, pairs in wanted.items()
            if any(t in edges and names.provides(t, name) for t, name in pairs)
        )
        if not keep:
            break
        _grow(edges, keep, imports)
        added.extend(keep)
        pending = {p: r for p, r in pending.items() if p not in edges}
    return added


class WiringNames:
    """The wiring names of files being read (`read`), their imports followed one level."""

    def __init__(self, index: ModuleIndex, facts_of: FactsOf, read: Mapping[str, object]) -> None:
        self.index = index
        self.facts_of = facts_of
        self.read = read
        self._own: dict[str, frozenset[str]] = {}
        self._names: dict[str, frozenset[str]] = {}

    def prepare(self, files: Iterable[str]) -> None:
        """Work out the names of `files`, reading what they and their imports hold."""
        todo = sorted(set(files) - self._names.keys())
        if not todo:
            return
        facts = self._facts(todo)
        targets = {
            path: list(_resolve_imports(path, facts[path], self.index))
            for path in todo
            if path in facts
        }
        self._own_of({t for pairs in targets.values() for t, _, _ in pairs if t in self.read})
        for path in todo:
            module = facts.get(path)
            if module is None:
                self._names[path] = frozenset()
                continue
            imported = frozenset(
                local
                for target, name, local in targets[path]
                if target != path and _offers(self._own.get(target, frozenset()), name)
            )
            self._names[path] = wiring_names(module, imported)

    def provides(self, target: str, name: str | None) -> bool:
        """Whether importing `name` (None: the module itself) from `target` brings
        something that builds or wires an app."""
        return _offers(self._names.get(target, frozenset()), name)

    def _own_of(self, files: set[str]) -> None:
        todo = sorted(files - self._own.keys())
        facts = self._facts(todo)
        for path in todo:
            module = facts.get(path)
            self._own[path] = wiring_names(module, frozenset()) if module else frozenset()

    def _facts(self, files: list[str]) -> dict[str, ModuleFacts]:
        found = self.facts_of(files) if files else {}
        return {p: f for p, f in found.items() if isinstance(f, ModuleFacts)}


def wiring_names(facts: ModuleFacts, imported: frozenset[str]) -> frozenset[str]:
    """Module-level names that build or wire an app or router: functions and classes
    that construct `FastAPI`/`APIRouter`/... (`fastapi_starlette.APP_CLASSES`), call a wiring
    method or register routes (or call one of these names); variables holding what
    they build, or receiving wiring calls and route decorators; and the names in
    `imported` (wiring names of other files, imported here)."""
    scope = facts.scope
    names = set(imported)
    names.update(_root(call.func) or "" for call in scope.wiring if _wires(call))
    for function in scope.functions.values():
        names.update(_root(d.expr) or "" for d in function.decorators if _registers(d.expr))
    names.discard("")
    changed = True
    while changed:
        before = len(names)
        for name, function in scope.functions.items():
            if name not in names and _builds(function.scope, names):
                names.add(name)
        for name, cls in scope.classes.items():
            if name not in names and (
                any(_callee(base) in APP_CLASSES for base in cls.bases)
                or any(_builds(m.scope, names) for m in cls.methods.values())
            ):
                names.add(name)
        for name, assignments in scope.assignments.items():
            if name not in names and any(
                isinstance(a.value, Call) and _calls(a.value, names) for a in assignments
            ):
                names.add(name)
        changed = len(names) != before
    return frozenset(names)


def _builds(scope: Scope, names: set[str]) -> bool:
    """Whether a function body wires, constructs an app or router, or calls something
    that does; or a function nested in it registers routes or does so."""
    if any(_wires(call) for call in scope.wiring):
        return True
    if any(_calls(call, names) for call, _ in scope.constructed):
        return True
    if any(_calls(call, names) for call in scope.calls):
        return True
    nested = [*scope.functions.values()]
    nested += [m for cls in scope.classes.values() for m in cls.methods.values()]
    return any(
        any(_registers(d.expr) for d in f.decorators) or _builds(f.scope, names) for f in nested
    )


def _wires(call: Call) -> bool:
    return not (isinstance(call.func, Attr) and call.func.attr in SHARED_METHODS)


def _calls(call: Call, names: set[str]) -> bool:
    callee = _callee(call.func)
    return callee is not None and (callee in APP_CLASSES or callee in names)


def _callee(expr: Expr) -> str | None:
    if isinstance(expr, Name):
        return expr.id
    if isinstance(expr, Attr):
        return expr.attr
    return None


def _root(expr: Expr) -> str | None:
    """The variable a call or attribute chain starts from: `app` in `app.router.x`."""
    while isinstance(expr, (Attr, Call)):
        expr = expr.value if isinstance(expr, Attr) else expr.func
    return expr.id if isinstance(expr, Name) else None


def _registers(expr: Expr) -> bool:
    """`@router.get("/x")`-like decorators."""
    return (
        isinstance(expr, Call) and isinstance(expr.func, Attr) and expr.func.attr in ROUTE_METHODS
    )


def _offers(names: frozenset[str], name: str | None) -> bool:
    """Whether importing `name` from a file whose wiring names are `names` (None:
    the file is the module imported) brings one of them."""
    return bool(names) and (name is None or name in names)


def _resolve(
    importer: str, requests: Iterable[Request], index: ModuleIndex
) -> Iterator[tuple[str, str | None]]:
    """(file, name imported from it, or None when the file is the module imported)."""
    for module, level, name in requests:
        if name is not None:
            sub = _find(importer, f"{module}.{name}".strip(".") if module else name, level, index)
            if sub is not None:
                yield sub, None
                continue
        found = _find(importer, module, level, index)
        if found is not None:
            yield found, name


def _resolve_imports(
    importer: str, facts: ModuleFacts, index: ModuleIndex
) -> Iterator[tuple[str, str | None, str]]:
    """(file, name imported from it or None, local name) of the module-level imports."""
    for imp in facts.scope.imports.values():
        for target, name in _resolve(importer, [(imp.module, imp.level, imp.name)], index):
            yield target, name, imp.local


def _find(importer: str, dotted: str, level: int, index: ModuleIndex) -> str | None:
    if level:
        return index.find_relative(importer, level, dotted)
    return index.find(dotted, importer) if dotted else None


def _grow(edges: Edges, files: list[str], imports: Imports) -> None:
    frontier = sorted(set(files) - edges.keys())
    while frontier:
        batch = imports(frontier)
        edges.update(batch)
        frontier = sorted({t for targets in batch.values() for t in targets} - edges.keys())
