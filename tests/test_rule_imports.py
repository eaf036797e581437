"""Rules see the project only through the model API: `rules/` imports nothing of
fastlint but `fastlint.model.api`, `fastlint.findings` and `fastlint.rule` (so
never the per-file facts, libcst or the resolver), besides the standard library."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

RULES = Path(__file__).resolve().parents[1] / "rules"
ALLOWED = frozenset({"fastlint.model.api", "fastlint.findings", "fastlint.rule"})
# Analyses (`fastlint.analysis.*`) are read with `project.get(...)`.
ALLOWED_PREFIXES = ("fastlint.analysis.",)


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
            if base in ("fastlint", "fastlint.model"):  # `from fastlint.model import api`
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
            if module in ALLOWED or module.startswith(ALLOWED_PREFIXES):
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
