"""The shape every rule has: identity, severity, references, docs and examples."""

from __future__ import annotations

import inspect
from collections.abc import Iterator, Mapping
from typing import Any, ClassVar, TypeAlias

from fastlint.findings import Finding, FlowStep, Related, Severity
from fastlint.model.anchor import Anchor
from fastlint.model.project import Analysis, Project
from fastlint.rule_options import NoOptions

DOC_HEADINGS = ("## What it does", "## Why is this bad?", "## Known limits")

# A rule's example: one file's source, or a small project as {relative path: source}
# (a router in one module, the app that includes it in another).
Example: TypeAlias = str | Mapping[str, str]


class Rule:
    """Base class. A rule's docstring is its manual, under `DOC_HEADINGS`.

    A rule carries its examples: `invalid` ones, each line of which that must be
    reported ends with a `# expect: <code>` comment, and `valid` ones, reported
    nowhere. An example is a whole Python file, or a few files as a dict of
    {relative path: source}. One parametrised test (tests/rules/test_rule_examples.py)
    checks that the rule reports exactly the marked lines; the manual's "Example"
    and "Use instead" sections are generated from them.

    `bad_example` and `good_example` (one source each) are the older spelling: each
    counts as the first invalid / valid example.
    """

    code: ClassVar[str]
    name: ClassVar[str]
    summary: ClassVar[str]  # one sentence: what it finds
    severity: ClassVar[Severity]
    cwe: ClassVar[int]
    owasp: ClassVar[str]  # OWASP API Security Top 10 (2023) category, e.g. "API2:2023"
    owasp_title: ClassVar[str]
    # Further CWE entries and OWASP categories the rule covers, after the main ones.
    also_cwe: ClassVar[tuple[int, ...]] = ()
    also_owasp: ClassVar[tuple[tuple[str, str], ...]] = ()  # (("API5:2023", "Title"),)
    fix: ClassVar[str]  # one line: how to fix
    precision: ClassVar[str]  # SARIF precision: very-high, high, medium or low
    security_severity: ClassVar[str]  # CVSS-like score GitHub ranks alerts by, e.g. "8.2"
    invalid: ClassVar[tuple[Example, ...]] = ()
    valid: ClassVar[tuple[Example, ...]] = ()
    bad_example: ClassVar[str] = ""  # the older spelling of one invalid example
    good_example: ClassVar[str] = ""  # ... and of one valid example
    # The rule's options: a frozen dataclass with types and defaults, configured in
    # `[tool.fastlint.rules.<code>]` (see `fastlint.rule_options`). A rule that has
    # options narrows `options` to its dataclass: `options: MyOptions`.
    Options: ClassVar[type[Any]] = NoOptions
    options: Any
    # The analyses (`fastlint.analysis`) the rule reads with `project.get(...)`; the
    # engine computes each once, before the first rule that needs it runs.
    requires: ClassVar[tuple[type[Analysis], ...]] = ()
    # Why a finding's severity moves away from `severity`: (severity label, the
    # condition) pairs, e.g. (("medium", "a read-only route"),). A
    # finding at a lower severity says why in its message; `fastlint rules` and the
    # manual list them.
    severity_reasons: ClassVar[tuple[tuple[str, str], ...]] = ()
    # Off unless selected (by code, prefix or `ALL`), like ruff's preview rules: for rules
    # whose precision on real code is below what a default rule's must be; the manual
    # says why under Known limits.
    preview: ClassVar[bool] = False

    def __init__(self, options: object | None = None) -> None:
        self.options = self.Options() if options is None else options

    def check(self, project: Project) -> Iterator[Finding]:
        raise NotImplementedError

    @classmethod
    def documentation(cls) -> str:
        """The rule's manual (its docstring, dedented)."""
        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def invalid_examples(cls) -> tuple[Example, ...]:
        """Every example the rule must report, `bad_example` first."""
        return ((cls.bad_example,) if cls.bad_example else ()) + tuple(cls.invalid)

    @classmethod
    def valid_examples(cls) -> tuple[Example, ...]:
        """Every example the rule must leave alone, `good_example` first."""
        return ((cls.good_example,) if cls.good_example else ()) + tuple(cls.valid)

    @classmethod
    def cwes(cls) -> tuple[int, ...]:
        """Every CWE entry, the main one first."""
        return (cls.cwe, *cls.also_cwe)

    @classmethod
    def owasps(cls) -> tuple[tuple[str, str], ...]:
        """Every OWASP API Top 10 category as (code, title), the main one first."""
        return ((cls.owasp, cls.owasp_title), *cls.also_owasp)

    @property
    def cwe_url(self) -> str:
        return f"https://cwe.mitre.org/data/definitions/{self.cwe}.html"

    def finding(
        self,
        anchor: Anchor,
        message: str,
        *,
        related: tuple[Related, ...] = (),
        severity: Severity | None = None,
        sources: tuple[str, ...] = (),
        flow: tuple[FlowStep, ...] = (),
    ) -> Finding:
        """A finding about the model object `anchor` stands for: its file, span,
        other lines and subject (hence fingerprint) all come from the model. A lower
        severity than the rule's is explained in the message (`severity_reasons`)."""
        if severity is not None and severity < self.severity:
            reason = dict(self.severity_reasons).get(severity.label)
            because = f": {reason}" if reason else ""
            message += f" [{severity.label}, not {self.severity.label}{because}]"
        return Finding(
            rule=self.code,
            name=self.name,
            severity=severity or self.severity,
            path=anchor.path,
            span=anchor.span,
            message=message,
            fix=self.fix,
            subject=anchor.subject,
            route=anchor.route,
            related=related,
            also_lines=anchor.also_lines,
            sources=tuple(f for f in sources if f != anchor.path),
            flow=flow,
        )

    @staticmethod
    def related(anchor: Anchor, message: str) -> Related:
        """A second place that explains a finding (the app, the field)."""
        return Related(anchor.path, anchor.span, message, anchor.route)
