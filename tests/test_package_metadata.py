"""Package metadata says what is true: dependency floors that CI installs, the Python versions
CI runs, and where to find the source, the issues and the documentation."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
FLOORS = ROOT / "constraints-floors.txt"
REQUIREMENT = re.compile(r"^([A-Za-z0-9_.-]+)\s*(?:>=\s*([0-9][^,;\s]*))?[^;]*(?:;\s*(.+))?$")


def project() -> dict[str, Any]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]  # type: ignore[no-any-return]


def parse(line: str) -> tuple[str, str | None, str | None]:
    match = REQUIREMENT.match(line.strip())
    assert match, line
    name, bound, marker = match.groups()
    return name.lower(), bound, marker and marker.strip().replace("'", '"')


def version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def test_every_dependency_has_a_lower_bound_pinned_in_the_floors_file() -> None:
    declared = {
        name: (bound, marker) for name, bound, marker in map(parse, project()["dependencies"])
    }
    pinned: dict[str, tuple[str, str | None]] = {}
    for line in FLOORS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, rest = line.partition("==")
            pin, _, marker = rest.partition(";")
            pinned[name.strip().lower()] = (pin.strip(), marker.strip() or None)
    assert all(bound for bound, _ in declared.values()), declared
    assert pinned == declared, "constraints-floors.txt must pin each dependency to its lower bound"


def test_typer_floor_excludes_the_releases_that_break_the_cli() -> None:
    # typer 0.12.0-0.12.3 crash at start-up, 0.12.4-0.12.5 exit 0 doing nothing, and up to
    # 0.15.3 a usage error is a traceback with exit 1 (found by bisection, see the floors file).
    bounds = {name: bound for name, bound, _ in map(parse, project()["dependencies"])}
    assert bounds["typer"] is not None and version(bounds["typer"]) >= (0, 15, 4)


def test_classifiers_name_every_supported_python() -> None:
    meta = project()
    lowest = version(meta["requires-python"].removeprefix(">="))
    claimed = sorted(
        version(c.rsplit("::", 1)[1].strip())
        for c in meta["classifiers"]
        if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)
    )
    assert claimed, "no Python version classifiers"
    assert claimed[0] == lowest, "the lowest classifier must match requires-python"
    assert claimed == [(3, minor) for minor in range(lowest[1], claimed[-1][1] + 1)]
    assert claimed[-1] >= (3, 13)


def test_project_urls() -> None:
    urls = project()["urls"]
    assert {"Source", "Issues", "Documentation"} <= set(urls)
    assert all(url.startswith("https://") for url in urls.values())
