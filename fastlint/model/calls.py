"""Call sites: every call made in the project, with what it calls resolved.

Calls come from the per-file facts (every call the extractor met in a module or
function body: conditions, `with` items, `await`, nested arguments, lambdas and
comprehensions included). Callees are resolved lazily, and only for the calls a
question can concern: asking for `jwt.decode` resolves the calls whose callee is
written `...decode`, not every call of the project.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from fastlint.facts.expr import Attr, Call, Compare, Const, Expr, Name, Subscript, dotted, last_name
from fastlint.model.anchor import Anchor
from fastlint.model.bodies import Body, bodies
from fastlint.model.resolve import Resolver
from fastlint.model.values import (
    ClassVal,
    Ctx,
    External,
    FunctionVal,
    InstanceVal,
    Unknown,
    Value,
)
from fastlint.span import Span

# From dispatch's `server develop` command, which runs uvicorn with reload=True on
# purpose (fbc8478).
# A server started by a development command (a function, or a click/typer command,
# with one of these words in its name) reloads on purpose: `server develop`, `dev`.
DEVELOPMENT_WORDS = frozenset({"dev", "develop", "development", "devserver"})

# Click's and typer's `@cli.command(...)` (fbc8478, with DEVELOPMENT_WORDS).
COMMAND_DECORATORS = frozenset({"command"})  # `@cli.command("develop")`, typer's too

# What a call may call: a project function or class, a callable instance, or
# something outside the project by qualified name (`jwt.decode`,
# `sqlalchemy.orm.Session().execute` for a method of an external instance).
Callee = FunctionVal | ClassVal | InstanceVal | External


@dataclass(frozen=True, eq=False)
class CallSite:
    """One call as written, where it is made, and what it calls."""

    call: Call = field(repr=False)
    body: Body = field(repr=False)
    callees: tuple[Callee, ...]  # every value the callee may be (usually one)
    unknown: str | None  # why the callee (or one of its values) could not be resolved

    @property
    def callee(self) -> Callee | None:
        """The callee when it is known and unique."""
        return self.callees[0] if len(self.callees) == 1 and self.unknown is None else None

    @property
    def name(self) -> str | None:
        """The callee as written (`jwt.decode`), when it is a dotted name."""
        return dotted(self.call.func)

    @property
    def qualnames(self) -> tuple[str, ...]:
        """Qualified names of the callees: `jwt.decode`, `app.auth.get_user`."""
        names = (qualified_name(c) for c in self.callees)
        return tuple(n for n in names if n is not None)

    @property
    def args(self) -> tuple[Expr, ...]:
        return self.call.args

    @property
    def kwargs(self) -> tuple[tuple[str, Expr], ...]:
        return self.call.kwargs

    @property
    def has_star(self) -> bool:
        """Whether `*args` or `**kwargs` are passed (arguments may be missing here)."""
        return self.call.has_star

    def kwarg(self, name: str) -> Expr | None:
        return self.call.kwarg(name)

    def arg(self, index: int, name: str) -> Expr | None:
        """The argument at `index` or, failing that, keyword `name`."""
        return self.call.arg(index, name)

    @property
    def path(self) -> str:
        return self.body.path

    @property
    def span(self) -> Span:
        return self.call.span

    @property
    def ctx(self) -> Ctx:
        """Where the arguments are evaluated."""
        return self.body.ctx

    @property
    def function(self) -> FunctionVal | None:
        """The function whose body makes the call; None at module level."""
        return self.body.function

    @property
    def under_main_guard(self) -> bool:
        """Whether the call sits in an `if __name__ == "__main__":` block: it runs only
        when the file is executed as a script, never when the module is imported."""
        return any(
            guard.block is not None and is_main_test(guard.test) and within(self.span, guard.block)
            for guard in self.body.guards
        )

    @property
    def development_command(self) -> str | None:
        """The name of the enclosing function, or of the click/typer command it
        implements (`@cli.command("develop")`), when that name says it is meant for
        development (`develop`, `run_dev_server`); None otherwise."""
        for function in reversed(self.ctx.functions):
            names = []  # the command's name first: it is what users type
            for decorator in function.decorators:
                expr = decorator.expr
                if isinstance(expr, Call) and last_name(expr.func) in COMMAND_DECORATORS:
                    given = expr.arg(0, "name")
                    if isinstance(given, Const) and isinstance(given.value, str):
                        names.append(given.value)
            names.append(function.name)
            for name in names:
                if set(re.split(r"[^a-z0-9]+", name.lower())) & DEVELOPMENT_WORDS:
                    return name
        return None

    @property
    def anchor(self) -> Anchor:
        """The call; its subject names the enclosing functions and the callee (its
        qualified name when unique, else as written), numbered when the body makes
        that call more than once: `get_user jwt.decode`, `<module> uvicorn.run #2`."""
        scope = ".".join(f.name for f in self.ctx.functions) or "<module>"
        callee = self.qualnames[0] if len(self.qualnames) == 1 else self.name or "<call>"
        same = sorted(
            (c.span.line, c.span.column)
            for c in self.body.facts.calls
            if dotted(c.func) == self.name
        )
        ordinal = same.index((self.span.line, self.span.column)) + 1 if len(same) > 1 else 1
        subject = f"{scope} {callee}" + (f" #{ordinal}" if ordinal > 1 else "")
        return Anchor(self.path, self.span, subject)


def qualified_name(value: Value) -> str | None:
    """`package.module.name` for a project function or class (from its file path),
    the qualified name of an external, the class's name for an instance."""
    if isinstance(value, InstanceVal):
        value = value.cls
    if isinstance(value, External):
        return value.qualname
    if isinstance(value, (FunctionVal, ClassVal)):
        module = value.path.removesuffix(".py").removesuffix("/__init__").strip("/")
        return f"{module.replace('/', '.')}.{value.fact.name}"
    return None


