"""FL004 matches pydantic: the reported fields accept a string of any length, the
others (bounded, or checked by a validator) refuse a long one.

The `intake` fixture is imported for real; each string field is sent 10,000
characters while the others hold valid values.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import pytest
from paths import FIXTURES

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

from fastlint.testing import lint_fixture

PROJECT = FIXTURES / "intake"
KEY = {"X-Desk-Key": "desk"}
LONG = "x" * 10_000
VALID = {
    "/tickets": {"slug": "printer-jam", "reference": "R-1", "summary": "Jam", "body": "It jams."},
    "/contact": {"name": "Ada", "city": "Turin", "visits": 2},
}
VALID["/tickets"].update(owner="desk", note="see photo")
MODELS = {"/tickets": "Ticket", "/contact": "ContactForm"}


@pytest.fixture
def intake(monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.syspath_prepend(str(PROJECT))
    for name in [m for m in sys.modules if m == "intake" or m.startswith("intake.")]:
        monkeypatch.delitem(sys.modules, name)
    return importlib.import_module("intake.main").app


def test_long_strings_accepted_exactly_by_the_reported_fields(intake: Any) -> None:
    reported = {
        f.message.split("`")[1] for f in lint_fixture(PROJECT).findings if f.rule == "FL004"
    }
    assert reported == {"ContactForm.name", "Ticket.body", "Ticket.note", "Ticket.headers"}
    client = TestClient(intake)
    for path, valid in VALID.items():
        assert client.post(path, json=valid, headers=KEY).status_code == 200, path
        for name, value in valid.items():
            if not isinstance(value, str):
                continue
            answer = client.post(path, json={**valid, name: LONG}, headers=KEY)
            accepted = answer.status_code == 200
            assert accepted == (f"{MODELS[path]}.{name}" in reported), (path, name)


def test_dict_keys_are_not_reported_dict_values_are(intake: Any) -> None:
    """`dict[str, int]` accepts long keys, as `dict[str, str]` accepts long values,
    but only the values are reported: a key bound leaves the values and the number
    of keys open (documented in the rule's manual)."""
    reported = {
        f.message.split("`")[1] for f in lint_fixture(PROJECT).findings if f.rule == "FL004"
    }
    client = TestClient(intake)
    ticket = VALID["/tickets"]
    for field, value in (("labels", {LONG: 1}), ("headers", {"x": LONG})):
        answer = client.post("/tickets", json={**ticket, field: value}, headers=KEY)
        assert answer.status_code == 200, field
    assert "Ticket.headers" in reported
    assert "Ticket.labels" not in reported


def test_a_v1_validator_silences_the_field_it_names_a_wildcard_none(tmp_path: Any) -> None:
    (tmp_path / "api.py").write_text(
        "from fastapi import FastAPI\n"
        "from pydantic import BaseModel, validator, field_validator\n"
        "class Legacy(BaseModel):\n"
        "    name: str\n"
        "    note: str\n"
        "    @validator('name')\n"
        "    def short(cls, v): return v if len(v) <= 40 else v[:40]\n"
        "class Everything(BaseModel):\n"
        "    title: str\n"
        "    @field_validator('*')\n"
        "    @classmethod\n"
        "    def short(cls, v): return v if len(v) <= 40 else v[:40]\n"
        "app = FastAPI()\n"
        "@app.post('/a')\n"
        "async def a(x: Legacy, y: Everything) -> None: ...\n",
        encoding="utf-8",
    )
    messages = {
        f.message.split("`")[1] for f in lint_fixture(tmp_path).findings if f.rule == "FL004"
    }
    assert messages == {"Legacy.note", "Everything.title"}
