"""Middleware as attached to an app: the class, its arguments and the attaching call.

Three ways are understood: `app.add_middleware(Cls, ...)`, the app constructor's
`middleware=[Middleware(Cls, ...)]` list, and wrapping the app in the middleware
(`app = Cls(app, ...)`). Arguments are kept as written, with their context, so a
rule can ask for their literal values (`Project.literal`). Function middleware
(`@app.middleware("http")`, its call form `app.middleware("http")(fn)`, and
`BaseHTTPMiddleware`'s `dispatch=fn` in any of the three ways) is listed apart, as
the app's `middleware_functions` (`fastlint.model.routing`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from enum import Enum
from typing import TypeVar

from fastlint.facts.expr import Call, Expr, Name, Seq, last_name
from fastlint.facts.types import Scope
from fastlint.model.anchor import Anchor
from fastlint.model.calls import is_main_test, within
from fastlint.model.literal import Condition
from fastlint.model.literal_ops import text
from fastlint.model.resolve import Resolver, _live
from fastlint.model.values import (
    ClassVal,
    Ctx,
    External,
    InstanceVal,
    Scoped,
    SyntaxVal,
    Unknown,
    Value,
)
from fastlint.span import Span

T = TypeVar("T")


class Attachment(Enum):
    """How a middleware is attached to its app."""

    ADD_MIDDLEWARE = "add_middleware"  # app.add_middleware(Cls, ...)
    MIDDLEWARE_LIST = "middleware list"  # FastAPI(middleware=[Middleware(Cls, ...)])
    WRAP = "wrap"  # app = Cls(app, ...)


@dataclass(frozen=True, eq=False)
class Middleware:
    """One middleware on one app: its class and the arguments it is configured with.

    `args` are the positional arguments after the class (or, when wrapping, after the
    wrapped app); `span` is the call that configures it (`add_middleware(...)`,
    `Middleware(...)` or the wrapping call), in file `path`.
    """

    cls: Scoped
    classes: tuple[Value, ...]  # what `cls` resolves to (several when conditional)
    args: tuple[Scoped, ...]
    kwargs: tuple[tuple[str, Scoped], ...]
    has_star: bool  # `*args`/`**kwargs` in the call: arguments not all known
    path: str
    span: Span
    attached: Attachment
    owner: str = ""  # the subject of the app it is attached to (`app app`), set on attaching
    # The tests of the `if` blocks the configuring call sits in, innermost last
    # (`if settings.PERMISSIVE_CORS: app.add_middleware(...)`); `__main__` guards aside.
    gates: tuple[Condition, ...] = ()
    ordinal: int = 1  # 2 for the second middleware of the same class on the same app...

    def kwarg(self, name: str) -> Scoped | None:
        """The keyword argument `name`, if given."""
        return next((value for key, value in self.kwargs if key == name), None)

    def arg(self, index: int, name: str) -> Scoped | None:
        """The positional argument at `index` (after the class or app), else keyword `name`."""
        return self.args[index] if index < len(self.args) else self.kwarg(name)

    @property
    def value(self) -> Value:
        """The class when it resolves to exactly one, else Unknown."""
        if len(self.classes) == 1:
            return self.classes[0]
        return Unknown("the middleware class may be one of several")

    @property
    def name(self) -> str:
        """The class name as written, for messages."""
        return last_name(self.cls.expr) or "middleware"

    def is_class(self, predicate: Callable[[ClassVal | External], bool]) -> bool:
        """Whether some class it may be satisfies `predicate`."""
        return any(isinstance(c, (ClassVal, External)) and predicate(c) for c in self.classes)

    @property
    def anchor(self) -> Anchor:
        """The call that configures it; the subject names the app and the class (as
        resolved when it is one class): `app app middleware CORSMiddleware`, numbered
        from the second of the same class on one app (`... CORSMiddleware #2`)."""
        value = self.value
        name = self.name
        if isinstance(value, External):
            name = value.last
        elif isinstance(value, ClassVal):
            name = value.fact.name
        subject = f"{self.owner} middleware {name}".lstrip()
        return Anchor(
            self.path, self.span, subject + (f" #{self.ordinal}" if self.ordinal > 1 else "")
        )


def number_alike(lists: list[list[Middleware]]) -> None:
    """Number, in the order they are written, middleware of one file whose subjects
    are still alike (two apps of one name in one file, such as two unnamed apps a
    factory returns), so each finding about them has its own fingerprint."""
    seen: dict[tuple[str, str], list[tuple[Span, int, int]]] = {}
    for i, items in enumerate(lists):
        for j, item in enumerate(items):
            seen.setdefault((item.path, item.anchor.subject), []).append((item.span, i, j))
    for alike in seen.values():
        for ordinal, (_, i, j) in enumerate(sorted(alike)[1:], 2):
            lists[i][j] = replace(lists[i][j], ordinal=lists[i][j].ordinal + ordinal - 1)


def added(call: Call, ctx: Ctx, resolver: Resolver) -> Middleware | None:
    """`app.add_middleware(Cls, *args, **kwargs)`."""
    cls = call.arg(0, "middleware_class")
    if cls is None:
        return None
    kwargs = tuple((k, v) for k, v in call.kwargs if k != "middleware_class")
    return _middleware(cls, call.args[1:], kwargs, call, ctx, resolver, Attachment.ADD_MIDDLEWARE)


def configured(call: Call, ctx: Ctx, resolver: Resolver) -> list[Middleware]:
    """The `middleware=[Middleware(Cls, ...), ...]` list of an app's constructor call;
    the list and its items may be names bound elsewhere."""
    given = call.kwarg("middleware")
    if given is None:
        return []
    return [
        found
        for item, item_ctx in list_items(given, ctx, resolver)
        for found in listed(item, item_ctx, resolver)
    ]


def listed(item: Expr, ctx: Ctx, resolver: Resolver) -> list[Middleware]:
    """The middleware a `Middleware(Cls, ...)` item stands for (written inline or
    bound to a name), in an app's `middleware=[...]` or its `user_middleware` list."""
    return [
        _middleware(
            entry.args[0],
            entry.args[1:],
            entry.kwargs,
            entry,
            entry_ctx,
            resolver,
            Attachment.MIDDLEWARE_LIST,
        )
        for entry, entry_ctx in _calls(item, ctx, resolver)
        if entry.args
    ]


