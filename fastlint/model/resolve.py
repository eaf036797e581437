"""Static evaluation of expressions across modules: names, imports, attributes, calls.

Every answer is a list of possible values (a name bound in both branches of an
`if` has two). Anything that cannot be followed becomes `Unknown` with a reason,
never a guess.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import fields, is_dataclass

from fastlint.facts.expr import (
    Attr,
    BinOp,
    Call,
    Const,
    DictExpr,
    Expr,
    FString,
    IfExp,
    Iterate,
    Name,
    Seq,
    Subscript,
    Union,
    last_name,
)
from fastlint.facts.types import Assignment, FunctionFact, Import, Scope
from fastlint.model.index import ModuleIndex
from fastlint.model.values import (
    ClassVal,
    ConstVal,
    Ctx,
    External,
    FunctionVal,
    InstanceVal,
    ModuleVal,
    SyntaxVal,
    Unknown,
    Value,
)
from fastlint.span import Span

# Functions that import a module by name at run time.
IMPORT_FUNCTIONS = frozenset({"importlib.import_module"})
MAX_DEPTH = 40
MAX_STRING_DEPTH = 12  # names and `+` followed to build one string
MAX_VALUES = 128  # possible values kept per expression (bounds pathological code)
MAX_BINDINGS = 64  # call-site chains followed one by one for a helper's parameters
MAX_BINDING_DEPTH = 8  # helpers calling helpers, followed this deep
BUILTINS = frozenset(
    {
        "str",
        "int",
        "float",
        "bool",
        "bytes",
        "dict",
        "list",
        "set",
        "tuple",
        "frozenset",
        "object",
        "type",
        "Exception",
        "ValueError",
        "print",
        "len",
        "getattr",
        "isinstance",
    }
)


class Resolver:
    """Evaluates expressions of the scanned project."""

    def __init__(self, index: ModuleIndex) -> None:
        self.index = index
        self._depth = 0
        self._active: set[tuple[object, ...]] = set()
        self._memo: dict[tuple[object, ...], list[Value]] = {}
        self._importing: set[tuple[str | None, ...]] = set()
        self._call_sites: dict[tuple[str, int, int], list[tuple[Call, Ctx]]] | None = None
        self._module_ctx: dict[str, Ctx] = {}

    # -- contexts --------------------------------------------------------------

    def module_ctx(self, path: str) -> Ctx:
        ctx = self._module_ctx.get(path)
        if ctx is None:
            ctx = Ctx(path, self.index.modules[path].scope)
            self._module_ctx[path] = ctx
        return ctx

    def all_scopes(self) -> Iterator[tuple[Ctx, Scope]]:
        """Every module body and (nested) function body, with its context."""
        for path in sorted(self.index.modules):
            ctx = self.module_ctx(path)
            yield from self._scopes(ctx, ctx.module_scope)

    def _scopes(self, ctx: Ctx, scope: Scope) -> Iterator[tuple[Ctx, Scope]]:
        yield ctx, scope
        for function in scope.functions.values():
            yield from self._scopes(ctx.enter(function), function.scope)
        for cls in scope.classes.values():
            for method in cls.methods.values():
                yield from self._scopes(ctx.enter(method), method.scope)

    # -- evaluation --------------------------------------------------------------

    def evaluate(self, expr: Expr, ctx: Ctx) -> list[Value]:
        """All values `expr` may have in `ctx`."""
        key = (expr, ctx.key)  # by value: a temporary expression may reuse an id()
        cached = self._memo.get(key)
        if cached is not None:
            return cached
        if key in self._active or self._depth > MAX_DEPTH:
            return [Unknown("the definition refers to itself or is nested too deeply")]
        self._active.add(key)
        self._depth += 1
        try:
            result = self._evaluate(expr, ctx)[:MAX_VALUES]
        finally:
            self._depth -= 1
            self._active.discard(key)
        self._memo[key] = result
        return result

    def evaluate_one(self, expr: Expr, ctx: Ctx) -> Value:
        """The value of `expr` when it has exactly one, else Unknown."""
        values = self.evaluate(expr, ctx)
        if len(values) == 1:
            return values[0]
        return Unknown("it may have several values")

    def called_functions(self, fact: FunctionFact, ctx: Ctx) -> Iterator[tuple[Expr, FunctionVal]]:
        """(callee, project function) for each call in a body that resolves to a
        project function other than the caller itself."""
        for callee in fact.called:
            for value in self.evaluate(callee, ctx):
                if isinstance(value, FunctionVal) and value.fact is not fact:
                    yield callee, value

    def _evaluate(self, expr: Expr, ctx: Ctx) -> list[Value]:
        if isinstance(expr, Const):
            return [ConstVal(expr.value)]
        if isinstance(expr, Name):
            return self.lookup(expr.id, ctx)
        if isinstance(expr, Attr):
            held = self._self_attribute(expr, ctx)
            if held is not None:
                return held
            return [
                v
                for base in self.evaluate(expr.value, ctx)
                for v in self.attribute(base, expr.attr)
            ]
        if isinstance(expr, Call):
            got = self._dict_get(expr, ctx)
            if got is not None:
                return got
            return [v for f in self.evaluate(expr.func, ctx) for v in self.call(f, expr, ctx)]
        if isinstance(expr, IfExp):
            return [*self.evaluate(expr.body, ctx), *self.evaluate(expr.orelse, ctx)]
        if isinstance(expr, Iterate):
            return self._elements(expr.iterable, ctx)
        if (
            isinstance(expr, Subscript)
            and isinstance(expr.value, Iterate)
            and len(expr.items) == 1
            and isinstance(expr.items[0], Const)
            and isinstance(expr.items[0].value, int)
        ):
            return self._unpacked(expr.value.iterable, expr.items[0].value, ctx)
        if isinstance(expr, FString):
            text = self._string(expr, ctx)
            return [ConstVal(text[0])] if text and text[1] else [SyntaxVal(expr, ctx)]
        if isinstance(expr, Subscript) and len(expr.items) == 1:
            item = self._dict_item(expr.value, expr.items[0], ctx)
            if item is not None:
                return item
        return [SyntaxVal(expr, ctx)]

    def _dict_get(self, call: Call, ctx: Ctx) -> list[Value] | None:
        """`d.get(key)` / `d.get(key, default)` on a dict display: as `d[key]`, and the
        default. None when `d` is not a dict display."""
        func = call.func
        if not (isinstance(func, Attr) and func.attr == "get" and 1 <= len(call.args) <= 2):
            return None
        if call.kwargs or call.has_star:
            return None
        found = self._dict_item(func.value, call.args[0], ctx)
        if found is None:
            return None
        default = self.evaluate(call.args[1], ctx) if len(call.args) == 2 else []
        return [*found, *default]

    def _dict_item(self, mapping: Expr, key: Expr, ctx: Ctx) -> list[Value] | None:
        """`d[key]` for a dict display (or a name bound to one): the value at a constant
        key, else every value (the key is one of them at run time: `settings_classes[env]`).
        None when `d` is not a dict display."""
        displays = self.evaluate(mapping, ctx)
        if not displays or not all(
            isinstance(d, SyntaxVal) and isinstance(d.expr, DictExpr) for d in displays
        ):
            return None
        values: list[Value] = []
        for display in displays:
            assert isinstance(display, SyntaxVal) and isinstance(display.expr, DictExpr)
            items = display.expr.items
            if any(k is None for k, _ in items):  # `{**other}`: keys not all known
                return None
            chosen = [v for k, v in items if not isinstance(key, Const) or k == key]
            if not chosen:  # a constant key the display lacks
                return None
            for value in chosen:
                values.extend(self.evaluate(value, display.ctx))
        return values

    def _elements(self, iterable: Expr, ctx: Ctx) -> list[Value]:
        """Values of the elements of a literal list/tuple/set or dict view (or a name
        bound to one)."""
        values: list[Value] = []
        for element in self._element_exprs(iterable, ctx):
            if isinstance(element, Unknown):
                values.append(element)
            else:
                values.extend(self.evaluate(*element))
        return values

    def _unpacked(self, iterable: Expr, position: int, ctx: Ctx) -> list[Value]:
        """What `for a, b in iterable` binds to the name at `position`."""
        values: list[Value] = []
        for element in self._element_exprs(iterable, ctx):
            if isinstance(element, Unknown):
                values.append(element)
                continue
            for value in self.evaluate(*element):
                if (
                    isinstance(value, SyntaxVal)
                    and isinstance(value.expr, Seq)
                    and position < len(value.expr.items)
                ):
                    values.extend(self.evaluate(value.expr.items[position], value.ctx))
                    continue
                values.append(Unknown("a loop target that does not unpack a literal tuple"))
        return values

    def _element_exprs(self, iterable: Expr, ctx: Ctx) -> list[tuple[Expr, Ctx] | Unknown]:
        """The element expressions of a literal sequence, or of a literal dict's
        `.items()`, `.values()` or `.keys()`."""
        view = None
        if (
            isinstance(iterable, Call)
            and isinstance(iterable.func, Attr)
            and iterable.func.attr in ("items", "values", "keys")
            and not iterable.args
        ):
            view, iterable = iterable.func.attr, iterable.func.value
        found: list[tuple[Expr, Ctx] | Unknown] = []
        for value in self.evaluate(iterable, ctx):
            if not isinstance(value, SyntaxVal):
                found.append(Unknown("a loop over something other than a literal sequence"))
            elif view is None and isinstance(value.expr, Seq):
                found.extend((item, value.ctx) for item in value.expr.items)
            elif view is not None and isinstance(value.expr, DictExpr):
                for key, item in value.expr.items:
                    if key is None:
                        found.append(Unknown("a `**` entry in a dict display"))
                    elif view == "items":
                        found.append((Seq((key, item)), value.ctx))
                    else:
                        found.append((item if view == "values" else key, value.ctx))
            else:
                found.append(Unknown("a loop over something other than a literal sequence"))
        return found

    def self_class(self, expr: Attr, ctx: Ctx) -> ClassVal | None:
        """The class whose method `ctx` is in, when `expr` is `self.<attr>` there."""
        if not (isinstance(expr.value, Name) and expr.value.id == "self" and ctx.functions):
            return None
        method = ctx.functions[0]
        if not method.params or method.params[0].name != "self":
            return None
        owner = next(
            (c for c in ctx.module_scope.classes.values() if method in c.methods.values()), None
        )
        return None if owner is None else ClassVal.of(owner, Ctx(ctx.path, ctx.module_scope))

    def _self_attribute(self, expr: Attr, ctx: Ctx) -> list[Value] | None:
        """`self.app` in a method: what the class's methods assign to `self.app`
        (a class that builds and holds the app). None when `expr` is not that."""
        cls = self.self_class(expr, ctx)
        if cls is None:
            return None
        held = self._held(cls, expr.attr)
        if held:
            return held
        for base in self.mro(cls):  # `self.configure(app)`: the method, bound to self
            if isinstance(base, ClassVal) and expr.attr in base.fact.methods:
                return [FunctionVal.of(base.fact.methods[expr.attr], base.ctx)]
        return None

    def _held(self, cls: ClassVal, attr: str) -> list[Value]:
        """What the methods of `cls` (and its project bases) assign to `self.<attr>`."""
        values: list[Value] = []
        for owner in self.mro(cls):
            if isinstance(owner, External):
                continue
            for method in owner.fact.methods.values():
                for assignment in method.scope.attr_assignments:
                    target = assignment.target
                    if (
                        isinstance(target, Attr)
                        and target.attr == attr
                        and target.value == Name("self")
                    ):
                        found = self.evaluate(assignment.value, owner.ctx.enter(method))
                        if all(isinstance(v, Unknown) for v in found):
                            # `self.providers = providers`, `providers: Providers` and no
                            # caller fastlint can see: an instance of the annotated class
                            found = self._typed_parameter(assignment.value, method, owner) or found
                        values.extend(found)
        return values

    def _typed_parameter(self, value: Expr, method: FunctionFact, owner: ClassVal) -> list[Value]:
        """Instances of the project classes a method's parameter is annotated with."""
        if not isinstance(value, Name):
            return []
        param = next((p for p in method.params if p.name == value.id), None)
        if param is None or param.annotation is None:
            return []
        return self.typed_instances(param.annotation, owner.ctx, method.span)

    def typed_instances(self, annotation: Expr, ctx: Ctx, span: Span) -> list[Value]:
        """A stand-in instance of each project class an annotation names
        (`Config`, `A | B`, `Optional[A]`, `Annotated[A, ...]`); [] when it names
        none or something else."""
        classes: list[ClassVal] = []
        todo = [annotation]
        while todo and len(classes) < MAX_VALUES:
            expr = todo.pop()
            if isinstance(expr, Union):
                todo.extend((expr.right, expr.left))
            elif isinstance(expr, Subscript) and last_name(expr.value) in ("Optional", "Union"):
                todo.extend(reversed(expr.items))
            elif isinstance(expr, Subscript) and last_name(expr.value) == "Annotated":
                todo.extend(expr.items[:1])
            elif isinstance(expr, (Name, Attr)):
                for found in self.evaluate(expr, ctx):
                    if isinstance(found, ClassVal):
                        classes.append(found)
        return [
            InstanceVal.of(cls, Call(Name(cls.fact.name), (), (), False, span), ctx)
            for cls in dict.fromkeys(classes)
        ]

    def lookup(self, name: str, ctx: Ctx) -> list[Value]:
        """Resolve a bare name: enclosing functions, then the module, then builtins."""
        for function in reversed(ctx.functions):
            depth = ctx.functions.index(function) + 1
            inner = ctx.outer(depth)
            found = self._in_scope(name, function.scope, inner)
            if found is not None:
                return found
            if any(p.name == name for p in function.params):
                return self._argument(name, function, inner)
        module_ctx = Ctx(ctx.path, ctx.module_scope)
        found = self._in_scope(name, ctx.module_scope, module_ctx)
        if found is not None:
            return found
        found = self._star_import(name, ctx.path)
        if found is not None:
            return found
        if name in BUILTINS:
            return [External(f"builtins.{name}")]
        return [Unknown(f"`{name}` is not defined in {ctx.path}")]

    def _star_import(
        self, name: str, path: str, seen: frozenset[str] = frozenset()
    ) -> list[Value] | None:
        """`name` as bound by the `from x import *` lines of module `path` (chains of
        re-exports followed, `__all__` respected); Unknown when a star import names a
        module that is not scanned; None when no star import binds it."""
        facts = self.index.modules.get(path)
        if facts is None or not facts.star_imports or path in seen:
            return None
        key = ("*", path, name)
        if key in self._importing:  # x re-exports y, which imports the name back from x
            return None
        self._importing.add(key)
        try:
            return self._star_import_from(facts.star_imports, name, path, seen | {path})
        finally:
            self._importing.discard(key)

    def _star_import_from(
        self, stars: tuple[tuple[str, int], ...], name: str, path: str, seen: frozenset[str]
    ) -> list[Value] | None:
        unresolved = False
        for module, level in stars:
            target = self._module_file(module, level, path)
            if target is None or target not in self.index.modules:
                unresolved = True
                continue
            scope = self.index.modules[target].scope
            if not _exports(scope, name):
                continue
            found = self._in_scope(name, scope, self.module_ctx(target))
            if found is None:
                found = self._star_import(name, target, seen)
            if found is not None:
                return found
        return [Unknown(f"`{name}` may come from a star import")] if unresolved else None

    def _argument(self, name: str, function: FunctionFact, ctx: Ctx) -> list[Value]:
        """A parameter's values: the arguments passed where the function is called as a
        statement (`configure_routes(app)`), so app factories and register functions
        resolve. Unknown when there is no such call."""
        unknown: list[Value] = [Unknown(f"`{name}` is a parameter of `{function.name}`")]
        method = any(p.name == "self" for p in function.params[:1])
        if name == "self":
            return unknown
        bound = ctx.site(len(ctx.functions))
        sites = (
            [bound]
            if bound is not None
            else self.call_sites().get((ctx.path, function.span.line, function.span.column), [])
        )
        position, param = next((i, p) for i, p in enumerate(function.params) if p.name == name)
        values: list[Value] = []
        if param.kind in ("*", "**"):
            for call, site_ctx in sites:
                if not call.has_star:
                    values.append(_gathered(function, param.kind, call, site_ctx, method))
                    continue
                spread = self.spread(call, site_ctx) if param.kind == "**" else None
                if spread is None:
                    values.append(Unknown(f"`{param.kind}` arguments passed with `*`/`**`"))
                    continue
                plain = Call(call.func, call.args, call.kwargs, False, call.span)
                values.append(_gathered(function, "**", plain, site_ctx, method))
                named = {p.name for p in function.params if p.kind not in ("*", "**")}
                for key, item, item_ctx in spread:  # forwarded: `**kwargs` of the caller
                    if key not in named:
                        values.append(SyntaxVal(DictExpr(((Const(key), item),)), item_ctx))
            return values or unknown
        for call, site_ctx in sites:
            # `self.configure(app)`: a bound method's arguments start after `self`
            index = position - 1 if method and isinstance(call.func, Attr) else position
            argument = call.kwarg(name)
            if argument is None and 0 <= index < len(call.args):
                argument = call.args[index]
            if argument is not None:
                values.extend(self.evaluate(argument, site_ctx))
                continue
            if call.has_star:  # `Server(**routers)`: the entries of the mapping
                spread = self.spread(call, site_ctx)
                if spread is None:
                    continue  # not known what it passes here: other sites decide
                passed = [(item, item_ctx) for key, item, item_ctx in spread if key == name]
                if passed:
                    values.extend(
                        v for item, item_ctx in passed for v in self.evaluate(item, item_ctx)
                    )
                    continue
            if param.default is not None and param.kind not in ("*", "**"):
                # not passed here: the default, evaluated where the function is defined
                values.extend(self.evaluate(param.default, ctx.outer(len(ctx.functions) - 1)))
        return values or unknown

    def call_sites(self) -> dict[tuple[str, int, int], list[tuple[Call, Ctx]]]:
        """Statement calls of project functions, by the function's definition place."""
        if self._call_sites is None:
            self._call_sites = {}
            for ctx, scope in self.all_scopes():
                made = [c for c, _ in scope.constructed]
                # wiring calls too: `self.add_api_route(...)` may call a project wrapper
                calls = (*scope.calls, *scope.wiring, *made, *map(_lifespan_call, made))
                for call in calls:
                    if call is None or any(kind != "**" for kind, _ in call.stars):
                        continue  # `*args`: positions not known (`**` is read per site)
                    for value in self.evaluate(call.func, ctx):
                        site = call
                        if isinstance(value, ClassVal):  # `Api(app)` calls `__init__(self, app)`
                            init = self._class_attribute(value, "__init__")
                            value = init[0] if len(init) == 1 else value
                            site = Call(Attr(call.func, "__init__"), *_rest(call))
                        if isinstance(value, FunctionVal):
                            key = (value.path, value.line, value.column)
                            self._call_sites.setdefault(key, []).append((site, ctx))
        return self._call_sites

    def spread(self, call: Call, ctx: Ctx) -> list[tuple[str, Expr, Ctx]] | None:
        """The keyword arguments a call passes with `**mapping` (key, value, where the
        value is evaluated), when every star argument is a `**` of dict displays with
        constant string keys: written inline, bound to a name (`Server(**routers)`), or
        a caller's own `**kwargs` passed on (`self.app.add_api_route(path, **kwargs)`).
        None otherwise."""
        found: list[tuple[str, Expr, Ctx]] = []
        for kind, mapping in call.stars:
            if kind != "**":
                return None
            for display in self.evaluate(mapping, ctx):
                if not (isinstance(display, SyntaxVal) and isinstance(display.expr, DictExpr)):
                    return None
                for key, value in display.expr.items:
                    if not (isinstance(key, Const) and isinstance(key.value, str)):
                        return None
                    found.append((key.value, value, display.ctx))
        return found

    def bound_contexts(self, ctx: Ctx) -> list[Ctx]:
        """`ctx` once per chain of call sites that reaches its innermost function, each
        with the parameters bound to that chain's arguments: a helper called as
        `wire(app, router)` and as `wire(test_app, test_router)` is evaluated for each
        pair, never for `app` with `test_router`. `[ctx]` when the function has no
        call site, or too many chains to follow one by one (every call site's
        arguments then stand for each parameter)."""
        found = self._bound_contexts(ctx, frozenset())
        return found if found and len(found) <= MAX_BINDINGS else [ctx]

    def _bound_contexts(self, ctx: Ctx, active: frozenset[int]) -> list[Ctx]:
        if not ctx.functions:
            return [ctx]
        function = ctx.functions[-1]
        sites = self.call_sites().get((ctx.path, function.span.line, function.span.column))
        if not sites or id(function) in active or len(active) > MAX_BINDING_DEPTH:
            return [ctx]
        found: list[Ctx] = []
        for call, site_ctx in sites:
            for outer in self._bound_contexts(site_ctx, active | {id(function)}):
                bound = ctx.bound((call, outer))
                depth = len(ctx.functions) - 1
                if depth and _same(outer.functions[:depth], ctx.functions[:depth]):
                    # a closure called from its enclosing function: the enclosing
                    # function's binding holds for it too
                    bound = Ctx(
                        ctx.path,
                        ctx.module_scope,
                        ctx.functions,
                        (*(outer.sites or (None,) * depth)[:depth], (call, outer)),
                    )
                found.append(bound)
                if len(found) > MAX_BINDINGS:
                    return found
        return found

    def _in_scope(self, name: str, scope: Scope, ctx: Ctx) -> list[Value] | None:
        if name in scope.assignments:
            live = _live(scope.assignments[name], name)
            values = [v for a in live for v in self.evaluate(a.value, ctx)]
            appended = _appended(scope, name)
            return [_grown(v, appended) for v in values] if appended else values
        if name in scope.functions:
            return [FunctionVal.of(scope.functions[name], ctx)]
        if name in scope.classes:
            return [ClassVal.of(scope.classes[name], ctx)]
        if name in scope.imports:
            return self._import(scope.imports[name], ctx.path)
        return None

    def _import(self, imp: Import, importer: str) -> list[Value]:
        if imp.name is None:  # import a.b [as c]
            return [
                self._module(imp.module, importer) if imp.level == 0 else Unknown("relative import")
            ]
        module: Value
        if imp.level:
            base = self.index.find_relative(importer, imp.level, imp.module)
            module = ModuleVal(self.index.relative_name(importer, imp.level, imp.module), base)
        else:
            module = self._module(imp.module, importer)
        return self.attribute(module, imp.name, importer)

    def _module(self, dotted: str, importer: str) -> Value:
        path = self.index.find(dotted, importer)
        if path is not None or self.index.is_package(dotted, importer):
            return ModuleVal(dotted, path)
        return External(dotted)

    def _module_file(self, module: str, level: int, importer: str) -> str | None:
        if level:
            return self.index.find_relative(importer, level, module)
        return self.index.find(module, importer)

    def attribute(self, base: Value, attr: str, importer: str = "") -> list[Value]:
        """The values of `base.attr`."""
        if isinstance(base, ModuleVal):
            key = (base.path, attr)
            if base.path is not None and key not in self._importing:
                # `from . import name` in a package's __init__ names a submodule:
                # a lookup that comes back to itself falls through to submodules.
                self._importing.add(key)
                try:
                    found = self._in_scope(
                        attr, self.index.modules[base.path].scope, self.module_ctx(base.path)
                    )
                finally:
                    self._importing.discard(key)
                if found is not None:
                    return found
            starred = self._star_import(attr, base.path) if base.path else None
            if starred and not all(isinstance(v, Unknown) for v in starred):
                return starred
            submodule = self._submodule(base, attr, importer or (base.path or ""))
            if submodule is not None:
                return [submodule]
            return starred or [Unknown(f"`{attr}` is not found in module `{base.name}`")]
        if isinstance(base, External):
            return [External(f"{base.qualname}.{attr}")]
        if isinstance(base, ClassVal):
            return self._class_attribute(base, attr)
        if isinstance(base, InstanceVal):
            if attr == "router" and self.inherits(base.cls, _is_app):
                return [base]  # app.router is the app's own router
            if attr == "routes" and self.inherits(base.cls, _holds_routes):
                # `router.routes`: the route list of that app or router, as written on
                # its construction call (routing reads it as those routes)
                return [SyntaxVal(Attr(base.call, "routes"), base.ctx)]
            if isinstance(base.cls, External):
                return [External(f"{base.cls.qualname}().{attr}")]
            return self._class_attribute(base.cls, attr)
        if isinstance(base, Unknown):
            return [base]
        return [Unknown(f"attribute `{attr}` of a value fastlint does not model")]

    def _submodule(self, base: ModuleVal, attr: str, importer: str) -> Value | None:
        dotted = f"{base.name}.{attr}"
        if base.path is not None and base.path.endswith("__init__.py"):
            path = self.index.find_relative(base.path, 1, attr)
            if path is not None:
                return ModuleVal(dotted, path)
        path = self.index.find(dotted, importer)
        if path is not None or self.index.is_package(dotted, importer):
            return ModuleVal(dotted, path)
        return None

    def _class_attribute(self, cls: ClassVal, attr: str) -> list[Value]:
        for owner in self.mro(cls):
            if isinstance(owner, External):
                # `server.app`, set in a method as `self.app = ...`, before the library's
                return self._held(cls, attr) or [External(f"{owner.qualname}.{attr}")]
            fact = owner.fact
            if attr in fact.methods:
                return [FunctionVal.of(fact.methods[attr], owner.ctx)]
            if attr in fact.class_attrs:
                return self.evaluate(fact.class_attrs[attr], owner.ctx)
            for field in fact.fields:
                if field.name == attr and field.default is not None:
                    return self.evaluate(field.default, owner.ctx)
                if field.name == attr:  # `auth: R2RAuthProvider | JwtAuthProvider`
                    typed = self.typed_instances(field.annotation, owner.ctx, field.span)
                    if typed:
                        return typed
        unknown = Unknown(f"attribute `{attr}` of class `{cls.fact.name}` is not known")
        return self._held(cls, attr) or [unknown]

    def call(self, func: Value, call: Call, ctx: Ctx) -> list[Value]:
        """What calling `func` at `call` gives."""
        if isinstance(func, External) and func.qualname in IMPORT_FUNCTIONS:
            return self._imported(call, ctx)
        if isinstance(func, (ClassVal, External)):
            if isinstance(func, External) and func.qualname.startswith("builtins."):
                return [Unknown(f"result of `{func.last}()`")]
            return [InstanceVal.of(func, call, ctx)]
        if isinstance(func, FunctionVal):
            returns = func.fact.return_values
            if not returns:
                return [Unknown(f"`{func.fact.name}()` returns nothing fastlint can follow")]
            return [v for r in returns for v in self.evaluate(r, func.body_ctx)]
        if isinstance(func, Unknown):
            return [func]
        return [Unknown("call of a value fastlint does not model")]

    def _imported(self, call: Call, ctx: Ctx) -> list[Value]:
        """`importlib.import_module(name)`: the module each value `name` may have (a
        constant, a loop over a literal list, an f-string of them); Unknown for a
        relative name or one that cannot be read."""
        written = call.arg(0, "name")
        names = None if written is None or call.arg(1, "package") else self.strings(written, ctx)
        if not names:
            return [Unknown("a module imported by a name fastlint cannot read")]
        return [self._module(name, ctx.path) for name in names]

    def strings(self, expr: Expr, ctx: Ctx, depth: int = 0) -> list[str] | None:
        """Every string `expr` may be: a constant, a name bound to several (a loop
        over a literal list), an f-string or `+` of such parts. None when a part is
        not a known string."""
        if depth > MAX_STRING_DEPTH:
            return None
        if isinstance(expr, Const):
            return [expr.value] if isinstance(expr.value, str) else None
        if isinstance(expr, (FString, BinOp)):
            parts = expr.parts if isinstance(expr, FString) else (expr.left, expr.right)
            if isinstance(expr, BinOp) and expr.op != "+":
                return None
            found = [""]
            for part in parts:
                options = [part] if isinstance(part, str) else self.strings(part, ctx, depth + 1)
                if not options:
                    return None
                found = [f + o for f in found for o in options][:MAX_VALUES]
            return found
        if isinstance(expr, (Name, Attr)):
            found = []
            for value in self.evaluate(expr, ctx):
                if isinstance(value, ConstVal) and isinstance(value.value, str):
                    found.append(value.value)
                elif isinstance(value, SyntaxVal):
                    inner = self.strings(value.expr, value.ctx, depth + 1)
                    if inner is None:
                        return None
                    found.extend(inner)
                else:
                    return None
            return list(dict.fromkeys(found)) or None
        return None

    # -- classes -------------------------------------------------------------------

    def bases(self, cls: ClassVal) -> list[ClassVal | External]:
        result: list[ClassVal | External] = []
        for base in cls.fact.bases:
            for value in self.evaluate(base, cls.ctx):
                if isinstance(value, (ClassVal, External)):
                    result.append(value)
                elif isinstance(value, SyntaxVal):  # Generic[T], BaseModel[...] style bases
                    continue
        return result

    def mro(self, cls: ClassVal) -> list[ClassVal | External]:
        """The class and its ancestors, depth-first, each once (good enough for models)."""
        seen: list[ClassVal | External] = []
        stack: list[ClassVal | External] = [cls]
        while stack and len(seen) < 64:
            current = stack.pop(0)
            if current in seen:
                continue
            seen.append(current)
            if isinstance(current, ClassVal):
                stack[0:0] = self.bases(current)
        return seen

    def inherits(self, cls: ClassVal | External, predicate: Callable[[External], bool]) -> bool:
        """Whether `cls` is, or derives from, an external class matching `predicate`."""
        if isinstance(cls, External):
            return predicate(cls)
        return any(isinstance(c, External) and predicate(c) for c in self.mro(cls))

    # -- strings -------------------------------------------------------------------

    def string(self, expr: Expr, ctx: Ctx) -> str | None:
        """A string for display: constants resolved, the rest shown as `<expr>`
        (not `{expr}`, which would read as a path parameter)."""
        text = self._string(expr, ctx)
        return None if text is None else text[0]

    def _string(self, expr: Expr, ctx: Ctx, depth: int = 0) -> tuple[str, bool] | None:
        """(text, fully resolved) for a string expression: constants, f-strings and
        `+` of them, names bound to one (in any module), and the default of
        `os.getenv(name, default)` (the value the shipped configuration has)."""
        if depth > MAX_STRING_DEPTH:
            return None
        if isinstance(expr, Const):
            return (expr.value, True) if isinstance(expr.value, str) else None
        if isinstance(expr, BinOp) and expr.op == "+":
            left = self._string(expr.left, ctx, depth + 1)
            right = self._string(expr.right, ctx, depth + 1)
            if left is None and right is None:
                return None
            left = left or (f"<{_source(expr.left)}>", False)
            right = right or (f"<{_source(expr.right)}>", False)
            return left[0] + right[0], left[1] and right[1]
        if isinstance(expr, Call):
            funcs = self.evaluate(expr.func, ctx)
            if len(funcs) == 1 and isinstance(funcs[0], External):
                default = _env_default(funcs[0], expr)
                if default is not None:
                    return self._string(default, ctx, depth + 1)
            return None
        if isinstance(expr, FString):
            parts: list[str] = []
            resolved = True
            for part in expr.parts:
                if isinstance(part, str):
                    parts.append(part)
                    continue
                text, known = self._string(part, ctx, depth + 1) or (f"<{_source(part)}>", False)
                parts.append(text)
                resolved = resolved and known
            return "".join(parts), resolved
        if isinstance(expr, (Name, Attr)):
            values = self.evaluate(expr, ctx)
            if len(values) == 1:
                value = values[0]
                if isinstance(value, ConstVal) and isinstance(value.value, str):
                    return value.value, True
                held = None
                if isinstance(value, SyntaxVal):
                    held = self._string(value.expr, value.ctx, depth + 1)
                elif isinstance(value, InstanceVal) and isinstance(value.cls, External):
                    default = _env_default(value.cls, value.call)
                    if default is not None:
                        held = self._string(default, value.ctx, depth + 1)
                if held is not None:
                    return held
            return f"<{_source(expr)}>", False
        return None


