"""Rules see the project only through the model API and the analyses: `rules/`
imports nothing of fastlint but `fastlint.model.api`, `fastlint.analysis` (and its
modules), the library data of `fastlint.knowledge`, `fastlint.findings` and
`fastlint.rule` (so never the per-file facts, libcst or the resolver), besides the
standard library."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

RULES = Path(__file__).resolve().parents[1] / "rules"
ALLOWED = frozenset(
    {"fastlint.model.api", "fastlint.analysis", "fastlint.findings", "fastlint.rule"}
)
ANALYSES = ("fastlint.analysis.", "fastlint.knowledge.")


def forbidden_imports(source: str) -> list[str]:
    """The modules a rule module imports that it must not (empty: all allowed)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        modules: list[str] = []
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # within rules/ (the registry importing its rules)
                continue
            base = node.module or ""
            modules = [base]
            if base in ("fastlint", "fastlint.model", "fastlint.analysis", "fastlint.knowledge"):
                modules = [f"{base}.{alias.name}" for alias in node.names]
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, (ast.Name, ast.Attribute))
            and (node.func.id if isinstance(node.func, ast.Name) else node.func.attr)
            in ("__import__", "import_module")
        ):
            found.append("a dynamic import")
        for module in modules:
            top = module.split(".")[0]
            if module in ALLOWED or module.startswith(ANALYSES):
                continue
            if top in sys.stdlib_module_names and top != "importlib":
                continue
            found.append(module)
    return found


@pytest.mark.parametrize(
    "path", sorted(RULES.rglob("*.py")), ids=lambda p: p.relative_to(RULES).as_posix()
)
def test_a_rule_imports_only_the_model_api(path: Path) -> None:
    assert forbidden_imports(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "source",
    [
        "from fastlint.facts.expr import Const\n",
        "import fastlint.facts.types\n",
        "import libcst as cst\n",
        "from libcst import Name\n",
        "from fastlint.model.resolve import Resolver\n",
        "from fastlint.model import resolve\n",
        "from fastlint.model.project import Project\n",
        "from fastlint import facts\n",
        "def check():\n    from fastlint.model.resolve import Resolver\n",
        "import importlib\n\nimportlib.import_module('fastlint.facts.expr')\n",
        "__import__('libcst')\n",
    ],
)
def test_a_forbidden_import_is_caught(source: str) -> None:
    assert forbidden_imports(source)


@pytest.mark.parametrize(
    "source",
    [
        "from fastlint.model.api import Project, known\n",
        "from fastlint.analysis.tokens import Tokens\n",
        "from fastlint.analysis import ratelimit\n",
        "from fastlint.knowledge import jwt_sessions\n",
        "from fastlint.model import api\n",
        "import fastlint.model.api\n",
        "from fastlint.findings import Finding\nfrom fastlint.rule import Rule\n",
        "import re\nfrom collections.abc import Iterator\n",
        "from .auth.unauthenticated_route import UnauthenticatedRoute\n",
        # an example in a docstring is text, not an import
        'EXAMPLE = """\\nfrom fastlint.facts.expr import Const\\nimport libcst\\n"""\n',
    ],
)
def test_an_allowed_import_passes(source: str) -> None:
    assert forbidden_imports(source) == []


def test_the_platform_test_rule_imports_only_the_model_api() -> None:
    """The test-only rule is written as a contributor would write a rule."""
    path = Path(__file__).parent / "extra_rules" / "cors_credentials_any_origin.py"
    assert forbidden_imports(path.read_text(encoding="utf-8")) == []


# -- the door hands out values, not syntax ---------------------------------------------

INVENTORY = Path(__file__).resolve().parents[1] / "fastlint" / "inventory.py"
# The route inventory's authentication part still reads syntax; the authentication
# issue (#19) replaces it with the structured verdict, and these names go with it.
INVENTORY_AUTH_PART = frozenset(
    {"_auth_sources", "_dependency_name", "_param_calls", "_calls_in", "_item_line"}
)
SYNTAX_MODULES = ("fastlint.facts", "libcst")


def syntax_class_names() -> frozenset[str]:
    """The classes the per-file facts describe syntax with (`Call`, `Const`...)."""
    import inspect

    from fastlint.facts import expr

    return frozenset(
        name
        for name, obj in vars(expr).items()
        if inspect.isclass(obj) and obj.__module__ == expr.__name__
    )


