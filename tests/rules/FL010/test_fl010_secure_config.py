"""FL010 on the `secureconfig` fixture: messages, severities, development commands
and bandit markers."""

from __future__ import annotations

from pathlib import Path

from paths import FIXTURES

from fastlint.findings import Finding, Severity
from fastlint.testing import lint_fixture

PROJECT = FIXTURES / "secureconfig"
CONFIG = PROJECT / "crm/core/config.py"
LOWERED = " [low, not medium: a server setting, not debug mode]"  # the message says why


def findings(code: str) -> dict[str, list[Finding]]:
    report = lint_fixture(PROJECT, select=[code])
    by_file: dict[str, list[Finding]] = {}
    for finding in report.findings:
        by_file.setdefault(Path(finding.path).name, []).append(finding)
    return by_file


def test_fl010_severities_and_the_main_guard() -> None:
    by_file = findings("FL010")
    assert sorted(by_file) == ["cli.py", "dev.py"]
    debug, server, assigned = sorted(by_file["dev.py"], key=lambda f: f.span.line)
    assert assigned.severity is Severity.MEDIUM
    assert assigned.subject == "app staging.debug ="
    assert assigned.message.endswith("(`staging.debug = True`)")
    assert debug.severity is Severity.MEDIUM
    assert debug.message.startswith("App `playground` runs in debug mode")
    assert server.severity is Severity.LOW
    assert server.message == (
        "`uvicorn.run` serves with auto-reload (`reload=True`) and every network interface"
        ' (`host="0.0.0.0"`) without TLS (under `if __name__ == "__main__":`)' + LOWERED
    )


def test_a_file_that_only_starts_uvicorn_is_reached(tmp_path: Path) -> None:
    """The prefilter reaches a file whose only library is uvicorn (knowledge.SERVERS)."""
    (tmp_path / "run.py").write_text(
        'import uvicorn\n\nuvicorn.run("shop.main:app", host="::", reload=True)\n',
        encoding="utf-8",
    )
    report = lint_fixture(tmp_path, select=["FL010"])
    (finding,) = report.findings
    assert finding.span.line == 3 and finding.severity is Severity.LOW
    assert finding.message == (
        "`uvicorn.run` serves with auto-reload (`reload=True`) and every network interface"
        ' (`host="::"`) without TLS' + LOWERED
    )


def test_fl010_development_commands_and_bandit_markers() -> None:
    """A reloader in a development command is not reported (its bind is); a bind
    marked `# nosec` (bare or B104, on the call or on the constant) is not either."""
    report = lint_fixture(PROJECT, select=["FL010"])
    cli = sorted(
        (f for f in report.findings if f.path.endswith("cli.py")), key=lambda f: f.span.line
    )
    assert [(f.subject, f.message) for f in cli] == [
        (
            "run_public_dev_server uvicorn.run",
            '`uvicorn.run` serves with every network interface (`host="0.0.0.0"`) without TLS'
            + LOWERED,
        ),
        (
            "preview uvicorn.run",
            '`uvicorn.run` serves with every network interface (`host="0.0.0.0"`) without TLS'
            + LOWERED,
        ),
        ("watch uvicorn.run", "`uvicorn.run` serves with auto-reload (`reload=True`)" + LOWERED),
        (
            "serve uvicorn.Config",
            '`uvicorn.Config` serves with every network interface (`host="0.0.0.0"`) without TLS'
            + LOWERED,
        ),
    ]
    notes = sorted(n.message for n in report.notes if n.path.endswith("cli.py"))
    assert notes == [
        'container uvicorn.run: `host="0.0.0.0"` marked reviewed with `# nosec`: not reported',
        "reload_dirs_cover uvicorn.Config: a `uvicorn.Config` no `uvicorn.Server` in its body"
        " serves: not reported",
        "run_public_dev_server uvicorn.run: `reload=True` in development command "
        "`dev-public`: not reported",
        "run_server uvicorn.run: `reload=True` in development command `develop`: not reported",
        'start uvicorn.run: `host="0.0.0.0"` marked reviewed with `# nosec`: not reported',
    ]
