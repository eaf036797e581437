"""Pydantic and SQLModel models: fields (inherited too), constraints and config."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

from fastlint.facts.expr import Call, Const, DictExpr, Expr, Name, Subscript, last_name
from fastlint.facts.types import FieldFact, FunctionFact
from fastlint.model import known
from fastlint.model.anchor import Anchor
from fastlint.model.annotation import Bindings, TypeArg, TypeLeaf, TypeReader
from fastlint.model.literal_eval import Literals
from fastlint.model.resolve import Resolver
from fastlint.model.values import ClassVal, Ctx, External, FunctionVal, Scoped


@dataclass(frozen=True)
class StringLeaf:
    """A string type in a field's annotation (the builtin `str`, pydantic's
    `constr(...)`) with the constraint keywords in force on it."""

    in_container: bool  # the items of `list[str]`, `dict[str, str]`...
    constraints: dict[str, Scoped]  # `max_length`, `pattern`... from `Field(...)`,
    # `Annotated[...]` metadata and `constr(...)`
    custom_validator: bool  # `Annotated` metadata runs a validator that may bound it


@dataclass(frozen=True, eq=False)
class ModelField:
    name: str
    fact: FieldFact
    owner: ClassVal  # the class that declares the field
    # In a generic model used as `Page[Client]`: what its type variables stand for.
    bindings: Bindings = ()

    @property
    def ctx(self) -> Ctx:
        return self.owner.ctx

    @property
    def annotation(self) -> Expr:
        return self.fact.annotation

    @property
    def default(self) -> Expr | None:
        return self.fact.default

    @property
    def label(self) -> str:
        return f"{self.owner.fact.name}.{self.name}"

    @property
    def type_name(self) -> str | None:
        """The last name the field's type is written with (`SecretStr`, `str`); None
        for anything else (`list[str]`, `A | None`)."""
        return last_name(self.fact.annotation)

    @property
    def anchor(self) -> Anchor:
        """The field's declaration, in the class that declares it."""
        return Anchor(self.owner.path, self.fact.span, self.label)


@dataclass(frozen=True, eq=False)
class Model:
    cls: ClassVal
    fields: tuple[ModelField, ...]
    caps_strings: bool  # `str_max_length` (v2) or `max_anystr_length` (v1) in its config

    @property
    def name(self) -> str:
        return self.cls.fact.name


