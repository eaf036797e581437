"""FL009 insecure-auth-cookie."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from fastlint.findings import Finding, Severity
from fastlint.knowledge import jwt_sessions
from fastlint.model.api import (
    CallSite,
    External,
    InstanceVal,
    Project,
    Scoped,
    known,
)
from fastlint.rule import Rule

# `set_cookie(key, value, max_age, expires, path, domain, secure, httponly, samesite)`
SECURE, HTTPONLY, SAMESITE = 6, 7, 8
# `SessionMiddleware(app, secret_key, session_cookie, max_age, path, same_site, https_only)`,
# counted after the app.
SESSION_SAME_SITE, SESSION_HTTPS_ONLY = 4, 5
# fastapi-users' `CookieTransport(cookie_name, cookie_max_age, cookie_path, cookie_domain,
# cookie_secure, cookie_httponly, cookie_samesite)`.
TRANSPORT_SECURE, TRANSPORT_HTTPONLY, TRANSPORT_SAMESITE = 4, 5, 6


@dataclass(frozen=True)
class InsecureAuthCookieOptions:
    """`[tool.fastlint.rules.FL009]`."""

    # Words that make a cookie name a credential (matched in the lower-cased name).
    credential_names: tuple[str, ...] = jwt_sessions.CREDENTIAL_COOKIE_NAMES


class InsecureAuthCookie(Rule):
    """
    ## What it does
    Reports `set_cookie(...)` on a response (a handler parameter typed `Response`, a
    constructed or returned `*Response`) for a cookie that carries credentials, when
    `secure` is not true, `httponly` is not true, or `samesite="none"` comes without
    `secure`. A cookie carries credentials when its name contains one of the
    `credential-names` words (session, sid, token, jwt, auth, access, refresh), or its
    value comes from `jwt.encode`, a `create_*token`-like function or
    `secrets.token_*`.

    Also reports Starlette's `SessionMiddleware(...)` without `https_only=True`, or
    with `same_site="none"`, and fastapi-users' `CookieTransport(...)` given
    `cookie_secure=False` or `cookie_httponly=False` (both default to true), or
    `cookie_samesite="none"` without `cookie_secure`.

    A flag given by a setting or the environment (`secure=settings.cookie_secure`)
    counts as configured. A missing `samesite` is not reported: Starlette defaults it
    to `"lax"`. CSRF double-submit cookies (names containing csrf or xsrf, or,
    when the name is not a known string, written with such names:
    `key=CSRF_TOKEN_COOKIE_NAME, value=csrf_token`) must be readable by scripts:
    only their `secure` flag is checked.

    ## Why is this bad?
    Without `Secure` the browser sends the cookie over plain HTTP, where anyone on
    the network reads it (CWE-614); without `HttpOnly` any script injected into the
    page steals it (CWE-1004); `SameSite=None` sends it on cross-site requests
    (CWE-1275). The cookie is a login: whoever holds it is the user (OWASP API2:2023
    Broken Authentication, API8:2023 Security Misconfiguration).

    ## Options
    - `credential-names`: words that mark a cookie name as a credential
      (default `["session", "sid", "token", "jwt", "auth", "access", "refresh"]`).

    ## Known limits
    - Only cookies whose name is a constant, or whose value visibly comes from a
      token function, are checked; a `set_cookie` on an object of unknown type is
      not (`--verbose` does not list it).
    - Flags passed through `**kwargs` are not read: with `**options` in the call,
      only the flags written out are checked (a flag cannot be given twice, so
      the options never override them). Cookies set by a response subclass that
      overrides `set_cookie` are not checked.
    - A development-only cookie (a local login helper) is reported like any other.
    - A token cookie a front end reads on purpose (`document.cookie`) is reported
      without `httponly=True`: that design is what the rule warns about; suppress
      the line with the reason if you keep it.
    """

    code = "FL009"
    name = "insecure-auth-cookie"
    summary = "Authentication cookie without Secure or HttpOnly"
    severity = Severity.MEDIUM
    cwe = 614
    also_cwe = (1004, 1275)
    owasp = "API2:2023"
    owasp_title = "Broken Authentication"
    also_owasp = (("API8:2023", "Security Misconfiguration"),)
    precision = "high"
    security_severity = "5.9"
    fix = (
        'Pass `secure=True, httponly=True` to `set_cookie(...)` (with `samesite="lax"` or '
        '`"strict"`, never `"none"` without `secure=True`); give `SessionMiddleware` '
        '`https_only=True` and a `same_site` other than `"none"`; remove `cookie_secure=False` '
        "and `cookie_httponly=False` from fastapi-users' `CookieTransport(...)`."
    )
    invalid = (
        """\
from fastapi import FastAPI, Response

app = FastAPI()


@app.post("/login")
def login(response: Response) -> dict[str, str]:
    response.set_cookie("access_token", "...", httponly=True)  # expect: FL009
    return {"status": "ok"}
""",
    )
    valid = (
        """\
from fastapi import FastAPI, Response

app = FastAPI()


@app.post("/login")
def login(response: Response) -> dict[str, str]:
    response.set_cookie("access_token", "...", secure=True, httponly=True, samesite="lax")
    return {"status": "ok"}
