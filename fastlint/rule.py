"""The shape every rule has: identity, severity, references, docs and examples."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import ClassVar

from fastlint.findings import Finding, Related, Severity
from fastlint.model.project import Project
from fastlint.span import Span

DOC_HEADINGS = ("## What it does", "## Why is this bad?", "## Known limits")


class Rule:
    """Base class. A rule's docstring is its manual, under `DOC_HEADINGS`.

    `bad_example` and `good_example` are whole Python files; each line of a bad
    example that must be reported ends with a `# expect: <code>` comment, and
    the test suite checks that the rule reports exactly those lines.
    """

    code: ClassVar[str]
    name: ClassVar[str]
    summary: ClassVar[str]  # one sentence: what it finds
    severity: ClassVar[Severity]
    cwe: ClassVar[int]
    owasp: ClassVar[str]  # OWASP API Security Top 10 (2023) category, e.g. "API2:2023"
    owasp_title: ClassVar[str]
    fix: ClassVar[str]  # one line: how to fix
    precision: ClassVar[str]  # SARIF precision: very-high, high, medium or low
    security_severity: ClassVar[str]  # CVSS-like score GitHub ranks alerts by, e.g. "8.2"
    bad_example: ClassVar[str]
    good_example: ClassVar[str]

    def check(self, project: Project) -> Iterator[Finding]:
        raise NotImplementedError

    @classmethod
    def documentation(cls) -> str:
        """The rule's manual (its docstring, dedented)."""
        return inspect.cleandoc(cls.__doc__ or "")

    @property
    def cwe_url(self) -> str:
        return f"https://cwe.mitre.org/data/definitions/{self.cwe}.html"

    def finding(
        self,
        path: str,
        span: Span,
        message: str,
        subject: str,
        *,
        route: str | None = None,
        related: tuple[Related, ...] = (),
        severity: Severity | None = None,
        also_lines: tuple[int, ...] = (),
        sources: tuple[str, ...] = (),
    ) -> Finding:
        return Finding(
            rule=self.code,
            name=self.name,
            severity=severity or self.severity,
            path=path,
            span=span,
            message=message,
            fix=self.fix,
            subject=subject,
            route=route,
            related=related,
            also_lines=also_lines,
            sources=tuple(f for f in sources if f != path),
        )
