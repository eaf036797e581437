"""`[tool.fastlint]` in pyproject.toml: found, validated, merged with CLI flags.

Every problem is a `ConfigError` with a message fit for the terminal (exit 2).
"""

from __future__ import annotations

import difflib
import os
import sys
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from fastlint import route_patterns, rule_options
from fastlint.discovery import PatternError, check_pattern
from fastlint.files import is_regular_file, read_regular
from fastlint.findings import Severity

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib


class ConfigError(Exception):
    """A configuration problem, explained for the user."""


@dataclass(frozen=True)
class Settings:
    """Effective settings. Field names are the TOML keys with `-` as `_`."""

    select: tuple[str, ...] = ()  # empty: every rule
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    per_file_ignores: dict[str, tuple[str, ...]] = field(default_factory=dict)
    exclude: tuple[str, ...] = ()  # gitignore-style patterns, added to the defaults
    extend_exclude: tuple[str, ...] = ()
    severity: dict[str, str] = field(default_factory=dict)
    src: tuple[str, ...] = ()
    # Project-wide: what authenticates and what limits rates, for every rule.
    auth_dependencies: tuple[str, ...] = ()
    rate_limiters: tuple[str, ...] = ()
    # Rule code -> option (field name) -> validated value; defaults are the rule's.
    rule_options: dict[str, dict[str, Any]] = field(default_factory=dict)
    root: Path = field(default_factory=Path.cwd)  # folder of the config file: base of globs
    source: Path | None = None  # the file the settings came from

    def rule_codes(self, known: list[str], preview: Collection[str] = ()) -> list[str]:
        """The rules to run: `select` (default: every rule but the `preview` ones, which
        run only when selected by name, prefix or `ALL`), plus `extend-select`."""
        chosen = set(self.select or [c for c in known if c not in preview]) | set(
            self.extend_select
        )
        return [code for code in known if code in chosen and code not in self.ignore]

    def severity_of(self, code: str) -> Severity | None:
        name = self.severity.get(code)
        return Severity[name.upper()] if name else None

    def options_for(self, code: str, options: type[Any]) -> Any:
        """A rule's options: its dataclass with the configured values."""
        return options(**self.rule_options.get(code, {}))


LIST_KEYS = {
    "select",
    "ignore",
    "extend-select",
    "exclude",
    "extend-exclude",
    "src",
    "auth-dependencies",
    "rate-limiters",
}
TABLE_KEYS = {"per-file-ignores", "severity"}
# Top-level keys from before rules had options, each one rule's option; they keep
# working. `[tool.fastlint.rules.<code>]` is the documented home of rule options.
RULE_OPTION_ALIASES = {
    "public-routes": ("FL001", "public-routes"),
    "sensitive-fields": ("FL003", "sensitive-fields"),
    "extend-sensitive-fields": ("FL003", "extend-sensitive-fields"),
    "check-list-items": ("FL004", "check-list-items"),
}
KEYS = LIST_KEYS | TABLE_KEYS | set(RULE_OPTION_ALIASES) | {"rules"}
RULE_LIST_KEYS = {"select", "ignore", "extend-select"}
GLOB_LIST_KEYS = {"exclude", "extend-exclude"}
MAX_CONFIG_BYTES = 10 * 1024 * 1024
TOML_DEPTH = 500  # frames; about 150 nested TOML values
SEVERITIES = [s.label for s in Severity]


def find_config(start: Path) -> Path | None:
    """The nearest pyproject.toml at or above `start` with a `[tool.fastlint]` table."""
    folder = start if os.path.isdir(start) else start.parent
    for candidate in (folder, *folder.parents):
        pyproject = candidate / "pyproject.toml"
        if is_regular_file(pyproject):
            try:
                tool = _read(pyproject).get("tool", {})
                if not isinstance(tool, dict) or "fastlint" in tool:
                    return pyproject  # ours, or broken for every tool: reported
            except ConfigError:
                return pyproject  # a broken file nearest the code must be reported
    return None


