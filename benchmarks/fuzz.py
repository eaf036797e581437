"""Fuzz fastlint: generated programs and mutated apps through the engine and every format.

Two sources of input:

- hypothesmith programs (`pip install -e ".[fuzz]"`): valid Python from the
  grammar, placed next to a small FastAPI app;
- mutations of the fixture apps in `tests/fixtures/` (deleted, duplicated,
  swapped and truncated lines, hostile characters and strings spliced in): one
  file of a whole project changed at a time, so linking and the rules see it.

Each input is analysed by `lint()` in a worker process, and the report is
rendered in every output format. An input fails when:

- crash: an exception escapes, or a file is reported with "internal error";
- hang: the worker does not answer within `--timeout` seconds;
- invalid output: a JSON, SARIF or GitLab report that does not parse, a JUnit
  report that is not XML, a GitHub line that is not a workflow command, a
  concise report whose line count differs from its entries.

Manual or nightly, not part of the test suite:

    python benchmarks/fuzz.py --inputs 10000 --jobs 2

It writes `benchmarks/fuzz-results.json` and `benchmarks/fuzz-results.md`, and
every failing input under `benchmarks/fuzz-failures/` to reproduce it.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import random
import shutil
import sys
import tempfile
import time
import xml.etree.ElementTree as ElementTree
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing.pool import AsyncResult, Pool
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPOSITORY = HERE.parent
FIXTURES = REPOSITORY / "tests" / "fixtures"
FAILURES = HERE / "fuzz-failures"

HOST_APP = b"""\
from fastapi import APIRouter, FastAPI

from generated import *  # noqa: F403

app = FastAPI()
router = APIRouter()


@router.get("/items/{item_id}")
def read_item(item_id: int) -> dict[str, int]:
    return {"id": item_id}


app.include_router(router)
"""

# Characters and fragments that broke parsers, terminals and CI logs elsewhere.
HOSTILE = [
    "(",
    ")",
    "[",
    "]",
    "{",
    "\\",
    "\\\r\n",
    "\r",
    "\r\n",
    "\x00",
    "\x0c",
    "\t",
    "\ufeff",
    "\u202e",
    "\u00e9",
    "\U0001f600",
    '"',
    "'",
    '"""',
    "#",
    ":",
    "\\n",
    "\\r\\n",
    "\\x1b[31m",
    "\\ud800",
    "[bold red]x[/]",
    "[/]",
    "::error file=x.py,line=1::forged",
    "%0A",
    "<![CDATA[",
    "]]>",
    "&amp;",
    "# fastlint: ignore",
    "# fastlint: ignore[FL001]",
    "# noqa",
    "async ",
    "await ",
    "lambda: ",
    "yield ",
    "def f(:",
    "@app.get('/x\\n::error::x')\n",
    "if True:\n",
    "    ",
    "from fastapi import *\n",
    "import fastapi as app\n",
    "app = FastAPI()\n",
    "Depends(",
    "(" * 150,
    ")" * 150,
    "a" + "[0]" * 300,
    " + ".join("a" * 200),
    '"x" ' * 300,
]


@dataclass(frozen=True)
class Input:
    """One fuzz input: `source` written to `file` in a copy of `project`."""

    number: int
    kind: str  # "hypothesmith" or "mutation"
    project: str  # a fixture folder, or "" for the generated program's host app
    file: str  # path inside the project
    source: bytes


@dataclass(frozen=True)
class Outcome:
    number: int
    status: str  # ok, crash, hang, invalid
    detail: str = ""
    seconds: float = 0.0
    findings: int = 0
    errors: int = 0


# --- the worker side -----------------------------------------------------------------

_projects: dict[str, Path] = {}
_scratch: list[Path] = []  # the run's scratch folder, made by the parent before forking


def _project_copy(name: str) -> Path:
    """A private copy of a fixture project (or the host app), made once per worker."""
    if name not in _projects:
        target = Path(tempfile.mkdtemp(prefix="project-", dir=_scratch[0] if _scratch else None))
        if name:
            shutil.copytree(FIXTURES / name, target / name)
            _projects[name] = target / name
        else:
            (target / "main.py").write_bytes(HOST_APP)
            _projects[name] = target
    return _projects[name]


