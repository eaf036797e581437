"""Which file an import names."""

from __future__ import annotations

from fastlint.model.index import ModuleIndex

PATHS = [
    "/repo/app/__init__.py",
    "/repo/app/main.py",
    "/repo/app/api/deps.py",
    "/repo/vendor/tool/__init__.py",
    "/repo/vendor/tool/logging/__init__.py",
    "/repo/vendor/tool/json.py",
    "/repo/settings.py",
]


def test_imports_resolve_by_any_path_suffix() -> None:
    index = ModuleIndex.for_paths(PATHS)
    assert index.find("app.api.deps", "/repo/app/main.py") == "/repo/app/api/deps.py"
    assert index.find("api.deps", "/repo/app/main.py") == "/repo/app/api/deps.py"
    assert index.find("settings", "/repo/app/main.py") == "/repo/settings.py"
    assert (
        index.find("tool.logging", "/repo/app/main.py") == "/repo/vendor/tool/logging/__init__.py"
    )


def test_standard_library_names_are_not_nested_subpackages() -> None:
    index = ModuleIndex.for_paths(PATHS)
    assert index.find("logging", "/repo/app/main.py") is None
    assert index.find("json", "/repo/vendor/tool/__init__.py") is None
    assert not index.is_package("logging", "/repo/app/main.py")
    assert index.is_package("tool.logging", "/repo/app/main.py")


def test_a_name_inside_a_package_is_that_file_only_from_within_the_package() -> None:
    index = ModuleIndex.for_paths([*PATHS, "/repo/vendor/tool/jwt.py", "/repo/vendor/tool/cli.py"])
    assert index.find("jwt", "/repo/app/main.py") is None  # the PyJWT library
    assert index.find("jwt", "/repo/vendor/tool/cli.py") == "/repo/vendor/tool/jwt.py"
    # A project whose top folder is a package still resolves its own imports.
    assert index.find("api.deps", "/repo/app/main.py") == "/repo/app/api/deps.py"
