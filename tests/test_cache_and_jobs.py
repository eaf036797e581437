"""Cached and parallel runs give exactly the findings of a plain run."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest
from paths import FIXTURES
from typer.testing import CliRunner

from fastlint import cache, engine, graph
from fastlint.cli import app
from fastlint.findings import Finding
from fastlint.pipeline import read
from fastlint.prefilter import graph_key
from fastlint.testing import lint_fixture


@pytest.fixture(autouse=True)
def private_key_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))


def copy_fixtures(tmp_path: Path) -> Path:
    target = tmp_path / "projects"
    shutil.copytree(FIXTURES, target)
    (target / "pyproject.toml").write_text("[project]\nname = 'fixtures'\n")
    return target


def summary(report: engine.Report) -> list[tuple[str, int, str, str]]:
    return [(f.path, f.span.line, f.rule, f.message) for f in report.findings]


@pytest.mark.slow
def test_unchanged_tree_reuses_the_whole_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Files copied a moment ago are "racy" (changed within the timestamps'
    # resolution): their content is part of the key until they age, so a run made
    # then is not served later. Here the tree counts as settled at once.
    monkeypatch.setattr(cache, "RACY_NANOSECONDS", 0)
    root = copy_fixtures(tmp_path)
    first = engine.lint([root], jobs=1, root=root, use_cache=True)
    second = engine.lint([root], jobs=1, root=root, use_cache=True)
    assert summary(first) == summary(second)
    assert set(second.timings) == {"discover"}  # no parse, link or rules
    other = engine.lint([root], jobs=1, root=root, use_cache=True, select=["FL001"])
    assert {f.rule for f in other.findings} == {"FL001"}  # other settings: not reused


@pytest.mark.slow
def test_cache_gives_the_same_findings(tmp_path: Path) -> None:
    root = copy_fixtures(tmp_path)
    plain = engine.lint([root], jobs=1, root=root)
    cold = engine.lint([root], jobs=1, root=root, use_cache=True)
    warm = engine.lint([root], jobs=1, root=root, use_cache=True)
    assert summary(plain) == summary(cold) == summary(warm)
    # Identical files (empty __init__.py) share an entry, even in the first run.
    assert cold.files_from_cache < 10
    assert warm.files_from_cache == warm.files_analysed - len(warm.errors) > 20
    assert (root / cache.CACHE_DIR_NAME / ".gitignore").read_text().endswith("*\n")


@pytest.mark.slow
def test_foreign_or_corrupt_entries_are_rebuilt(tmp_path: Path) -> None:
    root = copy_fixtures(tmp_path)
    first = engine.lint([root], jobs=1, root=root, use_cache=True)
    directory = root / cache.CACHE_DIR_NAME
    runs = sorted(directory.rglob("runs/*.pickle"))
    # Two files with content of their own, so each entry serves one file.
    entries = [
        _entry_of(directory, root / "layered" / "backend" / "app" / "main.py"),
        _entry_of(directory, root / "factory" / "service" / "app.py"),
    ]
    assert all(e.is_file() for e in entries) and runs
    forged = b"\0" * 32 + b"cos\nsystem\n(S'echo pwned'\ntR."  # would run a command
    for entry in [entries[0], *runs]:
        entry.write_bytes(forged)
    entries[1].write_bytes(entries[1].read_bytes()[:-10])  # truncated
    again = engine.lint([root], jobs=1, root=root, use_cache=True)
    assert summary(again) == summary(first)
    assert again.files_from_cache == again.files_analysed - len(again.errors) - 2


def _entry_of(directory: Path, file: Path) -> Path:
    """Where the facts cache keeps a file's facts (keyed on its content)."""
    digest = hashlib.sha256(cache.SALT + file.read_bytes()).hexdigest()
    return directory / f"v{cache.FORMAT}" / digest[:2] / f"{digest}.pickle"


@pytest.mark.slow
def test_a_changed_file_is_analysed_again(tmp_path: Path) -> None:
    root = copy_fixtures(tmp_path)
    engine.lint([root], jobs=1, root=root, use_cache=True)
    items = root / "layered" / "backend" / "app" / "api" / "routes" / "items.py"
    items.write_text(items.read_text().replace("/count/public", "/count/open"))
    report = engine.lint([root], jobs=1, root=root, use_cache=True)
    assert report.files_from_cache == report.files_analysed - len(report.errors) - 1
    assert any("/count/open" in f.message for f in report.findings)


