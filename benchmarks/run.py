"""Benchmark fastlint against bandit, and against the cost of parsing, on real code.

Times, side by side in one run and on the same files:

- fastlint cold: no cache;
- fastlint warm: cache filled, nothing changed;
- fastlint one file: one route file changed, cache warm, only that file named
  (what pre-commit does), with the whole project read for context;
- bandit -r -q, the peer;
- the floors: reading every file and parsing it with `ast.parse` (what bandit
  builds on) and with `libcst.parse_module` (what fastlint builds on), one process.

The corpus is either the pinned PyPI wheels below (their .py files, one project)
or, with `--app DIR` (repeatable), each folder as a project of its own, copied
first (its .py files) so that the cache and the one-file edit never touch it.

Each scenario is run `--runs` times, in rounds (every scenario once per round, so
that load on a shared machine falls on all of them alike). The table shows medians
of wall time and of CPU seconds (user + system of the timed process and of the
worker processes it waited for, as `wait4` reports them: the figure that holds
on a loaded machine), the peak RSS (the largest process of the tree), and both
ratios to bandit. The full run is manual (`python benchmarks/run.py`); `--smoke`
runs one small package once, to keep this script working in CI.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
WHEELS = [
    "litellm==1.110.2",
    "open-webui==0.12.4",
    "prefect==3.9.1",
    "langflow-base==1.13.0",
    "apache-airflow-core==3.3.2",
    "mlflow==3.18.0",
    "gradio==6.31.0",
    "chromadb==1.5.9",
    "khoj==1.42.10",
    "fastapi-users==15.0.5",
    "fastapi==0.165.0",
]
SMOKE_WHEELS = ["fastapi-users==15.0.5"]
ONE_FILE = "litellm/proxy/management_endpoints/key_management_endpoints.py"
SMOKE_ONE_FILE = "fastapi_users/router/auth.py"
# The route file edited in the one-file scenario of an `--app` folder, by folder name
# (apps not listed skip that scenario).
APP_ONE_FILE = {
    "litellm": ONE_FILE,
    "prefect": "prefect/server/api/flows.py",
    "open_webui": "open_webui/routers/chats.py",
    "khoj": "khoj/routers/api_chat.py",
    "fastapi_users": SMOKE_ONE_FILE,
}
# Read and parse every .py file below the folders named, as the floors of the table.
# On a thread with a large stack, as fastlint parses: deep code must not crash a floor.
FLOOR = """
import sys, threading
from pathlib import Path

def run():
    sys.setrecursionlimit(20_000)
    if sys.argv[1] == "ast":
        import ast
        parse = ast.parse
    else:
        import libcst
        parse = libcst.parse_module
    for folder in sys.argv[2:]:
        for path in sorted(Path(folder).rglob("*.py")):
            try:
                parse(path.read_bytes())
            except Exception:
                pass

