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


def test_a_top_level_module_wins_over_a_namesake_inside_a_package() -> None:
    """Python 3 has no implicit relative imports: `from auth import x` in
    `routers/keys.py` is the top-level `auth.py` when the server runs from its folder."""
    paths = ["/srv/main.py", "/srv/auth.py", "/srv/routers/__init__.py", "/srv/routers/auth.py"]
    paths.append("/srv/routers/keys.py")
    index = ModuleIndex.for_paths(paths)
    assert index.find("auth", "/srv/routers/keys.py") == "/srv/auth.py"
    assert index.find("routers.auth", "/srv/main.py") == "/srv/routers/auth.py"
    # Alone, the package's module is still found from within (its folder may be the root).
    alone = ModuleIndex.for_paths([p for p in paths if p != "/srv/auth.py"] + [paths[-1]])
    assert alone.find("auth", "/srv/routers/keys.py") == "/srv/routers/auth.py"
