"""FL007 cors-credentials-any-origin."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from fastlint.analysis.origins import any_origin_entry, regex_escape
from fastlint.findings import Finding, Related, Severity
from fastlint.knowledge import servers_cors
from fastlint.model.api import (
    CallSite,
    ClassVal,
    Container,
    External,
    Middleware,
    Possible,
    Project,
    Scoped,
    known,
)
from fastlint.rule import Rule


class CorsCredentialsAnyOrigin(Rule):
    """
    ## What it does
    Reports a CORS configuration that allows credentials (`allow_credentials=True`)
    from any origin: `allow_origins` containing `"*"` or `"null"`, or an
    `allow_origin_regex` that accepts an origin an attacker can own. The regex is
    tested with Python's `re` (`fullmatch`, as Starlette does) against probe
    origins: arbitrary domains (so `.*`, `.+`, `https?://.*` and `^.*$` are
    reported) and look-alikes of the domains it names (`https://.*.example.com`,
    whose unescaped dot also accepts `https://evil-example.com`).

    Configurations are read however the middleware is attached, on apps and
    mounted sub-apps: `app.add_middleware(CORSMiddleware, ...)`,
    `FastAPI(middleware=[Middleware(CORSMiddleware, ...)])` and
    `app = CORSMiddleware(app, ...)`; and fastapi-guard's
    `SecurityConfig(enable_cors=True, cors_allow_credentials=True, ...)` (whose
    origins default to `["*"]`). Values are followed across modules: constants,
    settings-class defaults (the environment variable that overrides them is
    named) and `os.getenv("ORIGINS", "*").split(",")` fallbacks ("the default used
    when `ORIGINS` is not set"). The finding sits on the middleware call, with
    the place the origins are defined as a related location.

    Not reported: wildcard origins without credentials (a public API may allow
    them), and origins or credentials that depend on a condition
    (`["*"] if settings.DEBUG else [...]`): as for FL005, a value gated on the
    environment is taken as a deliberate development setting. The same holds for a
    middleware added inside an `if` whose test may be false as deployed (`if
    permissive_cors:`, an option or a setting off by default: `--verbose` lists
    it); a test that holds by default (`if origins:` with a default list) gates
    nothing.

    ## Why is this bad?
    With credentials allowed, Starlette reflects the caller's `Origin` instead of
    answering `*`, so the browser sends cookies and HTTP authentication with
    cross-site requests and lets the calling page read the responses: any web site
    a logged-in user visits can read and act on their data (CWE-942 Permissive
    Cross-domain Policy, CWE-346 Origin Validation Error).

    ## Known limits
    - Origins that are only known at run time (read from the environment with no
      default, from a database or a configuration file) are not reported, even
      when the library's own default is `["*"]` (chainlit reads its origins from
      `config.toml`).
    - Origins computed by a function with branches (`"*" if unset else ...`) are
      followed only as far as the literal evaluator goes; litellm's helper, which
      also turns credentials off for `"*"`, is not reported.
    - A value gated on a condition is never reported, even when the condition is
      true in production.
    - `add_middleware(CORSMiddleware, **options)` is not read (the options are
      not known), nor a `CORSMiddleware` wrapped around something that is not an
      app fastlint knows.
    - Look-alike probes cover the registered domain as its last two labels; a
      pattern for `example.co.uk` is probed as `co.uk`.
    """

    code = "FL007"
    name = "cors-credentials-any-origin"
    summary = "CORS allows credentials from any origin"
    severity = Severity.HIGH
    cwe = 942
    also_cwe = (346,)
    owasp = "API8:2023"
    owasp_title = "Security Misconfiguration"
    precision = "high"
    security_severity = "8.1"
    fix = (
        'Replace `"*"`/`"null"` in `allow_origins` with the exact origins allowed '
        '(`["https://app.example.com"]`), escape the dots of `allow_origin_regex` and '
        r'anchor it on the domain (`r"https://[a-z0-9-]+\.example\.com"`), or set '
        "`allow_credentials=False`."
    )
    invalid = (
        """\
import os

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

ORIGINS = os.getenv("ORIGINS", "*").split(",")

app = FastAPI(openapi_url=None)
app.add_middleware(  # expect: FL007
    CORSMiddleware, allow_origins=ORIGINS, allow_credentials=True, allow_methods=["*"]
)

partners = FastAPI(openapi_url=None)
partners.add_middleware(  # expect: FL007
    CORSMiddleware, allow_origin_regex="https://.*.example.com", allow_credentials=True
)
""",
        {
            "api/__init__.py": "",
            "api/config.py": """\
from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    cors_origins: list[str] = ["*"]


settings = Settings()
""",
            "api/main.py": """\
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from api.config import settings

app = FastAPI(openapi_url=None)
app.add_middleware(  # expect: FL007
    CORSMiddleware, allow_origins=settings.cors_origins, allow_credentials=True
)
""",
        },
    )
    valid = (
        """\
import os

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

ORIGINS = os.getenv("ORIGINS", "https://app.example.com").split(",")

app = FastAPI(openapi_url=None)
app.add_middleware(
    CORSMiddleware, allow_origins=ORIGINS, allow_credentials=True, allow_methods=["*"]
)