class Schemas:
    def __init__(self, resolver: Resolver, types: TypeReader, literals: Literals) -> None:
        self.resolver = resolver
        self.types = types
        self.literals = literals
        self._models: dict[ClassVal, Model | None] = {}

    def model(self, cls: ClassVal) -> Model | None:
        """The model a class defines, or None if it is not a Pydantic/SQLModel model."""
        if cls in self._models:
            return self._models[cls]
        self._models[cls] = None
        mro = self.resolver.mro(cls)
        if not any(
            isinstance(c, External) and (known.is_pydantic_model(c) or known.is_typed_dict(c))
            for c in mro
        ):
            return None
        fields: dict[str, ModelField] = {}
        caps = False
        for owner in reversed(mro):  # ancestors first, so subclasses override
            if not isinstance(owner, ClassVal):
                continue
            for fact in owner.fact.fields:
                if fact.name.startswith("_") or _is_classvar(fact.annotation):
                    continue  # private attributes and class variables are not fields
                if self._is_relationship(fact, owner):
                    continue  # SQLModel relationships are not serialised
                fields[fact.name] = ModelField(fact.name, fact, owner)
            caps = caps or _caps_strings(owner, self.literals)
        model = Model(cls, tuple(fields.values()), caps)
        self._models[cls] = model
        return model

    def validated(self, field: ModelField, model: Model, measuring: bool = False) -> bool:
        """Whether a `@field_validator`/`@validator` of the model (or of a class it
        inherits from) names the field (with `measuring`: and calls `len`, so may
        bound its length): what it enforces is not known."""
        for owner in self.resolver.mro(model.cls):
            if not isinstance(owner, ClassVal):
                continue
            for method in owner.fact.methods.values():
                for decorator in method.decorators:
                    call = decorator.expr
                    if not isinstance(call, Call):
                        continue
                    marker = self.resolver.evaluate_one(call.func, owner.ctx)
                    if not isinstance(marker, External) or not known.is_field_validator(marker):
                        continue
                    # by name only: a `"*"` validator checks every field for one thing
                    # (polar's base schema rejects NUL characters), not their lengths
                    named = any(isinstance(a, Const) and a.value == field.name for a in call.args)
                    if named and (not measuring or measures_length(method)):
                        return True
        return False

    def checks_length(self, validator: Expr, ctx: Ctx) -> bool:
        """Whether a validator marker (`AfterValidator(fn)`) may bound a length: `fn`
        calls `len`, or cannot be read (a lambda, a library function)."""
        if not isinstance(validator, Call) or not validator.args:
            return True
        for value in self.resolver.evaluate(validator.args[0], ctx):
            if not isinstance(value, FunctionVal) or measures_length(value.fact):
                return True
        return False

    def _is_relationship(self, fact: FieldFact, owner: ClassVal) -> bool:
        default = fact.default
        if not isinstance(default, Call) or last_name(default.func) != "Relationship":
            return False
        value = self.resolver.evaluate_one(default.func, owner.ctx)
        return isinstance(value, External) and value.top == "sqlmodel"

    def models_in(
        self, annotation: Expr, ctx: Ctx, bindings: Bindings = ()
    ) -> Iterator[tuple[Model, TypeLeaf]]:
        """The models an annotation refers to: `list[A] | B | None` gives A and B; a
        generic model `Page[A]` gives Page with its type variable bound to A."""
        for leaf in self.types.leaves(annotation, ctx, bindings=bindings):
            target: Expr = leaf.expr
            args: tuple[Expr, ...] = ()
            if isinstance(leaf.expr, Subscript):
                target, args = leaf.expr.value, leaf.expr.items
            for value in self.resolver.evaluate(target, leaf.ctx):
                if isinstance(value, ClassVal):
                    model = self.model(value)
                    if model is not None:
                        yield self._bound(model, args, leaf), leaf

    def field_models(self, field: ModelField) -> Iterator[tuple[Model, TypeLeaf]]:
        """The models a field's type refers to (type variables of a generic model
        replaced by the arguments it is used with)."""
        return self.models_in(field.annotation, field.ctx, field.bindings)

    def _bound(self, model: Model, args: tuple[Expr, ...], leaf: TypeLeaf) -> Model:
        """`Page[Client]`: the generic model with `T` bound to `Client` in its fields."""
        params = type_parameters(model.cls)
        if not args or not params:
            return model
        bindings = tuple(
            (param, TypeArg(arg, leaf.ctx, leaf.bindings))
            for param, arg in zip(params, args, strict=False)
        )
        fields = tuple(replace(f, bindings=bindings) for f in model.fields)
        return Model(model.cls, fields, model.caps_strings)

    def field_options(self, field: ModelField, leaf: TypeLeaf | None = None) -> dict[str, Expr]:
        """Keyword arguments of `Field(...)`, from the default and `Annotated` metadata."""
        options: dict[str, Expr] = {}
        calls: list[Call] = []
        if isinstance(field.fact.default, Call):
            calls.append(field.fact.default)
        if leaf is not None:
            calls.extend(m for m, _ in leaf.metadata if isinstance(m, Call))
        for call in calls:
            options.update(call.kwargs)
        return options

    def excluded(self, field: ModelField) -> bool:
        """Whether the field is declared `Field(exclude=True)` (in its default or its
        `Annotated` metadata): pydantic leaves it out of what it serialises."""
        options = self.field_options(field)
        for leaf in self.types.leaves(field.annotation, field.ctx):
            options.update(self.field_options(field, leaf))
        flag = options.get("exclude")
        return isinstance(flag, Const) and flag.value is True

    def string_leaves(self, field: ModelField) -> list[StringLeaf]:
        """The string types in a field's annotation, each with its constraints."""
        default: dict[str, Scoped] = {}
        if isinstance(field.default, Call):
            default = {k: Scoped(v, field.ctx) for k, v in field.default.kwargs}
        found: list[StringLeaf] = []
        for leaf in self.types.leaves(field.annotation, field.ctx):
            if not self._is_string(leaf):
                continue
            options = {} if leaf.in_container else dict(default)
            for meta, meta_ctx in leaf.metadata:
                if isinstance(meta, Call):
                    options.update((k, Scoped(v, meta_ctx)) for k, v in meta.kwargs)
            if isinstance(leaf.expr, Call):  # constr(...)
                options.update((k, Scoped(v, leaf.ctx)) for k, v in leaf.expr.kwargs)
            found.append(StringLeaf(leaf.in_container, options, self._custom_validator(leaf)))
        return found

    def _is_string(self, leaf: TypeLeaf) -> bool:
        """The builtin `str`, or pydantic's `constr(...)`."""
        expr = leaf.expr
        target = expr.func if isinstance(expr, Call) else expr
        value = self.resolver.evaluate_one(target, leaf.ctx)
        if not isinstance(value, External):
            return False
        if not isinstance(expr, Call) and value.qualname == "builtins.str":
            return True
        return isinstance(expr, Call) and value.top == "pydantic" and value.last == "constr"

    def _custom_validator(self, leaf: TypeLeaf) -> bool:
        """Whether the `Annotated` metadata around the type runs a pydantic validator
        that may bound a length."""
        for meta, meta_ctx in leaf.metadata:
            marker = self.resolver.evaluate_one(
                meta.func if isinstance(meta, Call) else meta, meta_ctx
            )
            if (
                isinstance(marker, External)
                and known.is_validator_marker(marker)
                and self.checks_length(meta, meta_ctx)
            ):
                return True
        return False

    def nested(self, model: Model) -> Iterator[tuple[ModelField, Model]]:
        """Fields of `model` whose type is (or contains) another model."""
        for field in model.fields:
            for inner, _ in self.field_models(field):
                yield field, inner


