"""Rule documentation, generated from each rule's own docstring and examples."""

from __future__ import annotations

from fastlint.rule import Rule

REPOSITORY_URL = "https://github.com/fastlint/fastlint"


def doc_path(rule: type[Rule]) -> str:
    return f"docs/rules/{rule.code}-{rule.name}.md"


def help_uri(rule: type[Rule]) -> str:
    return f"{REPOSITORY_URL}/blob/main/{doc_path(rule)}"


def rule_markdown(rule: type[Rule]) -> str:
    """A rule's full page: summary, references, manual, bad and good example."""
    owasp_number = rule.owasp.split(":")[0].removeprefix("API")
    owasp_url = (
        f"https://owasp.org/API-Security/editions/2023/en/0xa{owasp_number}-"
        f"{rule.owasp_title.lower().replace(' ', '-')}/"
    )
    return (
        f"# {rule.code} {rule.name}\n\n"
        f"{rule.summary}.\n\n"
        f"- Default severity: **{rule.severity.label}**\n"
        f"- CWE: [CWE-{rule.cwe}](https://cwe.mitre.org/data/definitions/{rule.cwe}.html)\n"
        f"- OWASP API Security Top 10: [{rule.owasp} {rule.owasp_title}]({owasp_url})\n\n"
        f"{rule.documentation()}\n\n"
        "## Example\n\n"
        f"```python\n{rule.bad_example}```\n\n"
        "## Use instead\n\n"
        f"```python\n{rule.good_example}```\n\n"
        "## How to fix\n\n"
        f"{rule.fix}\n"
    )
