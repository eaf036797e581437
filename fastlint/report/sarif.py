"""SARIF 2.1.0, shaped for GitHub code scanning."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from fastlint import __version__
from fastlint.docs import REPOSITORY_URL, help_uri, rule_markdown
from fastlint.findings import Finding, Severity
from fastlint.report.linehash import line_hashes
from fastlint.report.options import ReportOptions
from fastlint.report.source import snippet
from fastlint.results import Report
from fastlint.span import Span

if TYPE_CHECKING:
    from fastlint.rule import Rule

SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
LEVELS = {
    Severity.LOW: "note",
    Severity.MEDIUM: "warning",
    Severity.HIGH: "error",
    Severity.CRITICAL: "error",
}
FINGERPRINT_KEY = "fastlint/v1"


def _rule_descriptor(rule: type[Rule]) -> dict[str, Any]:
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {
            "text": rule.documentation()
            .split("## Why is this bad?")[0]
            .replace("## What it does", "")
            .strip()
        },
        "help": {"text": f"{rule.summary}. {rule.fix}", "markdown": rule_markdown(rule)},
        "helpUri": help_uri(rule),
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {
            "tags": [
                "security",
                *(f"external/cwe/cwe-{n}" for n in rule.cwes()),
                *(f"external/owasp/{code.lower()}" for code, _ in rule.owasps()),
            ],
            "precision": rule.precision,
            "security-severity": rule.security_severity,
        },
    }


def _region(path: str, span: Span, source: Callable[[str], str] | None) -> dict[str, Any]:
    region: dict[str, Any] = {
        "startLine": span.line,
        "startColumn": span.column,
        "endLine": span.end_line,
        "endColumn": span.end_column,
    }
    if source is not None:
        text = snippet(source(path), span.line, span.end_line)
        if text:
            region["snippet"] = {"text": text}
    return region


def _location(
    report: Report, path: str, span: Span, source: Callable[[str], str] | None
) -> dict[str, Any]:
    return {
        "physicalLocation": {
            "artifactLocation": {"uri": report.relative(path), "uriBaseId": "%SRCROOT%"},
            "region": _region(path, span, source),
        }
    }


def _result(
    report: Report,
    finding: Finding,
    index: int,
    hashes: dict[int, str],
    source: Callable[[str], str],
) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": index,
        "level": LEVELS[finding.severity],
        "message": {"text": f"{finding.message}. {finding.fix}"},
        "locations": [_location(report, finding.path, finding.span, source)],
        "partialFingerprints": {
            FINGERPRINT_KEY: finding.fingerprint(report.relative(finding.path))
        },
    }
    if finding.span.line in hashes:
        result["partialFingerprints"]["primaryLocationLineHash"] = hashes[finding.span.line]
    if finding.related:
        result["relatedLocations"] = [
            {"id": i, **_location(report, r.path, r.span, source), "message": {"text": r.message}}
            for i, r in enumerate(finding.related, start=1)
        ]
    return result


def _coverage_notifications(report: Report) -> list[dict[str, Any]]:
    """A warning when routes were not checked, and a note locating each of them."""
    coverage = report.coverage
    if coverage.summary is None:
        return []
    notes: list[dict[str, Any]] = [{"level": "warning", "message": {"text": coverage.summary}}]
    for route in coverage.unchecked:
        where = Span(route.line, 1, route.line, 1)
        notes.append(
            {
                "level": "note",
                "message": {
                    "text": f"{route.label} (router `{route.router}`) is served by no app "
                    "fastlint could see: not checked"
                },
                "locations": [_location(report, route.path, where, source=None)],
            }
        )
    return notes


def render(report: Report, rules: Sequence[type[Rule]], options: ReportOptions) -> str:
    rule_index = {rule.code: i for i, rule in enumerate(rules)}
    hashes_by_file: dict[str, dict[int, str]] = {}

    def result_of(finding: Finding) -> dict[str, Any]:
        if finding.path not in hashes_by_file:
            hashes_by_file[finding.path] = line_hashes(options.source(finding.path))
        hashes = hashes_by_file[finding.path]
        return _result(report, finding, rule_index[finding.rule], hashes, options.source)

    results = [result_of(finding) for finding in report.findings]
    if options.include_suppressed:
        for finding, comment in report.suppressed:
            result = result_of(finding)
            suppression: dict[str, Any] = {"kind": "inSource", "status": "accepted"}
            if comment.reason:
                suppression["justification"] = comment.reason
            result["suppressions"] = [suppression]
            results.append(result)
    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "fastlint",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": REPOSITORY_URL,
                "rules": [_rule_descriptor(rule) for rule in rules],
            }
        },
        "originalUriBaseIds": {"%SRCROOT%": {"uri": report.root.as_uri() + "/"}},
        "invocations": [
            {
                "executionSuccessful": True,
                "startTimeUtc": report.started.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "endTimeUtc": now,
                "toolExecutionNotifications": [
                    {
                        "level": "error",
                        "message": {"text": error.message},
                        "locations": [
                            _location(
                                report,
                                error.path,
                                Span(
                                    error.line or 1,
                                    error.column or 1,
                                    error.line or 1,
                                    error.column or 1,
                                ),
                                source=None,
                            )
                        ],
                    }
                    for error in report.errors
                ]
                + _coverage_notifications(report),
            }
        ],
        "results": results,
        "columnKind": "unicodeCodePoints",
    }
    if options.sarif_category:
        run["automationDetails"] = {"id": f"{options.sarif_category}/"}
    document = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