def measures_length(function: FunctionFact) -> bool:
    """Whether a validator's body calls `len` (it may bound a length)."""
    return "len" in function.body.names_read


def type_parameters(cls: ClassVal) -> tuple[str, ...]:
    """The type variables of a generic class: `T` of `class Page(BaseModel, Generic[T])`
    (pydantic v1 `GenericModel` too)."""
    for base in cls.fact.bases:
        if isinstance(base, Subscript) and last_name(base.value) == "Generic":
            return tuple(item.id for item in base.items if isinstance(item, Name))
    return ()


def _is_classvar(annotation: Expr) -> bool:
    target = annotation.value if isinstance(annotation, Subscript) else annotation
    return last_name(target) == "ClassVar"


def _caps_strings(cls: ClassVal, literals: Literals) -> bool:
    """Whether the class's config caps every string: `str_max_length` (v2), or
    `max_anystr_length` (v1), given a value other than None."""

    def given(expr: Expr | None) -> bool:
        if expr is None:
            return False
        return not all(p.value is None for p in literals.literal(expr, cls.ctx).possible)

    config = cls.fact.class_attrs.get("model_config")
    if isinstance(config, Call) and given(config.kwarg("str_max_length")):
        return True
    if isinstance(config, DictExpr):
        for key, value in config.items:
            if isinstance(key, Const) and key.value == "str_max_length" and given(value):
                return True
    legacy = cls.fact.config
    return given(legacy.get("max_anystr_length")) or given(legacy.get("str_max_length"))
