"""FL022 request-path-to-file."""

from __future__ import annotations

from collections.abc import Iterator

from fastlint.analysis.request_flow import RequestFlow
from fastlint.analysis.static_mounts import StaticMounts
from fastlint.findings import Finding, Severity
from fastlint.model.api import Project

from . import FlowRule


class RequestPathToFile(FlowRule):
    """
    ## What it does
    Reports a request value (notably a `{name:path}` parameter or
    `UploadFile.filename`) that reaches a file path: `FileResponse`, `open`,
    `io.open`, `os.open`, `aiofiles.open`, `anyio.open_file`, `os.remove`/`unlink`/
    `rmdir`/`rename`/`makedirs`/`listdir`, `shutil.copy*`/`move`/`rmtree`, `tarfile`,
    `zipfile`, and `pathlib` reads, writes and deletions (`read_text`, `write_bytes`,
    `unlink`...). Request values and how they are followed (`os.path.join`,
    `Path(...) / name` included) are as for FL020; the finding shows the path.

    Not reported: a path checked to stay under a base in an `if` that raises or
    returns (`resolved.is_relative_to(base)`, `os.path.commonpath(...) == base`,
    `str(resolved).startswith(str(base))`), a name reduced to its last part
    (`os.path.basename`, `Path(name).name`, `werkzeug.utils.secure_filename`,
    `pathvalidate.sanitize_filename`, `name.split("/")`), a name placed after fixed
    text in the same file name (`f"{uuid4()}_{name}"`: `../` there would name a
    folder `<uuid>_..` that does not exist), and safe-typed values (`int` ids, `Enum`).

    Also reported: a `StaticFiles(directory=...)` mount that serves the folder the
    server runs in (`"."`, `"./"`, `""`), the file-system root, or a folder that
    holds secrets by convention (`.git`, `.ssh`, `.aws`, `.gnupg`, `.kube`,
    `.docker`): any caller then downloads the code, `.env` and data by name.

    ## Why is this bad?
    Path traversal: `../../etc/passwd`, an absolute path or a symlink name makes
    the server read, overwrite or delete files outside the folder meant for them:
    configuration, keys, source code. CWE-22, OWASP API8:2023 Security
    Misconfiguration.

    ## Options
    `[tool.fastlint.rules.FL022]`: `sources`, `sinks` and `sanitisers`, lists of
    qualified names (`app.storage.safe_join` as a sanitiser).

    ## Known limits
    - Flow-insensitive within a function: a check anywhere in it clears the value
      everywhere in it, and any `if` test naming the value with `in`, `==` or a
      check method counts (`if ".." in name: raise` is taken as a check).
    - A path parameter without `:path` is one segment (Starlette matches no `/` in
      it) and is not reported; `..` alone still names the parent folder, which only
      matters to `shutil.rmtree` and the like.
    - A type test (`if isinstance(data, Path): copy(data, ...)`) is not understood;
      the content of an uploaded file (`data: bytes = File()`) is not taken for a
      file name, though `open(data)` would read one.
    - `StaticFiles(directory=...)` is reported only when the folder is written as
      the working folder (`"."`, `""`), the root, or a folder of secrets (`.git`,
      `.ssh`, `.aws`...); `Path(__file__).parent` of the project's top module,
      which is the project root too, is not recognised.
    - A path object passed to a library function fastlint does not know as a sink
      is not followed into it.
    """

    code = "FL022"
    name = "request-path-to-file"
    summary = "A request value decides which file the server reads or writes"
    severity = Severity.HIGH
    cwe = 22
    owasp = "API8:2023"
    owasp_title = "Security Misconfiguration"
    precision = "high"
    security_severity = "7.5"
    fix = "Check `path.resolve().is_relative_to(BASE)`, or keep only `Path(name).name`."
    kind = "file"
    reaches = "the file path of"
    requires = (RequestFlow, StaticMounts)

    def check(self, project: Project) -> Iterator[Finding]:
        yield from super().check(project)
        for mount in project.get(StaticMounts).exposed:
            yield self.finding(
                mount.site.anchor,
                f'`StaticFiles(directory="{mount.directory}")` serves {mount.why} '
                "to anyone who asks for a file by name",
            )

    bad_example = """\
from pathlib import Path

from fastapi import FastAPI, UploadFile
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

app = FastAPI()
BASE = Path("/srv/files")


@app.get("/files/{name:path}")
async def download(name: str):
    return FileResponse(BASE / name)  # expect: FL022


@app.post("/upload")
async def upload(file: UploadFile):
    with open(f"/srv/uploads/{file.filename}", "wb") as out:  # expect: FL022
        out.write(await file.read())


app.mount("/assets", StaticFiles(directory="."))  # expect: FL022
"""
    good_example = """\
from pathlib import Path

from fastapi import FastAPI, HTTPException, UploadFile
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

app = FastAPI()
BASE = Path("/srv/files")


@app.get("/files/{name:path}")
async def download(name: str):
    resolved = (BASE / name).resolve()
    if not resolved.is_relative_to(BASE):
        raise HTTPException(404)
    return FileResponse(resolved)


@app.post("/upload")
async def upload(file: UploadFile):
    safe = Path(file.filename or "upload").name
    with open(BASE / safe, "wb") as out:
        out.write(await file.read())


@app.get("/reports/{report_id}")
async def report(report_id: int):
    return FileResponse(BASE / f"{report_id}.pdf")


app.mount("/assets", StaticFiles(directory="static"))
"""
