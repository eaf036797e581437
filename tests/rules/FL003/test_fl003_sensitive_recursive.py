"""FL003 on a recursive model: a field reached once per nesting level
(`blocks.loop_blocks.loop_blocks.password`) is one finding per route, on its
shortest path; FastAPI does send it at every level (checked at runtime)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from fastlint.testing import lint_fixture

SOURCE = """\
from __future__ import annotations

from typing import Literal, Union

from fastapi import FastAPI
from pydantic import BaseModel


class MailBlock(BaseModel):
    kind: Literal["mail"] = "mail"
    smtp_password: str


class LoopBlock(BaseModel):
    kind: Literal["loop"] = "loop"
    loop_blocks: list[Union[MailBlock, LoopBlock]]


class Flow(BaseModel):
    blocks: list[Union[MailBlock, LoopBlock]]


class Draft(BaseModel):
    flow: Flow


app = FastAPI()


@app.get("/flow", response_model=Flow)
def read_flow() -> dict[str, object]:
    inner = {"kind": "loop", "loop_blocks": [{"kind": "mail", "smtp_password": "deep"}]}
    return {"blocks": [{"kind": "loop", "loop_blocks": [inner]}]}


@app.get("/draft", response_model=Draft)
def read_draft() -> dict[str, object]:
    return {"flow": {"blocks": [{"kind": "mail", "smtp_password": "top"}]}}
"""


def test_a_field_reached_at_every_nesting_level_is_one_finding_per_route(
    tmp_path: Path,
) -> None:
    (tmp_path / "flows.py").write_text(SOURCE)
    report = lint_fixture(tmp_path, select=("FL003",))
    messages = sorted(f.message for f in report.findings if f.rule == "FL003")
    assert messages == [
        "GET /draft returns `Draft.flow.blocks.smtp_password`, a sensitive field",
        "GET /flow returns `Flow.blocks.smtp_password`, a sensitive field",
    ]


def test_fastapi_sends_the_field_at_every_level(tmp_path: Path) -> None:
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    (tmp_path / "flows_rt.py").write_text(SOURCE)
    spec = importlib.util.spec_from_file_location("flows_rt", tmp_path / "flows_rt.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["flows_rt"] = module
    try:
        spec.loader.exec_module(module)
        module.LoopBlock.model_rebuild()
        module.Flow.model_rebuild()
        body = TestClient(module.app).get("/flow").json()
    finally:
        del sys.modules["flows_rt"]
    assert body["blocks"][0]["loop_blocks"][0]["loop_blocks"][0]["smtp_password"] == "deep"
