"""The documentation URLs a FastAPI app serves (FL005).

`FastAPI(openapi_url=..., docs_url=..., redoc_url=...)`: each is served at its
default unless given; a constant (or an f-string of constants) is served there, `""`
or `None` turns it off, and anything else (a condition, a settings attribute, a
call) is read as gated on the environment.
"""

from __future__ import annotations

from fastlint.analysis import Analysis
from fastlint.facts.expr import Const, FString, Name
from fastlint.model.routing import Container

DEFAULT_URLS = {"openapi_url": "/openapi.json", "docs_url": "/docs", "redoc_url": "/redoc"}


class DocsUrls(Analysis):
    """The URL each docs option of an app serves."""

    def url(self, app: Container, option: str) -> str | None:
        """The constant URL `option` serves, "" when disabled, None when gated or
        unknown."""
        given = app.kwarg(option)
        if given is None:
            return DEFAULT_URLS[option]
        if isinstance(given.expr, FString):
            return self.project.text(given.expr, app.ctx) or None
        if not isinstance(given.expr, (Const, Name)):
            return None  # a condition, a settings attribute, a call: gated
        possible = self.project.literal(given).possible
        if isinstance(given.expr, Const):
            value = possible[0].value
            return value if isinstance(value, str) else ("" if option != "openapi_url" else None)
        if all(isinstance(p.value, str) and p.env is None for p in possible):
            return str(possible[0].value)  # a constant, whichever branch defined it
        return None


__all__ = [
    "DEFAULT_URLS",
    "DocsUrls",
]