@pytest.mark.slow
def test_parallel_runs_give_the_same_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_fixtures(tmp_path)
    # where the reader reads it (the engine's re-export was a copy: patching it
    # never made the small fixtures go to worker processes)
    monkeypatch.setattr(read, "PARALLEL_THRESHOLD", 0)
    one = engine.lint([root], jobs=1, root=root)
    two = engine.lint([root], jobs=2, root=root)
    assert summary(one) == summary(two)
    assert summary(one) == summary(lint_fixture(root))


@pytest.mark.slow
def test_cli_cache_flags_and_clean(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_fixtures(tmp_path)
    monkeypatch.chdir(root)
    runner = CliRunner()
    runner.invoke(app, ["check", "--no-cache"])
    assert not (root / cache.CACHE_DIR_NAME).exists()

    def from_cache() -> int:
        output = runner.invoke(app, ["check", "-v"]).output
        return int(re.search(r"(\d+) from the cache", output).group(1))  # type: ignore[union-attr]

    assert from_cache() < 10
    assert from_cache() > 20
    stats = runner.invoke(app, ["check", "--statistics"]).output
    assert "FL001 unauthenticated-route" in stats and "│" not in stats
    assert "removed" in runner.invoke(app, ["clean"]).output
    assert not (root / cache.CACHE_DIR_NAME).exists()


@pytest.mark.parametrize(
    "project", sorted(p for p in FIXTURES.iterdir() if p.is_dir()), ids=lambda p: p.name
)
def test_prefiltered_runs_give_the_same_findings(project: Path) -> None:
    full = engine.lint([project], jobs=1, root=project, prefilter=False)
    filtered = engine.lint([project], jobs=1, root=project)
    assert summary(filtered) == summary(full)
    assert filtered.errors == full.errors
    assert filtered.suppressed == full.suppressed


@pytest.mark.slow
def test_prefilter_skips_files_that_cannot_matter(tmp_path: Path) -> None:
    root = copy_fixtures(tmp_path)
    (root / "layered" / "backend" / "scripts.py").write_text("print('hello')\n")
    full = engine.lint([root], jobs=1, root=root, prefilter=False)
    filtered = engine.lint([root], jobs=1, root=root)
    assert summary(filtered) == summary(full)
    assert filtered.files_analysed < full.files_analysed


def findings_of(report: engine.Report, path: Path) -> list[tuple[str, int, str, str]]:
    """The findings a run naming `path` must give: those in the file, and those whose
    cause passes through it (a route's finding when its app's file is named)."""
    return [
        (f.path, f.span.line, f.rule, _message(f))
        for f in report.findings
        if f.path == str(path) or str(path) in f.sources
    ]


def named_summary(report: engine.Report) -> list[tuple[str, int, str, str]]:
    return [(f.path, f.span.line, f.rule, _message(f)) for f in report.findings]


def _message(finding: Finding) -> str:
    """A finding that groups routes (FL012 at a switch, FL011 at a dependency)
    counts the routes the run sees: a run naming one file sees those its context
    reaches, so only where it is stands for it here (`grouped_routes` checks the rest)."""
    if finding.route is None and any(r.route for r in finding.related):
        return "(routes grouped)"
    return finding.message


def grouped_routes(report: engine.Report) -> dict[tuple[str, int, str], set[str]]:
    return {
        (f.path, f.span.line, f.rule): {r.route for r in f.related if r.route}
        for f in report.findings
        if f.route is None and any(r.route for r in f.related)
    }


# Fixtures whose app module imports every other module: any file needs them all.
ONE_CLOSURE = frozenset({"registration", "guards"})


@pytest.mark.slow
@pytest.mark.parametrize(
    "project", sorted(p for p in FIXTURES.iterdir() if p.is_dir()), ids=lambda p: p.name
)
def test_a_named_file_gets_the_findings_of_a_full_run(tmp_path: Path, project: Path) -> None:
    """Naming one file reads only its context (the files that import it, and what
    they import), cold or from the recorded import graph, and finds what a run
    over the whole project finds in that file or through it."""
    root = tmp_path / project.name
    shutil.copytree(project, root)
    (root / "pyproject.toml").write_text("[project]\nname = 'fixture'\n")
    full = engine.lint([root], jobs=1, root=root)
    files = sorted(root.rglob("*.py"))
    whole = grouped_routes(full)
    for file in files:
        cold = engine.lint([file], jobs=1, root=root)
        assert named_summary(cold) == findings_of(full, file), file
        for key, routes in grouped_routes(cold).items():
            assert routes <= whole[key], file  # a part of what the full run groups
    engine.lint([root], jobs=1, root=root, use_cache=True)  # records the import graph
    smaller = 0
    for file in files:
        file.touch()  # changed, as in a pre-commit run
        warm = engine.lint([file], jobs=1, root=root, use_cache=True)
        assert named_summary(warm) == findings_of(full, file), file
        smaller += warm.files_analysed < full.files_analysed
    if project.name not in ONE_CLOSURE:
        assert smaller > 0  # some files do not need the whole project


def test_a_new_importer_of_a_named_file_is_seen(tmp_path: Path) -> None:
    """The recorded graph is only trusted for unchanged files: a module that starts
    including a router serves it in the next pre-commit run."""
    root = tmp_path / "layered"
    shutil.copytree(FIXTURES / "layered", root)
    (root / "pyproject.toml").write_text("[project]\nname = 'fixture'\n")
    engine.lint([root], jobs=1, root=root, use_cache=True)
    main = root / "backend" / "app" / "main.py"
    main.write_text(
        main.read_text()
        + "\nfrom app.api.routes import items as open_items\n"
        + 'app.include_router(open_items.router, prefix="/open")\n'
    )
    items = root / "backend" / "app" / "api" / "routes" / "items.py"
    named = engine.lint([items], jobs=1, root=root, use_cache=True)
    full = engine.lint([root], jobs=1, root=root)
    assert named_summary(named) == findings_of(full, items)
    assert any("/open/" in f.message for f in named.findings)


def test_the_import_graph_survives_a_new_file(tmp_path: Path) -> None:
    """A new file (the usual pre-commit case) re-resolves the recorded imports
    instead of reading the whole project again, and is itself followed."""
    root = tmp_path / "layered"
    shutil.copytree(FIXTURES / "layered", root)
    (root / "pyproject.toml").write_text("[project]\nname = 'fixture'\n")
    (root / "backend" / "scripts").mkdir()
    for number in range(5):  # unrelated files that a rebuilt graph would read again
        (root / "backend" / "scripts" / f"s{number}.py").write_text(
            "from pydantic import BaseModel\n"
        )
    engine.lint([root], jobs=1, root=root, use_cache=True)
    extra = root / "backend" / "app" / "extra.py"
    extra.write_text(
        "from app.api.routes import items\nfrom app.main import app\n\n"
        'app.include_router(items.router, prefix="/open")\n'
    )
    items = root / "backend" / "app" / "api" / "routes" / "items.py"
    named = engine.lint([items], jobs=1, root=root, use_cache=True)
    full = engine.lint([root], jobs=1, root=root)
    assert named_summary(named) == findings_of(full, items)
    assert any("/open/" in f.message for f in named.findings)
    assert named.files_analysed < full.files_analysed


@pytest.mark.slow
def test_a_graph_of_another_shape_is_rebuilt(tmp_path: Path) -> None:
    root = copy_fixtures(tmp_path)
    first = engine.lint([root], jobs=1, root=root, use_cache=True)
    store = cache.FactsCache.open(root)
    assert store is not None and store.get_graph() is not None
    stale = graph.ImportGraph(repr((cache.SALT, graph_key(()))), "old")  # default settings' key
    del stale.files_key  # as unpickled from an older fastlint
    store.put_graph(stale)
    named = next(root.rglob("items.py"))
    again = engine.lint([named], jobs=1, root=root, use_cache=True)
    assert named_summary(again) == findings_of(first, named)