def load(
    path: Path, known_rules: list[str], options: Mapping[str, type[Any]] | None = None
) -> Settings:
    """Settings from a pyproject.toml (`[tool.fastlint]`) or a fastlint.toml (top level).

    `options` maps rule codes to their options dataclass (see `fastlint.rule_options`)."""
    document = _read(path)
    table: Any = document
    if path.name == "pyproject.toml":
        tool = document.get("tool", {})
        if not isinstance(tool, dict):
            raise ConfigError(f"{path}: `tool` must be a table ([tool]), not a {_kind(tool)}")
        table = tool.get("fastlint", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.fastlint] must be a table, not a {_kind(table)}")
    return replace(
        parse(table, known_rules, str(path), options),
        root=path.parent.resolve(),
        source=path.resolve(),
    )


def parse(
    table: dict[str, Any],
    known_rules: list[str],
    where: str = "settings",
    options: Mapping[str, type[Any]] | None = None,
) -> Settings:
    """Validate a settings table and turn it into `Settings`."""
    values: dict[str, Any] = {}
    values["rule_options"] = _rule_options(table, known_rules, options or {}, where)
    _check_route_patterns(values["rule_options"], where)
    for key, value in table.items():
        if key == "rules" or key in RULE_OPTION_ALIASES:  # read above
            continue
        if key not in KEYS:
            raise ConfigError(f"{where}: unknown key `{key}`{_suggest(key, KEYS)}")
        if key in LIST_KEYS:
            items = _string_list(key, value, where)
            if key in RULE_LIST_KEYS:
                items = expand(items, known_rules, f"{where}: `{key}`")
            if key in GLOB_LIST_KEYS:
                items = [_glob(f"{key}", item, where) for item in items]
            values[key.replace("-", "_")] = tuple(items)
        elif key == "per-file-ignores":
            values["per_file_ignores"] = {
                _glob(key, glob, where): tuple(  # folded: runs of `*` matched as one
                    expand(
                        _string_list(f"{key}.{glob}", codes, where),
                        known_rules,
                        f"{where}: `{key}`",
                    )
                )
                for glob, codes in _table(key, value, where).items()
            }
        elif key == "severity":
            severities: dict[str, str] = {}
            for code, level in _table(key, value, where).items():
                _check_codes([code], known_rules, f"{where}: `severity`")
                if not isinstance(level, str) or level.lower() not in SEVERITIES:
                    raise ConfigError(
                        f"{where}: `severity.{code}` must be one of {', '.join(SEVERITIES)}"
                    )
                severities[code] = level.lower()
            values["severity"] = severities
    return Settings(**values)


def _check_route_patterns(found: dict[str, dict[str, Any]], where: str) -> None:
    for code, values in found.items():
        for pattern in values.get("public_routes", ()):
            why = route_patterns.problem(pattern)
            if why is not None:
                raise ConfigError(
                    f"{where}: `rules.{code}.public-routes`: `{pattern[:80]}` is {why}"
                    ' (write "METHOD /path-glob", e.g. "GET /health*")'
                )


def warnings(settings: Settings) -> list[str]:
    """What is valid but probably not meant (printed, never fatal)."""
    found = []
    for code, values in sorted(settings.rule_options.items()):
        for pattern in values.get("public_routes", ()):
            if route_patterns.matches_everything(pattern):
                found.append(
                    f"`rules.{code}.public-routes`: `{pattern}` matches every route: {code}"
                    " is silenced everywhere"
                )
    return found


def merge(settings: Settings, overrides: dict[str, Any], known_rules: list[str]) -> Settings:
    """Apply command-line flags (already split into lists), which win over the file."""
    changes: dict[str, Any] = {}
    names = {f.name for f in fields(Settings)}
    for name, value in overrides.items():
        if value is None or name not in names:
            continue
        if name in ("select", "ignore", "extend_select"):
            value = expand(value, known_rules, f"--{name.replace('_', '-')}")
        if name in ("exclude", "extend_exclude"):
            value = [_glob(name.replace("_", "-"), v, f"--{name.replace('_', '-')}") for v in value]
        changes[name] = tuple(value) if isinstance(value, list) else value
    return replace(settings, **changes)


