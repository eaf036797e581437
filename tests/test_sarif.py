"""SARIF: valid against the official 2.1.0 schema, with what GitHub code scanning uses."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from paths import DATA, FIXTURES

from fastlint.demo import INSECURE_APP
from fastlint.engine import Report, lint
from fastlint.registry import ALL_RULES
from fastlint.report import sarif
from fastlint.report.linehash import line_hashes
from fastlint.report.options import ReportOptions

jsonschema = pytest.importorskip("jsonschema")
SCHEMA_FILE = DATA / "sarif-2.1.0-schema.json"
PROJECTS = sorted(p for p in FIXTURES.iterdir() if p.is_dir())


@pytest.fixture(scope="module")
def validator() -> Any:
    schema = json.loads(SCHEMA_FILE.read_text())
    return jsonschema.Draft4Validator(schema)


def render(report: Report, category: str | None = None) -> dict[str, Any]:
    return json.loads(sarif.render(report, ALL_RULES, ReportOptions(sarif_category=category)))


@pytest.mark.parametrize("target", [INSECURE_APP, *PROJECTS], ids=lambda p: p.name)
def test_valid_against_schema(target: Path, validator: Any) -> None:
    document = render(lint([target], jobs=1, root=target.parent))
    errors = sorted(validator.iter_errors(document), key=str)
    assert not errors, errors[0]


def test_valid_with_no_findings_and_with_unparsable_files(tmp_path: Path, validator: Any) -> None:
    (tmp_path / "ok.py").write_text("x = 1\n")
    (tmp_path / "broken.py").write_text("def (:\n")
    document = render(lint([tmp_path], jobs=1, root=tmp_path))
    assert not list(validator.iter_errors(document))
    run = document["runs"][0]
    assert run["results"] == []
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert notes[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "broken.py"


def test_results_and_rules() -> None:
    document = render(lint([INSECURE_APP], jobs=1, root=INSECURE_APP.parent.parent))
    assert len(document["runs"]) == 1
    run = document["runs"][0]
    driver = run["tool"]["driver"]
    assert [r["id"] for r in driver["rules"]] == [r.code for r in ALL_RULES]
    for rule in driver["rules"]:
        float(rule["properties"]["security-severity"])
        assert rule["helpUri"].endswith(f"docs/rules/{rule['id']}-{rule['name']}.md")
    assert "automationDetails" not in run
    results = run["results"]
    assert {r["ruleId"] for r in results} == {
        "FL002",
        "FL003",
        "FL004",
        "FL005",
        "FL006",
        "FL010",
        "FL015",
        "FL017",
    }
    for result in results:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] == "demo/insecure/main.py"
        assert location["region"]["startLine"] >= 1 and location["region"]["snippet"]["text"]
        assert set(result["partialFingerprints"]) == {"primaryLocationLineHash", "fastlint/v1"}
    fl003 = next(r for r in results if r["ruleId"] == "FL003")
    assert fl003["relatedLocations"][0]["physicalLocation"]["region"]["startLine"] == 28


def test_category() -> None:
    document = render(lint([INSECURE_APP], jobs=1), category="backend")
    assert document["runs"][0]["automationDetails"] == {"id": "backend/"}


def test_line_hash_vectors() -> None:
    vectors = json.loads((DATA / "codeql-line-hash-vectors.json").read_text())
    for case in vectors["cases"]:
        expected = {int(line): value for line, value in case["line_hashes"].items()}
        assert line_hashes(case["text"]) == expected, case["name"]


def test_fingerprints_survive_unrelated_edits(tmp_path: Path) -> None:
    source = (INSECURE_APP / "main.py").read_text()
    (tmp_path / "main.py").write_text(source)
    before = render(lint([tmp_path], jobs=1, root=tmp_path))["runs"][0]["results"]
    (tmp_path / "main.py").write_text("import os\n\n\n" + source)
    after = render(lint([tmp_path], jobs=1, root=tmp_path))["runs"][0]["results"]
    assert [r["partialFingerprints"] for r in before] == [r["partialFingerprints"] for r in after]
    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in after] == [
        r["locations"][0]["physicalLocation"]["region"]["startLine"] + 3 for r in before
    ]
    (tmp_path / "main.py").write_text(source.replace('"/users/{user_id}"', '"/people/{user_id}"'))
    changed = render(lint([tmp_path], jobs=1, root=tmp_path))["runs"][0]["results"]
    fl003 = [r for r in before + changed if r["ruleId"] == "FL003"]
    assert (
        fl003[0]["partialFingerprints"]["fastlint/v1"]
        != fl003[1]["partialFingerprints"]["fastlint/v1"]
    )


def test_paths_are_relative_to_the_repository_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".git").mkdir()
    app_dir = tmp_path / "backend" / "app"
    app_dir.mkdir(parents=True)
    (app_dir / "main.py").write_text((INSECURE_APP / "main.py").read_text())
    monkeypatch.chdir(tmp_path / "backend")  # anywhere inside the repository
    document = render(lint(["app"], jobs=1))
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in document["runs"][0]["results"]
    }
    assert uris == {"backend/app/main.py"}


def test_descriptors_carry_every_cwe_and_owasp_category() -> None:
    document = render(lint([INSECURE_APP], jobs=1, root=INSECURE_APP.parent.parent))
    rules = {r["id"]: r for r in document["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["FL007"]["properties"]["tags"] == [
        "security",
        "external/cwe/cwe-942",
        "external/cwe/cwe-346",
        "external/owasp/api8:2023",
    ]
    assert rules["FL010"]["properties"]["tags"][1:4] == [
        "external/cwe/cwe-489",
        "external/cwe/cwe-215",
        "external/cwe/cwe-1327",
    ]
