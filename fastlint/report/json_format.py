"""The JSON report, schema version 1 (documented in docs/json-format.md)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from fastlint import __version__
from fastlint.report.options import ReportOptions
from fastlint.results import Report

if TYPE_CHECKING:
    from fastlint.rule import Rule
from fastlint.findings import Finding
from fastlint.report.escape import valid_unicode

SCHEMA_VERSION = 1


def finding_dict(report: Report, finding: Finding) -> dict[str, Any]:
    path = report.relative(finding.path)
    data: dict[str, Any] = {
        "rule": finding.rule,
        "name": finding.name,
        "severity": finding.severity.label,
        "path": path,
        "line": finding.span.line,
        "column": finding.span.column,
        "end_line": finding.span.end_line,
        "end_column": finding.span.end_column,
        "message": finding.message,
    }
    if finding.route is not None:
        data["route"] = finding.route
    data["subject"] = finding.subject
    data["fix"] = finding.fix
    data["related"] = [
        {
            "path": report.relative(r.path),
            "line": r.span.line,
            "column": r.span.column,
            "end_line": r.span.end_line,
            "end_column": r.span.end_column,
            "message": r.message,
        }
        for r in finding.related
    ]
    if finding.flow:
        data["flow"] = [
            {
                "path": report.relative(step.path),
                "line": step.span.line,
                "column": step.span.column,
                "end_line": step.span.end_line,
                "end_column": step.span.end_column,
                "message": step.message,
            }
            for step in finding.flow
        ]
    data["fingerprint"] = finding.fingerprint(path)
    return data


def render(report: Report, rules: Sequence[type[Rule]], options: ReportOptions) -> str:
    document: dict[str, Any] = {
        "version": SCHEMA_VERSION,
        "tool": {"name": "fastlint", "version": __version__},
        "findings": [finding_dict(report, f) for f in report.findings],
        "errors": [
            {
                "path": report.relative(e.path),
                "message": e.message,
                "line": e.line,
                "column": e.column,
            }
            for e in report.errors
        ],
        "suppression_problems": [
            {"path": report.relative(p.path), "line": p.line, "kind": p.kind, "message": p.message}
            for p in report.suppression_problems
        ],
        "summary": {
            "files_scanned": report.files_scanned,
            "findings": len(report.findings),
            "errors": len(report.errors),
            "suppressed": len(report.suppressed),
            "baselined": report.baselined,
        },
        "coverage": {
            **report.coverage.counts(),
            "not_checked_routes": [
                {
                    "path": report.relative(r.path),
                    "line": r.line,
                    "route": r.label,
                    "router": r.router,
                }
                for r in report.coverage.unchecked
            ],
            "authentication_undetermined": [
                {"reason": reason, "routes": count}
                for reason, count in report.coverage.undetermined
            ],
        },
    }
    if options.include_suppressed:
        document["suppressed"] = [
            {**finding_dict(report, f), "justification": s.reason} for f, s in report.suppressed
        ]
    return valid_unicode(json.dumps(document, indent=2, ensure_ascii=False)) + "\n"
