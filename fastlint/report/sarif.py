"""SARIF 2.1.0, shaped for GitHub code scanning."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from fastlint import __version__
from fastlint.docs import REPOSITORY_URL, help_uri, rule_markdown
from fastlint.findings import Finding, Severity
from fastlint.report.escape import valid_unicode
from fastlint.report.linehash import line_hashes
from fastlint.report.options import ReportOptions
from fastlint.report.source import snippet
from fastlint.results import Report
from fastlint.span import Span
from fastlint.suppress import SuppressionProblem

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
# GitHub ranks alerts by `security-severity` in these bands (critical >= 9.0) ...
BANDS = {
    Severity.CRITICAL: (9.0, 10.0),
    Severity.HIGH: (7.0, 8.9),
    Severity.MEDIUM: (4.0, 6.9),
    Severity.LOW: (0.1, 3.9),
}
# ... and this score stands for a severity when the rule's own is in another band.
BAND_SCORES = {
    Severity.CRITICAL: "9.1",
    Severity.HIGH: "7.5",
    Severity.MEDIUM: "5.3",
    Severity.LOW: "3.1",
}


def security_severity(rule_score: str, severity: Severity) -> str:
    """The score GitHub ranks a finding by: the rule's own when it falls in the band
    of the finding's effective severity (configuration overrides applied), else the
    band's score, so that GitHub shows the severity fastlint reports."""
    low, high = BANDS[severity]
    return rule_score if low <= float(rule_score) <= high else BAND_SCORES[severity]


def artifact_uri(path: str) -> str:
    """A display path as a URI reference: percent-encoded UTF-8 (a file name's
    undecodable bytes as they are on disk), `/` kept between segments."""
    try:
        data = path.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate no file system produced
        data = path.encode("utf-8", "replace")
    return quote(data, safe="/")


def _rule_descriptor(rule: type[Rule], severity: Severity) -> dict[str, Any]:
    """The rule for GitHub, ranked at `severity` (GitHub reads the rank from here)."""
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
            "security-severity": security_severity(rule.security_severity, severity),
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
            "artifactLocation": {
                "uri": artifact_uri(report.relative(path)),
                "uriBaseId": "%SRCROOT%",
            },
            "region": _region(path, span, source),
        }
    }


def _result(
    report: Report,
    finding: Finding,
    index: int,
    hashes: dict[int, str],
    source: Callable[[str], str],
    rule: type[Rule],
) -> dict[str, Any]:
    score = security_severity(rule.security_severity, finding.severity)
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": index,
        "level": LEVELS[finding.severity],
        "message": {"text": f"{finding.message}. {finding.fix}"},
        "locations": [_location(report, finding.path, finding.span, source)],
        "partialFingerprints": {
            FINGERPRINT_KEY: finding.fingerprint(report.relative(finding.path))
        },
        "properties": {"security-severity": score},
    }
    if finding.span.line in hashes:
        result["partialFingerprints"]["primaryLocationLineHash"] = hashes[finding.span.line]
    if finding.related:
        result["relatedLocations"] = [
            {"id": i, **_location(report, r.path, r.span, source), "message": {"text": r.message}}
            for i, r in enumerate(finding.related, start=1)
        ]
    if finding.flow:
        # One thread flow, source first: GitHub code scanning shows it as "Show paths".
        locations = [
            {
                "location": {
                    **_location(report, step.path, step.span, source),
                    "message": {"text": step.message},
                },
                "nestingLevel": 0,
                "executionOrder": order,
            }
            for order, step in enumerate(finding.flow, start=1)
        ]
        result["codeFlows"] = [{"threadFlows": [{"locations": locations}]}]
    return result


def _suppression_notification(report: Report, problem: SuppressionProblem) -> dict[str, Any]:
    """A suppression comment the audit flags: it fails the run, so it is an error."""
    span = Span(problem.line, 1, problem.line, 1)
    return {
        "level": "error",
        "message": {"text": f"{problem.title}: {problem.message}"},
        "descriptor": {"id": f"{problem.title}"},
        "locations": [_location(report, problem.path, span, source=None)],
    }


def _coverage_notifications(report: Report) -> list[dict[str, Any]]:
    """A warning when routes were not checked, and a note locating each of them."""
    coverage = report.coverage
    undetermined: list[dict[str, Any]] = []
    if coverage.auth_summary is not None:
        undetermined.append({"level": "warning", "message": {"text": coverage.auth_summary}})
    if coverage.summary is None:
        return undetermined
    notes: list[dict[str, Any]] = [
        *undetermined,
        {"level": "warning", "message": {"text": coverage.summary}},
    ]
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
        index = rule_index[finding.rule]
        return _result(report, finding, index, hashes, options.source, rules[index])

    results = [result_of(finding) for finding in report.findings]
    if options.include_suppressed:
        for finding, comment in report.suppressed:
            result = result_of(finding)
            suppression: dict[str, Any] = {"kind": "inSource", "status": "accepted"}
            if comment.reason:
                suppression["justification"] = comment.reason
            result["suppressions"] = [suppression]
            results.append(result)
    # GitHub ranks every alert of a rule alike, by its descriptor: the rule takes the
    # highest effective severity of its findings in this run (each result has its own).
    ranks: dict[str, Severity] = {}
    for finding in report.findings:
        ranks[finding.rule] = max(finding.severity, ranks.get(finding.rule, Severity.LOW))
    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "fastlint",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": REPOSITORY_URL,
                "rules": [
                    _rule_descriptor(rule, ranks.get(rule.code, rule.severity)) for rule in rules
                ],
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
                + [_suppression_notification(report, p) for p in report.suppression_problems]
                + _coverage_notifications(report),
            }
        ],
        "results": results,
        "columnKind": "unicodeCodePoints",
    }
    if options.sarif_category:
        run["automationDetails"] = {"id": f"{options.sarif_category}/"}
    document = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return valid_unicode(json.dumps(document, indent=2, ensure_ascii=False)) + "\n"
