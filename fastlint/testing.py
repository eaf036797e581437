"""Testing fastlint and its rules: small projects built from sources, and findings
checked against `# expect: FL001 FL003` comments written on the lines they concern.

    from fastlint.testing import check_example, project_of

    project = project_of({"main.py": "from fastapi import FastAPI\\napp = FastAPI()\\n"})
    expected, found = check_example(MyRule, MyRule.invalid[0], tmp_path)
    assert found == expected

Two ways to build a project: `project_of` links sources in memory under a made-up
root (nothing is written); `project_in` writes them under a real folder and reads
the folder as `fastlint check` does (discovery, per-file facts, linking).
"""

from __future__ import annotations

import importlib
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from fastlint.config import Settings
from fastlint.discovery import Excludes, discover
from fastlint.engine import Report, lint
from fastlint.facts.types import ModuleFacts
from fastlint.findings import Finding
from fastlint.model.project import Project
from fastlint.source import analyse_file, analyse_source

if TYPE_CHECKING:
    import pytest
    from typer.testing import CliRunner

    from fastlint.model.literal import Literal
    from fastlint.rule import Example, Rule

# An expected finding: `# expect: FL001 FL003` at the end of the line it concerns.
EXPECT = re.compile(r"#\s*expect:\s*((?:FL\d{3}\s*)+)")

Expected = Counter[tuple[str, int, str]]  # (relative path, line, rule code): how many

ROOT = Path("/project")  # where `project_of` places its made-up files


# -- expectations --------------------------------------------------------------------


def expectations(root: Path) -> Expected:
    """(relative path, line, rule) for every `# expect:` comment under `root`."""
    found: Expected = Counter()
    files = [root] if root.is_file() else sorted(root.rglob("*.py"))
    base = root.parent if root.is_file() else root
    for file in files:
        for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
            match = EXPECT.search(line)
            if match:
                for code in match.group(1).split():
                    found[(file.relative_to(base).as_posix(), number, code)] += 1
    return found


def actual(report: Report, root: Path) -> Expected:
    """The report's findings in the shape of `expectations`."""
    base = root.parent if root.is_file() else root
    return Counter(
        (Path(f.path).relative_to(base.resolve()).as_posix(), f.span.line, f.rule)
        for f in report.findings
    )


# -- linting files on disk -----------------------------------------------------------


def write_files(root: Path, files: Mapping[str, str]) -> Path:
    """Write `files` ({relative path: source}, each dedented) under `root`."""
    for relative, source in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(source), encoding="utf-8")
    return root


def lint_fixture(root: Path, **kwargs: Any) -> Report:
    """Lint a folder (or one file) in this process, as `fastlint check` does."""
    return lint([root], jobs=1, root=root, **kwargs)


def lint_files(root: Path, files: Mapping[str, str], **kwargs: Any) -> Report:
    """Write `files` under `root`, then lint the folder."""
    return lint_fixture(write_files(root, files), **kwargs)


def findings_of(root: Path, files: Mapping[str, str], code: str, **kwargs: Any) -> list[Finding]:
    """One rule's findings on `files` written under `root`, by file and line."""
    report = lint_files(root, files, select=[code], **kwargs)
    return sorted(report.findings, key=lambda f: (f.path, f.span.line))


# -- building a model ----------------------------------------------------------------


def project_of(files: Mapping[str, str], root: Path = ROOT) -> Project:
    """A linked project of `{relative path: source}` under a made-up root (nothing is
    read or written)."""
    modules: dict[str, ModuleFacts] = {}
    for relative, text in files.items():
        path = str(root / relative)
        facts = analyse_source(path, textwrap.dedent(text).encode())
        assert isinstance(facts, ModuleFacts), facts
        modules[path] = facts
    return Project(modules, settings=Settings(root=root))


def project_in(root: Path, files: Mapping[str, str] | None = None) -> Project:
    """Write `files` under `root` (dedented), then read every Python file there into
    facts and link them, as `fastlint check` does."""
    write_files(root, files or {})
    modules: dict[str, ModuleFacts] = {}
    for path in discover([root], Excludes((), root)).files:
        facts = analyse_file(str(path))
        assert isinstance(facts, ModuleFacts), facts
        modules[facts.path] = facts
    return Project(modules, settings=Settings(root=root))


def path_of(relative: str) -> str:
    """The path `project_of` gives the file `relative`."""
    return str(ROOT / relative)


