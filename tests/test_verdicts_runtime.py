"""Who can call each route, in the configuration that ships: fastlint's verdicts
against Starlette's answers (issue 19, shapes 1-5).

Each package under `fixtures/_verdicts` is imported for real and called with
TestClient as an anonymous caller: the routes fastlint reports (FL001, FL012) are
exactly those that answer 2xx; the others answer 401/403. Setting the switch closes
the routes FL012 reports as open unless configured.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

import pytest
from paths import FIXTURES

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

from fastlint.analysis.route_auth import RouteAuth, Verdict
from fastlint.config import Settings
from fastlint.engine import lint
from fastlint.facts.types import ModuleFacts
from fastlint.model.project import Project
from fastlint.source import analyse_source

ROOT = FIXTURES / "_verdicts"  # own expectations, not `# expect:` markers
AUTH_RULES = ("FL001", "FL011", "FL012")


def load(monkeypatch: pytest.MonkeyPatch, package: str, module: str = "main") -> Any:
    monkeypatch.syspath_prepend(str(ROOT))
    for name in [m for m in sys.modules if m == package or m.startswith(f"{package}.")]:
        monkeypatch.delitem(sys.modules, name)
    return importlib.import_module(f"{package}.{module}")


def model(package: str) -> Project:
    modules = {}
    for file in sorted((ROOT / package).rglob("*.py")):
        facts = analyse_source(str(file), file.read_bytes())
        assert isinstance(facts, ModuleFacts)
        modules[str(file)] = facts
    return Project(modules, settings=Settings(root=ROOT / package))


def verdicts(package: str) -> dict[str, str]:
    project = model(package)
    auth = project.get(RouteAuth)
    return {f"{i.app.name} {i.label}": auth.of(i).label for i in project.instances}


def reported(package: str) -> dict[tuple[str, int], str]:
    report = lint([ROOT / package], jobs=1, root=ROOT / package, select=AUTH_RULES)
    return {(Path(f.path).name, f.span.line): f.rule for f in report.findings}


def answers(client: TestClient, calls: list[tuple[str, str]], **kwargs: Any) -> list[int]:
    return [client.request(method, path, **kwargs).status_code for method, path in calls]


def test_csrf_captcha_and_upload_guards_authenticate_nobody(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = load(monkeypatch, "guards").app
    client = TestClient(app)
    calls = [
        ("GET", "/items"),
        ("POST", "/items"),
        ("GET", "/oauth/callback"),
        ("POST", "/uploads"),
    ]
    # an anonymous caller who sends the forms' own tokens (no credential) gets in everywhere
    headers = {"x-csrf-token": "anything"}
    client.cookies.set("captcha_passed", "1")
    assert answers(client, calls, headers=headers) == [200, 200, 200, 200]
    assert set(verdicts("guards").values()) == {"open"}
    assert sorted(reported("guards").values()) == ["FL001"] * 4


def test_path_exemptions_leave_exactly_those_routes_open(monkeypatch: pytest.MonkeyPatch) -> None:
    main = load(monkeypatch, "exempt")
    opened = {
        "app": [("GET", "/health"), ("POST", "/token"), ("GET", "/static/logo")],
        "gate": [("GET", "/healthz"), ("POST", "/token")],
        "api": [("GET", "/health"), ("GET", "/version")],
        "prefixed": [("GET", "/tokenize")],
        "factory": [("GET", "/version")],
    }
    closed = {
        "app": [("DELETE", "/items/1")],
        "gate": [("GET", "/reports")],
        "api": [("POST", "/jobs")],
        "prefixed": [("GET", "/v1/models")],
        "factory": [("DELETE", "/jobs/1")],
    }
    for name, calls in opened.items():
        assert set(answers(TestClient(getattr(main, name)), calls)) == {200}, name
    for name, calls in closed.items():
        assert set(answers(TestClient(getattr(main, name)), calls)) == {401}, name
    found = verdicts("exempt")
    open_routes = sorted(k for k, v in found.items() if v == "open")
    assert open_routes == [
        "api GET /health",
        "api GET /version",
        "app GET /health",
        "app GET /static/logo",
        "app POST /token",
        "factory GET /version",  # exempt in a dependency given on a condition
        "gate GET /healthz",
        "gate POST /token",
        "prefixed GET /tokenize",  # outside the prefixes its own test guards
    ]
    assert found["app DELETE /items/{item_id}"] == "authenticated"
    assert found["gate GET /reports"] == "authenticated"
    assert found["api POST /jobs"] == "authenticated"
    assert found["prefixed GET /v1/models"] == "authenticated"
    assert found["factory DELETE /jobs/{job_id}"] == "authenticated"
    assert list(reported("exempt").values()) == ["FL001"] * 9


def test_switched_off_authentication_is_one_finding_at_the_switch(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("APP_SECURE", raising=False)
    main = load(monkeypatch, "switched")
    calls = [("GET", "/models"), ("POST", "/chat"), ("DELETE", "/models/x")]
    assert answers(TestClient(main.app), calls) == [200, 200, 200]
    cli = load(monkeypatch, "switched", "cli")
    assert answers(TestClient(cli.server), [("GET", "/api/jobs"), ("POST", "/api/jobs")]) == [
        200,
        200,
    ]
    # switched on, the same routes are closed
    # the opt-out defaults to off: closed, and not reported
    assert answers(TestClient(main.strict), [("GET", "/admin/stats")]) == [401]
    monkeypatch.setenv("APP_SECURE", "true")
    monkeypatch.setenv("APP_PASSWORD", "pw")
    secured = load(monkeypatch, "switched")
    assert set(answers(TestClient(secured.app), calls)) == {401}
    found = verdicts("switched")
    assert found["app GET /models"] == "open unless APP_SECURE"
    assert found["server POST /api/jobs"] == "open unless args.auth"
    assert found["strict GET /admin/stats"] == "authenticated"
    project = model("switched")
    (stats,) = [i for i in project.instances if i.label == "GET /admin/stats"]
    (noted,) = project.get(RouteAuth).of(stats).noted_switches
    assert (noted.setting, noted.default_open) == ("settings.dev_no_auth", False)
    findings = reported("switched")
    assert findings == {("main.py", 7): "FL012", ("cli.py", 13): "FL012"}
    report = lint([ROOT / "switched"], jobs=1, root=ROOT / "switched", select=("FL012",))
    by_line = {f.span.line: f for f in report.findings}
    assert by_line[7].message.startswith(
        "3 routes are open to anonymous callers unless `settings.require_password` is true "
        "(APP_SECURE, default: false)"
    )
    assert len(by_line[7].related) == 3 and by_line[7].severity.label == "high"
    assert by_line[13].message.startswith("2 routes are open")


def test_a_privileged_default_identity_is_open_unless_configured(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("ACCOUNTS_ENABLED", raising=False)
    main = load(monkeypatch, "owner")
    calls = [("GET", "/me"), ("DELETE", "/users/u1")]
    assert answers(TestClient(main.app), calls) == [200, 200]
    assert TestClient(main.app).get("/me").json() == {"id": "root"}
    monkeypatch.setenv("ACCOUNTS_ENABLED", "1")
    secured = load(monkeypatch, "owner")
    assert answers(TestClient(secured.app), calls) == [401, 401]
    assert set(verdicts("owner").values()) == {"open unless ACCOUNTS_ENABLED"}
    assert reported("owner") == {("identity.py", 18): "FL012"}


def test_middleware_that_delegates_to_a_helper_in_another_module(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("API_KEY", raising=False)
    main = load(monkeypatch, "delegate")
    assert answers(TestClient(main.app), [("GET", "/v1/models"), ("POST", "/v1/completions")]) == [
        200,
        200,
    ]
    assert answers(TestClient(main.admin), [("POST", "/reset")]) == [403]
    monkeypatch.setenv("API_KEY", "k")
    secured = load(monkeypatch, "delegate")
    assert answers(TestClient(secured.app), [("GET", "/v1/models")]) == [403]
    found = verdicts("delegate")
    assert found["admin POST /reset"] == "authenticated"
    assert found["app GET /v1/models"] == "open unless API_KEY"
    assert reported("delegate") == {("keys.py", 9): "FL012"}


def test_verdict_is_unknown_for_an_auth_middleware_fastlint_cannot_read() -> None:
    project = Project(
        {
            "/p/main.py": _facts(
                "/p/main.py",
                "from fastapi import FastAPI\n"
                "from vendor_sso import SsoAuthMiddleware\n"
                "app = FastAPI()\n"
                "app.add_middleware(SsoAuthMiddleware)\n"
                "@app.post('/x')\n"
                "def x() -> None: ...\n",
            )
        }
    )
    auth = project.get(RouteAuth)
    (instance,) = project.instances
    assert auth.of(instance).verdict is Verdict.UNKNOWN
    assert "SsoAuthMiddleware" in auth.of(instance).unknown[0]


def _facts(path: str, source: str) -> ModuleFacts:
    facts = analyse_source(path, source.encode())
    assert isinstance(facts, ModuleFacts)
    return facts


def test_a_key_the_middleware_holds_switches_it_and_its_exemptions_count(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("NOTES_PASSWORD", raising=False)
    monkeypatch.delenv("NOTES_PASSWORD_FILE", raising=False)
    calls = [("GET", "/health"), ("GET", "/api/status"), ("GET", "/notes"), ("POST", "/notes")]
    main = load(monkeypatch, "held")
    assert answers(TestClient(main.app), calls) == [200, 200, 200, 200]
    monkeypatch.setenv("NOTES_PASSWORD", "pw")
    secured = load(monkeypatch, "held")
    assert answers(TestClient(secured.app), calls) == [200, 200, 401, 401]
    found = verdicts("held")
    assert found == {
        "app GET /health": "open",
        "app GET /api/status": "open",
        "app GET /notes": "open unless NOTES_PASSWORD",
        "app POST /notes": "open unless NOTES_PASSWORD",
    }
    report = lint([ROOT / "held"], jobs=1, root=ROOT / "held", select=AUTH_RULES)
    by_rule = sorted((f.rule, Path(f.path).name, f.span.line) for f in report.findings)
    assert by_rule == [("FL001", "main.py", 9), ("FL001", "main.py", 14), ("FL012", "gate.py", 17)]
    (switch,) = [f for f in report.findings if f.rule == "FL012"]
    assert switch.message.startswith(
        "2 routes are open to anonymous callers unless NOTES_PASSWORD is set "
        "(default: cannot be read)"
    )
    assert switch.severity.label == "medium"


def test_a_stand_in_defined_under_a_setting_switches_the_check_off(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`if not settings().auth_enabled: def authenticated(): return True`, `else:`
    the real check: open by default, closed with the setting on."""
    monkeypatch.delenv("STANDIN_AUTH", raising=False)
    calls = [("POST", "/v1/chat"), ("GET", "/v1/files")]
    assert answers(TestClient(load(monkeypatch, "standin").app), calls) == [200, 200]
    monkeypatch.setenv("STANDIN_AUTH", "1")
    assert set(answers(TestClient(load(monkeypatch, "standin").app), calls)) == {401}
    found = verdicts("standin")
    assert set(found.values()) == {"open unless settings().auth_enabled"}
    report = lint([ROOT / "standin"], jobs=1, root=ROOT / "standin", select=AUTH_RULES)
    (finding,) = report.findings
    assert (finding.rule, Path(finding.path).name, finding.span.line) == ("FL012", "auth.py", 17)
    assert len(finding.related) == 2


def test_starlette_authentication_closes_only_routes_that_require_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """AuthenticationMiddleware identifies callers: with a backend that lets
    anonymous ones in, a route without `@requires` is open; a backend raising
    AuthenticationError turns them away everywhere."""
    main = load(monkeypatch, "identify")
    assert answers(TestClient(main.app), [("GET", "/notes"), ("GET", "/public")]) == [403, 200]
    assert answers(TestClient(main.strict), [("GET", "/reports")]) == [400]
    found = verdicts("identify")
    assert found["app GET /notes"] == "authenticated"
    assert found["app GET /public"] == "open"
    assert found["strict GET /reports"] == "authenticated"
    assert list(reported("identify").values()) == ["FL001"]