def _rule_options(
    table: dict[str, Any],
    known_rules: list[str],
    options: Mapping[str, type[Any]],
    where: str,
) -> dict[str, dict[str, Any]]:
    """`[tool.fastlint.rules.<code>]` tables and the top-level aliases, read against
    each rule's options dataclass."""
    tables: dict[str, dict[str, Any]] = {}
    for code, rule_table in _table("rules", table.get("rules", {}), where).items():
        _check_codes([code], known_rules, f"{where}: `rules`")
        tables[code] = dict(_table(f"rules.{code}", rule_table, where))
    found: dict[str, dict[str, Any]] = {}
    for code, rule_table in tables.items():
        found[code] = _read_options(code, rule_table, options, where, f"rules.{code}.")
    for key, (code, option) in RULE_OPTION_ALIASES.items():
        if key not in table:
            continue
        if option in tables.get(code, {}):
            raise ConfigError(f"{where}: `{key}` is also set as `rules.{code}.{option}`: keep one")
        found.setdefault(code, {}).update(
            _read_options(code, {option: table[key]}, options, where, "")
        )
    return found


def _read_options(
    code: str, table: dict[str, Any], options: Mapping[str, type[Any]], where: str, prefix: str
) -> dict[str, Any]:
    try:
        return rule_options.read(
            options.get(code, rule_options.NoOptions), table, f"rule {code}", prefix
        )
    except ValueError as exc:
        raise ConfigError(f"{where}: {exc}") from None


def _read(path: Path) -> dict[str, Any]:
    try:
        data = read_regular(path, MAX_CONFIG_BYTES)
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if len(data) > MAX_CONFIG_BYTES:
        raise ConfigError(f"{path}: larger than {MAX_CONFIG_BYTES // 1024 // 1024} MiB")
    try:
        text = data.decode("utf-8")
        document: dict[str, Any] = _bounded(tomllib.loads, text)
        return document
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8: {exc}") from exc
    except (RecursionError, MemoryError) as exc:
        raise ConfigError(f"{path}: {_too_deep(text)} is nested too deeply") from exc


def _bounded(parse: Callable[[str], dict[str, Any]], text: str) -> dict[str, Any]:
    """`parse(text)` with Python's recursion bounded to TOML_DEPTH levels more than now:
    the TOML parsers recurse once per nested value, and fastlint's parser thread
    raises the process-wide limit far beyond what the main thread's stack holds."""
    depth = 0
    frame = sys._getframe()
    while frame.f_back is not None:
        depth, frame = depth + 1, frame.f_back
    previous = sys.getrecursionlimit()
    sys.setrecursionlimit(depth + TOML_DEPTH)
    try:
        return parse(text)
    finally:
        sys.setrecursionlimit(previous)


def _too_deep(text: str) -> str:
    """The key whose value opens the most brackets on one line (for the message)."""
    line = max(text.splitlines() or [""], key=lambda ln: ln.count("[") + ln.count("{"))
    key = line.split("=", 1)[0].strip() if "=" in line else ""
    return f"the value of `{key}`" if key and len(key) < 100 else "a value"


def _glob(key: str, pattern: str, where: str) -> str:
    try:
        return check_pattern(pattern)
    except PatternError as exc:
        raise ConfigError(f"{where}: `{key}`: pattern `{pattern[:80]}` is {exc}") from exc


def _kind(value: object) -> str:
    return {str: "string", list: "list", bool: "boolean", int: "number", float: "number"}.get(
        type(value), type(value).__name__
    )


def _string_list(key: str, value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: `{key}` must be a list of strings")
    return [str(v) for v in value]


def _table(key: str, value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: `{key}` must be a table")
    return value


def _check_codes(codes: list[str], known_rules: list[str], where: str) -> list[str]:
    for code in codes:
        if code not in known_rules:
            raise ConfigError(f"{where}: unknown rule `{code}`{_suggest(code, known_rules)}")
    return codes


def expand(codes: list[str], known_rules: list[str], where: str) -> list[str]:
    """Rule selectors as ruff reads them: a code, a code prefix (`FL0`, `FL01`) or
    `ALL`; each selector must name at least one rule."""
    found: list[str] = []
    for selector in codes:
        if selector.upper() == "ALL":
            chosen = list(known_rules)
        else:
            chosen = [c for c in known_rules if c.startswith(selector.upper())]
        if not chosen:
            raise ConfigError(
                f"{where}: unknown rule `{selector}`{_suggest(selector, known_rules)}"
            )
        found += [c for c in chosen if c not in found]
    return found


def _suggest(word: str, options: set[str] | list[str]) -> str:
    close = difflib.get_close_matches(word, sorted(options), n=1)
    return f" (did you mean `{close[0]}`?)" if close else ""
