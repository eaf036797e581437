"""Suppression comments in the source."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from paths import DATA
from typer.testing import CliRunner

from fastlint import suppress
from fastlint.cli import app
from fastlint.engine import lint
from fastlint.registry import ALL_RULES
from fastlint.report import sarif
from fastlint.report.options import ReportOptions
from fastlint.suppress import scan, scan_nosec
from fastlint.testing import MULTITOOL, multitool_problems

SOURCE = """\
from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI(openapi_url=None)  # fastlint: ignore[FL006] -- limited at the gateway


class Event(BaseModel):
    kind: str  # noqa: FL004
    note: str  # noqa
    body: str  # fastlint: ignore


@app.post("/hooks/stripe")  # fastlint: ignore[FL001] -- public webhook, signed payload
async def stripe_hook(event: Event):
    return {"ok": True}


@app.get("/status")
async def status():  # fastlint: ignore[FL001, FL002]
    return {"up": True}
"""


def write(tmp_path: Path) -> Path:
    (tmp_path / "main.py").write_text(SOURCE)
    return tmp_path


def test_scan() -> None:
    found = {s.line: s for s in scan(SOURCE.encode(), "utf-8")}
    assert set(found) == {4, 8, 10, 13, 19}
    assert found[4].codes == {"FL006"} and found[4].reason == "limited at the gateway"
    assert found[10].codes is None
    assert found[19].codes == {"FL001", "FL002"}


def test_what_is_and_is_not_suppressed(tmp_path: Path) -> None:
    report = lint([write(tmp_path)], jobs=1)
    active = sorted((f.rule, f.span.line) for f in report.findings)
    assert active == [("FL002", 13), ("FL004", 9)]  # bare noqa does not silence fastlint
    silenced = sorted((f.rule, f.span.line, s.reason) for f, s in report.suppressed)
    assert silenced == [
        ("FL001", 13, "public webhook, signed payload"),
        ("FL001", 18, None),  # reported on the decorator, silenced on the def line
        ("FL002", 18, None),
        ("FL004", 8, None),
        ("FL004", 10, None),
        ("FL006", 4, "limited at the gateway"),
    ]


def test_cli_counts_and_includes_suppressed(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["check", str(write(tmp_path))])
    assert result.exit_code == 1 and "6 suppressed in the source" in result.output
    out = tmp_path / "out.sarif"
    runner.invoke(app, ["check", str(tmp_path), "-f", "sarif", "-o", str(out)])
    assert not any("suppressions" in r for r in json.loads(out.read_text())["runs"][0]["results"])
    runner.invoke(
        app, ["check", str(tmp_path), "-f", "sarif", "-o", str(out), "--include-suppressed"]
    )
    results = json.loads(out.read_text())["runs"][0]["results"]
    marked = [r for r in results if "suppressions" in r]
    assert len(marked) == 6
    webhook = next(
        r
        for r in marked
        if r["locations"][0]["physicalLocation"]["region"]["startLine"] == 13
        and r["ruleId"] == "FL001"
    )
    assert webhook["suppressions"] == [
        {
            "kind": "inSource",
            "status": "accepted",
            "justification": "public webhook, signed payload",
        }
    ]


def test_all_suppressed_exits_zero(tmp_path: Path) -> None:
    (tmp_path / "main.py").write_text(
        "from fastapi import FastAPI\napp = FastAPI(openapi_url=None)  # noqa: FL006\n"
    )
    assert CliRunner().invoke(app, ["check", str(tmp_path)]).exit_code == 0


def test_suppressed_sarif_is_valid(tmp_path: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema_file = DATA / "sarif-2.1.0-schema.json"
    report = lint([write(tmp_path)], jobs=1, root=tmp_path)
    document = json.loads(sarif.render(report, ALL_RULES, ReportOptions(include_suppressed=True)))
    validator = jsonschema.Draft4Validator(json.loads(schema_file.read_text()))
    assert not list(validator.iter_errors(document))
    if MULTITOOL:
        target = tmp_path / "suppressed.sarif"
        target.write_text(json.dumps(document))
        assert not multitool_problems(target)


def test_strict_and_unused_suppressions(tmp_path: Path) -> None:
    runner = CliRunner()
    root = write(tmp_path)
    assert "suppression" not in runner.invoke(app, ["check", str(root), "-f", "concise"]).output
    strict = runner.invoke(app, ["check", str(root), "-f", "concise", "--strict-suppressions"])
    assert "main.py:10:1: bare-suppression" in strict.output
    (root / "extra.py").write_text("x = 1  # fastlint: ignore[FL003] -- old\n")
    unused = runner.invoke(
        app, ["check", str(root), "-f", "concise", "--report-unused-suppressions"]
    )
    assert "extra.py:1:1: unused-suppression suppression of FL003 silences nothing" in unused.output
    assert "main.py:4" not in unused.output  # that one silences FL006
    # Judged only for rules that ran: FL003 is not selected here.
    only = runner.invoke(
        app,
        ["check", str(root), "-f", "concise", "--report-unused-suppressions", "--select", "FL006"],
    )
    assert only.exit_code == 0 and "unused" not in only.output


def test_form_feeds_do_not_shift_comment_lines() -> None:
    source = b"x = 1\f\n\x0cy = 2\n# fastlint: ignore[FL001]\n"
    (comment,) = suppress.scan(source, "utf-8")
    assert comment.line == 3


def test_bandit_nosec_comments_are_kept_with_the_checks_they_name() -> None:
    source = (
        b'HOST = "0.0.0.0"  # nosec\n'
        b"a = 1  # nosec B104, B105\n"
        b"b = 2  # nosec: hardcoded_bind_all_interfaces\n"
        b"c = 3  # NOSEC - reviewed, container network only\n"
        b"d = 4  # nosecure is not a marker\n"
        b"e = 5\n"
    )
    assert scan_nosec(source, "utf-8") == (
        (1, ()),
        (2, ("B104", "B105")),
        (3, ("hardcoded_bind_all_interfaces",)),
        (4, ()),
    )
    # ruff's flake8-bandit code names bandit's check (S104 is B104); a bare noqa does not
    assert scan_nosec(b"x = 1  # noqa: S104, E501\n", "utf-8") == ((1, ("B104",)),)
    assert scan_nosec(b"x = 1  # noqa\n", "utf-8") == ()
