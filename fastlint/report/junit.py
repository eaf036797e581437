"""JUnit XML: one test case per rule and file, for CI systems that only read JUnit.

Strings from the scanned code are written with their control characters made
visible: XML 1.0 forbids most of them, and a newline would forge a line."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING

from fastlint.report.options import ReportOptions
from fastlint.results import Report

if TYPE_CHECKING:
    from fastlint.rule import Rule
from fastlint.findings import Finding
from fastlint.report.escape import visible
from fastlint.suppress import SuppressionProblem


def _shown(report: Report, path: str) -> str:
    return visible(report.relative(path))


def render(report: Report, rules: Sequence[type[Rule]], options: ReportOptions) -> str:
    by_case: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for finding in report.findings:
        by_case[(finding.rule, _shown(report, finding.path))].append(finding)
    files = sorted({_shown(report, p) for p in report.files})
    suite = ET.Element("testsuite", name="fastlint")
    tests = failures = errors = 0
    for rule in (r for r in rules if r.code in report.rule_codes):
        for file in files:
            case = ET.SubElement(suite, "testcase", classname=f"{rule.code} {rule.name}", name=file)
            tests += 1
            found = by_case.get((rule.code, file))
            if found:
                failures += 1
                failure = ET.SubElement(
                    case,
                    "failure",
                    message=f"{len(found)} finding(s): {visible(found[0].message)}",
                    type=max(f.severity for f in found).label,
                )
                failure.text = "\n".join(
                    f"{file}:{f.span.line}:{f.span.column}: {f.rule} {visible(f.message)}"
                    for f in found
                )
    problems: dict[str, list[SuppressionProblem]] = defaultdict(list)
    for problem in report.suppression_problems:
        problems[_shown(report, problem.path)].append(problem)
    for file, found_problems in sorted(problems.items()):  # they fail the run too
        case = ET.SubElement(suite, "testcase", classname="fastlint suppressions", name=file)
        failure = ET.SubElement(
            case,
            "failure",
            message=(
                f"{len(found_problems)} suppression problem(s): "
                f"{visible(found_problems[0].message)}"
            ),
            type="suppression",
        )
        failure.text = "\n".join(
            f"{file}:{p.line}:1: {p.title} {visible(p.message)}" for p in found_problems
        )
        tests += 1
        failures += 1
    for error in report.errors:
        case = ET.SubElement(
            suite, "testcase", classname="fastlint", name=_shown(report, error.path)
        )
        ET.SubElement(case, "error", message=visible(error.message))
        tests += 1
        errors += 1
    suite.set("tests", str(tests))
    suite.set("failures", str(failures))
    suite.set("errors", str(errors))
    suite.set("time", f"{report.duration:.3f}")
    root = ET.Element("testsuites", tests=str(tests), failures=str(failures), errors=str(errors))
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
