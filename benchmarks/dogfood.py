"""Run fastlint on a folder of real apps and print one Markdown table row per app.

    python benchmarks/dogfood.py /work/dogfood/src [--repeat 3] [--only a,b]
        [--reports DIR] [--fastlint "python -m fastlint"]

Each app is a sub-folder of the given folder. In it, fastlint runs as a new user
would run it (`check . --no-cache --isolated -f json --exit-zero`), `--repeat`
times; the table shows:

- files: the files fastlint scanned (its JSON summary);
- seconds: the median wall time of the runs; cpu: the median CPU seconds (user +
  system, worker processes included), steadier than wall time on a busy machine;
- findings per rule id;
- routes found / served / not checked: the JSON report's `coverage` (routes in
  the scanned files, those served by an app fastlint sees, those it reports as
  served by no app it could see);
- decorators: route registrations in the source, counted here, independently of
  fastlint, with `ast` (docstrings and comments cannot match): decorators
  `@<x>.<method>(...)` with a path argument (methods: HTTP verbs, `api_route`,
  `websocket`, Starlette's `route` and `websocket_route`), the call form
  `<x>.<method>(path)(handler)`, `<x>.add_api_route(...)`/`add_route(...)` and
  their websocket twins (except in a router subclass's own `api_route`/
  `add_api_route`, which only forward), and route objects with a literal path
  (`Route("/x", endpoint)`, `APIRoute(...)`, `WebSocketRoute(...)`);
- covered: (served + not checked) / decorators, the share of the source's routes
  fastlint either checked or said it could not check (issue #10's target: 95%).

`--reports DIR` keeps each app's JSON report as DIR/<app>.json. Not part of the
test suite (it needs the apps and minutes of CPU); `--fastlint` runs another
fastlint (a command line, split on spaces) to compare two versions.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import resource
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

# Folders a scan never enters (fastlint's default excludes, kept separately here).
SKIPPED_DIRS = frozenset(
    {".git", ".hg", ".svn", ".venv", "venv", "env", "node_modules", "build", "dist"}
    | {"__pycache__", ".tox", ".nox", ".mypy_cache", ".ruff_cache", ".pytest_cache"}
)
ROUTE_METHODS = frozenset(
    {"get", "post", "put", "patch", "delete", "head", "options", "trace", "api_route", "websocket"}
    | {"route", "websocket_route"}  # Starlette's, on routers and (before 1.0) apps
)
ADD_ROUTE_METHODS = frozenset(
    {"add_api_route", "add_api_websocket_route", "add_route", "add_websocket_route"}
)
# Route objects (`routes=[Route("/x", endpoint)]`, `router.routes.append(APIRoute(...))`).
ROUTE_CLASSES = frozenset({"APIRoute", "APIWebSocketRoute", "Route", "WebSocketRoute"})


@dataclass
class AppRow:
    app: str
    files: int = 0
    seconds: float = 0.0
    cpu: float = 0.0
    findings: Counter[str] = field(default_factory=Counter)
    routes: int = 0
    served: int = 0
    not_checked: int = 0
    decorators: int = 0
    error: str = ""

    @property
    def covered(self) -> float | None:
        if not self.decorators:
            return None
        return (self.served + self.not_checked) / self.decorators


def python_files(root: Path) -> Iterator[Path]:
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS)
        for name in sorted(files):
            if name.endswith(".py"):
                yield Path(folder) / name


def count_registrations(source: bytes) -> int:
    """Route decorators and registration calls in one file (0 if it does not parse).

    Inside a method that overrides a registration method (a router subclass's
    `api_route` or `add_api_route` calling `super().add_api_route(...)`), the call is
    the router's plumbing, not a route."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return 0
    count = 0
    todo: list[tuple[ast.AST, str]] = [(tree, "")]
    while todo:
        node, function = todo.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            count += sum(1 for d in node.decorator_list if _route_call(d))
            if node.name in ROUTE_METHODS | ADD_ROUTE_METHODS:
                function = node.name
        elif isinstance(node, ast.Call):
            if isinstance(node.func, ast.Call) and _route_call(node.func) and len(node.args) == 1:
                count += 1  # router.get("/x")(handler)
            elif (
                isinstance(node.func, ast.Attribute)
                and node.func.attr in ADD_ROUTE_METHODS
                and not function
            ) or _route_object(node):
                count += 1
        todo.extend((child, function) for child in ast.iter_child_nodes(node))
    return count