def syntax_tests(tree: ast.AST, skip: frozenset[str] = frozenset()) -> list[str]:
    """`isinstance(x, Call)`-like tests against a syntax class, outside `skip`ped
    top-level functions: `name:line` of each."""
    names = syntax_class_names()
    found = []
    for top in ast.iter_child_nodes(tree):
        if isinstance(top, ast.FunctionDef) and top.name in skip:
            continue
        for node in ast.walk(top):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("isinstance", "issubclass")
                and len(node.args) == 2
            ):
                continue
            for part in ast.walk(node.args[1]):
                name = part.id if isinstance(part, ast.Name) else getattr(part, "attr", None)
                if name in names:
                    found.append(f"{name}:{node.lineno}")
    return found


@pytest.mark.parametrize(
    "path", sorted(RULES.rglob("*.py")), ids=lambda p: p.relative_to(RULES).as_posix()
)
def test_a_rule_tests_no_syntax_class(path: Path) -> None:
    assert syntax_tests(ast.parse(path.read_text(encoding="utf-8"))) == []


def test_a_syntax_test_is_caught() -> None:
    source = "def f(x, api):\n    return isinstance(x, (api.Const, Name)) or isinstance(x, Call)\n"
    assert syntax_tests(ast.parse(source)) == ["Const:2", "Name:2", "Call:2"]
    assert syntax_tests(ast.parse("isinstance(x, (str, Route))\n")) == []


def test_the_door_exports_no_syntax() -> None:
    """`fastlint.model.api` and the analyses hand out values: no syntax class, and no
    helper of the per-file facts (`dotted`, `last_name`)."""
    import importlib
    import pkgutil

    import fastlint.analysis
    from fastlint.model import api

    modules = [api] + [
        importlib.import_module(f"fastlint.analysis.{m.name}")
        for m in pkgutil.iter_modules(fastlint.analysis.__path__)
    ]
    leaked = []
    for module in modules:
        assert hasattr(module, "__all__"), f"{module.__name__} names what it hands out"
        for name in module.__all__:
            origin = getattr(getattr(module, name), "__module__", None) or ""
            if origin.startswith(SYNTAX_MODULES):
                leaked.append(f"{module.__name__}.{name}")
    assert leaked == []


def test_the_inventory_reads_no_syntax_outside_its_authentication_part() -> None:
    """The `routes` command goes through the door: what it imports from the facts,
    libcst or the resolver serves only the authentication part #19 replaces."""
    tree = ast.parse(INVENTORY.read_text(encoding="utf-8"))
    assert syntax_tests(tree, skip=INVENTORY_AUTH_PART) == []
    imported = {
        alias.asname or alias.name
        for node in tree.body
        if isinstance(node, ast.ImportFrom)
        and (node.module or "").startswith(("fastlint.facts", "libcst", "fastlint.model.resolve"))
        for alias in node.names
    }
    used_outside = {
        node.id
        for top in tree.body
        if not (
            isinstance(top, (ast.FunctionDef, ast.ImportFrom))
            and getattr(top, "name", "") in INVENTORY_AUTH_PART
        )
        and not isinstance(top, ast.ImportFrom)
        for node in ast.walk(top)
        if isinstance(node, ast.Name)
    }
    assert imported & used_outside == set()


def test_a_rule_declares_the_analyses_it_reads() -> None:
    """`project.get(X)` in a rule's module means `X` is in the rule's `requires` (the
    engine computes what is declared before the rule runs), and what is declared is
    read."""
    import inspect

    from fastlint.rules import ALL_RULES

    for rule in ALL_RULES:
        modules = {k.__module__ for k in rule.__mro__ if k.__module__.startswith("fastlint.rules")}
        trees = [ast.parse(inspect.getsource(sys.modules[m])) for m in sorted(modules)]
        read = {
            node.args[0].id
            for tree in trees  # the rule's module and those of its bases (a family's)
            for node in ast.walk(tree)
            if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "get"
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "project"
            and node.args
            and isinstance(node.args[0], ast.Name)
        }
        assert read == {a.__name__ for a in rule.requires}, rule.code
