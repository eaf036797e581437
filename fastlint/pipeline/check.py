"""Check a read project: link it, run the rules, and settle what is reported.

Each stage is a function of values: severity overrides, per-file ignores,
suppression comments (and which of their problems to report), the baseline.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import pathspec

from fastlint import baseline, suppress
from fastlint.analysis.route_auth import RouteAuth, Verdict
from fastlint.config import Settings
from fastlint.discovery import absolute
from fastlint.facts.types import ModuleFacts
from fastlint.findings import Finding
from fastlint.model.coverage import measure
from fastlint.model.project import Project
from fastlint.model.routing import RouteInstance
from fastlint.registry import ALL_RULES
from fastlint.results import Coverage, FileError, Report, Suppression, SuppressionProblem
from fastlint.rule import Rule


def internal_error(where: Path, stage: str, exc: Exception) -> FileError:
    """A fastlint bug, reported against the first path asked for (never a traceback)."""
    return FileError(
        str(absolute(where)),
        f"internal error in {stage} (please report it): {type(exc).__name__}: {exc}",
    )


def link(
    modules: dict[str, ModuleFacts], settings: Settings, where: Path
) -> tuple[Project, list[FileError]]:
    """The project model of the files read."""
    try:
        return Project(modules, settings=settings), []
    except Exception as exc:  # a fastlint bug: report it, never a traceback
        return Project({}, settings=settings), [internal_error(where, "linking the project", exc)]


def enabled_rules(settings: Settings, catalogue: Sequence[type[Rule]]) -> list[Rule]:
    """The rules to run, in catalogue order, each with its configured options."""
    preview = [rule.code for rule in catalogue if rule.preview]
    codes = settings.rule_codes([rule.code for rule in catalogue], preview)
    return [
        rule(settings.options_for(rule.code, rule.Options))
        for rule in catalogue
        if rule.code in codes
    ]


def run_rules(
    project: Project, rules: Sequence[Rule], where: Path
) -> tuple[list[Finding], list[FileError]]:
    """Every rule's findings; one broken rule does not hide the others'."""
    findings: list[Finding] = []
    errors: list[FileError] = []
    for rule in rules:
        try:
            for analysis in rule.requires:
                project.get(analysis)
            findings.extend(rule.check(project))
        except Exception as exc:
            errors.append(internal_error(where, f"rule {rule.code}", exc))
    return findings, errors


def settle(
    findings: Iterable[Finding], settings: Settings, reported: Collection[str]
) -> list[Finding]:
    """Unique findings in the reported files, severity overrides applied, per-file
    ignores dropped, sorted by path, line, column and rule (then by what tells
    apart findings at one place, so the order never depends on hashing)."""
    kept = [
        with_severity(f, settings)
        for f in set(findings)
        if concerns(f, reported) and not ignored_for_file(f, settings)
    ]
    return sorted(kept, key=_order)


def concerns(finding: Finding, files: Collection[str]) -> bool:
    """Whether a finding is about the files being checked: it lies in one, or its
    cause passes through one (pre-commit names the app's file, the finding is in
    the router's)."""
    return finding.path in files or any(source in files for source in finding.sources)


def coverage(
    project: Project, reported: Collection[str], where: Path
) -> tuple[Coverage, list[FileError]]:
    """Routes checked and not checked in the reported files."""
    try:
        auth = project.get(RouteAuth)

        def undecided(instance: RouteInstance) -> str | None:
            verdict = auth.of(instance)
            if verdict.verdict is not Verdict.UNKNOWN:
                return None
            return verdict.unknown[0] if verdict.unknown else "it could not be read"

        return measure(project, reported, undecided), []
    except Exception as exc:  # a fastlint bug: report it, never a traceback
        return Coverage(), [internal_error(where, "counting routes", exc)]


def _order(finding: Finding) -> tuple[object, ...]:
    related = tuple((r.path, r.span.line, r.span.column, r.message) for r in finding.related)
    return (*finding.sort_key, finding.subject, finding.route or "", related)


def with_severity(finding: Finding, settings: Settings) -> Finding:
    override = settings.severity_of(finding.rule)
    return finding if override is None else replace(finding, severity=override)


def ignored_for_file(finding: Finding, settings: Settings) -> bool:
    """`per-file-ignores`: globs relative to the config's folder."""
    if not settings.per_file_ignores:
        return False
    path = Path(finding.path)
    if not path.is_relative_to(settings.root):
        return False
    relative = path.relative_to(settings.root).as_posix()
    return any(
        finding.rule in codes and _glob_matches(glob, relative)
        for glob, codes in settings.per_file_ignores.items()
    )


def _glob_matches(glob: str, relative: str) -> bool:
    return pathspec.GitIgnoreSpec.from_lines([glob]).match_file(relative)


@dataclass(frozen=True)
class Suppressed:
    findings: list[Finding]  # still reported
    silenced: list[tuple[Finding, Suppression]]
    problems: list[SuppressionProblem]  # every kind; `select_problems` picks


def apply_suppressions(
    findings: list[Finding],
    modules: dict[str, ModuleFacts],
    reported: Collection[str],
    ran: Sequence[str],
    every_rule_ran: bool,
) -> Suppressed:
    """Findings silenced by comments in the reported files, and comments that are bare
    or silence nothing (judged only for the rules that ran)."""
    comments = {
        path: modules[path].suppressions
        for path in {*reported, *(f.path for f in findings)}
        if path in modules and modules[path].suppressions
    }
    names = {rule.name: rule.code for rule in ALL_RULES}
    comments, unknown = suppress.resolve(comments, names, names.values())
    active, silenced = suppress.apply(findings, comments)
    problems = unknown + suppress.audit(comments, silenced, ran, every_rule_ran)
    return Suppressed(active, silenced, problems)


def select_problems(report: Report, kinds: Collection[str]) -> Report:
    """Only the kinds of suppression problems the run was asked to report."""
    return replace(
        report,
        suppression_problems=[
            p
            for p in report.suppression_problems
            if p.kind in kinds or p.kind in suppress.ALWAYS_REPORTED
        ],
    )


def apply_baseline(report: Report, path: Path | None) -> Report:
    """Hide the findings the baseline accepts (raises `baseline.BaselineError`)."""
    return report if path is None else baseline.apply(report, path)
