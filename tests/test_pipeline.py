"""The pipeline's stages and the values it returns: what the CLI used to do after the
engine (suppression problems, the baseline) are options of `lint`; reporters are
pure functions of the report, the rules and their options."""

from __future__ import annotations

import ast
import itertools
import json
from pathlib import Path

import pytest

from fastlint import baseline
from fastlint.config import Settings
from fastlint.engine import lint
from fastlint.findings import Finding, Related, Severity
from fastlint.output import OutputFormat
from fastlint.pipeline import check
from fastlint.registry import ALL_RULES
from fastlint.report.options import ReportOptions
from fastlint.report.registry import REPORTERS
from fastlint.span import Span

PACKAGE = Path(__file__).resolve().parents[1] / "fastlint"

SOURCE = """\
from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI(openapi_url=None)  # fastlint: ignore[FL006] -- limited at the gateway


class Event(BaseModel):
    kind: str  # read-from-the-file
    body: str  # fastlint: ignore


@app.post("/hooks")
async def hook(event: Event):
    return {"ok": True}
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "main.py").write_text(SOURCE)
    (tmp_path / "extra.py").write_text("x = 1  # fastlint: ignore[FL003] -- old\n")
    return tmp_path


def imports(module: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


@pytest.mark.parametrize(
    "module",
    [*sorted((PACKAGE / "report").glob("*.py")), PACKAGE / "results.py", PACKAGE / "baseline.py"],
    ids=lambda p: p.name,
)
def test_results_and_reporters_never_import_the_pipeline(module: Path) -> None:
    forbidden = ("fastlint.engine", "fastlint.pipeline", "fastlint.registry", "fastlint.rules")
    found = {name for name in imports(module) if name.startswith(forbidden)}
    if module.name == "registry.py":  # the reporters' registry, not the rules'
        found = {n for n in found if not n.startswith("fastlint.registry")}
    assert not found, f"{module.name} imports {sorted(found)}"


def test_every_output_format_has_a_reporter() -> None:
    assert set(REPORTERS) == {f.value for f in OutputFormat}


def test_suppression_problems_are_reported_only_when_asked(project: Path) -> None:
    assert lint([project], jobs=1).suppression_problems == []
    bare = lint([project], jobs=1, suppression_problems={"bare"}).suppression_problems
    assert [(Path(p.path).name, p.line, p.kind) for p in bare] == [("main.py", 9, "bare")]
    both = lint([project], jobs=1, suppression_problems={"bare", "unused"})
    assert {(Path(p.path).name, p.kind) for p in both.suppression_problems} == {
        ("main.py", "bare"),
        ("extra.py", "unused"),
    }


def test_the_baseline_is_a_stage_of_the_run(project: Path) -> None:
    plain = lint([project], jobs=1, root=project)
    assert plain.findings
    accepted = project / "baseline.json"
    baseline.write(plain, accepted)
    again = lint([project], jobs=1, root=project, baseline=accepted)
    assert again.findings == [] and again.baselined == len(plain.findings)
    cached = lint([project], jobs=1, root=project, baseline=accepted, use_cache=True)
    cached = lint([project], jobs=1, root=project, baseline=accepted, use_cache=True)
    assert cached.findings == [] and cached.baselined == len(plain.findings)
    (project / "broken.json").write_text("{")
    with pytest.raises(baseline.BaselineError):
        lint([project], jobs=1, root=project, baseline=project / "broken.json")


@pytest.mark.parametrize("name", ["text", "sarif"])
def test_reporters_read_source_only_through_their_options(project: Path, name: str) -> None:
    report = lint([project], jobs=1, root=project)
    assert report.findings
    asked: list[str] = []

    def source(path: str) -> str:
        asked.append(path)
        return "\n".join(f"SHOWN {n}" for n in range(1, 40))

    rendered = REPORTERS[name](report, ALL_RULES, ReportOptions(source=source))
    assert asked and set(asked) <= {f.path for f in report.findings}
    assert "SHOWN" in rendered and "read-from-the-file" not in rendered


def test_presentation_choices_are_options(project: Path) -> None:
    report = lint([project], jobs=1, root=project)
    assert report.suppressed
    render = REPORTERS["json"]
    assert "suppressed" not in json.loads(render(report, ALL_RULES, ReportOptions()))
    listed = json.loads(render(report, ALL_RULES, ReportOptions(include_suppressed=True)))
    assert len(listed["suppressed"]) == len(report.suppressed)
    sarif = json.loads(REPORTERS["sarif"](report, ALL_RULES, ReportOptions(sarif_category="api")))
    assert sarif["runs"][0]["automationDetails"] == {"id": "api/"}


def test_findings_at_one_place_come_in_one_order() -> None:
    """Two apps serve one route: the findings differ only in the app they name. Their
    order must not depend on set iteration (string hashing differs per process)."""
    span = Span(3, 1, 3, 10)
    findings = [
        Finding(
            "FL001",
            "unauthenticated-route",
            Severity.HIGH,
            "/p/routes.py",
            span,
            "GET /x is reachable",
            "fix",
            "GET /x",
            "GET /x",
            (Related(app, Span(line, 1, line, 5), "served by this app"),),
        )
        for app, line in [("/p/main.py", 9), ("/p/admin.py", 4), ("/p/main.py", 2)]
    ]
    orders = {
        tuple(check.settle(order, Settings(), {"/p/routes.py"}))
        for order in itertools.permutations(findings)
    }
    assert len(orders) == 1
    (settled,) = orders
    assert [(f.related[0].path, f.related[0].span.line) for f in settled] == [
        ("/p/admin.py", 4),
        ("/p/main.py", 2),
        ("/p/main.py", 9),
    ]


def test_modules_loaded_with_import_module_are_imports() -> None:
    """A pre-commit run naming a plugin finds the module that loads it by name:
    a constant, a loop over a module-level list, an f-string of a package."""
    from fastlint.prefilter import ANY_MODULE, import_requests
    from fastlint.source import analyse_source

    source = b"""\
import importlib
from importlib import import_module

EXTRAS = ["app.extras.status"]
PLUGINS = ("metrics",)


def load(app):
    import_module("app.admin")
    for name in EXTRAS:
        app.include_router(import_module(name).router)
    for name in PLUGINS:
        importlib.import_module(f"app.plugins.{name}").plugin.register(app)
"""
    facts = analyse_source("main.py", source)
    requests = set(import_requests(facts))  # type: ignore[arg-type]
    assert {
        ("app.admin", 0, None),
        ("app.extras.status", 0, None),
        ("app.plugins", 0, ANY_MODULE),
    } <= requests
