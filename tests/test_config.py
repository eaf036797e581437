"""`[tool.fastlint]`: discovery, every key, CLI overrides, and clear errors."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fastlint.cli import app

runner = CliRunner()

APP = """\
from fastapi import Depends, FastAPI
from pydantic import BaseModel

from myauth import verify_signature

app = FastAPI(openapi_url=None)


class Hook(BaseModel):
    event: str
    tags: list[str]
    webhook_token: str


class Account(BaseModel):
    name: str
    webhook_token: str


@app.get("/health", response_model=None)
async def health():
    return None


@app.post("/hooks", response_model=Account, dependencies=[Depends(verify_signature)])
async def hook(body: Hook):
    ...


@app.get("/accounts/{account_id}", response_model=Account)
async def account(account_id: int):
    ...
"""


def project(tmp_path: Path, settings: str = "") -> Path:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "main.py").write_text(APP)
    (tmp_path / "app" / "myauth.py").write_text("def verify_signature():\n    return True\n")
    (tmp_path / "pyproject.toml").write_text(
        "[project]\nname = 'x'\n\n[tool.fastlint]\n" + textwrap.dedent(settings)
    )
    return tmp_path


def codes(tmp_path: Path, *args: str) -> list[str]:
    result = runner.invoke(app, ["check", str(tmp_path / "app"), "-f", "json", *args])
    assert result.exit_code in (0, 1), result.output
    data = json.loads(result.output)
    return sorted(f"{f['rule']} {f['subject']}" for f in data["findings"])


BASE = [
    "FL001 GET /accounts/{account_id}",
    "FL001 GET /health",
    "FL001 POST /hooks",
    "FL004 Hook.event",
    "FL004 Hook.tags",
    "FL004 Hook.webhook_token",
    "FL006 app app",
]


def test_defaults(tmp_path: Path) -> None:
    assert codes(project(tmp_path)) == BASE


def test_public_routes_auth_dependencies_and_fields(tmp_path: Path) -> None:
    found = codes(
        project(
            tmp_path,
            """
            public-routes = ["GET /health*"]
            auth-dependencies = ["app.myauth.verify_signature"]
            extend-sensitive-fields = ["*_token"]

            [tool.fastlint.rules.FL004]
            check-list-items = false
            """,
        )
    )
    assert found == [
        "FL001 GET /accounts/{account_id}",
        "FL003 GET /accounts/{account_id} Account.webhook_token",
        "FL003 POST /hooks Account.webhook_token",
        "FL004 Hook.event",
        "FL004 Hook.webhook_token",
        "FL006 app app",
    ]


def test_rate_limiters_and_sensitive_fields_replaced(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        """
        select = ["FL003", "FL006"]
        rate-limiters = ["limits.Guard"]
        sensitive-fields = ["name"]
        """,
    )
    main = root / "app" / "main.py"
    main.write_text(
        main.read_text().replace(
            "app = FastAPI(openapi_url=None)",
            "from limits import Guard\n\n"
            "app = FastAPI(openapi_url=None)\napp.add_middleware(Guard)",
        )
    )
    (root / "app" / "limits.py").write_text("class Guard:\n    pass\n")
    assert codes(root) == [
        "FL003 GET /accounts/{account_id} Account.name",
        "FL003 POST /hooks Account.name",
    ]


def test_select_ignore_severity_and_per_file_ignores(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        """
        select = ["FL001", "FL004"]
        ignore = ["FL004"]
        extend-select = ["FL006"]
        severity = { FL006 = "low" }
        per-file-ignores = { "app/main.py" = ["FL001"] }
        """,
    )
    assert codes(root) == ["FL006 app app"]
    result = runner.invoke(app, ["check", str(root / "app"), "-f", "json"])
    assert json.loads(result.output)["findings"][0]["severity"] == "low"
    # Command-line flags win over the file. As in ruff (checked with ruff 0.17.6:
    # `ruff check --select E712` ignores the file's `extend-select` and `ignore`),
    # a `--select` starts the selection afresh: the file's modifiers no longer apply.
    assert codes(root, "--select", "FL004", "--ignore", "") == [
        "FL004 Hook.event",
        "FL004 Hook.tags",
        "FL004 Hook.webhook_token",
    ]
    assert codes(root, "--select", "FL004") == codes(root, "--select", "FL004", "--ignore", "")


def test_exclude_and_force_exclude(tmp_path: Path) -> None:
    root = project(tmp_path, 'extend-exclude = ["app/main.py"]\n')
    assert runner.invoke(app, ["check", str(root / "app")]).exit_code == 0  # main.py skipped
    named = str(root / "app" / "main.py")
    assert runner.invoke(app, ["check", named]).exit_code == 1  # named files are scanned
    forced = runner.invoke(app, ["check", named, "--force-exclude"])
    assert forced.exit_code == 0 and "excluded by configuration" in forced.output


def test_isolated_and_explicit_config(tmp_path: Path) -> None:
    root = project(tmp_path, 'select = ["FL006"]\n')
    assert codes(root) == ["FL006 app app"]
    assert codes(root, "--isolated") == BASE
    other = tmp_path / "other.toml"
    other.write_text('select = ["FL004"]\nignore = []\n')
    assert all(c.startswith("FL004") for c in codes(root, "--config", str(other)))


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ("select = [\n", "invalid TOML"),
        ("selct = ['FL001']\n", "did you mean `select`"),
        ("select = ['FL0001']\n", "unknown rule `FL0001` (did you mean `FL001`"),
        ("select = 'FL001'\n", "`select` must be a list of strings"),
        ("severity = { FL001 = 'urgent' }\n", "must be one of low, medium, high, critical"),
        ("[tool.fastlint.rules.FL004]\nmax = 3\n", "rule FL004 has no option `max`"),
    ],
)
def test_bad_configuration_is_exit_2(tmp_path: Path, settings: str, message: str) -> None:
    result = runner.invoke(app, ["check", str(project(tmp_path, settings) / "app")])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_invalid_toml_says_where(tmp_path: Path) -> None:
    settings = 'select = ["FL001" "FL002"]\n'
    result = runner.invoke(app, ["check", str(project(tmp_path, settings) / "app")])
    assert result.exit_code == 2 and "(at line 5, column" in result.output


def test_unknown_cli_rule_is_exit_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", str(project(tmp_path)), "--ignore", "FL404"])
    assert result.exit_code == 2 and "FL404" in result.output


def test_show_settings_and_config_command(tmp_path: Path) -> None:
    root = project(tmp_path, 'public-routes = ["GET /health"]\n')
    for args in (["config", str(root / "app")], ["check", str(root / "app"), "--show-settings"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0
        assert str(root / "pyproject.toml") in result.output
        assert 'public-routes = ["GET /health"]' in result.output


def test_rules_and_explain(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project(tmp_path, 'ignore = ["FL002"]\n'))
    result = runner.invoke(app, ["rules", "--format", "json"])
    rows = {r["code"]: r for r in json.loads(result.output)}
    assert rows["FL002"]["enabled"] is False and rows["FL001"]["enabled"] is True
    explained = runner.invoke(app, ["explain", "fl003"])
    assert explained.exit_code == 0
    assert "sensitive-field-in-response" in explained.output and "Use instead" in explained.output
    assert runner.invoke(app, ["explain", "FL999"]).exit_code == 2