def _env_default(func: External, call: Call) -> Expr | None:
    """`default` in `os.getenv(name, default)` / `os.environ.get(name, default)`."""
    if func.qualname not in ("os.getenv", "os.environ.get"):
        return None
    return call.args[1] if len(call.args) == 2 else call.kwarg("default")


def _holds_routes(ext: External) -> bool:
    """FastAPI's and Starlette's apps and routers: their `.routes` is their route list."""
    return ext.top in ("fastapi", "starlette") and ext.last in (
        "FastAPI",
        "Starlette",
        "APIRouter",
        "Router",
    )


def routes_of(value: Value) -> tuple[Call, Ctx] | None:
    """The construction call (and where it is evaluated) of the app or router whose
    `.routes` a value stands for (see `Resolver.attribute`); None for another value."""
    if (
        isinstance(value, SyntaxVal)
        and isinstance(value.expr, Attr)
        and value.expr.attr == "routes"
        and isinstance(value.expr.value, Call)
    ):
        return value.expr.value, value.ctx
    return None


def _is_app(ext: External) -> bool:
    return ext.top in ("fastapi", "starlette") and ext.last in ("FastAPI", "Starlette")


def _appended(scope: Scope, name: str) -> tuple[Expr, ...]:
    """What the statements of a scope add to the list `name`: `name.append(x)`,
    `name.extend([x, y])` (under a condition too: `if api_key: deps.append(...)`)."""
    found: list[Expr] = []
    for call in scope.calls:
        func = call.func
        if not (isinstance(func, Attr) and func.value == Name(name)) or len(call.args) != 1:
            continue
        if func.attr == "append":
            found.append(call.args[0])
        elif func.attr == "extend" and isinstance(call.args[0], Seq):
            found.extend(call.args[0].items)
    return tuple(found)


