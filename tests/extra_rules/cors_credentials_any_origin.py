"""FL901 test-cors-credentials-any-origin: a test-only rule, written as a contributor would.

It uses the model's public questions only (apps, their middleware, literal values
of arguments) and is registered by the test that runs it, never shipped.
"""

from __future__ import annotations

from collections.abc import Iterator

from fastlint.findings import Finding, Related, Severity
from fastlint.model.api import ClassVal, External, Middleware, Possible, Project
from fastlint.rule import Rule

WILDCARDS = frozenset({"*", "null"})


class CorsCredentialsAnyOrigin(Rule):
    """
    ## What it does
    Reports `CORSMiddleware` configured with `allow_credentials=True` and an origin
    list that contains `"*"`, however it is attached (`add_middleware`, the app's
    `middleware=[Middleware(...)]` list, or wrapping the app) and wherever the values
    are defined (settings defaults, environment fallbacks, constants).

    ## Why is this bad?
    Starlette then reflects any caller's `Origin` with credentials allowed: every web
    site can read authenticated responses (CWE-942).

    ## Known limits
    - Origins that depend on a condition (`["*"] if settings.DEBUG else [...]`) are
      taken as gated and not reported.
    """

    code = "FL901"
    name = "test-cors-credentials-any-origin"
    summary = "CORS allows credentials from any origin"
    severity = Severity.HIGH
    cwe = 942
    owasp = "API8:2023"
    owasp_title = "Security Misconfiguration"
    precision = "high"
    security_severity = "8.1"
    fix = "List the allowed origins explicitly, or set `allow_credentials=False`."
    bad_example = """\
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

app = FastAPI()
app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=True)  # expect: FL901
"""
    good_example = """\
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

app = FastAPI()
app.add_middleware(
    CORSMiddleware, allow_origins=["https://app.example.com"], allow_credentials=True
)
"""
    # `bad_example`/`good_example` are the older spelling of one example each; a rule
    # adds more (here across files: the origins come from another module) as lists.
    invalid = (
        {
            "shop/__init__.py": "",
            "shop/config.py": """\
import os

ORIGINS = os.getenv("SHOP_ORIGINS", "*").split(",")
""",
            "shop/main.py": """\
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from shop.config import ORIGINS

app = FastAPI()
app.add_middleware(CORSMiddleware, allow_origins=ORIGINS, allow_credentials=True)  # expect: FL901
""",
        },
    )
    valid = (
        {
            "shop/__init__.py": "",
            "shop/config.py": """\
import os

ORIGINS = os.getenv("SHOP_ORIGINS", "https://shop.example.com").split(",")
""",
            "shop/main.py": """\
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from shop.config import ORIGINS

app = FastAPI()
app.add_middleware(CORSMiddleware, allow_origins=ORIGINS, allow_credentials=True)
""",
        },
    )

    def check(self, project: Project) -> Iterator[Finding]:
        for app in project.apps:
            for middleware in app.middleware:
                if not middleware.is_class(_is_cors):
                    continue
                origin = _any_origin(project, middleware)
                if origin is None:
                    continue
                message = f"`CORSMiddleware` on app `{app.name}` allows credentials from any origin"
                if origin.is_fallback:
                    unset = f"`{origin.variable}` is not set in the environment"
                    message += f" (the default used when {unset})"
                related: tuple[Related, ...] = ()
                where = origin.where
                if where is not None and where.span is not None:
                    related = (Related(where.path, where.span, f"{where.what} is defined here"),)
                yield self.finding(middleware.anchor, message, related=related)


def _is_cors(cls: ClassVal | External) -> bool:
    return (
        isinstance(cls, External)
        and cls.top in ("fastapi", "starlette")
        and cls.last == ("CORSMiddleware")
    )


def _any_origin(project: Project, middleware: Middleware) -> Possible | None:
    """The origin list allowing any origin, when credentials are allowed too."""
    credentials = middleware.kwarg("allow_credentials")
    origins = middleware.kwarg("allow_origins")
    if credentials is None or origins is None:
        return None
    if not any(p.value is True for p in project.literal(credentials).possible):
        return None
    for possible in project.literal(origins).possible:
        value = possible.value
        if possible.conditions or not isinstance(value, (list, tuple)):
            continue
        if any(isinstance(item, str) and item.strip() in WILDCARDS for item in value):
            return possible
    return None