def _route_call(node: ast.expr) -> bool:
    """`<x>.<method>(path, ...)`: a path as first argument or `path=`."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ROUTE_METHODS
        and (bool(node.args) or any(k.arg == "path" for k in node.keywords))
    )


def _route_object(node: ast.Call) -> bool:
    """`Route("/x", endpoint)`, `APIRoute(path="/x", ...)`: a route object with a
    literal path."""
    func = node.func
    name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
    if name not in ROUTE_CLASSES:
        return False
    path = (
        node.args[0]
        if node.args
        else next((k.value for k in node.keywords if k.arg == "path"), None)
    )
    return isinstance(path, ast.Constant) and isinstance(path.value, str)


def count_app(root: Path) -> int:
    return sum(count_registrations(path.read_bytes()) for path in python_files(root))


def run_fastlint(command: Sequence[str], app: Path, report: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one run; its JSON report is written to `report`."""
    args = [*command, "check", ".", "--no-cache", "--isolated", "-f", "json"]
    args += ["-o", str(report), "--exit-zero", "-q"]
    before = _children_cpu()
    start = time.perf_counter()
    done = subprocess.run(args, cwd=app, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"exit {done.returncode}: {done.stderr.strip()[-300:]}")
    return seconds, _children_cpu() - before


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(command: Sequence[str], app: Path, repeat: int, reports: Path | None) -> AppRow:
    row = AppRow(app.name, decorators=count_app(app))
    with tempfile.TemporaryDirectory() as scratch:
        report = (reports or Path(scratch)) / f"{app.name}.json"
        try:
            runs = [run_fastlint(command, app, report) for _ in range(repeat)]
        except RuntimeError as exc:
            row.error = str(exc)
            return row
        data = json.loads(report.read_text())
    row.seconds = statistics.median(wall for wall, _ in runs)
    row.cpu = statistics.median(cpu for _, cpu in runs)
    row.files = data["summary"]["files_scanned"]
    row.findings = Counter(f["rule"] for f in data["findings"])
    coverage = data.get("coverage") or {}
    row.routes = coverage.get("routes", 0)
    row.served = coverage.get("served", 0)
    row.not_checked = coverage.get("not_checked", 0)
    return row


def table(rows: Sequence[AppRow]) -> str:
    rules = sorted({rule for row in rows for rule in row.findings})
    head = ["app", "files", "seconds", "cpu", *rules, "routes found", "served", "not checked"]
    head += ["decorators", "covered"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in rows:
        if row.error:
            lines.append(f"| {row.app} | error: {row.error} |")
            continue
        covered = "-" if row.covered is None else f"{row.covered:.0%}"
        cells = [row.app, str(row.files), f"{row.seconds:.1f}", f"{row.cpu:.1f}"]
        cells += [str(row.findings.get(rule, 0)) for rule in rules]
        cells += [str(row.routes), str(row.served), str(row.not_checked)]
        cells += [str(row.decorators), covered]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("apps", type=Path, help="a folder holding one folder per app")
    parser.add_argument("--repeat", type=int, default=1, help="runs per app (median)")
    parser.add_argument("--only", default="", help="comma-separated app names")
    parser.add_argument("--reports", type=Path, help="keep the JSON reports here")
    parser.add_argument(
        "--fastlint", default=f"{shlex.quote(sys.executable)} -m fastlint", help="command"
    )
    options = parser.parse_args(argv)
    if options.repeat < 1:
        parser.error("--repeat must be at least 1")
    only = {name for name in options.only.split(",") if name}
    apps = sorted(p for p in options.apps.iterdir() if p.is_dir() and not p.name.startswith("."))
    apps = [p for p in apps if not only or p.name in only]
    if options.reports:
        options.reports.mkdir(parents=True, exist_ok=True)
    command = shlex.split(options.fastlint)
    rows = []
    for app in apps:
        rows.append(measure(command, app.resolve(), options.repeat, options.reports))
        print(f"{app.name}: done", file=sys.stderr)
    print(table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
