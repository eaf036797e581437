"""Benchmark fastlint against bandit on real FastAPI-using code.

Builds a corpus from pinned PyPI wheels (their .py files), then times, side by
side in one run and on the same files:

- fastlint cold: no cache;
- fastlint warm: cache filled, nothing changed;
- fastlint one file: one route file changed, cache warm, only that file named
  (what pre-commit does), with the whole project read for context;
- bandit -r -q, the peer.

Each is run several times; the table shows medians, files/s, MB/s, peak RSS and
the ratio to bandit. The full run is manual (`python benchmarks/run.py`);
`--smoke` runs one small package once, to keep this script working in CI.
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
from dataclasses import dataclass
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


@dataclass
class Measurement:
    name: str
    seconds: list[float]
    peak_rss_mb: float
    files: int
    megabytes: float

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


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


def corpus_size(folders: list[Path]) -> tuple[int, float]:
    files = [f for folder in folders for f in folder.rglob("*.py")]
    return len(files), sum(f.stat().st_size for f in files) / 1e6


def timed(command: list[str], cwd: Path) -> tuple[float, float]:
    """Wall time and peak RSS (MB, largest process of the tree) of one run."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{command[0]} failed with status {status}")
    return elapsed, usage.ru_maxrss / 1024


def measure(
    name: str,
    command: list[str],
    cwd: Path,
    runs: int,
    folders: list[Path],
    before: list[str] | None = None,
) -> Measurement:
    seconds, peak = [], 0.0
    files, megabytes = corpus_size(folders)
    for _ in range(runs):
        if before:
            subprocess.run(before, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
        elapsed, rss = timed(command, cwd)
        seconds.append(elapsed)
        peak = max(peak, rss)
    return Measurement(name, seconds, peak, files, megabytes)


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="one small package, one run")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cache", type=Path, default=HERE / ".cache")
    parser.add_argument("--output", type=Path, default=HERE / "results.md")
    args = parser.parse_args()
    wheels = SMOKE_WHEELS if args.smoke else WHEELS
    runs = 1 if args.smoke else args.runs
    # The smoke corpus lives apart: a corpus folder is one project for fastlint.
    corpus = build_corpus(wheels, args.cache / "smoke" if args.smoke else args.cache)
    folders = [corpus / spec.split("==")[0] for spec in wheels]
    targets = [folder.name for folder in folders]
    fastlint = [sys.executable, "-m", "fastlint", "check", silent_flag(corpus), "--exit-zero"]
    rows: list[Measurement] = []

    clean = [sys.executable, "-m", "fastlint", "clean", str(corpus)]
    (corpus / "pyproject.toml").write_text("[project]\nname = 'corpus'\n")
    rows.append(
        measure(
            "fastlint cold (no cache)", [*fastlint, "--no-cache", *targets], corpus, runs, folders
        )
    )
    subprocess.run([*fastlint, *targets], cwd=corpus, check=False, stdout=subprocess.DEVNULL)
    rows.append(
        measure("fastlint warm (nothing changed)", [*fastlint, *targets], corpus, runs, folders)
    )
    one = next(
        (corpus / spec.split("==")[0] / (SMOKE_ONE_FILE if args.smoke else ONE_FILE))
        for spec in wheels[:1]
    )
    touch = [
        sys.executable,
        "-c",
        f"import pathlib, time; p = pathlib.Path({str(one)!r}); "
        "p.write_text(p.read_text() + f'# {time.time()}\\n')",
    ]
    rows.append(
        measure(
            "fastlint one changed file (warm)",
            [*fastlint, str(one)],
            corpus,
            runs,
            [one.parent],
            before=touch,
        )
    )
    if not args.smoke:
        half = folders[: len(folders) // 2]
        rows.append(
            measure(
                "fastlint cold, first half of the corpus",
                [*fastlint, "--no-cache", *map(str, half)],
                corpus,
                runs,
                half,
            )
        )
    subprocess.run(clean, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    bandit = shutil.which("bandit", path=str(Path(sys.executable).parent)) or shutil.which("bandit")
    if bandit:
        rows.append(measure("bandit -r -q", [bandit, "-r", "-q", *targets], corpus, runs, folders))
    report = render(rows, args.smoke)
    print(report)
    args.output.write_text(report)


def render(rows: list[Measurement], smoke: bool) -> str:
    bandit = next((r for r in rows if r.name.startswith("bandit")), None)
    lines = [
        "# fastlint benchmark" + (" (smoke run)" if smoke else ""),
        "",
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}. "
        f"Medians of {len(rows[0].seconds)} run(s) each, measured side by side in one run.",
        "",
        "| scenario | files | MB | median s | files/s | MB/s | peak RSS MB | vs bandit |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        ratio = f"{row.median / bandit.median:.2f}" if bandit else "n/a"
        lines.append(
            f"| {row.name} | {row.files} | {row.megabytes:.1f} | {row.median:.2f} | "
            f"{row.files / row.median:.0f} | {row.megabytes / row.median:.2f} | "
            f"{row.peak_rss_mb:.0f} | {ratio} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
