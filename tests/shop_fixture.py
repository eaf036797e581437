"""The `_injection` fixture: a shop whose routes (api/routes/*) pass request values
through dependencies and helpers to services (services/*) that fetch URLs,
redirect, read files, run SQL and run commands. Tests lint it and import it."""

from __future__ import annotations

import importlib
import sys
from collections import Counter
from functools import cache
from pathlib import Path
from types import ModuleType

import pytest
from paths import FIXTURES

from fastlint.engine import Report
from fastlint.testing import actual, expectations, lint_fixture

PROJECT = FIXTURES / "_injection"
FLOW_RULES = ("FL020", "FL021", "FL022", "FL023", "FL030")


@cache
def report() -> Report:
    return lint_fixture(PROJECT)


def reported(code: str) -> Counter[tuple[str, int, str]]:
    return Counter({k: v for k, v in actual(report(), PROJECT).items() if k[2] == code})


def expected(code: str) -> Counter[tuple[str, int, str]]:
    return Counter({k: v for k, v in expectations(PROJECT).items() if k[2] == code})


def load_shop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, ModuleType]:
    """Import the shop for real, its files and database under `tmp_path`."""
    files = tmp_path / "files"
    files.mkdir()
    monkeypatch.setenv("SHOP_FILES", str(files))
    monkeypatch.setenv("SHOP_DB", str(tmp_path / "shop.db"))
    monkeypatch.syspath_prepend(str(PROJECT))
    for name in [m for m in sys.modules if m == "shop" or m.startswith("shop.")]:
        monkeypatch.delitem(sys.modules, name)
    names = ("main", "settings", "services.fetcher", "services.runner", "services.repo")
    return {name: importlib.import_module(f"shop.{name}") for name in names}