def _grown(value: Value, appended: tuple[Expr, ...]) -> Value:
    """A list display with the items appended to it later."""
    if isinstance(value, SyntaxVal) and isinstance(value.expr, Seq):
        return SyntaxVal(Seq((*value.expr.items, *appended)), value.ctx)
    return value


Arguments = tuple[tuple[str, Expr], ...]  # keyword (or star) arguments: (name, value)


def _rest(call: Call) -> tuple[tuple[Expr, ...], Arguments, bool, Span, Arguments]:
    """A call's arguments, star flag, span and star arguments (to rebuild it with
    another callee)."""
    return call.args, call.kwargs, call.has_star, call.span, call.stars


def _same(left: tuple[FunctionFact, ...], right: tuple[FunctionFact, ...]) -> bool:
    """Whether two function chains are the same functions (by identity)."""
    return len(left) == len(right) and all(a is b for a, b in zip(left, right, strict=True))


def _lifespan_call(call: Call) -> Call | None:
    """`FastAPI(lifespan=handler)` calls `handler(app)`: that call, so the handler's
    parameter stands for the app."""
    handler = call.kwarg("lifespan")
    return None if handler is None else Call(handler, (call,), (), False, call.span)


def _exports(scope: Scope, name: str) -> bool:
    """Whether `from module import *` binds `name`: listed in a literal `__all__`,
    else any name without a leading underscore."""
    declared = scope.assignments.get("__all__")
    if declared:
        value = declared[-1].value
        if isinstance(value, Seq) and all(isinstance(i, Const) for i in value.items):
            return any(isinstance(i, Const) and i.value == name for i in value.items)
    return not name.startswith("_")


