"""docs/json-format.md lists every field the JSON report carries, and only those."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from fastlint.cli import app
from fastlint.demo import INSECURE_APP

DOC = Path(__file__).resolve().parents[1] / "docs" / "json-format.md"


def documented() -> set[str]:
    """Field paths named in the first column of the doc's field table."""
    table = DOC.read_text(encoding="utf-8").split("| Field | Meaning |", 1)[1]
    fields: set[str] = set()
    for row in re.findall(r"^\| ([^|]+) \|", table, re.MULTILINE):
        fields.update(re.findall(r"`([^`]+)`", row))
    return fields


def carried(value: Any, prefix: str = "") -> set[str]:
    """Every field path in a JSON value; the items of a list are `name[]`."""
    paths: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            path = f"{prefix}.{key}" if prefix else key
            paths |= {f"{path}[]" if isinstance(item, list) else path} | carried(item, path)
    elif isinstance(value, list):
        for item in value:
            paths |= carried(item, f"{prefix}[]")
    return paths


def full_report(tmp_path: Path) -> dict[str, Any]:
    """A report with every optional part: a route finding with related places, a data
    flow with its path, a file that cannot be parsed, suppression problems of both kinds,
    a suppressed finding, a route that no app serves and one whose authentication cannot
    be determined."""
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(INSECURE_APP / "main.py", project / "main.py")
    main = project / "main.py"
    source = main.read_text(encoding="utf-8")
    assert "\napp = FastAPI()\n" in source
    main.write_text(
        source.replace(
            "\napp = FastAPI()\n", "\napp = FastAPI()  # fastlint: ignore[FL005] -- internal\n"
        ),
        encoding="utf-8",
    )
    (project / "broken.py").write_text("def broken(:\n")
    (project / "other.py").write_text("x = 1  # noqa: FL001\ny = 2  # fastlint: ignore\n")
    (project / "sso.py").write_text(  # an auth middleware fastlint cannot read: undetermined
        "from fastapi import FastAPI\nfrom vendor_sso import SsoAuthMiddleware\n\n"
        "portal = FastAPI()\nportal.add_middleware(SsoAuthMiddleware)\n\n\n"
        '@portal.get("/reports")\ndef reports() -> None: ...\n'
    )
    (project / "drafts.py").write_text(  # a router no app includes: a route not checked
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n\n"
        '@router.post("/drafts/publish")\ndef publish() -> None: ...\n'
    )
    (project / "links.py").write_text(  # a data-flow finding: its path is `flow[]`
        "from fastapi import FastAPI\nfrom fastapi.responses import RedirectResponse\n\n"
        "links = FastAPI()\n\n\n"
        '@links.get("/go")\ndef go(to: str):\n    return RedirectResponse(to)\n'
    )
    output = tmp_path / "report.json"
    result = CliRunner().invoke(
        app,
        [
            "check",
            str(project),
            "--isolated",
            "--no-cache",
            "--format",
            "json",
            "--output",
            str(output),
            "--include-suppressed",
            "--report-unused-suppressions",
            "--strict-suppressions",
        ],
    )
    assert result.exit_code == 1, result.output
    return json.loads(output.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_the_report_carries_no_field_the_doc_does_not_list(tmp_path: Path) -> None:
    report = full_report(tmp_path)
    assert report["findings"] and report["errors"] and report["suppressed"]
    assert {p["kind"] for p in report["suppression_problems"]} == {"unused", "bare"}
    assert any("route" in f for f in report["findings"])
    assert any(f["related"] for f in report["findings"])
    assert report["coverage"]["not_checked_routes"]
    assert report["coverage"]["authentication_undetermined"]
    fields = documented()
    # A suppressed finding carries the fields of a finding, documented once under findings[].
    as_documented = {
        re.sub(r"^suppressed\[\]\.(?!justification$)", "findings[].", p) for p in carried(report)
    }
    undocumented = {p for p in as_documented if p not in fields}
    assert not undocumented, f"docs/json-format.md does not list {sorted(undocumented)}"
    assert fields - as_documented == set(), (
        "docs/json-format.md lists fields the report does not carry"
    )
