"""Rule options: each rule declares them as a frozen dataclass with types and defaults.

`[tool.fastlint.rules.FL001]` is read against that dataclass, whatever the rule:
TOML keys are the field names with `-` for `_`; a key the dataclass lacks or a
value of the wrong type is refused with a message fit for the terminal.
Supported types: `bool`, `int`, `float`, `str` and `tuple[str, ...]` (a TOML
list of strings).
"""

from __future__ import annotations

import dataclasses
import difflib
import typing
from collections.abc import Mapping
from typing import Any


@dataclasses.dataclass(frozen=True)
class NoOptions:
    """The options of a rule that has none."""


STRINGS = tuple[str, ...]
TYPE_NAMES: dict[object, str] = {
    bool: "true or false",
    int: "an integer",
    float: "a number",
    str: "a string",
    STRINGS: "a list of strings",
}


def toml_key(field_name: str) -> str:
    return field_name.replace("_", "-")


def option_types(options: type[Any]) -> dict[str, tuple[str, object]]:
    """TOML key -> (field name, type) of an options dataclass (TypeError if unsupported)."""
    if not dataclasses.is_dataclass(options):
        raise TypeError(f"{options.__name__} is not a dataclass")
    hints = typing.get_type_hints(options)
    found: dict[str, tuple[str, object]] = {}
    for item in dataclasses.fields(options):
        kind = hints[item.name]
        if kind not in TYPE_NAMES:
            raise TypeError(f"{options.__name__}.{item.name}: unsupported option type {kind}")
        found[toml_key(item.name)] = (item.name, kind)
    return found


def defaults(options: type[Any]) -> dict[str, Any]:
    """TOML key -> default value."""
    instance = options()
    return {toml_key(f.name): getattr(instance, f.name) for f in dataclasses.fields(options)}


def read(options: type[Any], table: Mapping[str, Any], owner: str, prefix: str) -> dict[str, Any]:
    """Validated values of `table`, by field name. ValueError says what is wrong:
    "{owner} has no option `key`", or "`{prefix}key` must be ..."."""
    types = option_types(options)
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key not in types:
            close = difflib.get_close_matches(key, sorted(types), n=1)
            hint = f" (did you mean `{close[0]}`?)" if close else ""
            raise ValueError(f"{owner} has no option `{key}`{hint}")
        name, kind = types[key]
        values[name] = convert(value, kind, f"`{prefix}{key}`")
    return values


def convert(value: Any, kind: object, label: str) -> Any:
    """`value` as `kind`, or ValueError."""
    if kind == STRINGS:
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return tuple(value)
    elif kind is float:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
    elif kind is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    elif isinstance(value, kind):  # type: ignore[arg-type]
        return value
    raise ValueError(f"{label} must be {TYPE_NAMES[kind]}")
