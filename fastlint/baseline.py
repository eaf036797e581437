"""Baselines: adopt fastlint on a legacy codebase by accepting today's findings.

A baseline is human-readable, sorted JSON. Entries match findings by the stable
fingerprint (rule + file + route or field), so moving code, adding unrelated
routes or reformatting keeps them matched; changing the finding itself does not.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

from fastlint.report.escape import valid_unicode
from fastlint.results import Report

BASELINE_VERSION = 1


class BaselineError(Exception):
    """The baseline file cannot be used (unreadable, not JSON, wrong shape)."""


def write(report: Report, path: Path) -> int:
    """Record the report's findings; reasons already written for them are kept."""
    reasons: dict[str, str] = {}
    if path.is_file():
        try:
            reasons = {e["fingerprint"]: e.get("reason", "") for e in _load(path)}
        except BaselineError:
            reasons = {}
    entries = sorted(
        (
            {
                "rule": f.rule,
                "path": report.relative(f.path),
                "subject": f.subject,
                "message": f.message,
                "fingerprint": f.fingerprint(report.relative(f.path)),
                "reason": reasons.get(f.fingerprint(report.relative(f.path)), ""),
            }
            for f in report.findings
        ),
        key=lambda e: (e["path"], e["rule"], e["subject"]),
    )
    document = {
        "version": BASELINE_VERSION,
        "tool": "fastlint",
        "comment": "Accepted findings. Fill `reason` for reviewers; prune fixed entries with "
        "--write-baseline.",
        "findings": entries,
    }
    text = valid_unicode(json.dumps(document, indent=2, ensure_ascii=False))  # "/\ud800"
    path.write_text(text + "\n", encoding="utf-8")
    return len(entries)


def apply(report: Report, path: Path) -> Report:
    """The report without the findings the baseline accepts, with counts of both."""
    remaining = Counter(entry["fingerprint"] for entry in _load(path))
    kept = []
    for finding in report.findings:
        fingerprint = finding.fingerprint(report.relative(finding.path))
        if remaining[fingerprint] > 0:
            remaining[fingerprint] -= 1
        else:
            kept.append(finding)
    return replace(
        report,
        findings=kept,
        baselined=len(report.findings) - len(kept),
        fixed_baseline_entries=sum(remaining.values()),
    )


def _load(path: Path) -> list[dict[str, Any]]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise BaselineError(f"cannot read baseline {path}: {exc.strerror or exc}") from exc
    except json.JSONDecodeError as exc:
        raise BaselineError(
            f"baseline {path} is not valid JSON (line {exc.lineno}, column {exc.colno})"
        ) from exc
    findings = document.get("findings") if isinstance(document, dict) else None
    if (
        not isinstance(findings, list)
        or document.get("version") != BASELINE_VERSION
        or not all(isinstance(e, dict) and isinstance(e.get("fingerprint"), str) for e in findings)
    ):
        raise BaselineError(f"{path} is not a fastlint baseline (version {BASELINE_VERSION})")
    return findings
