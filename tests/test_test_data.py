"""The suite reads nothing outside the repository: third-party test data lives in tests/data,
unmodified, with its origin and terms written down."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from paths import DATA

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
README = DATA / "README.md"


def listed() -> dict[str, str]:
    """File name -> sha256, from the table in tests/data/README.md."""
    rows = re.findall(r"^\| `([^`]+)` \|.*?sha256 `([0-9a-f]{64})`", README.read_text(), re.M)
    return dict(rows)


def test_every_data_file_is_listed_with_its_origin_and_unchanged() -> None:
    files = {p.name for p in DATA.iterdir() if p.is_file() and p.name != "README.md"}
    rows = listed()
    assert files, "tests/data holds no data"
    assert set(rows) == files, "tests/data/README.md must list every data file, and only those"
    for name, digest in rows.items():
        actual = hashlib.sha256((DATA / name).read_bytes()).hexdigest()
        assert actual == digest, f"{name} differs from the unmodified copy listed in the README"


def test_data_lives_inside_the_repository() -> None:
    assert DATA.resolve().is_relative_to(ROOT)


def test_no_test_reaches_outside_the_repository() -> None:
    """Paths climbing above the repository root (`parents[1].parent`, `../shared`) are refused."""
    climbing = re.compile(r"parents\[1\]\.parent|parents\[[2-9]\]|\.\./|[\"']shared[\"']")
    offenders = [
        f"{path.name}:{number}"
        for path in sorted(TESTS.glob("*.py"))
        if path.name != Path(__file__).name
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if climbing.search(line)
    ]
    assert not offenders, offenders
