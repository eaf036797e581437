"""A global dependency exempting paths, inside a conditional expression
(`dependencies=[Depends(require_admin_by_default())] if enforce else []`), and an
exempt endpoint that hands its `request` to a project check other routes use as a
dependency (`await require_viewer(request)`, `Depends(require_viewer)`), at runtime on
`_switches/handoff`.

The exemption is read through the conditional expression; the endpoint's hand-off
authenticates it (an anonymous caller gets 403); the exempt route with no check of
its own is the one anonymous callers reach, and the one FL001 reports.
"""

from __future__ import annotations

from typing import Any

import pytest
from paths import FIXTURES

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

from fastlint.testing import import_fixture, lint_fixture

ROOT = FIXTURES / "_switches"
PROJECT = ROOT / "handoff"


def test_anonymous_callers_get_in_exactly_where_fastlint_reports(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app: Any = import_fixture(monkeypatch, ROOT, "handoff.main").app
    client = TestClient(app)
    assert client.get("/media/1").status_code == 403
    viewer = {"authorization": "Bearer viewer-token"}
    assert client.get("/media/1", headers=viewer).status_code == 200
    assert client.get("/media/").status_code == 403
    assert client.get("/media/public/1").status_code == 200
    assert client.get("/admin/stats").status_code == 403
    report = lint_fixture(PROJECT, select=["FL001", "FL011", "FL012"])
    assert [(f.rule, f.route) for f in report.findings] == [
        ("FL001", "GET /media/public/{item_id}")
    ]