partners = FastAPI(openapi_url=None)
partners.add_middleware(
    CORSMiddleware,
    allow_origin_regex=r"https://[a-z0-9-]+\\.example\\.com",
    allow_credentials=True,
)

public = FastAPI(openapi_url=None)
public.add_middleware(CORSMiddleware, allow_origins=["*"])  # no credentials
""",
        {
            "api/__init__.py": "",
            "api/config.py": """\
from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    cors_origins: list[str] = ["https://app.example.com"]


settings = Settings()
""",
            "api/main.py": """\
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from api.config import settings

app = FastAPI(openapi_url=None)
app.add_middleware(
    CORSMiddleware, allow_origins=settings.cors_origins, allow_credentials=True
)
""",
        },
    )

    def check(self, project: Project) -> Iterator[Finding]:
        for app in project.apps:
            for middleware in app.middleware:
                if middleware.is_class(_is_cors):
                    yield from self._middleware(project, app, middleware)
        for target in servers_cors.GUARD_CONFIGS:
            for site in project.calls.of(target):
                yield from self._guard(project, site)

    def _middleware(
        self, project: Project, app: Container, middleware: Middleware
    ) -> Iterator[Finding]:
        credentials = middleware.kwarg("allow_credentials")
        if credentials is None or not _true(project, credentials):
            return
        origin = _any_origin(project, middleware.kwarg("allow_origins"))
        if origin is None:
            origin = _escaping_regex(project, middleware.kwarg("allow_origin_regex"))
        if origin is None:
            return
        gate = _gate(project, middleware)
        if gate is not None:
            reason = f"allows credentials from any origin only when `{gate}`: not reported"
            project.note_about(middleware.anchor, reason)
            return
        message = (
            f"`{middleware.name}` on app `{app.name}` allows credentials from any origin"
            f" ({origin.why}{origin.fallback})"
        )
        yield self.finding(middleware.anchor, message, related=origin.related)

    def _guard(self, project: Project, site: CallSite) -> Iterator[Finding]:
        if site.has_star:
            return
        enabled = _option(project, site, "enable_cors")
        credentials = _option(project, site, "cors_allow_credentials")
        if not (enabled and credentials):
            return
        given = site.kwarg("cors_allow_origins")
        origin: _Origin | None
        if given is None:
            origin = _Origin('`cors_allow_origins` is not set and defaults to `["*"]`', None)
        else:
            origin = _any_origin(project, Scoped(given, site.ctx), "cors_allow_origins")
        if origin is None:
            return
        message = (
            "fastapi-guard's `SecurityConfig` allows CORS credentials from any origin"
            f" ({origin.why}{origin.fallback})"
        )
        yield self.finding(site.anchor, message, related=origin.related)


@dataclass(frozen=True)
class _Origin:
    """Why the configured origins let anyone in, and where they are defined."""

    why: str
    possible: Possible | None

    @property
    def fallback(self) -> str:
        p = self.possible
        if p is None or not p.is_fallback:
            return ""
        return f"; the default used when `{p.variable}` is not set in the environment"

    @property
    def related(self) -> tuple[Related, ...]:
        where = self.possible.where if self.possible is not None else None
        if where is None or where.span is None:
            return ()
        return (Related(where.path, where.span, f"{where.what} is defined here"),)


def _is_cors(cls: ClassVal | External) -> bool:
    return isinstance(cls, External) and known.is_cors_middleware(cls)


def _true(project: Project, scoped: Scoped) -> bool:
    """Whether a value is true whatever the conditions (settings defaults count)."""
    return any(p.value is True and not p.conditions for p in project.literal(scoped).possible)


def _option(project: Project, site: CallSite, name: str) -> bool:
    """A fastapi-guard option is true: given as true, or true by default."""
    given = site.kwarg(name)
    if given is None:
        return servers_cors.GUARD_CORS_DEFAULTS[name] is True
    return _true(project, Scoped(given, site.ctx))


def _gate(project: Project, middleware: Middleware) -> str | None:
    """The test of an `if` around the middleware call that may be false as deployed
    (an option, a setting off by default), as written; None when every test around
    it holds by default (`if origins:` with a default list) or there is none."""
    for gate in middleware.gates:
        possible = project.literal(gate.test).possible
        if any(not p.known or not p.value for p in possible):
            return gate.text
    return None


def _any_origin(
    project: Project, origins: Scoped | None, option: str = "allow_origins"
) -> _Origin | None:
    if origins is None:
        return None
    for possible in project.literal(origins).possible:
        if possible.conditions:
            continue  # gated on a condition: a deliberate development setting
        entry = any_origin_entry(possible.value)
        if entry is not None:
            return _Origin(f'`{option}` contains `"{entry}"`', possible)
    return None


def _escaping_regex(project: Project, regex: Scoped | None) -> _Origin | None:
    if regex is None:
        return None
    for possible in project.literal(regex).possible:
        if possible.conditions or not isinstance(possible.value, str):
            continue
        escape = regex_escape(possible.value)
        if escape is not None:
            why = f"`allow_origin_regex` `{possible.value}` also accepts `{escape}`"
            return _Origin(why, possible)
    return None
