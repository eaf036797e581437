"""Suppression comments: `# fastlint: ignore[FL001] -- reason` and `# noqa: FL001`
(and bandit's `# nosec`, which rules read where bandit has the same check).

A bare `# fastlint: ignore` silences every rule on its line. A bare `# noqa`
does not: it is usually meant for another linter, and a security finding should
only be silenced on purpose.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping

from fastlint.findings import Finding
from fastlint.results import Suppression as Suppression  # moved to results
from fastlint.results import SuppressionProblem as SuppressionProblem  # moved to results
from fastlint.span import split_lines

PATTERN = re.compile(
    r"#\s*(?:fastlint:\s*ignore(?:\[(?P<codes>[^\]]*)\])?"
    r"|noqa:\s*(?P<noqa>[A-Z]+\w*(?:\s*,\s*[A-Z]+\w*)*))"
    r"(?:\s*--\s*(?P<reason>.*\S))?",
    re.IGNORECASE,
)
CODE = re.compile(r"FL\d+", re.IGNORECASE)
# The reason `fastlint check --add-noqa` writes: the audits report it until replaced.
PLACEHOLDER = "TODO: why this finding is accepted"
# Problems reported whatever the run asked for: a comment that does nothing.
ALWAYS_REPORTED = frozenset({"unknown"})


def _comments(
    data: bytes, encoding: str, pattern: re.Pattern[str]
) -> Iterator[tuple[int, re.Match[str]]]:
    """(line number, match) for each line whose comment `pattern` finds."""
    text = data.decode(encoding, errors="replace")
    for number, line in enumerate(split_lines(text), start=1):
        if "#" in line:
            match = pattern.search(line)
            if match is not None:
                yield number, match


def scan(data: bytes, encoding: str) -> tuple[Suppression, ...]:
    """Every suppression comment in a file's source."""
    lowered = data.lower()
    if b"fastlint" not in lowered and b"noqa" not in lowered:
        return ()
    found = []
    for number, match in _comments(data, encoding, PATTERN):
        raw = match.group("codes")
        if raw is None and match.group("noqa") is not None:  # only the FL codes are ours
            ours = [c for c in match.group("noqa").split(",") if CODE.match(c.strip())]
            if not ours:
                continue  # another linter's (`# noqa: E501`)
            raw = ",".join(ours)
        codes = None
        if raw is not None:
            codes = frozenset(_token(c) for c in raw.split(",") if c.strip())
        found.append(Suppression(number, codes or None, match.group("reason")))
    return tuple(found)


def _token(word: str) -> str:
    """A code upper-cased (`fl001` is FL001); anything else as written, lower-cased
    (a rule name, resolved against the registry by `resolve`)."""
    word = word.strip()
    return word.upper() if CODE.fullmatch(word) else word.lower()


def resolve(
    comments: dict[str, tuple[Suppression, ...]],
    names: Mapping[str, str],
    known: Iterable[str],
) -> tuple[dict[str, tuple[Suppression, ...]], list[SuppressionProblem]]:
    """Comments with rule names (`unauthenticated-route`) turned into codes, and the
    words that are neither a known code nor a rule name, as "unknown" problems."""
    known = set(known)
    lowered = {name.lower(): code for name, code in names.items()}
    resolved: dict[str, tuple[Suppression, ...]] = {}
    problems = []
    for path, found in comments.items():
        kept = []
        for comment in found:
            if comment.codes is None:
                kept.append(comment)
                continue
            codes = {lowered.get(word, word) for word in comment.codes}
            unknown = sorted(c for c in codes if c not in known)
            if unknown:
                problems.append(
                    SuppressionProblem(
                        path,
                        comment.line,
                        "unknown",
                        f"suppression comment not understood: {', '.join(unknown)} is not a "
                        "fastlint rule code or name (see `fastlint rules`)",
                    )
                )
            kept.append(Suppression(comment.line, frozenset(codes), comment.reason))
        resolved[path] = tuple(kept)
    return resolved, problems


