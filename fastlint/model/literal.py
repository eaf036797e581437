"""The literal value of an expression, as the model answers it.

`Project.literal(scoped)` answers "what value does this argument have?" with every
value it may have (`possible`), each a plain Python value or `Unknown(why)`, and
with where it comes from: the place it is written (a settings field, a constant),
the environment variable it is read from (its value is then the fallback default),
and the conditions it depends on (`a if cond else b`). Nothing is guessed: what
cannot be followed statically is `Unknown` with a reason. The evaluator itself is
`fastlint.model.literal_eval`.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import EllipsisType
from typing import TypeAlias

from fastlint.model.values import Scoped, Unknown
from fastlint.span import Span

LiteralValue: TypeAlias = (
    "str | int | float | bool | bytes | EllipsisType | list[LiteralValue]"
    " | tuple[LiteralValue, ...] | dict[LiteralValue, LiteralValue] | None"
)


@dataclass(frozen=True)
class Where:
    """Where a value is written: a file, the span when known, and what is there."""

    path: str
    span: Span | None
    what: str  # "`Settings.CORS_ORIGINS`", "`ORIGINS`", "`os.getenv(...)`"
    # A name's assignment (`ORIGINS = [...]`): a settings field or class attribute
    # that refers to the name is the more telling place, and is kept instead.
    assignment: bool = False


@dataclass(frozen=True)
class FromEnv:
    """The value is read from environment variable `variable` (None when its name is
    not a constant); `has_default`: the value given is the fallback used when unset."""

    variable: str | None
    has_default: bool


@dataclass(frozen=True)
class SettingsField:
    """The value is the default of a settings-class field (pydantic `BaseSettings`),
    which the environment variable `variable` overrides."""

    cls: str
    field: str
    env_prefix: str = ""

    @property
    def variable(self) -> str:
        return f"{self.env_prefix}{self.field}".upper()


@dataclass(frozen=True)
class Condition:
    """The value applies when `test` is true (`holds`) or false (`not holds`)."""

    test: Scoped
    holds: bool
    text: str  # the test as written, roughly: `settings.DEBUG`, `os.getenv(...)`


@dataclass(frozen=True)
class Possible:
    """One value an expression may have, and where it comes from."""

    value: LiteralValue | Unknown
    where: Where | None = None
    env: FromEnv | None = None
    settings: SettingsField | None = None
    conditions: tuple[Condition, ...] = ()

    @property
    def known(self) -> bool:
        return not isinstance(self.value, Unknown)

    @property
    def configurable(self) -> bool:
        """Whether deployment can change it (an environment variable or a settings field)."""
        return self.env is not None or self.settings is not None

    @property
    def is_fallback(self) -> bool:
        """Whether this is a default used only when the environment does not set one."""
        return self.settings is not None or (self.env is not None and self.env.has_default)

    @property
    def variable(self) -> str | None:
        """The environment variable that overrides or gives the value, if any."""
        if self.env is not None:
            return self.env.variable
        return self.settings.variable if self.settings is not None else None


@dataclass(frozen=True)
class Literal:
    """Every value an expression may have (at least one)."""

    possible: tuple[Possible, ...]

    @property
    def value(self) -> LiteralValue | Unknown:
        """The value when there is exactly one, known; else `Unknown` with the reason."""
        if len(self.possible) == 1:
            return self.possible[0].value
        unknown = self.unknown
        if unknown:
            return unknown[0]
        return Unknown("it may have several values")

    @property
    def known(self) -> tuple[Possible, ...]:
        return tuple(p for p in self.possible if p.known)

    @property
    def unknown(self) -> tuple[Unknown, ...]:
        return tuple(p.value for p in self.possible if isinstance(p.value, Unknown))

    @property
    def is_known(self) -> bool:
        """Whether every possible value is known."""
        return all(p.known for p in self.possible)
