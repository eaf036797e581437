"""Rule documentation, generated from each rule's own docstring and examples."""

from __future__ import annotations

import json
import re
from textwrap import dedent

from fastlint.config import RULE_OPTION_ALIASES
from fastlint.rule import Example, Rule
from fastlint.rule_options import defaults

REPOSITORY_URL = "https://github.com/fastlint/fastlint"


# The test suite's marker for an expected finding (`# expect: FL001 FL003`): for tests, not readers.
TEST_MARKER = re.compile(r"[ \t]*#[ \t]*expect:[ \t]*(?:FL\d{3}[ \t]*)+$", re.MULTILINE)


def public_example(source: str) -> str:
    """A rule example as users see it: the test suite's `# expect:` markers removed."""
    return TEST_MARKER.sub("", source)


def examples_markdown(heading: str, plural: str, examples: tuple[Example, ...]) -> str:
    """A section of examples: each as a code block; one made of several files shows
    each file under its path."""
    if not examples:
        return ""
    blocks = []
    for example in examples:
        if isinstance(example, str):
            blocks.append(f"```python\n{public_example(dedent(example))}```\n\n")
            continue
        for path, source in example.items():
            if not source.strip():  # an empty `__init__.py`: the path says enough
                continue
            blocks.append(f"`{path}`:\n\n```python\n{public_example(dedent(source))}```\n\n")
    title = heading if len(examples) == 1 else plural
    return f"## {title}\n\n{''.join(blocks)}"


def doc_path(rule: type[Rule]) -> str:
    return f"docs/rules/{rule.code}-{rule.name}.md"


def help_uri(rule: type[Rule]) -> str:
    return f"{REPOSITORY_URL}/blob/main/{doc_path(rule)}"


def _moves(rule: type[Rule]) -> str:
    """When a finding's severity differs from the default, and why."""
    moves = "; ".join(f"**{level}** for {why}" for level, why in rule.severity_reasons)
    return f" ({moves})" if moves else ""


def rule_markdown(rule: type[Rule]) -> str:
    """A rule's full page: summary, references, manual, bad and good example."""
    cwes = ", ".join(
        f"[CWE-{n}](https://cwe.mitre.org/data/definitions/{n}.html)" for n in rule.cwes()
    )
    owasps = ", ".join(
        f"[{code} {title}]({owasp_url(code, title)})" for code, title in rule.owasps()
    )
    return (
        f"# {rule.code} {rule.name}\n\n"
        f"{rule.summary}.\n\n"
        f"- Default severity: **{rule.severity.label}**{_moves(rule)}\n"
        f"- CWE: {cwes}\n"
        f"- OWASP API Security Top 10: {owasps}\n\n"
        f"{rule.documentation()}\n\n"
        f"{options_markdown(rule)}"
        f"{examples_markdown('Example', 'Examples', rule.invalid_examples())}"
        f"{examples_markdown('Use instead', 'Use instead', rule.valid_examples())}"
        "## How to fix\n\n"
        f"{rule.fix}\n\n"
        "## Suppressing a finding\n\n"
        "Where the finding is accepted, say so on the line it points at (for a route, "
        "the decorator's first line or the `def` line), with a reason:\n\n"
        f"```python\n# fastlint: ignore[{rule.code}] -- why this is acceptable\n```\n\n"
        f"`# noqa: {rule.code}` works too. To turn the rule off for some files, use "
        f'`per-file-ignores = {{"tests/**" = ["{rule.code}"]}}` in `[tool.fastlint]`.\n'
    )


def owasp_url(code: str, title: str) -> str:
    """The OWASP API Security Top 10 (2023) page of a category."""
    number = code.split(":")[0].removeprefix("API")
    return (
        f"https://owasp.org/API-Security/editions/2023/en/0xa{number}-"
        f"{title.lower().replace(' ', '-')}/"
    )


def options_markdown(rule: type[Rule]) -> str:
    """The rule's options with their defaults, as TOML (empty for a rule without)."""
    values = defaults(rule.Options)
    if not values:
        return ""
    table = "\n".join(
        f"{key} = {json.dumps(list(v) if isinstance(v, tuple) else v)}" for key, v in values.items()
    )
    aliases = [f"`{key}`" for key, (code, _) in RULE_OPTION_ALIASES.items() if code == rule.code]
    also = (
        f"{' and '.join(aliases)} {'is' if len(aliases) == 1 else 'are'} also read at the top "
        "level of `[tool.fastlint]`, where earlier versions documented "
        f"{'it' if len(aliases) == 1 else 'them'}.\n\n"
        if aliases
        else ""
    )
    return (
        "## Configuration\n\n"
        "Options and their defaults, in `pyproject.toml`:\n\n"
        f"```toml\n[tool.fastlint.rules.{rule.code}]\n{table}\n```\n\n{also}"
    )


TABLE_START = "<!-- rules-table:start -->"
TABLE_END = "<!-- rules-table:end -->"


def rules_table(rules: tuple[type[Rule], ...]) -> str:
    """The README's rules table."""
    rows = [
        "| Code | Name | Severity | Finds | CWE | OWASP API Top 10 |",
        "|---|---|---|---|---|---|",
    ]
    for rule in rules:
        rows.append(
            f"| [{rule.code}]({doc_path(rule)}) | `{rule.name}` | {rule.severity.label} "
            f"| {rule.summary} | {', '.join(f'CWE-{n}' for n in rule.cwes())} "
            f"| {', '.join(f'{code} {title}' for code, title in rule.owasps())} |"
        )
    return "\n".join(rows)


def generated_files(readme: str, rules: tuple[type[Rule], ...]) -> dict[str, str]:
    """Every generated file (path relative to the repository root) and its content."""
    files = {doc_path(rule): rule_markdown(rule) for rule in rules}
    start, end = readme.index(TABLE_START), readme.index(TABLE_END)
    files["README.md"] = (
        readme[: start + len(TABLE_START)] + "\n" + rules_table(rules) + "\n" + readme[end:]
    )
    return files


def main() -> None:
    """Regenerate docs/rules/*.md and the README rules table: `python -m fastlint.docs`."""
    from pathlib import Path

    from fastlint.registry import ALL_RULES

    root = Path.cwd()
    readme = (root / "README.md").read_text(encoding="utf-8")
    for relative, content in generated_files(readme, ALL_RULES).items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
        print(f"wrote {relative}")


if __name__ == "__main__":
    main()
