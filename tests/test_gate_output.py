"""Output a reader can trust (issue 23, items 11, 12 and 14)."""

from __future__ import annotations

from pathlib import Path

from fastlint.cli import app
from fastlint.testing import cli_runner

split = cli_runner()

MULTILINE = """\
from fastapi import FastAPI

app = FastAPI(
    title="shop",
    version="1",
    description="a long description",
    docs_url="/docs",
    redoc_url="/redoc",
    openapi_url="/openapi.json",
)
"""


def invoke(*args: str) -> tuple[int, str, str]:
    result = split.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_carets_sit_under_the_first_line_of_a_multi_line_anchor(tmp_path: Path) -> None:
    (tmp_path / "main.py").write_text(MULTILINE)
    _, out, _ = invoke("check", str(tmp_path / "main.py"), "--select", "FL005")
    lines = out.splitlines()
    first = next(i for i, line in enumerate(lines) if "│ app = FastAPI(" in line)
    carets = lines[first + 1]
    assert "^" in carets
    column = int(next(line for line in lines if "main.py:3:" in line).split(":")[2].split()[0])
    start = lines[first].index("│ ") + 2  # where the source starts
    assert carets.index("^") == start + column - 1
    assert len(carets.rstrip()) == len(lines[first].rstrip())  # to the end of the line
    shown = [line for line in lines if "│" in line and "^" not in line]
    assert len(shown) <= 4  # long spans trimmed
    assert any("⋮" in line or "..." in line for line in lines[first + 1 :])


SERVER = """\
import uvicorn
from fastapi import FastAPI

app = FastAPI(openapi_url=None)

if __name__ == "__main__":
    uvicorn.run(app, host="0.0.0.0")
"""


def test_a_lowered_severity_says_why(tmp_path: Path) -> None:
    (tmp_path / "main.py").write_text(SERVER)
    _, out, _ = invoke("check", str(tmp_path), "--select", "FL010", "-f", "concise")
    assert "[low, not medium: a server setting" in out


def test_rules_shows_the_default_severity_and_why_it_moves() -> None:
    _, out, _ = invoke("rules")
    fl001 = out[out.index("FL001") :].split("\nFL0", 1)[0]
    assert "high" in fl001 and "medium: a read-only route" in fl001
    _, out, _ = invoke("rules", "--format", "json")
    import json

    row = next(r for r in json.loads(out) if r["code"] == "FL010")
    assert row["default_severity"] == "medium"
    assert row["severity_reasons"]["low"].startswith("a server setting")


LONG = """\
from fastapi import APIRouter, Depends, FastAPI
from fastapi.security import HTTPBearer

bearer = HTTPBearer()
app = FastAPI(openapi_url=None)
router = APIRouter(prefix="/api/v1/organisations/{organisation_id}/projects")


@router.get("/{project_id}/environments/{environment_id}/deployments", response_model=list)
def list_deployments_for_environment(organisation_id: int, project_id: int, token=Depends(bearer)):
    return []


@router.post("/{project_id}/environments", response_model=dict)
def create_environment(organisation_id: int, project_id: int):
    return {}


app.include_router(router)
"""


def test_routes_fits_the_terminal_width(tmp_path: Path) -> None:
    from rich.console import Console

    from fastlint.config import Settings
    from fastlint.surface import table
    from fastlint.surface.collect import survey

    (tmp_path / "main.py").write_text(LONG)
    inventory, _ = survey([tmp_path], Settings(root=tmp_path), jobs=1)
    for width in (80, 120):
        console = Console(width=width, force_terminal=True, color_system=None, record=True)
        table.render(inventory, console)
        text = console.export_text()
        lines = text.splitlines()
        assert lines and max(len(line) for line in lines) <= width, (width, text)
        assert "POST" in text and "none" in text  # the method and authentication stay
