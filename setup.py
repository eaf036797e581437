"""The packages to build, found rather than listed: `fastlint` and its subpackages,
and the `rules/` folder (with every folder of rules in it) as `fastlint.rules`.

Everything else about the build is in pyproject.toml.
"""

from __future__ import annotations

from setuptools import find_packages, setup

RULES_FOLDER = "rules"
RULES_PACKAGE = "fastlint.rules"


def packages() -> list[str]:
    """Every package the wheel ships, under the name it is imported by."""
    own = find_packages(include=["fastlint", "fastlint.*"])
    rules = [f"{RULES_PACKAGE}.{name}" for name in find_packages(RULES_FOLDER)]
    return sorted({*own, RULES_PACKAGE, *rules})


if __name__ == "__main__":
    setup(packages=packages(), package_dir={RULES_PACKAGE: RULES_FOLDER})
