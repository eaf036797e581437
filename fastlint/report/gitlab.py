"""GitLab Code Quality report (a JSON array of issues)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

from fastlint.report.options import ReportOptions
from fastlint.results import Report

if TYPE_CHECKING:
    from fastlint.rule import Rule
from fastlint.findings import Severity

SEVERITIES = {
    Severity.LOW: "minor",
    Severity.MEDIUM: "major",
    Severity.HIGH: "critical",
    Severity.CRITICAL: "blocker",
}


def render(report: Report, rules: Sequence[type[Rule]], options: ReportOptions) -> str:
    issues = [
        {
            "description": f"{f.rule} {f.message}",
            "check_name": f"{f.rule} {f.name}",
            "fingerprint": f.fingerprint(report.relative(f.path)),
            "severity": SEVERITIES[f.severity],
            "location": {
                "path": report.relative(f.path),
                "lines": {"begin": f.span.line, "end": f.span.end_line},
            },
        }
        for f in report.findings
    ]
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
