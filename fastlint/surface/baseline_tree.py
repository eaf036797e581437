"""Run fastlint on a git revision as on the working tree: same paths, same settings."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from fastlint.config import Settings
from fastlint.results import Report
from fastlint.surface import gitref


@contextmanager
def at_revision(
    ref: str, paths: Sequence[Path], settings: Settings
) -> Iterator[tuple[Path, list[Path], Settings, Path]]:
    """(the working tree's top, `paths` in revision `ref`'s tree, the settings rebased
    there, that tree). The tree is a temporary copy, removed afterwards."""
    top = gitref.top_level(paths[0])
    with gitref.tree_at(ref, top) as tree:
        old_paths = [gitref.rebased(p, top, tree) for p in paths]
        root = settings.root
        try:
            old_root = gitref.rebased(root, top, tree)
        except gitref.GitError:
            old_root = root
        yield top, old_paths, replace(settings, root=old_root), tree


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
    ref: str, paths: Sequence[Path], settings: Settings, run: Callable[..., Report]
) -> Report:
    """`run(paths, settings, root)` on the working tree, keeping the findings that are
    not in revision `ref`."""
    with at_revision(ref, paths, settings) as (top, old_paths, old_settings, tree):
        current = run(list(paths), settings, top)
        existing = [p for p in old_paths if p.exists()]
        if not existing:  # the paths are new in this change: every finding is
            return current
        return introduced(current, run(existing, old_settings, tree))