def literal_of(project: Project, relative: str, name: str) -> Literal:
    """The literal value of module-level name `name` as read in file `relative`."""
    from fastlint.facts.expr import Name
    from fastlint.model.values import Scoped

    ctx = project.resolver.module_ctx(path_of(relative))
    return project.literal(Scoped(Name(name), ctx))


# -- a rule's examples ---------------------------------------------------------------


def example_files(example: Example) -> dict[str, str]:
    """An example as files: a single source is `example.py`."""
    return {"example.py": example} if isinstance(example, str) else dict(example)


@contextmanager
def registered(*rules: type[Rule]) -> Iterator[None]:
    """Rules that are not shipped (a test's own), registered for the block: the one
    registry line a new rule needs, added for a while."""
    from fastlint import engine, registry

    # The engine holds its own reference to the registry's tuple.
    namespaces = (vars(registry), vars(engine))
    saved = [namespace["ALL_RULES"] for namespace in namespaces], dict(registry.RULES_BY_CODE)
    extra = tuple(r for r in rules if r not in registry.ALL_RULES)
    for namespace in namespaces:
        namespace["ALL_RULES"] = (*registry.ALL_RULES, *extra)
    registry.RULES_BY_CODE.update({r.code: r for r in extra})
    try:
        yield
    finally:
        for namespace, before in zip(namespaces, saved[0], strict=True):
            namespace["ALL_RULES"] = before
        registry.RULES_BY_CODE.clear()
        registry.RULES_BY_CODE.update(saved[1])


def check_example(rule: type[Rule], example: Example, root: Path) -> tuple[Expected, Expected]:
    """(expected, found): the example's `# expect:` lines and what `rule` reports on
    it, written under `root` and linted as `fastlint check` would."""
    write_files(root, example_files(example))
    with registered(rule):
        report = lint_fixture(root, select=[rule.code])
    found = Counter({k: n for k, n in actual(report, root).items() if k[2] == rule.code})
    return expectations(root), found


# -- the command line and SARIF ------------------------------------------------------


def cli_runner() -> CliRunner:
    """A runner that keeps stderr apart from stdout, on every supported click:
    click 8.2 always does, older versions only when asked (`mix_stderr=False`)."""
    from typer.testing import CliRunner

    try:
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg,unused-ignore]
    except TypeError:
        return CliRunner()


# Microsoft's SARIF Multitool, when installed (.ci/run installs it).
MULTITOOL = os.environ.get("SARIF_MULTITOOL") or shutil.which("Sarif.Multitool")


def multitool_problems(sarif_file: Path) -> list[dict[str, object]]:
    """Errors and warnings of Microsoft's SARIF Multitool with GitHub's ingestion rules.

    The tool exits 0 whatever it finds, so its output log is read instead."""
    assert MULTITOOL is not None
    log = sarif_file.with_suffix(".validation.sarif")
    subprocess.run(
        [MULTITOOL, "validate", "--rule-kind", "Sarif;Gh", "--output", str(log), str(sarif_file)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    results = json.loads(log.read_text())["runs"][0].get("results", [])
    return [r for r in results if r.get("level", "warning") in ("error", "warning")]


def served(
    routes: Iterable[Any], prefix: str = "", host: str = ""
) -> Iterator[tuple[str, str, str]]:
    """(method, full path, host) of every route a running app serves, read from
    Starlette's own route objects (and FastAPI's lazily included routers, when the
    installed FastAPI has them): the runtime truth fastlint's routes are checked by."""
    from starlette.routing import Host, Mount  # only runtime tests need starlette

    for route in routes:
        if isinstance(route, Mount):
            yield from served(route.routes, prefix + route.path, host)
        elif isinstance(route, Host):
            yield from served(route.routes, prefix, route.host)
        elif callable(getattr(route, "effective_candidates", None)):
            yield from served(route.effective_candidates(), prefix, host)
        else:
            route = getattr(route, "starlette_route", None) or route
            for method in getattr(route, "methods", None) or {"WEBSOCKET"}:
                if method != "HEAD":
                    yield method, prefix + route.path, host


def import_fixture(monkeypatch: pytest.MonkeyPatch, root: Path, module: str) -> ModuleType:
    """Import `module` (`shop.main`) of the fixture project at `root` for a runtime
    test: fresh (earlier imports of its package are dropped for this test only) and
    from `root` (put first on `sys.path` for this test only)."""
    package = module.split(".")[0]
    monkeypatch.syspath_prepend(str(root))
    for name in [m for m in sys.modules if m == package or m.startswith(f"{package}.")]:
        monkeypatch.delitem(sys.modules, name)
    return importlib.import_module(module)
