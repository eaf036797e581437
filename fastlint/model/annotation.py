"""Reading type annotations: aliases, `Annotated[...]`, unions and containers."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from fastlint.facts.expr import Attr, Const, Expr, Name, Subscript, Union, last_name
from fastlint.model.resolve import Resolver
from fastlint.model.values import Ctx, SyntaxVal

# Generic containers of items: `list[X]`, `dict[str, X]`...
ITEM_CONTAINERS = frozenset(
    {"list", "List", "set", "Set", "frozenset", "FrozenSet", "tuple", "Tuple"}
    | {"Sequence", "Iterable", "Collection", "dict", "Dict", "Mapping"}
)
# Mappings: their first argument types the keys, which hold no values (`dict[str, X]`
# is read as its values, `X`).
MAPPINGS = frozenset({"dict", "Dict", "Mapping"})
# Wrappers whose arguments are the type itself: `Optional[X]`, `Union[X, Y]`...
CONTAINERS = ITEM_CONTAINERS | {"Optional", "Union", "Required", "NotRequired", "Final"}


@dataclass(frozen=True, eq=False)
class TypeArg:
    """A type argument of a generic model (`Client` in `Page[Client]`), where it is
    written, and the type variables bound where it is written."""

    expr: Expr
    ctx: Ctx
    bindings: Bindings = ()


# Type variables of a generic model and what they stand for: (("T", Client),).
Bindings = tuple[tuple[str, TypeArg], ...]


@dataclass(frozen=True, eq=False)
class TypeLeaf:
    """One concrete type inside an annotation, with the metadata around it."""

    expr: Expr
    ctx: Ctx
    metadata: tuple[tuple[Expr, Ctx], ...]  # from enclosing Annotated[...]
    in_container: bool  # an item of list[...], dict[...], etc.
    bindings: Bindings = ()  # the type variables bound where the leaf is written


class TypeReader:
    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver

    def unwrap(self, expr: Expr, ctx: Ctx) -> tuple[Expr, Ctx, tuple[tuple[Expr, Ctx], ...]]:
        """Follow type aliases and strip `Annotated`, keeping its metadata."""
        metadata: list[tuple[Expr, Ctx]] = []
        for _ in range(20):
            if isinstance(expr, Const) and isinstance(expr.value, str):
                expr = (
                    Name(expr.value) if expr.value.isidentifier() else expr
                )  # "Model" forward ref
            if isinstance(expr, (Name, Attr)):
                values = self.resolver.evaluate(expr, ctx)
                if len(values) == 1 and isinstance(values[0], SyntaxVal):
                    expr, ctx = values[0].expr, values[0].ctx  # an alias: X = Annotated[...]
                    continue
                return expr, ctx, tuple(metadata)
            if isinstance(expr, Subscript) and expr.items and last_name(expr.value) == "Annotated":
                metadata.extend((m, ctx) for m in expr.items[1:])
                expr = expr.items[0]
                continue
            return expr, ctx, tuple(metadata)
        return expr, ctx, tuple(metadata)

    def leaves(
        self,
        expr: Expr,
        ctx: Ctx,
        in_container: bool = False,
        outer: tuple[tuple[Expr, Ctx], ...] = (),
        bindings: Bindings = (),
    ) -> Iterator[TypeLeaf]:
        """Every concrete type in an annotation: `list[A] | B | None` gives A, B and None.

        Metadata of an `Annotated` around a union applies to each member; metadata
        around a container (`Annotated[list[str], Field(max_length=3)]`) constrains
        the container, not its items. A type variable in `bindings` (a field of
        `Page[Client]` typed `list[T]`) stands for its argument.
        """
        bound = _bound(expr, bindings)
        metadata: tuple[tuple[Expr, Ctx], ...] = ()
        if bound is None:
            expr, ctx, metadata = self.unwrap(expr, ctx)
            bound = _bound(expr, bindings)
        metadata = outer + metadata
        if bound is not None:
            yield from self.leaves(bound.expr, bound.ctx, in_container, metadata, bound.bindings)
            return
        if isinstance(expr, Union):
            yield from self.leaves(expr.left, ctx, in_container, metadata, bindings)
            yield from self.leaves(expr.right, ctx, in_container, metadata, bindings)
            return
        if isinstance(expr, Subscript):
            head = last_name(expr.value)
            if head in CONTAINERS:
                holds_items = head in ITEM_CONTAINERS
                items = expr.items[1:] if head in MAPPINGS and len(expr.items) == 2 else expr.items
                for item in items:
                    yield from self.leaves(
                        item,
                        ctx,
                        in_container or holds_items,
                        () if holds_items else metadata,
                        bindings,
                    )
                return
        yield TypeLeaf(expr, ctx, metadata, in_container, bindings)


def _bound(expr: Expr, bindings: Bindings) -> TypeArg | None:
    """The argument a type variable stands for, if `expr` is one that is bound."""
    if isinstance(expr, Name):
        for name, arg in bindings:
            if name == expr.id:
                return arg
    return None
