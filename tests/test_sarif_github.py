"""SARIF as GitHub code scanning reads it: severities it ranks as fastlint does, and
file locations that are valid URIs whatever the files are called."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from paths import DATA, FIXTURES

from fastlint.config import Settings
from fastlint.demo import INSECURE_APP
from fastlint.engine import Report, lint
from fastlint.findings import Severity
from fastlint.registry import ALL_RULES
from fastlint.report import sarif
from fastlint.report.options import ReportOptions
from fastlint.testing import MULTITOOL, multitool_problems

jsonschema = pytest.importorskip("jsonschema")
SCHEMA_FILE = DATA / "sarif-2.1.0-schema.json"
# GitHub's bands for `security-severity` (docs: "About code scanning alerts").
BANDS = {
    Severity.CRITICAL: (9.0, 10.0),
    Severity.HIGH: (7.0, 8.9),
    Severity.MEDIUM: (4.0, 6.9),
    Severity.LOW: (0.1, 3.9),
}
# RFC 3986: what a URI reference may contain, and a first segment without ":".
URI_CHARACTERS = re.compile(r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-F]{2})*")


@pytest.fixture(scope="module")
def validator() -> Any:
    return jsonschema.Draft4Validator(json.loads(SCHEMA_FILE.read_text()))


def render(report: Report) -> dict[str, Any]:
    return json.loads(sarif.render(report, ALL_RULES, ReportOptions()))


def band(score: str) -> Severity:
    value = float(score)
    return next(s for s, (low, high) in BANDS.items() if low <= value <= high)


def results_by_rule(document: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for result in document["runs"][0]["results"]:
        found.setdefault(result["ruleId"], []).append(result)
    return found


@pytest.mark.parametrize("target", [INSECURE_APP, *sorted(FIXTURES.iterdir())], ids=str)
def test_each_result_is_ranked_in_the_band_of_its_severity(target: Path) -> None:
    report = lint([target], jobs=1, root=target)
    document = render(report)
    results = document["runs"][0]["results"]
    assert len(results) == len(report.findings) > 0
    for finding, result in zip(report.findings, results, strict=True):
        assert band(result["properties"]["security-severity"]) is finding.severity, result


@pytest.mark.slow
def test_a_get_route_and_a_post_route_rank_as_fastlint_ranks_them() -> None:
    """FL001 is high for a state-changing route and medium for a read-only one."""
    report = lint([FIXTURES], jobs=1, root=FIXTURES, select=["FL001"])
    severities = {f.severity for f in report.findings}
    assert severities == {Severity.HIGH, Severity.MEDIUM}, "the fixtures must hold both"
    for finding, result in zip(report.findings, render(report)["runs"][0]["results"], strict=True):
        assert band(result["properties"]["security-severity"]) is finding.severity


def test_configured_severities_reach_github_critical_included() -> None:
    settings = Settings(severity={"FL002": "critical", "FL003": "low"})
    document = render(lint([INSECURE_APP], jobs=1, root=INSECURE_APP, settings=settings))
    by_rule = results_by_rule(document)
    assert by_rule["FL002"] and by_rule["FL003"]
    for result in by_rule["FL002"]:
        assert float(result["properties"]["security-severity"]) >= 9.0
        assert result["level"] == "error"
    for result in by_rule["FL003"]:
        assert float(result["properties"]["security-severity"]) < 4.0
        assert result["level"] == "note"
    # GitHub ranks an alert by its rule's descriptor: it carries the run's severity.
    descriptors = {r["id"]: r for r in document["runs"][0]["tool"]["driver"]["rules"]}
    assert band(descriptors["FL002"]["properties"]["security-severity"]) is Severity.CRITICAL
    assert band(descriptors["FL003"]["properties"]["security-severity"]) is Severity.LOW


def test_the_demo_keeps_its_default_bands() -> None:
    document = render(lint([INSECURE_APP], jobs=1, root=INSECURE_APP))
    descriptors = {r["id"]: r for r in document["runs"][0]["tool"]["driver"]["rules"]}
    for code, results in results_by_rule(document).items():
        severities = {band(r["properties"]["security-severity"]) for r in results}
        assert band(descriptors[code]["properties"]["security-severity"]) is max(severities)


STRANGE_NAMES = {
    "my app#1/main 100%.py": "my%20app%231/main%20100%25.py",
    "we,ird:dir/main.py": "we%2Cird%3Adir/main.py",
    "ünï/çødé [x]?.py": "%C3%BCn%C3%AF/%C3%A7%C3%B8d%C3%A9%20%5Bx%5D%3F.py",
}


def test_file_uris_are_percent_encoded(tmp_path: Path, validator: Any) -> None:
    for name in STRANGE_NAMES:
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(INSECURE_APP / "main.py", target)
    (tmp_path / "broken, really.py").write_text("def (:\n")
    document = render(lint([tmp_path], jobs=1, root=tmp_path))
    assert not list(validator.iter_errors(document))
    run = document["runs"][0]
    locations = [loc for r in run["results"] for loc in r["locations"]]
    locations += [loc for r in run["results"] for loc in r.get("relatedLocations", [])]
    notes = run["invocations"][0]["toolExecutionNotifications"]
    locations += [loc for n in notes for loc in n["locations"]]
    uris = {loc["physicalLocation"]["artifactLocation"]["uri"] for loc in locations}
    assert uris == {*STRANGE_NAMES.values(), "broken%2C%20really.py"}
    for location in locations:
        artifact = location["physicalLocation"]["artifactLocation"]
        assert artifact["uriBaseId"] == "%SRCROOT%"  # GitHub's repository-relative form
        uri = artifact["uri"]
        assert URI_CHARACTERS.fullmatch(uri) and ":" not in uri.split("/")[0], uri
        assert (tmp_path / unquote(uri)).is_file()


@pytest.mark.skipif(not MULTITOOL, reason="SARIF Multitool not installed (.ci/run installs it)")
def test_strange_names_pass_the_multitool_with_github_rules(tmp_path: Path) -> None:
    project = tmp_path / "project"
    for name in STRANGE_NAMES:
        target = project / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(INSECURE_APP / "main.py", target)
    sarif_file = tmp_path / "fastlint.sarif"
    report = lint([project], jobs=1, root=project)
    sarif_file.write_text(sarif.render(report, ALL_RULES, ReportOptions()), encoding="utf-8")
    problems = multitool_problems(sarif_file)
    assert not problems, problems


def _flow_report() -> Report:
    return lint([FIXTURES / "_injection"], jobs=1, root=FIXTURES / "_injection")


def test_data_flow_paths_are_code_flows(validator: Any) -> None:
    """Each data-flow result carries its path, source first, as one thread flow:
    what GitHub code scanning shows under "Show paths"."""
    report = _flow_report()
    document = render(report)
    assert not list(validator.iter_errors(document))
    flows = {f.fingerprint(report.relative(f.path)): f.flow for f in report.findings if f.flow}
    results = [r for r in document["runs"][0]["results"] if "codeFlows" in r]
    assert len(results) == len(flows) >= 5
    for result in results:
        steps = flows[result["partialFingerprints"]["fastlint/v1"]]
        (thread,) = result["codeFlows"][0]["threadFlows"]
        locations = thread["locations"]
        assert [loc["executionOrder"] for loc in locations] == list(range(1, len(steps) + 1))
        assert [loc["location"]["message"]["text"] for loc in locations] == [
            s.message for s in steps
        ]
        first, last = locations[0]["location"], locations[-1]["location"]
        assert first["message"]["text"].startswith("source: ")
        assert last["message"]["text"].startswith(("reaches ", "returned as the redirect"))


@pytest.mark.skipif(not MULTITOOL, reason="SARIF Multitool not installed (.ci/run installs it)")
def test_code_flows_pass_the_multitool_with_github_rules(tmp_path: Path) -> None:
    sarif_file = tmp_path / "flows.sarif"
    sarif_file.write_text(sarif.render(_flow_report(), ALL_RULES, ReportOptions()), "utf-8")
    problems = multitool_problems(sarif_file)
    assert not problems, problems
