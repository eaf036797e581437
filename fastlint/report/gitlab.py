"""GitLab Code Quality report (a JSON array of issues)."""

from __future__ import annotations

import json

from fastlint.engine import Report
from fastlint.findings import Severity

SEVERITIES = {
    Severity.LOW: "minor",
    Severity.MEDIUM: "major",
    Severity.HIGH: "critical",
    Severity.CRITICAL: "blocker",
}


def render(report: Report) -> str:
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