""",
    )

    Options = InsecureAuthCookieOptions
    options: InsecureAuthCookieOptions

    def check(self, project: Project) -> Iterator[Finding]:
        for site in project.calls.named("set_cookie"):
            finding = self._cookie(project, site)
            if finding is not None:
                yield finding
        for target in jwt_sessions.COOKIE_TRANSPORTS:
            for site in project.calls.of(target):
                finding = self._transport(project, site)
                if finding is not None:
                    yield finding
        seen = set()  # one finding per call, however many apps it configures
        for app in project.apps:
            for middleware in app.middleware:
                if not middleware.is_class(known.is_session_middleware):
                    continue
                if (middleware.path, middleware.span) in seen:
                    continue
                seen.add((middleware.path, middleware.span))
                problems = []
                https_only = middleware.arg(SESSION_HTTPS_ONLY, "https_only")
                if not _configured(project, https_only, middleware.has_star):
                    problems.append("without `https_only=True`")
                same_site = middleware.arg(SESSION_SAME_SITE, "same_site")
                if same_site is not None and _is_none(project, same_site):
                    problems.append('with `same_site="none"`')
                if problems:
                    yield self.finding(
                        middleware.anchor,
                        "`SessionMiddleware` sets its session cookie " + " and ".join(problems),
                    )

    def _transport(self, project: Project, site: CallSite) -> Finding | None:
        """fastapi-users' `CookieTransport`: secure and HttpOnly unless switched off."""
        problems = []
        secure = _scoped(site, TRANSPORT_SECURE, "cookie_secure")
        insecure = secure is not None and not _configured(project, secure)
        if insecure:
            problems.append("`cookie_secure` off")
        httponly = _scoped(site, TRANSPORT_HTTPONLY, "cookie_httponly")
        if httponly is not None and not _configured(project, httponly):
            problems.append("`cookie_httponly` off")
        same_site = _scoped(site, TRANSPORT_SAMESITE, "cookie_samesite")
        if same_site is not None and insecure and _is_none(project, same_site):
            problems.append('`cookie_samesite="none"` without `cookie_secure`')
        if not problems:
            return None
        message = "fastapi-users' `CookieTransport` sets its login cookie with "
        return self.finding(site.anchor, message + " and ".join(problems))

    def _cookie(self, project: Project, site: CallSite) -> Finding | None:
        classes = project.calls.receiver_classes(site)
        if not classes or not all(known.is_cookie_response(c) for c in classes):
            return None
        name = _cookie_name(project, site)
        if not self._is_credential(project, site, name):
            return None
        label = f"`{name}`" if name else "carrying a token"
        star = site.has_star  # `**options` may give the flags not written out
        secure = _configured(project, _scoped(site, SECURE, "secure"), star)
        problems = []
        if not secure:
            problems.append("without `secure=True`")
        script = _script_cookie(site, name)
        if not script and not _configured(project, _scoped(site, HTTPONLY, "httponly"), star):
            problems.append("without `httponly=True`")
        same_site = _scoped(site, SAMESITE, "samesite")
        if same_site is not None and not secure and _is_none(project, same_site):
            problems.append('with `samesite="none"` but no `secure`')
        if not problems:
            return None
        return self.finding(site.anchor, f"cookie {label} is set " + " and ".join(problems))

    def _is_credential(self, project: Project, site: CallSite, name: str | None) -> bool:
        if name is not None:
            words = re.split(r"[^a-z0-9]+", name.lower())
            for word in self.options.credential_names:
                if any(w == word or (len(word) > 3 and word in w) for w in words):
                    return True
        value = _scoped(site, 1, "value")
        return value is not None and _from_token_function(project, value)


def _script_cookie(site: CallSite, name: str | None) -> bool:
    """A CSRF cookie: by its name, or, when the name is not a known string, by the
    names written for it (`key=CSRF_TOKEN_COOKIE_NAME`, `value=csrf_token`)."""
    if name is not None:
        return known.is_script_cookie(name)
    written = (_scoped(site, 0, "key"), _scoped(site, 1, "value"))
    return any(s is not None and known.is_script_cookie(s.name or "") for s in written)


def _scoped(site: CallSite, index: int, name: str) -> Scoped | None:
    expr = site.arg(index, name)
    return Scoped(expr, site.ctx) if expr is not None else None


def _cookie_name(project: Project, site: CallSite) -> str | None:
    key = site.arg(0, "key")
    if key is None:
        return None
    value = project.literal(Scoped(key, site.ctx)).value
    return value if isinstance(value, str) else None


def _from_token_function(project: Project, value: Scoped) -> bool:
    """The value is the result of a token encoder or generator (followed through
    names and project functions by the resolver), or of a `create_*token`-like call."""
    if known.is_token_function_name(value.called_name or ""):
        return True
    for resolved in project.values(value.expr, value.ctx):
        if not isinstance(resolved, InstanceVal):
            continue
        if isinstance(resolved.cls, External) and known.is_credential_factory(
            resolved.cls.qualname
        ):
            return True
        if known.is_token_function_name(resolved.call_name or ""):
            return True
    return False


def _configured(project: Project, flag: Scoped | None, star: bool = False) -> bool:
    """Whether a flag is set to true, or to something deployment decides; a flag not
    written out counts as set when `*args`/`**kwargs` are passed (they may hold it; a
    flag written out cannot be given twice, so theirs never overrides it)."""
    if flag is None:
        return star
    possible = project.literal(flag).possible
    return not all(p.known and not p.configurable and not p.value for p in possible)


def _is_none(project: Project, same_site: Scoped) -> bool:
    possible = project.literal(same_site).possible
    return any(isinstance(p.value, str) and p.value.lower() == "none" for p in possible)
