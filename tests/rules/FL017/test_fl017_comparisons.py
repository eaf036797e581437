"""FL017 and a credential compared before logging: `api_key is not None` logs a
bool, not the key; logging the key itself is still reported."""

from __future__ import annotations

from pathlib import Path

from fastlint.testing import findings_of

APP = """\
import logging

from fastapi import FastAPI

app = FastAPI()
log = logging.getLogger(__name__)


@app.get("/spend")
def spend(api_key: str | None = None) -> dict[str, bool]:
    log.debug("filtering by key: [set=%s]", api_key is not None)
    log.debug("filtering by key %s", api_key)
    return {"filtered": api_key is not None}
"""


def test_a_comparison_logs_a_bool_not_the_key(tmp_path: Path) -> None:
    found = findings_of(tmp_path, {"app.py": APP}, "FL017")
    assert [f.span.line for f in found] == [12]
