"""Route paths are printed as served: prefixes held in module constants, built with
`+` or f-strings, read from settings or from the environment's default, are
resolved; a prefix that cannot be read shows as `<expr>`, never dropped."""

from __future__ import annotations

from pathlib import Path

from fastlint.testing import project_in

CONFIG = """\
import os

from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    API_V1_STR: str = "/api/v1"


settings = Settings()
ENV_PREFIX = os.getenv("API_PREFIX", "/env")
BASE = "/base"
JOINED = BASE + "/v2"
FORMATTED = f"{BASE}/v3"
"""

MAIN = """\
from fastapi import APIRouter, FastAPI

from pkg import config
from pkg.config import ENV_PREFIX, FORMATTED, JOINED, settings
from plugins import discover_prefix

router = APIRouter()


@router.get("/x")
def x() -> dict[str, str]:
    return {}


app = FastAPI()
app.include_router(router, prefix=settings.API_V1_STR)
app.include_router(router, prefix=ENV_PREFIX)
app.include_router(router, prefix=JOINED)
app.include_router(router, prefix=FORMATTED)
app.include_router(router, prefix=f"{config.BASE}/v4")
app.include_router(router, prefix=config.settings.API_V1_STR + "/v5")
app.include_router(router, prefix=discover_prefix())
"""


def test_prefixes_are_printed_resolved(tmp_path: Path) -> None:
    project = project_in(
        tmp_path, {"pkg/__init__.py": "", "pkg/config.py": CONFIG, "pkg/main.py": MAIN}
    )
    assert sorted(i.full_path for i in project.instances) == [
        "/api/v1/v5/x",
        "/api/v1/x",
        "/base/v2/x",
        "/base/v3/x",
        "/base/v4/x",
        "/env/x",
        "<discover_prefix(...)>/x",
    ]
