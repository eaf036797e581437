"""Shared test helpers: expectations written in fixtures as `# expect: FL001 FL003`."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from fastlint.engine import Report, lint

FIXTURES = Path(__file__).parent / "fixtures"
DATA = Path(__file__).parent / "data"  # third-party test data, see data/README.md
EXPECT = re.compile(r"#\s*expect:\s*((?:FL\d{3}\s*)+)")

Expected = Counter[tuple[str, int, str]]


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
    base = root.parent if root.is_file() else root
    return Counter(
        (Path(f.path).relative_to(base.resolve()).as_posix(), f.span.line, f.rule)
        for f in report.findings
    )


def lint_fixture(root: Path, **kwargs: object) -> Report:
    return lint([root], jobs=1, root=root, **kwargs)  # type: ignore[arg-type]


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


def cli_runner() -> CliRunner:
    """A runner that keeps stderr apart from stdout, on every supported click:
    click 8.2 always does, older versions only when asked (`mix_stderr=False`)."""
    try:
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    except TypeError:
        return CliRunner()


def served(
    routes: Iterable[Any], prefix: str = "", host: str = ""
) -> Iterator[tuple[str, str, str]]:
    """(method, full path, host) of every route the running app serves, read from
    Starlette's own route objects (and FastAPI's lazily included routers, when the
    installed FastAPI has them)."""
    from starlette.routing import Host, Mount  # only the runtime tests need starlette

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
