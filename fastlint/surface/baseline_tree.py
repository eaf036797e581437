"""Run fastlint on a git revision as on the working tree: same paths, and the settings
that revision itself holds (a branch cannot judge its base with its own trust)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from fastlint.config import Settings
from fastlint.config_diff import ConfigChange, new_suppressions, widened
from fastlint.pipeline.plan import project_root
from fastlint.registry import ALL_RULES
from fastlint.results import Report, SuppressionProblem
from fastlint.surface import gitref

# The base's settings for the base's paths, given where a working-tree file is in
# the base's tree (None when outside the repository).
InBase = Callable[[Path], Path | None]
SettingsAt = Callable[[list[Path], InBase], Settings]


@dataclass(frozen=True)
class Revision:
    top: Path  # the working tree's top folder
    paths: list[Path]  # the scanned paths, in the revision's tree
    settings: Settings  # the revision's own settings
    tree: Path  # the temporary tree


def scope(paths: Sequence[Path], settings: Settings) -> list[Path]:
    """What a run on `paths` reads: a folder itself; a file named alone, its project
    (the context `lint` reads for it)."""
    return [project_root(settings, p) if p.is_file() else p for p in paths]


@contextmanager
def at_revision(
    ref: str, paths: Sequence[Path], settings: Settings, settings_at: SettingsAt | None = None
) -> Iterator[Revision]:
    """`paths` in revision `ref`'s tree, with that revision's settings (`settings_at`
    on the old paths; without it, `settings` rebased there). The tree is a temporary
    copy of what the run reads, removed afterwards."""
    top = gitref.top_level(paths[0])
    read = scope(paths, settings)
    if settings.source is not None and settings.source.is_relative_to(top):
        read.append(settings.source)  # `--config FILE` in the repository: the base's own
    with gitref.tree_at(ref, top, read) as tree:
        old_paths = [gitref.rebased(p, top, tree) for p in paths]

        def in_base(path: Path) -> Path | None:
            try:
                return gitref.rebased(path, top, tree)
            except gitref.GitError:
                return None

        if settings_at is not None:
            old_settings = settings_at(old_paths, in_base)
        else:
            try:
                old_root = gitref.rebased(settings.root, top, tree)
            except gitref.GitError:
                old_root = settings.root
            old_settings = replace(settings, root=old_root)
        yield Revision(top, old_paths, old_settings, tree)


def trust_changes(
    before: Settings,
    after: Settings,
    old: Report | None,
    new: Report,
    old_root: Path,
    new_root: Path,
) -> list[ConfigChange]:
    """How the branch's configuration and suppression comments widen trust."""
    codes = [rule.code for rule in ALL_RULES]
    found = widened(before, after, codes, {rule.code: rule.severity for rule in ALL_RULES})
    found += new_suppressions(
        [(_relative(f.path, old_root), f) for f, _ in (old.suppressed if old else [])],
        [(_relative(f.path, new_root), f) for f, _ in new.suppressed],
    )
    return found


def _relative(path: str, root: Path) -> str:
    try:
        return Path(path).relative_to(root.resolve()).as_posix()
    except ValueError:
        return Path(path).as_posix()


def introduced(report: Report, old: Report) -> Report:
    """`report` with only the findings `old` does not have (compared by fingerprint,
    as a baseline compares: moving code keeps a finding's fingerprint)."""
    remaining = Counter(f.fingerprint(old.relative(f.path)) for f in old.findings)
    kept = []
    for finding in report.findings:
        fingerprint = finding.fingerprint(report.relative(finding.path))
        if remaining[fingerprint] > 0:
            remaining[fingerprint] -= 1
        else:
            kept.append(finding)
    return replace(report, findings=kept)


def check_introduced(
    ref: str,
    paths: Sequence[Path],
    settings: Settings,
    run: Callable[..., Report],
    settings_at: SettingsAt | None = None,
    accept_config_changes: bool = False,
) -> Report:
    """`run(paths, settings, root)` on the working tree, keeping the findings that are
    not in revision `ref`, plus the ways the change widens trust (as problems that
    fail the run, unless accepted)."""
    with at_revision(ref, paths, settings, settings_at) as base:
        current = run(list(paths), settings, base.top)
        existing = [p for p in base.paths if p.exists()]
        old = run(existing, base.settings, base.tree) if existing else None
        changes = trust_changes(base.settings, settings, old, current, base.tree, base.top)
    report = current if old is None else introduced(current, old)
    if accept_config_changes or not changes:
        return report
    where = str(settings.source or paths[0])
    problems = [SuppressionProblem(where, 1, "trust", c.message) for c in changes]
    return replace(report, suppression_problems=[*report.suppression_problems, *problems])
