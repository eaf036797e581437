"""GitLab Code Quality report (a JSON array of issues)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from fastlint.report.options import ReportOptions
from fastlint.results import Report

if TYPE_CHECKING:
    from fastlint.rule import Rule
from fastlint.findings import Severity
from fastlint.report.escape import valid_unicode

SEVERITIES = {
    Severity.LOW: "minor",
    Severity.MEDIUM: "major",
    Severity.HIGH: "critical",
    Severity.CRITICAL: "blocker",
}


def _issue(check: str, message: str, path: str, line: int, severity: str) -> dict[str, Any]:
    """An issue that is not a finding (a suppression problem, an unreadable file)."""
    identity = "\0".join((check, path, str(line), message))
    return {
        "description": f"{check}: {message}",
        "check_name": check,
        "fingerprint": hashlib.sha256(identity.encode("utf-8", "replace")).hexdigest()[:32],
        "severity": severity,
        "location": {"path": path, "lines": {"begin": line, "end": line}},
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
    # They fail the run too: a report that lists nothing would not say why.
    issues += [
        _issue(f"fastlint {p.title}", p.message, report.relative(p.path), p.line, "minor")
        for p in report.suppression_problems
    ]
    issues += [
        _issue(
            "fastlint could-not-analyse", e.message, report.relative(e.path), e.line or 1, "major"
        )
        for e in report.errors
    ]
    return valid_unicode(json.dumps(issues, indent=2, ensure_ascii=False)) + "\n"
