"""What an expression can be found to stand for, statically."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastlint.facts.expr import (
    Attr,
    Call,
    Const,
    Expr,
    Name,
    Seq,
    Subscript,
    Union,
    dotted,
    last_name,
)
from fastlint.facts.types import ClassFact, FunctionFact, Scope


@dataclass(frozen=True, eq=False)
class Ctx:
    """Where an expression is evaluated: a module and the functions around it."""

    path: str
    module_scope: Scope = field(repr=False)
    functions: tuple[FunctionFact, ...] = field(default=(), repr=False)
    # One per function: the call site whose arguments its parameters are bound to
    # (None: every call site's). Empty means none bound.
    sites: tuple[Site | None, ...] = field(default=(), repr=False)

    def enter(self, function: FunctionFact) -> Ctx:
        sites = (*self.sites, None) if any(self.sites) else ()
        return Ctx(self.path, self.module_scope, (*self.functions, function), sites)

    def outer(self, depth: int) -> Ctx:
        """The context of the `depth` outermost functions (bindings kept)."""
        return Ctx(self.path, self.module_scope, self.functions[:depth], self.sites[:depth])

    def bound(self, site: Site) -> Ctx:
        """This context with its innermost function bound to one call site."""
        sites = self.sites or (None,) * len(self.functions)
        return Ctx(self.path, self.module_scope, self.functions, (*sites[:-1], site))

    def site(self, depth: int) -> Site | None:
        """The call site the function at `depth` (1-based) is bound to, if any."""
        return self.sites[depth - 1] if depth <= len(self.sites) else None

    @property
    def key(self) -> tuple[object, ...]:
        functions = tuple(id(f) for f in self.functions)
        if not any(self.sites):
            return (self.path, functions)
        sites = tuple(
            None if s is None else (s[0].span.line, s[0].span.column, s[1].key) for s in self.sites
        )
        return (self.path, functions, sites)


Site = tuple[Call, Ctx]


@dataclass(frozen=True)
class Scoped:
    """An expression together with where it must be evaluated."""

    expr: Expr = field(compare=False)
    ctx: Ctx = field(compare=False)

    @property
    def written(self) -> str:
        """The expression as written, enough of it to recognise (`list[User]`)."""
        return written(self.expr)

    @property
    def name(self) -> str | None:
        """The dotted name the expression is written as (`settings.SECRET`), else None."""
        return dotted(self.expr)

    @property
    def final_name(self) -> str | None:
        """The last name the expression is written with (`HTTP_204_NO_CONTENT` for
        `status.HTTP_204_NO_CONTENT`, `create_token` for `create_token(user)`)."""
        return last_name(self.expr)

    @property
    def called_name(self) -> str | None:
        """For a call, the last name of what it calls (`create_token` for
        `create_token(user)`, `constr` for `constr(max_length=5)`); else None."""
        return last_name(self.expr.func) if isinstance(self.expr, Call) else None

    @property
    def is_none(self) -> bool:
        """Whether the expression is the constant `None`, written as such."""
        return isinstance(self.expr, Const) and self.expr.value is None


@dataclass(frozen=True)
class ModuleVal:
    """A module or package; `path` is None for a folder without `__init__.py`."""

    name: str
    path: str | None


@dataclass(frozen=True)
class External:
    """Something from outside the scanned code, by qualified name (`fastapi.FastAPI`)."""

    qualname: str

    @property
    def top(self) -> str:
        return self.qualname.split(".")[0]

    @property
    def last(self) -> str:
        return self.qualname.rsplit(".", 1)[-1]


@dataclass(frozen=True)
class FunctionVal:
    fact: FunctionFact = field(compare=False, repr=False)
    ctx: Ctx = field(compare=False, repr=False)  # where the function is defined
    path: str = ""
    line: int = 0
    column: int = 0

    @staticmethod
    def of(fact: FunctionFact, ctx: Ctx) -> FunctionVal:
        return FunctionVal(fact, ctx, ctx.path, fact.span.line, fact.span.column)

    @property
    def body_ctx(self) -> Ctx:
        return self.ctx.enter(self.fact)

    @property
    def name(self) -> str:
        return self.fact.name

    @property
    def return_annotation(self) -> Expr | None:
        """`-> X` (evaluated in `ctx`)."""
        return self.fact.returns

    @property
    def returned(self) -> tuple[Expr, ...]:
        """What its `return` statements return (evaluated in `body_ctx`)."""
        return self.fact.return_values


@dataclass(frozen=True)
class ClassVal:
    fact: ClassFact = field(compare=False, repr=False)
    ctx: Ctx = field(compare=False, repr=False)
    path: str = ""
    line: int = 0
    column: int = 0

    @staticmethod
    def of(fact: ClassFact, ctx: Ctx) -> ClassVal:
        return ClassVal(fact, ctx, ctx.path, fact.span.line, fact.span.column)


@dataclass(frozen=True)
class InstanceVal:
    """The result of calling a class (project or external) at one call site."""

    cls: ClassVal | External
    call: Call = field(compare=False, repr=False)
    ctx: Ctx = field(compare=False, repr=False)
    path: str = ""
    line: int = 0
    column: int = 0

    @staticmethod
    def of(cls: ClassVal | External, call: Call, ctx: Ctx) -> InstanceVal:
        return InstanceVal(cls, call, ctx, ctx.path, call.span.line, call.span.column)

    @property
    def call_name(self) -> str | None:
        """The last name of what was called to make it (`create_token` for
        `create_token(user)`, `Signer` for `itsdangerous.Signer(key)`)."""
        return last_name(self.call.func)


@dataclass(frozen=True)
class ConstVal:
    value: str | int | float | bool | bytes | None


@dataclass(frozen=True, eq=False)
class SyntaxVal:
    """A display fastlint keeps as written (a list, a subscript...), with its context."""

    expr: Expr
    ctx: Ctx


@dataclass(frozen=True)
class Unknown:
    """Could not be resolved statically; `reason` says why (shown by --verbose)."""

    reason: str


Value = ModuleVal | External | FunctionVal | ClassVal | InstanceVal | ConstVal | SyntaxVal | Unknown


def written(expr: Expr) -> str:
    """A (type) expression as written, enough of it to recognise: `list[User]`,
    `A | None`, `'x'`; a call or anything else by its last name."""
    name = dotted(expr)
    if name is not None:
        return name
    if isinstance(expr, Subscript):
        return f"{written(expr.value)}[{', '.join(written(i) for i in expr.items)}]"
    if isinstance(expr, Union):
        return f"{written(expr.left)} | {written(expr.right)}"
    if isinstance(expr, Const):
        return repr(expr.value) if expr.value is not None else "None"
    if isinstance(expr, Seq):
        return ", ".join(written(i) for i in expr.items)
    if isinstance(expr, (Name, Attr, Call)):
        return last_name(expr) or "?"
    return "?"
