"""FL005 openapi-docs-exposed."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from fastlint.analysis.docs_urls import DEFAULT_URLS, DocsUrls
from fastlint.findings import Finding, Severity
from fastlint.knowledge import environment
from fastlint.model.api import Container, Project, known
from fastlint.rule import Rule


@dataclass(frozen=True)
class OpenapiDocsExposedOptions:
    """`[tool.fastlint.rules.FL005]`."""

    # Folder or file name globs of test code: an app built there is not reported.
    test_paths: tuple[str, ...] = environment.TEST_PATHS


class OpenapiDocsExposed(Rule):
    """
    ## What it does
    Reports a `FastAPI(...)` app that serves its interactive docs (`/docs`,
    `/redoc`) or its OpenAPI schema (`/openapi.json`) in every environment. The
    schema is what the docs are built from, so turning off only `docs_url` and
    `redoc_url` still publishes it.

    An app mounted in another is reported with the URLs clients reach
    (`/reports/openapi.json`); one mounted at `/` is not reported for the URLs its
    parent FastAPI app serves itself, which answer first.

    The app is not reported when `openapi_url` is falsy (`None` or `""`, written
    or through a constant or a settings default that resolves to one): FastAPI
    then serves neither the schema nor `/docs` nor `/redoc`. It counts as gated when
    the URL comes from a condition, a settings attribute or the environment
    (`"/openapi.json" if settings.DEBUG else None`, `os.getenv(...)`,
    `settings.OPENAPI_URL`), when the app is built inside a branch, when
    `openapi_url` is assigned after construction, or when `**kwargs` make the
    arguments unknowable. A constant or an f-string URL is not gating.

    An app built in test code (a file under a `test`, `tests` or `testing` folder,
    or named `test_*.py`, `*_test.py`, `conftest.py`) is a test fixture, served in
    no environment: it is not reported (option `test-paths`; `[]` reports it).

    ## Why is this bad?
    The schema is a map of every route, parameter and model, internal and admin
    routes included, handed to anyone who asks; the docs page adds a console to
    try them. In production that is free reconnaissance (CWE-200, OWASP API9:2023
    Improper Inventory Management).

    ## Options
    - `test-paths`: folder or file name globs of test code whose apps are not
      reported (default `["test", "tests", "testing", "test_*.py", "*_test.py",
      "conftest.py"]`, matched below the scanned folder; `[]` reports every app).

    ## Known limits
    - Docs disabled later by a custom `openapi()` override or by a reverse proxy
      are not seen.
    - A settings value that is the same in every environment still counts as gated.
    """

    code = "FL005"
    name = "openapi-docs-exposed"
    summary = "OpenAPI docs and schema served in every environment"
    severity = Severity.MEDIUM
    cwe = 200
    owasp = "API9:2023"
    owasp_title = "Improper Inventory Management"
    precision = "high"
    requires = (DocsUrls,)
    security_severity = "5.3"
    fix = (
        'Gate the docs on the environment: `openapi_url="/openapi.json" if settings.SHOW_DOCS '
        "else None` (and the same for `docs_url` and `redoc_url`)."
    )
    invalid = (
        """\
from fastapi import FastAPI

app = FastAPI(title="Shop", docs_url=None, redoc_url=None)  # expect: FL005
""",
    )
    valid = (
        """\
import os

from fastapi import FastAPI

SHOW_DOCS = os.getenv("ENVIRONMENT", "production") != "production"

app = FastAPI(
    title="Shop",
    openapi_url="/openapi.json" if SHOW_DOCS else None,
    docs_url="/docs" if SHOW_DOCS else None,
    redoc_url=None,
)
""",
    )

    Options = OpenapiDocsExposedOptions
    options: OpenapiDocsExposedOptions

    def check(self, project: Project) -> Iterator[Finding]:
        for app in project.apps:
            if not app.is_fastapi or app.conditional or app.has_star:
                continue
            if known.in_test_code(project.relative_path(app.anchor.path), self.options.test_paths):
                continue  # a test fixture, served in no environment
            if any(name in DEFAULT_URLS for name, _ in app.attr_assignments):
                continue
            schema = project.get(DocsUrls).url(app, "openapi_url")
            if not schema:
                continue  # disabled ("" or None), gated or unknown
            served = [schema]
            for option in ("docs_url", "redoc_url"):
                url = project.get(DocsUrls).url(app, option)
                if url:
                    served.append(url)
            served = _reachable(project, app, served)
            if not served:
                continue  # mounted at `/` under an app whose own docs URLs answer first
            yield self.finding(
                app.anchor,
                f"FastAPI app `{app.name}` serves {_join(served)} in every environment",
            )


def _reachable(project: Project, app: Container, urls: list[str]) -> list[str]:
    """The URLs as clients reach them: under the mount path of a mounted app; an app
    mounted at `/` loses the URLs its parent FastAPI app serves itself (the parent's
    docs routes are matched before any mount)."""
    mounts = [(outer, m) for outer in app.mounted_by for m in outer.mounts if m.app is app]
    if len(mounts) != 1:
        return urls  # not mounted, or in several places: the URLs as written
    outer, mount = mounts[0]
    prefix = mount.path.rstrip("/")
    if not mount.path_known:
        return urls  # a mount path fastlint cannot read (`settings.base_url`, a call)
    if prefix:
        return [prefix + url for url in urls]
    if not outer.is_fastapi or outer.conditional or outer.has_star:
        return urls
    parents = {project.get(DocsUrls).url(outer, option) for option in DEFAULT_URLS}
    return [url for url in urls if url not in parents]


def _join(urls: list[str]) -> str:
    quoted = [f"`{u}`" for u in urls]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]