def wrapping(
    call: Call,
    scope: Scope,
    ctx: Ctx,
    resolver: Resolver,
    apps_of: Callable[[Expr, Ctx], list[T]],
) -> Iterator[tuple[T, Middleware]]:
    """`app = Cls(app, ...)` (or `return Cls(app, ...)`): the apps wrapped by a call of a
    middleware class (named `*Middleware`, or assigned back to the wrapped app's name)."""
    if not call.args or call.has_star:
        return
    first = call.args[0]
    rebinds = isinstance(first, Name) and any(
        a.value is call for a in scope.assignments.get(first.id, ())
    )
    if not rebinds and not (last_name(call.func) or "").endswith("Middleware"):
        return
    classes = [v for v in resolver.evaluate(call.func, ctx) if isinstance(v, (ClassVal, External))]
    if not classes:
        return
    apps = _earlier_apps(first, call, scope, ctx, apps_of) if rebinds else apps_of(first, ctx)
    if not apps:
        return
    middleware = _middleware(
        call.func, call.args[1:], call.kwargs, call, ctx, resolver, Attachment.WRAP
    )
    for app in apps:
        yield app, middleware


def _earlier_apps(
    first: Expr, call: Call, scope: Scope, ctx: Ctx, apps_of: Callable[[Expr, Ctx], list[T]]
) -> list[T]:
    """The apps a name stood for before `name = Cls(name)` rebound it."""
    assert isinstance(first, Name)
    bound = scope.assignments.get(first.id, ())
    position = next(i for i, a in enumerate(bound) if a.value is call)
    return [app for a in _live(bound[:position]) for app in apps_of(a.value, ctx)]


def _middleware(
    cls: Expr,
    args: tuple[Expr, ...],
    kwargs: tuple[tuple[str, Expr], ...],
    call: Call,
    ctx: Ctx,
    resolver: Resolver,
    attached: Attachment,
) -> Middleware:
    return Middleware(
        cls=Scoped(cls, ctx),
        classes=tuple(resolver.evaluate(cls, ctx)),
        args=tuple(Scoped(a, ctx) for a in args),
        kwargs=tuple((k, Scoped(v, ctx)) for k, v in kwargs),
        has_star=call.has_star,
        path=ctx.path,
        span=call.span,
        attached=attached,
        gates=_gates(call, ctx, resolver),
    )


def _gates(call: Call, ctx: Ctx, resolver: Resolver) -> tuple[Condition, ...]:
    """The tests of the `if` blocks (of the body the call is written in) around `call`."""
    facts = ctx.functions[-1].body if ctx.functions else resolver.index.modules[ctx.path].body
    return tuple(
        Condition(Scoped(guard.test, ctx), True, text(guard.test))
        for guard in facts.guards
        if guard.block is not None
        and within(call.span, guard.block)
        and not is_main_test(guard.test)
    )


def list_items(expr: Expr, ctx: Ctx, resolver: Resolver) -> list[tuple[Expr, Ctx]]:
    """The items of a list display, written inline or bound to a name."""
    if isinstance(expr, Seq):
        return [(item, ctx) for item in expr.items]
    result: list[tuple[Expr, Ctx]] = []
    for value in resolver.evaluate(expr, ctx):
        if isinstance(value, SyntaxVal) and isinstance(value.expr, Seq):
            result.extend((item, value.ctx) for item in value.expr.items)
    return result


def _calls(expr: Expr, ctx: Ctx, resolver: Resolver) -> list[tuple[Call, Ctx]]:
    """The `Middleware(...)` call an item is, or is bound to."""
    if isinstance(expr, Call):
        return [(expr, ctx)]
    return [
        (value.call, value.ctx)
        for value in resolver.evaluate(expr, ctx)
        if isinstance(value, InstanceVal)
    ]