def _live(assignments: tuple[Assignment, ...], name: str | None = None) -> tuple[Assignment, ...]:
    """The assignments that may be in force after the block: the last unconditional
    one and any after it. One that reads the name it rebinds (`app = wrap(app=app)`)
    does not end the ones before it: the value it was given stays possible (the app
    routers were included into before a helper returned it)."""
    last = max(
        (
            i
            for i, a in enumerate(assignments)
            if not a.conditional and not (i and name and _mentions(a.value, name))
        ),
        default=-1,
    )
    if last == -1:
        return assignments
    return assignments[last:]


def _mentions(expr: object, name: str) -> bool:
    """Whether an expression reads `name` anywhere inside it."""
    if isinstance(expr, Name):
        return expr.id == name
    if isinstance(expr, tuple):
        return any(_mentions(item, name) for item in expr)
    if is_dataclass(expr):
        return any(_mentions(getattr(expr, f.name), name) for f in fields(expr))
    return False


def _source(expr: Expr) -> str:
    if isinstance(expr, Name):
        return expr.id
    if isinstance(expr, Attr):
        return f"{_source(expr.value)}.{expr.attr}"
    if isinstance(expr, Call):
        return f"{_source(expr.func)}(...)"
    if isinstance(expr, Union):
        return f"{_source(expr.left)} | {_source(expr.right)}"
    return "..."


def _gathered(function: FunctionFact, kind: str, call: Call, ctx: Ctx, method: bool) -> Value:
    """What a `*args` (kind "*") or `**kwargs` ("**") parameter holds at one call: the
    positional arguments past the named ones, or the keyword arguments no named
    parameter takes, as a display evaluated where the call is written."""
    if call.has_star:
        return Unknown(f"`{kind}` arguments passed with `*`/`**`")
    named = [p for p in function.params if p.kind not in ("*", "**")]
    if method:  # `obj.method(...)`, `Cls(...)`: `self` is not passed
        named = named[1:]
    if kind == "*":
        positional = [p for p in named if p.kind in ("positional", "normal")]
        return SyntaxVal(Seq(call.args[len(positional) :]), ctx)
    names = {p.name for p in named if p.kind != "positional"}
    extra = tuple((Const(key), value) for key, value in call.kwargs if key not in names)
    return SyntaxVal(DictExpr(extra), ctx)
