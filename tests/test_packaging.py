"""The wheel ships every rule: packages are found, not listed, and rules/ is fastlint.rules."""

from __future__ import annotations

import runpy
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from fastlint.registry import ALL_RULES

REPOSITORY = Path(__file__).resolve().parents[1]
SOURCES = ("pyproject.toml", "setup.py", "README.md", "LICENSE", "fastlint", "rules")


def packages() -> list[str]:
    found: list[str] = runpy.run_path(str(REPOSITORY / "setup.py"), run_name="setup")["packages"]()
    return found


def test_every_rule_module_is_in_a_package_the_build_ships() -> None:
    shipped = set(packages())
    assert "fastlint.rules" in shipped and not any(p.startswith("rules") for p in shipped)
    for rule in ALL_RULES:
        assert rule.__module__.startswith("fastlint.rules.")
        assert rule.__module__.rsplit(".", 1)[0] in shipped, rule.__module__


def test_every_folder_of_rules_is_a_package() -> None:
    """A folder of rules without `__init__.py` would import in a checkout and be left out."""
    shipped = set(packages())
    for folder in (REPOSITORY / "rules").rglob("*"):
        if folder.is_dir() and any(folder.glob("*.py")):
            name = ".".join(("fastlint.rules", *folder.relative_to(REPOSITORY / "rules").parts))
            assert name in shipped, f"{folder} has no __init__.py: the wheel would lack it"


@pytest.mark.slow
def test_the_built_wheel_holds_every_registered_rule(tmp_path: Path) -> None:
    source = tmp_path / "source"
    source.mkdir()
    for name in SOURCES:
        path = REPOSITORY / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(path, source / name)
    build = ["wheel", "--quiet", "--no-deps", "--no-build-isolation", "--no-index"]
    subprocess.run(
        [sys.executable, "-m", "pip", *build, "--wheel-dir", str(tmp_path / "dist"), str(source)],
        check=True,
        capture_output=True,
    )
    (wheel,) = (tmp_path / "dist").glob("fastlint-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for rule in ALL_RULES:
        assert f"{rule.__module__.replace('.', '/')}.py" in names, rule.__module__
    assert "fastlint/py.typed" in names and "fastlint/demo/insecure/main.py" in names
    assert not any(name.startswith(("rules/", "tests/")) for name in names)
