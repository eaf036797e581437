"""Rule options: declared on the rule as a dataclass, read generically from
`[tool.fastlint.rules.<code>]`, with the old top-level keys kept as aliases."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from test_config import BASE, codes, project
from typer.testing import CliRunner

from fastlint import config, rule_options
from fastlint.cli import app
from fastlint.registry import ALL_RULES, RULES_BY_CODE

runner = CliRunner()


def folder(tmp_path: Path, name: str) -> Path:
    (tmp_path / name).mkdir()
    return tmp_path / name


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.code)
def test_every_rule_declares_typed_options_with_defaults(rule: type) -> None:
    options = rule.Options
    assert dataclasses.is_dataclass(options)
    assert options.__dataclass_params__.frozen  # type: ignore[attr-defined]
    rule_options.option_types(options)  # every type is one TOML can express
    assert isinstance(rule().options, options)  # defaults for every field


@pytest.mark.parametrize(("alias", "target"), sorted(config.RULE_OPTION_ALIASES.items()))
def test_every_alias_names_an_option_of_a_rule(alias: str, target: tuple[str, str]) -> None:
    code, option = target
    assert alias == option
    assert option in rule_options.option_types(RULES_BY_CODE[code].Options)


@pytest.mark.parametrize(
    ("top_level", "table"),
    [
        (
            'public-routes = ["GET /health*"]',
            '[tool.fastlint.rules.FL001]\npublic-routes = ["GET /health*"]',
        ),
        ("check-list-items = false", "[tool.fastlint.rules.FL004]\ncheck-list-items = false"),
        (
            'extend-sensitive-fields = ["*_token"]',
            '[tool.fastlint.rules.FL003]\nextend-sensitive-fields = ["*_token"]',
        ),
        ('sensitive-fields = ["name"]', '[tool.fastlint.rules.FL003]\nsensitive-fields = ["name"]'),
    ],
)
def test_the_rule_table_and_the_top_level_alias_agree(
    tmp_path: Path, top_level: str, table: str
) -> None:
    by_alias = codes(project(folder(tmp_path, "alias"), top_level + "\n"))
    by_table = codes(project(folder(tmp_path, "table"), table + "\n"))
    assert by_alias == by_table != BASE


def test_options_change_what_is_reported(tmp_path: Path) -> None:
    found = codes(
        project(tmp_path, '[tool.fastlint.rules.FL001]\npublic-routes = ["GET /health"]\n')
    )
    assert "FL001 GET /health" in BASE and "FL001 GET /health" not in found
    assert "FL001 POST /hooks" in found
    lists = codes(
        project(
            folder(tmp_path, "lists"), "[tool.fastlint.rules.FL004]\ncheck-list-items = false\n"
        )
    )
    assert "FL004 Hook.tags" in BASE and "FL004 Hook.tags" not in lists


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (
            "[tool.fastlint.rules.FL001]\npublic-route = []\n",
            "rule FL001 has no option `public-route` (did you mean `public-routes`?)",
        ),
        ("[tool.fastlint.rules.FL002]\nanything = 1\n", "rule FL002 has no option `anything`"),
        (
            "[tool.fastlint.rules.FL004]\ncheck-list-items = 'no'\n",
            "`rules.FL004.check-list-items` must be true or false",
        ),
        (
            "[tool.fastlint.rules.FL001]\npublic-routes = 'GET /health'\n",
            "`rules.FL001.public-routes` must be a list of strings",
        ),
        ("public-routes = [1]\n", "`public-routes` must be a list of strings"),
        ("check-list-items = 0\n", "`check-list-items` must be true or false"),
        (
            "public-routes = []\n[tool.fastlint.rules.FL001]\npublic-routes = []\n",
            "`public-routes` is also set as `rules.FL001.public-routes`: keep one",
        ),
        ("[tool.fastlint.rules.FL0001]\n", "unknown rule `FL0001` (did you mean `FL001`"),
        ("[tool.fastlint.rules]\nFL001 = 3\n", "`rules.FL001` must be a table"),
        ("publik-routes = []\n", "did you mean `public-routes`"),
    ],
)
def test_bad_rule_options_are_exit_2(tmp_path: Path, settings: str, message: str) -> None:
    result = runner.invoke(app, ["check", str(project(tmp_path, settings) / "app")])
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output


def test_settings_show_every_rules_options(tmp_path: Path) -> None:
    root = project(tmp_path, "[tool.fastlint.rules.FL004]\ncheck-list-items = false\n")
    result = runner.invoke(app, ["config", str(root / "app")])
    assert result.exit_code == 0
    assert "rules.FL004.check-list-items = false" in result.output
    assert "rules.FL001.public-routes = []" in result.output


def test_generic_reading_converts_and_refuses() -> None:
    @dataclasses.dataclass(frozen=True)
    class Example:
        names: tuple[str, ...] = ()
        limit: int = 3
        ratio: float = 0.5
        label: str = ""
        on: bool = True

    values = rule_options.read(
        Example,
        {"names": ["a"], "limit": 4, "ratio": 1, "label": "x", "on": False},
        "rule FL999",
        "rules.FL999.",
    )
    assert Example(**values) == Example(("a",), 4, 1.0, "x", False)
    for key, value in [("limit", True), ("limit", 1.5), ("ratio", "1"), ("label", 3), ("on", 1)]:
        with pytest.raises(ValueError, match=f"`rules.FL999.{key}` must be"):
            rule_options.read(Example, {key: value}, "rule FL999", "rules.FL999.")

    @dataclasses.dataclass(frozen=True)
    class Unsupported:
        table: dict[str, str] = dataclasses.field(default_factory=dict)

    with pytest.raises(TypeError, match="unsupported option type"):
        rule_options.option_types(Unsupported)