NOSEC = re.compile(r"#\s*nosec\b:?(?P<tests>[^#]*)", re.IGNORECASE)
# What a `# nosec` names: bandit check ids (`B104`) and check names
# (`hardcoded_bind_all_interfaces`); other words are an explanation.
# ruff's `# noqa: S104, E501`: the flake8-bandit codes are bandit's checks renumbered.
RUFF_BANDIT = re.compile(r"#\s*noqa:\s*(?P<codes>[A-Z]+\d+(?:\s*,\s*[A-Z]+\d+)*)", re.IGNORECASE)
NOSEC_TEST = re.compile(r"^(B\d{3}|[a-z]+(?:_[a-z0-9]+)+)$", re.IGNORECASE)


def scan_nosec(data: bytes, encoding: str) -> tuple[tuple[int, tuple[str, ...]], ...]:
    """Bandit's `# nosec` comments, and ruff's `# noqa: S104` (its flake8-bandit codes,
    `S` and bandit's number): each line with the checks it names (none: every check).
    fastlint honours them only where bandit has the same check (FL010's bind)."""
    lowered = data.lower()
    found = []
    if b"nosec" in lowered:
        for number, match in _comments(data, encoding, NOSEC):
            words = re.split(r"[\s,]+", match.group("tests").strip())
            tests = tuple(
                w.upper() if w[:1] in "bB" and w[1:].isdigit() else w.lower()
                for w in words
                if NOSEC_TEST.match(w)
            )
            found.append((number, tests))
    if b"noqa" in lowered:
        for number, match in _comments(data, encoding, RUFF_BANDIT):
            codes = re.findall(r"\bS(\d{3})\b", match.group("codes"), re.IGNORECASE)
            if codes:  # a bare `# noqa` is not a review of the bind: bandit's codes only
                found.append((number, tuple(f"B{digits}" for digits in codes)))
    return tuple(sorted(found))


def apply(
    findings: Iterable[Finding], comments: dict[str, tuple[Suppression, ...]]
) -> tuple[list[Finding], list[tuple[Finding, Suppression]]]:
    """Split findings into active ones and those a comment silences.

    A comment applies on the line a finding points at, or on one of its other
    lines (a route's `def` line)."""
    active: list[Finding] = []
    suppressed: list[tuple[Finding, Suppression]] = []
    for finding in findings:
        lines = {finding.span.line, *finding.also_lines}
        comment = next(
            (
                c
                for c in comments.get(finding.path, ())
                if c.line in lines and c.covers(finding.rule)
            ),
            None,
        )
        if comment is None:
            active.append(finding)
        else:
            suppressed.append((finding, comment))
    return active, suppressed


def audit(
    comments: dict[str, tuple[Suppression, ...]],
    suppressed: list[tuple[Finding, Suppression]],
    ran: Iterable[str],
    every_rule_ran: bool,
) -> list[SuppressionProblem]:
    """Comments that silence nothing (judged only for rules that ran) and bare ones."""
    ran = set(ran)
    used: dict[tuple[str, int], set[str]] = {}
    for finding, comment in suppressed:
        used.setdefault((finding.path, comment.line), set()).add(finding.rule)
    problems: list[SuppressionProblem] = []
    for path, found in sorted(comments.items()):
        for comment in found:
            hits = used.get((path, comment.line), set())
            if comment.reason == PLACEHOLDER:
                problems.append(
                    SuppressionProblem(
                        path,
                        comment.line,
                        "unfilled",
                        "the suppression's reason is still the placeholder `--add-noqa` "
                        "wrote: say why the finding is accepted",
                    )
                )
            if comment.codes is None:
                problems.append(
                    SuppressionProblem(
                        path,
                        comment.line,
                        "bare",
                        "`# fastlint: ignore` without rule codes silences every rule: "
                        "name them, e.g. `# fastlint: ignore[FL001]`",
                    )
                )
                if not hits and every_rule_ran:
                    problems.append(
                        SuppressionProblem(
                            path, comment.line, "unused", "suppression silences nothing"
                        )
                    )
                continue
            unused = sorted(c for c in comment.codes if c in ran and c not in hits)
            if unused:
                problems.append(
                    SuppressionProblem(
                        path,
                        comment.line,
                        "unused",
                        f"suppression of {', '.join(unused)} silences nothing",
                    )
                )
    return problems