class CallSites:
    """The project's call sites, indexed by the last name of their callee."""

    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver
        self._resolved: dict[int, CallSite] = {}

    @cached_property
    def bodies(self) -> list[Body]:
        return list(bodies(self.resolver))

    @cached_property
    def _by_name(self) -> dict[str | None, list[tuple[Call, Body]]]:
        index: dict[str | None, list[tuple[Call, Body]]] = {}
        for body in self.bodies:
            for call in body.facts.calls:
                index.setdefault(last_name(call.func), []).append((call, body))
        return index

    def all(self) -> list[CallSite]:
        """Every call site of the project, by file and position."""
        sites = [self._site(c, b) for pairs in self._by_name.values() for c, b in pairs]
        return sorted(sites, key=_position)

    def of(self, target: str | Callable[[CallSite], bool]) -> list[CallSite]:
        """Call sites of a qualified name, or those a predicate accepts.

        An external name matches exactly (`jwt.decode` is PyJWT's, not
        `jose.jwt.decode`); a project name matches on its trailing dotted parts
        (`auth.get_user` finds `app.auth.get_user`), since a project's module
        names depend on where it is rooted."""
        if callable(target):
            return [site for site in self.all() if target(site)]
        last = target.rsplit(".", 1)[-1]
        written = sorted({last, *self._aliases.get(last, ())})
        candidates = [pair for name in written for pair in self._by_name.get(name, [])]
        sites = (self._site(call, body) for call, body in candidates)
        return sorted((s for s in sites if _calls(s, target)), key=_position)

    @cached_property
    def _aliases(self) -> dict[str, set[str]]:
        """Other names a function may be called by, by its own last name: an aliased
        import (`from jwt import encode as sign` makes `sign` a name of `encode`) or a
        name bound to a function (`sign = jwt.encode`). Candidates only: the callee
        of each call is still resolved before it is matched."""
        aliases: dict[str, set[str]] = {}
        for _ctx, scope in self.resolver.all_scopes():
            for local, imported in scope.imports.items():
                if imported.name is not None and imported.name != local:
                    aliases.setdefault(imported.name, set()).add(local)
            for local, assignments in scope.assignments.items():
                for assignment in assignments:
                    if isinstance(assignment.value, (Name, Attr)):
                        original = last_name(assignment.value)
                        if original is not None and original != local:
                            aliases.setdefault(original, set()).add(local)
        return aliases

    def of_subclasses(self, target: str) -> list[CallSite]:
        """Calls of project classes that derive from the external class `target`, through
        generic bases too (`class IatJWTStrategy(JWTStrategy[User, UUID])`)."""
        found: list[CallSite] = []
        for cls in self._subclasses.get(target, ()):
            name = qualified_name(cls)
            if name is not None:
                found.extend(s for s in self.of(name) if s not in found)
        return sorted(found, key=_position)

    @cached_property
    def _subclasses(self) -> dict[str, list[ClassVal]]:
        """Project classes by the qualified names of their external ancestors."""
        found: dict[str, list[ClassVal]] = {}
        for ctx, scope in self.resolver.all_scopes():
            for fact in scope.classes.values():
                cls = ClassVal.of(fact, ctx)
                for ancestor in external_ancestors(self.resolver, cls):
                    found.setdefault(ancestor.qualname, []).append(cls)
        return found

    def named(self, name: str) -> list[CallSite]:
        """Call sites whose callee is written with last name `name` (`x.set_cookie`),
        whatever it resolves to."""
        sites = (self._site(call, body) for call, body in self._by_name.get(name, []))
        return sorted(sites, key=_position)

    def receiver_classes(self, site: CallSite) -> tuple[ClassVal | External, ...]:
        """The classes the object a method is called on may be an instance of: what the
        receiver resolves to (`JSONResponse(...)` bound to `r` in `r.set_cookie(...)`), or
        the annotation of the enclosing function's parameter it names
        (`response: Response`). Empty when unknown."""
        func = site.call.func
        if not isinstance(func, Attr):
            return ()
        found: list[ClassVal | External] = []
        for value in self.resolver.evaluate(func.value, site.ctx):
            if isinstance(value, InstanceVal) and value.cls not in found:
                found.append(value.cls)
        function = site.function
        if not found and isinstance(func.value, Name) and function is not None:
            param = next((p for p in function.fact.params if p.name == func.value.id), None)
            if param is not None and param.annotation is not None:
                for value in self.resolver.evaluate(param.annotation, function.ctx):
                    if isinstance(value, (ClassVal, External)) and value not in found:
                        found.append(value)
        return tuple(found)

    def body_of(self, function: FunctionVal) -> Body | None:
        """A function's own body."""
        return self._bodies_by_function.get(function)

    @cached_property
    def _bodies_by_function(self) -> dict[FunctionVal, Body]:
        return {b.function: b for b in self.bodies if b.function is not None}

    def in_function(self, function: FunctionVal) -> list[CallSite]:
        """The calls made in one function's own body (not in functions nested in it)."""
        body = self.body_of(function)
        if body is None:
            return []
        return sorted((self._site(c, body) for c in body.facts.calls), key=_position)

    def _site(self, call: Call, body: Body) -> CallSite:
        site = self._resolved.get(id(call))
        if site is None:
            callees: list[Callee] = []
            unknown = None
            for value in self.resolver.evaluate(call.func, body.ctx):
                if isinstance(value, (FunctionVal, ClassVal, InstanceVal, External)):
                    if value not in callees:
                        callees.append(value)
                elif isinstance(value, Unknown):
                    unknown = unknown or value.reason
                else:
                    unknown = unknown or "the callee is not a function or a class"
            site = CallSite(call, body, tuple(callees), unknown)
            self._resolved[id(call)] = site
        return site


