"""FL007 on the `secureconfig` fixture: messages and related locations; the
origin-regex probes on the patterns the issue names."""

from __future__ import annotations

from pathlib import Path

import pytest
from paths import FIXTURES

from fastlint.analysis.origins import any_origin_entry, regex_escape
from fastlint.findings import Finding, Severity
from fastlint.testing import lint_fixture

PROJECT = FIXTURES / "secureconfig"
CONFIG = PROJECT / "crm/core/config.py"


def findings(code: str) -> dict[str, list[Finding]]:
    report = lint_fixture(PROJECT, select=[code])
    by_file: dict[str, list[Finding]] = {}
    for finding in report.findings:
        by_file.setdefault(Path(finding.path).name, []).append(finding)
    return by_file


def line_of(path: Path, snippet: str) -> int:
    text = path.read_text(encoding="utf-8")
    return next(i for i, line in enumerate(text.splitlines(), 1) if snippet in line)


@pytest.mark.parametrize(
    "pattern",
    [".*", ".+", "https?://.*", "^.*$", "https://.*.example.com", r"https://.*example\.com"],
)
def test_regexes_that_let_an_attacker_in(pattern: str) -> None:
    assert regex_escape(pattern) is not None


@pytest.mark.parametrize(
    "pattern",
    [
        r"https://.*\.example\.com",
        r"https://[a-z0-9-]+\.example\.com",
        r"http://localhost:\d+",
        r"https://(app|admin)\.example\.com",
        "http://127.0.0.1:.*",
        "[unclosed",
    ],
)
def test_regexes_that_do_not(pattern: str) -> None:
    assert regex_escape(pattern) is None


def test_an_unescaped_dot_before_the_registered_domain_is_shown_with_its_probe() -> None:
    assert regex_escape("https://.*.example.com") == "https://evil-example.com"


def test_origin_entries() -> None:
    assert any_origin_entry(["https://a.example.com", " null"]) == "null"
    assert any_origin_entry("*") == "*"
    assert any_origin_entry(("https://a.example.com",)) is None
    assert any_origin_entry(None) is None


def test_fl007_names_the_environment_variable_and_points_at_the_settings_default() -> None:
    by_file = findings("FL007")
    assert sorted((name, len(found)) for name, found in by_file.items()) == [
        ("asgi.py", 1),
        ("embedded.py", 1),
        ("main.py", 2),
        ("security.py", 1),
    ]
    factory = next(f for f in by_file["main.py"] if "allow_origins" in f.message)
    assert factory.severity is Severity.HIGH
    assert factory.message == (
        "`CORSMiddleware` on app `app` allows credentials from any origin"
        ' (`allow_origins` contains `"*"`; the default used when'
        " `CRM_BACKEND_CORS_ORIGINS` is not set in the environment)"
    )
    (related,) = factory.related
    assert (related.path, related.span.line) == (
        str(CONFIG.resolve()),
        line_of(CONFIG, "BACKEND_CORS_ORIGINS:"),
    )
    (wrapped,) = by_file["asgi.py"]
    assert "the default used when `FRONTEND_ORIGINS` is not set" in wrapped.message
    assert wrapped.related[0].span.line == line_of(CONFIG, "FRONTEND_ORIGINS = ")
    regex = next(f for f in by_file["main.py"] if "allow_origin_regex" in f.message)
    assert "also accepts `https://evil.partners-example.com`" in regex.message
    (guard,) = by_file["security.py"]
    assert 'defaults to `["*"]`' in guard.message


def test_fl007_subjects_name_the_app_and_differ() -> None:
    subjects = sorted((name, f.subject) for name, found in findings("FL007").items() for f in found)
    assert subjects == [
        ("asgi.py", "app app middleware CORSMiddleware"),
        ("embedded.py", "app widgets middleware CORSMiddleware"),
        # two apps named `app` in one file (the factory's and the unnamed sub-app)
        ("main.py", "app app middleware CORSMiddleware"),
        ("main.py", "app app middleware CORSMiddleware #2"),
        ("security.py", "<module> guard.SecurityConfig"),
    ]


def test_fl007_a_middleware_added_only_when_an_option_is_on_is_not_reported() -> None:
    report = lint_fixture(PROJECT, select=["FL007"])
    embedded = [f for f in report.findings if f.path.endswith("embedded.py")]
    assert [f.span.line for f in embedded] == [
        line_of(PROJECT / "crm/embedded.py", "if WIDGET") + 1
    ]
    assert "the default used when `WIDGET_ORIGINS` is not set" in embedded[0].message
    notes = [n.message for n in report.notes if n.path.endswith("embedded.py")]
    assert notes == [
        "app embedding middleware CORSMiddleware: allows credentials from any origin only"
        " when `permissive_cors`: not reported"
    ]