threading.stack_size(512 * 1024 * 1024)
thread = threading.Thread(target=run)
thread.start()
thread.join()
"""


@dataclass
class Measurement:
    name: str
    files: int
    megabytes: float
    seconds: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    peak_rss_mb: float = 0.0

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def median_cpu(self) -> float:
        return statistics.median(self.cpu)


@dataclass
class Scenario:
    name: str
    command: list[str]
    folders: list[Path]
    before: list[str] | None = None


def build_corpus(wheels: list[str], cache: Path) -> Path:
    """Download the wheels (once) and keep their .py files, one folder per wheel."""
    wheel_dir, corpus = cache / "wheels", cache / "corpus"
    wheel_dir.mkdir(parents=True, exist_ok=True)
    for spec in wheels:
        name, version = spec.split("==")
        target = corpus / name
        if target.is_dir():
            continue
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--quiet",
                "--no-deps",
                "--only-binary",
                ":all:",
                spec,
                "-d",
                str(wheel_dir),
            ],
            check=True,
        )
        prefix = name.replace("-", "_").lower()
        wheel = next(
            w for w in wheel_dir.glob("*.whl") if w.name.lower().startswith(f"{prefix}-{version}")
        )
        with zipfile.ZipFile(wheel) as archive:
            for member in archive.namelist():
                if member.endswith(".py"):
                    archive.extract(member, target)
    return corpus


def copy_app(source: Path, cache: Path) -> Path:
    """The .py files of `source`, copied (once) to a project of their own."""
    target = cache / "apps" / source.resolve().name
    if not target.is_dir():
        partial = target.with_name(target.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        for file in source.rglob("*.py"):
            if file.is_file():
                copied = partial / file.relative_to(source)
                copied.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(file, copied)
        partial.rename(target)
    (target / "pyproject.toml").write_text(f"[project]\nname = '{target.name}'\n")
    return target


def corpus_size(folders: list[Path]) -> tuple[int, float]:
    files = [f for folder in folders for f in folder.rglob("*.py")]
    return len(files), sum(f.stat().st_size for f in files) / 1e6


def timed(command: list[str], cwd: Path) -> tuple[float, float, float]:
    """Wall time, CPU seconds (user + system, with the children it waited for) and
    peak RSS (MB, largest process of the tree) of one run."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{' '.join(command[:4])} failed with status {status}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def measure_rounds(
    scenarios: list[Scenario], cwd: Path, runs: int, between: Callable[[], None]
) -> list[Measurement]:
    """Every scenario once per round, `runs` rounds; `between` runs before each round."""
    rows = [Measurement(s.name, *corpus_size(s.folders)) for s in scenarios]
    for _ in range(runs):
        between()
        for scenario, row in zip(scenarios, rows, strict=True):
            if scenario.before:
                subprocess.run(scenario.before, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
            elapsed, cpu, rss = timed(scenario.command, cwd)
            row.seconds.append(elapsed)
            row.cpu.append(cpu)
            row.peak_rss_mb = max(row.peak_rss_mb, rss)
            print(
                f"{scenario.name}: {elapsed:.2f} s wall, {cpu:.2f} s CPU, {rss:.0f} MB",
                file=sys.stderr,
                flush=True,
            )
    return rows


def silent_flag(corpus: Path) -> str:
    """The flag that prints nothing: `--silent` (`--quiet` prints every finding since
    the CLI took ruff's habits); `--quiet` (summary only) on older versions, so that
    timings compare analysis, not the rendering of thousands of findings."""
    usage = subprocess.run(
        [sys.executable, "-m", "fastlint", "check", "--help"],
        cwd=corpus,  # where the timed runs start: the installed fastlint, not a checkout
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    return "--silent" if "--silent" in usage else "--quiet"


def touch_command(path: Path) -> list[str]:
    """Append a comment to `path`: a changed file, as an edit leaves it."""
    return [
        sys.executable,
        "-c",
        f"import pathlib, time; p = pathlib.Path({str(path)!r}); "
        "p.write_text(p.read_text() + f'# {time.time()}\\n')",
    ]


def bench_project(
    project: Path, targets: list[str], one_file: Path | None, runs: int, half: bool
) -> list[Measurement]:
    """Every scenario on `project` (a folder with a pyproject.toml); `targets` are the
    folders in it to scan."""
    folders = [project / t for t in targets]
    fastlint = [sys.executable, "-m", "fastlint", "check", silent_flag(project), "--exit-zero"]
    clean = [sys.executable, "-m", "fastlint", "clean", str(project)]
    scenarios = [Scenario("fastlint cold (no cache)", [*fastlint, "--no-cache", *targets], folders)]
    scenarios.append(Scenario("fastlint warm (nothing changed)", [*fastlint, *targets], folders))
    if one_file is not None:
        scenarios.append(
            Scenario(
                "fastlint one changed file (warm)",
                [*fastlint, str(one_file)],
                [one_file.parent],
                before=touch_command(one_file),
            )
        )
    if half:
        first = folders[: len(folders) // 2]
        scenarios.append(
            Scenario(
                "fastlint cold, first half of the corpus",
                [*fastlint, "--no-cache", *map(str, first)],
                first,
            )
        )
    bandit = shutil.which("bandit", path=str(Path(sys.executable).parent)) or shutil.which("bandit")
    if bandit:
        scenarios.append(Scenario("bandit -r -q", [bandit, "-r", "-q", *targets], folders))
    scenarios.append(
        Scenario("floor: read + ast.parse", [sys.executable, "-c", FLOOR, "ast", *targets], folders)
    )
    scenarios.append(
        Scenario(
            "floor: read + libcst.parse_module",
            [sys.executable, "-c", FLOOR, "libcst", *targets],
            folders,
        )
    )

    def fill_cache() -> None:
        """Bring the cache up to date (the last round's one-file edit included), so that
        the warm run of every round finds nothing changed."""
        subprocess.run([*fastlint, *targets], cwd=project, check=False, stdout=subprocess.DEVNULL)

    subprocess.run(clean, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        return measure_rounds(scenarios, project, runs, fill_cache)
    finally:
        subprocess.run(clean, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="one small package, one run")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cache", type=Path, default=HERE / ".cache")
    parser.add_argument("--output", type=Path, default=HERE / "results.md")
    parser.add_argument(
        "--app",
        type=Path,
        action="append",
        default=[],
        help="benchmark this folder as a project of its own (repeatable), not the wheels",
    )
    args = parser.parse_args()
    runs = 1 if args.smoke else args.runs
    sections: list[tuple[str, list[Measurement]]] = []
    if args.app:
        for source in args.app:
            project = copy_app(source, args.cache)
            targets = sorted(p.name for p in project.iterdir() if p.is_dir())
            relative = APP_ONE_FILE.get(project.name)
            one = project / relative if relative and (project / relative).is_file() else None
            rows = bench_project(project, targets, one, runs, half=False)
            sections.append((project.name, rows))
            print(render_rows(project.name, rows), flush=True)
    else:
        wheels = SMOKE_WHEELS if args.smoke else WHEELS
        # The smoke corpus lives apart: a corpus folder is one project for fastlint.
        corpus = build_corpus(wheels, args.cache / "smoke" if args.smoke else args.cache)
        (corpus / "pyproject.toml").write_text("[project]\nname = 'corpus'\n")
        targets = [spec.split("==")[0] for spec in wheels]
        one = corpus / targets[0] / (SMOKE_ONE_FILE if args.smoke else ONE_FILE)
        sections.append(("corpus", bench_project(corpus, targets, one, runs, not args.smoke)))
    report = render(sections, args.smoke, runs)
    print(report)
    args.output.write_text(report)


def ratio(value: float, reference: float | None) -> str:
    return f"{value / reference:.2f}" if reference else "n/a"


def render_rows(title: str, rows: list[Measurement]) -> str:
    bandit = next((r for r in rows if r.name.startswith("bandit")), None)
    lines = [
        f"## {title}",
        "",
        "| scenario | files | MB | wall s | CPU s | peak RSS MB | CPU vs bandit | wall vs bandit |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(
            f"| {row.name} | {row.files} | {row.megabytes:.1f} | {row.median:.2f} | "
            f"{row.median_cpu:.2f} | {row.peak_rss_mb:.0f} | "
            f"{ratio(row.median_cpu, bandit.median_cpu if bandit else None)} | "
            f"{ratio(row.median, bandit.median if bandit else None)} |"
        )
    return "\n".join(lines) + "\n"


def render_summary(sections: list[tuple[str, list[Measurement]]]) -> str:
    """One line per project, cold runs only, in CPU seconds (the issue's table)."""

    def cpu(rows: list[Measurement], prefix: str) -> float | None:
        row = next((r for r in rows if r.name.startswith(prefix)), None)
        return row.median_cpu if row else None

    def shown(value: float | None) -> str:
        return f"{value:.2f}" if value is not None else "n/a"

    lines = [
        "| project | fastlint cold | bandit | read + `ast.parse` | read + `libcst.parse_module` "
        "| fastlint / bandit | fastlint / `ast` floor |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for title, rows in sections:
        cold = cpu(rows, "fastlint cold (no cache)")
        bandit, floor = cpu(rows, "bandit"), cpu(rows, "floor: read + ast")
        lines.append(
            f"| {title} ({rows[0].files} files, {rows[0].megabytes:.1f} MB) | {shown(cold)} | "
            f"{shown(bandit)} | {shown(floor)} | {shown(cpu(rows, 'floor: read + libcst'))} | "
            f"{ratio(cold or 0.0, bandit)} | {ratio(cold or 0.0, floor)} |"
        )
    return "\n".join(lines) + "\n"


def render(sections: list[tuple[str, list[Measurement]]], smoke: bool, runs: int) -> str:
    lines = [
        "# fastlint benchmark" + (" (smoke run)" if smoke else ""),
        "",
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}. "
        f"Medians of {runs} run(s) each, measured side by side in one run, in rounds. "
        "CPU seconds are user + system time of the process and of its worker processes.",
        "",
        "Cold runs, CPU seconds:",
        "",
        render_summary(sections),
    ]
    lines += [render_rows(title, rows) for title, rows in sections]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