def check(item: Input) -> Outcome:
    """Analyse one input and render every format; what went wrong, if anything."""
    from fastlint.engine import lint

    root = _project_copy(item.project)
    target = root / item.file
    original = target.read_bytes() if target.exists() else None
    target.write_bytes(item.source)
    started = time.perf_counter()
    try:
        # The cache serves the project's unchanged files: only the input is parsed.
        report = lint([root], jobs=1, root=root, use_cache=True)
        problem = _validate(report)
    except BaseException as exc:  # the point of the exercise
        problem = f"crash: {type(exc).__name__}: {exc}"
    finally:
        if original is None:
            target.unlink()
        else:
            target.write_bytes(original)
    seconds = time.perf_counter() - started
    if problem:
        status, _, detail = problem.partition(": ")
        return Outcome(item.number, status, detail[:500], seconds)
    return Outcome(item.number, "ok", "", seconds, len(report.findings), len(report.errors))


def _validate(report: object) -> str:
    """'' when every registered output format renders and is well formed, else what is wrong."""
    from fastlint.registry import ALL_RULES
    from fastlint.report.options import ReportOptions
    from fastlint.report.registry import REPORTERS
    from fastlint.results import Report

    assert isinstance(report, Report)
    for error in report.errors:
        if "internal error" in error.message:
            return f"crash: {report.relative(error.path)}: {error.message}"
    rendered = {}
    for name, reporter in REPORTERS.items():
        for options in (ReportOptions(), ReportOptions(verbose=True, colour_system="truecolor")):
            rendered[name] = reporter(report, ALL_RULES, options)
    document = json.loads(rendered["json"])
    if len(document["findings"]) != len(report.findings):
        return "invalid: JSON findings miscounted"
    log = json.loads(rendered["sarif"])
    if len(log["runs"][0]["results"]) < len(report.findings):
        return "invalid: SARIF results miscounted"
    if not isinstance(json.loads(rendered["gitlab"]), list):
        return "invalid: GitLab report is not a list"
    ElementTree.fromstring(rendered["junit"])
    for line in rendered["github"].splitlines():
        if not line.startswith("::"):
            return f"invalid: GitHub line is not a workflow command: {line[:200]!r}"
    entries = len(report.findings) + len(report.errors) + len(report.suppression_problems)
    if len(rendered["concise"].splitlines()) != entries:
        return "invalid: concise report has more lines than entries"
    return ""


# --- the parent side -----------------------------------------------------------------


def _fixture_files() -> list[tuple[str, str, bytes]]:
    files = []
    for project in sorted(p for p in FIXTURES.iterdir() if p.is_dir()):
        for file in sorted(project.rglob("*.py")):
            files.append((project.name, file.relative_to(project).as_posix(), file.read_bytes()))
    return files


def mutate(source: bytes, rng: random.Random, donors: list[bytes]) -> bytes:
    """One to three random edits of `source`."""
    text = source.decode("utf-8")
    for _ in range(rng.randint(1, 3)):
        lines = text.splitlines(keepends=True) or [""]
        choice = rng.randrange(9)
        at = rng.randrange(len(text) + 1)
        line = rng.randrange(len(lines))
        if choice == 0:  # splice in a hostile fragment
            text = text[:at] + rng.choice(HOSTILE) + text[at:]
        elif choice == 1:  # delete a span
            text = text[:at] + text[at + rng.randint(1, 40) :]
        elif choice == 2:  # duplicate a line
            lines.insert(line, lines[line])
            text = "".join(lines)
        elif choice == 3:  # swap two lines
            other = rng.randrange(len(lines))
            lines[line], lines[other] = lines[other], lines[line]
            text = "".join(lines)
        elif choice == 4:  # truncate
            text = text[:at]
        elif choice == 5:  # re-indent a line
            lines[line] = rng.choice(["", "    ", "\t", "        "]) + lines[line].lstrip()
            text = "".join(lines)
        elif choice == 6:  # a line from another file
            donor = rng.choice(donors).decode("utf-8").splitlines(keepends=True) or [""]
            lines.insert(line, rng.choice(donor))
            text = "".join(lines)
        elif choice == 7:  # hostile text inside a string literal (route paths, names)
            quote = text.find('"', at)
            if quote >= 0:
                payload = rng.choice(HOSTILE).replace('"', '\\"').replace("\n", "\\n")
                text = text[: quote + 1] + payload + text[quote + 1 :]
        else:  # a different line ending for the whole file
            text = text.replace("\n", rng.choice(["\r\n", "\r", "\n"]))
    data = text.encode("utf-8", "surrogatepass")
    if rng.random() < 0.03:  # not UTF-8 at all
        data = data.replace(b"e", b"\xe9", 1)
    return data