def external_ancestors(resolver: Resolver, cls: ClassVal) -> list[External]:
    """The external classes `cls` derives from, through project classes and generic
    bases (`BaseUserManager[User, UUID]` is a `BaseUserManager`)."""
    seen: list[ClassVal] = []
    found: list[External] = []
    stack = [cls]
    while stack and len(seen) < 64:
        current = stack.pop()
        if current in seen:
            continue
        seen.append(current)
        for base in current.fact.bases:
            written = base.value if isinstance(base, Subscript) else base
            for value in resolver.evaluate(written, current.ctx):
                if isinstance(value, External) and value not in found:
                    found.append(value)
                elif isinstance(value, ClassVal):
                    stack.append(value)
    return found


def _calls(site: CallSite, target: str) -> bool:
    for callee in site.callees:
        name = qualified_name(callee)
        if name is None or isinstance(callee, InstanceVal):
            continue
        if name == target or (
            not isinstance(callee, External) and ("." + name).endswith("." + target)
        ):
            return True
    return False


def is_main_test(test: Expr) -> bool:
    """`__name__ == "__main__"`, either way round."""
    if not isinstance(test, Compare) or len(test.ops) != 1 or test.ops[0][0] != "==":
        return False
    sides = {type(test.left), type(test.ops[0][1])}
    if sides != {Name, Const}:
        return False
    pair = (test.left, test.ops[0][1])
    return any(isinstance(s, Name) and s.id == "__name__" for s in pair) and any(
        isinstance(s, Const) and s.value == "__main__" for s in pair
    )


def within(span: Span, block: Span) -> bool:
    return (block.line, block.column) <= (span.line, span.column) and (
        span.end_line,
        span.end_column,
    ) <= (block.end_line, block.end_column)


def _position(site: CallSite) -> tuple[str, int, int, int, int]:
    span = site.span
    return (site.path, span.line, span.column, -span.end_line, -span.end_column)