def mutations(count: int, seed: int) -> Iterator[Input]:
    rng = random.Random(seed)
    files = _fixture_files()
    donors = [source for _, _, source in files]
    for number in range(count):
        project, path, source = rng.choice(files)
        yield Input(number, "mutation", project, path, mutate(source, rng, donors))


def generated(count: int, start: int, seed: int) -> Iterator[Input]:
    """hypothesmith programs (from the grammar and from libcst nodes), as a generator."""
    import hypothesmith
    from hypothesis.configuration import set_hypothesis_home_dir

    set_hypothesis_home_dir(tempfile.mkdtemp(prefix="fastlint-fuzz-hypothesis-"))
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as hypothesis_seed
    from hypothesis import strategies as st

    programs: list[str] = []
    strategy = st.one_of(hypothesmith.from_grammar(), hypothesmith.from_node())
    batch = 200

    @hypothesis_seed(seed)
    @settings(
        max_examples=batch,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def collect(program: str) -> None:
        programs.append(program)

    number = start
    while number < start + count:
        programs.clear()
        collect()
        seed += 1
        collect = hypothesis_seed(seed)(collect)
        for program in programs[: start + count - number]:
            data = program.encode("utf-8", "surrogatepass")
            yield Input(number, "hypothesmith", "", "generated.py", data)
            number += 1


def run(inputs: Iterator[Input], jobs: int, timeout: float, report_every: int) -> list[Outcome]:
    """Check every input in `jobs` worker processes; a worker past `timeout` is a hang."""
    outcomes: list[Outcome] = []
    pool = _new_pool(jobs)
    flight: list[tuple[Input, AsyncResult[Outcome], float]] = []
    source = iter(inputs)
    exhausted = False
    started = time.perf_counter()
    while flight or not exhausted:
        while not exhausted and len(flight) < jobs:
            item = next(source, None)
            if item is None:
                exhausted = True
                break
            flight.append((item, pool.apply_async(check, (item,)), time.perf_counter()))
        if not flight:
            break
        item, pending, since = flight.pop(0)
        try:
            outcome = pending.get(max(0.0, since + timeout - time.perf_counter()))
        except multiprocessing.TimeoutError:
            outcome = Outcome(item.number, "hang", f"no answer in {timeout:.0f} s", timeout)
            pool.terminate()  # the stuck worker with it; the others' inputs are run again
            pool = _new_pool(jobs)
            flight = [(i, pool.apply_async(check, (i,)), time.perf_counter()) for i, _, _ in flight]
        if outcome.status != "ok":
            _keep(item, outcome)
        outcomes.append(outcome)
        if len(outcomes) % report_every == 0:
            bad = sum(1 for o in outcomes if o.status != "ok")
            elapsed = time.perf_counter() - started
            print(f"{len(outcomes)} inputs, {bad} failing, {elapsed:.0f} s", flush=True)
    pool.terminate()
    return outcomes


def _new_pool(jobs: int) -> Pool:
    return multiprocessing.get_context("fork").Pool(jobs, maxtasksperchild=500)


def _keep(item: Input, outcome: Outcome) -> None:
    """Save a failing input so it can be reproduced."""
    FAILURES.mkdir(exist_ok=True)
    name = f"{item.number:06d}-{item.kind}-{outcome.status}"
    (FAILURES / f"{name}.py").write_bytes(item.source)
    (FAILURES / f"{name}.txt").write_text(
        f"project: {item.project or '(host app)'}\nfile: {item.file}\n"
        f"status: {outcome.status}\n{outcome.detail}\n"
    )
    print(f"FAIL #{item.number} {item.kind} {outcome.status}: {outcome.detail[:200]}", flush=True)


# Failures whose cause is known and tracked elsewhere, by a phrase of their detail.
KNOWN_CAUSES = {
    "concise report has more lines": "raw newline in output (issue 14 item 14: escaping)",
    "GitHub line is not a workflow command": "raw newline in output (issue 14 item 14)",
    "surrogates not allowed": "lone surrogate reaches a writer (issue 14 item 14)",
    "not well-formed": "control character in JUnit XML (issue 14 item 14)",
}


def cause(outcome: Outcome) -> str:
    for phrase, known in KNOWN_CAUSES.items():
        if phrase in outcome.detail:
            return known
    return "new: investigate"


def summarise(outcomes: list[Outcome], kinds: dict[int, str], args: argparse.Namespace) -> dict:
    by_status = Counter(o.status for o in outcomes)
    by_kind = Counter(kinds[o.number] for o in outcomes)
    seconds = sorted(o.seconds for o in outcomes)
    return {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "python": platform.python_version(),
        "seed": args.seed,
        "timeout_seconds": args.timeout,
        "inputs": len(outcomes),
        "by_kind": dict(by_kind),
        "ok": by_status.get("ok", 0),
        "crashes": by_status.get("crash", 0),
        "hangs": by_status.get("hang", 0),
        "invalid_outputs": by_status.get("invalid", 0),
        "failures_by_cause": dict(Counter(cause(o) for o in outcomes if o.status != "ok")),
        "inputs_with_findings": sum(1 for o in outcomes if o.findings),
        "inputs_with_file_errors": sum(1 for o in outcomes if o.errors),
        "seconds_per_input_median": round(seconds[len(seconds) // 2], 3) if seconds else 0,
        "seconds_per_input_max": round(seconds[-1], 3) if seconds else 0,
        "failures": [
            {"input": o.number, "kind": kinds[o.number], "status": o.status, "detail": o.detail}
            for o in outcomes
            if o.status != "ok"
        ][:50],
    }


def markdown(summary: dict) -> str:
    lines = [
        "# Fuzz results",
        "",
        "Written by `benchmarks/fuzz.py` (see its docstring); the last run on this branch.",
        "",
        f"- date: {summary['date']}, Python {summary['python']}, seed {summary['seed']}",
        f"- inputs: {summary['inputs']} ("
        + ", ".join(f"{k}: {v}" for k, v in sorted(summary["by_kind"].items()))
        + ")",
        f"- crashes: {summary['crashes']}, hangs (> {summary['timeout_seconds']} s): "
        f"{summary['hangs']}, invalid outputs: {summary['invalid_outputs']}",
        f"- inputs with findings: {summary['inputs_with_findings']}; "
        f"with a file reported as not analysable: {summary['inputs_with_file_errors']}",
        f"- seconds per input: median {summary['seconds_per_input_median']}, "
        f"max {summary['seconds_per_input_max']}",
    ]
    if summary["failures_by_cause"]:
        lines += ["", "## Failures by cause", ""]
        lines += [f"- {c}: {n}" for c, n in sorted(summary["failures_by_cause"].items())]
    if summary["failures"]:
        lines += ["", "## Failures (first 50)", ""]
        lines += [
            f"- #{f['input']} {f['kind']} {f['status']}: {f['detail'][:200]}"
            for f in summary["failures"]
        ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=10_000, help="how many inputs in all")
    parser.add_argument("--generated-share", type=float, default=0.5, help="hypothesmith share")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds before a hang")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--out", type=Path, default=HERE / "fuzz-results")
    args = parser.parse_args(argv)
    sys.setrecursionlimit(10_000)  # hypothesmith's own recursion on deep programs
    generated_count = int(args.inputs * args.generated_share)
    mutated_count = args.inputs - generated_count
    kinds: dict[int, str] = {}

    def inputs() -> Iterator[Input]:
        mutated = mutations(mutated_count, args.seed)
        produced = generated(generated_count, mutated_count, args.seed)
        # Interleaved, so a run cut short still covers both sources.
        sources = [mutated, produced]
        while sources:
            for source in list(sources):
                item = next(source, None)
                if item is None:
                    sources.remove(source)
                    continue
                kinds[item.number] = item.kind
                yield item

    _scratch.append(Path(tempfile.mkdtemp(prefix="fastlint-fuzz-")))
    try:
        outcomes = run(inputs(), args.jobs, args.timeout, report_every=250)
    finally:
        shutil.rmtree(_scratch[0], ignore_errors=True)
    summary = summarise(outcomes, kinds, args)
    args.out.with_suffix(".json").write_text(json.dumps(summary, indent=2) + "\n")
    args.out.with_suffix(".md").write_text(markdown(summary))
    print(markdown(summary))
    failing = summary["crashes"] + summary["hangs"] + summary["invalid_outputs"]
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
