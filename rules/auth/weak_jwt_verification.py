"""FL014 weak-jwt-verification."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from fastlint.analysis.route_auth import RouteAuth
from fastlint.analysis.tokens import Tokens
from fastlint.findings import Finding, Severity
from fastlint.knowledge import jwt_sessions
from fastlint.model.api import CallSite, FunctionVal, Project, Scoped
from fastlint.rule import Rule

# From litellm's ui_sso.py, which reads the identity provider's tokens unverified
# (fd58e0e).
# Words in a module's or function's name that say it is the client side of single
# sign-on: the tokens it reads come from the identity provider, not from the caller.
SSO_CLIENT_WORDS = ("sso", "oauth", "oidc", "openid", "saml")

# On a route's authentication path a weakness is one step worse.
RAISED = {Severity.HIGH: Severity.CRITICAL, Severity.MEDIUM: Severity.HIGH}
CLAIM_CHECKS = {"verify_exp": "exp", "verify_aud": "aud"}  # option -> the claim it checks


@dataclass(frozen=True)
class Weakness:
    """What is wrong with one call, and how bad it is off the authentication path."""

    message: str
    severity: Severity
    peek: bool = False  # reads claims unverified: fine before a verified decode


class WeakJwtVerification(Rule):
    """
    ## What it does
    Reports calls that decode a JWT without really verifying it:

    - PyJWT / python-jose / Authlib `decode` with `options={"verify_signature": False}`
      (also through a variable or a settings dict), or PyJWT 1.x `verify=False`;
    - python-jose `jwt.get_unverified_claims(token)`, or the payload segment
      decoded by hand (`base64.urlsafe_b64decode(token.split(".")[1] + "==")`);
    - `algorithms` that allow `"none"`, that mix HMAC (`HS256`) with RSA/EC
      (`RS256`, `ES256`) for one key, or that are read from the token itself
      (`jwt.get_unverified_header(token)["alg"]`);
    - python-jose `jwt.decode` without `algorithms`;
    - `verify_exp` or `verify_aud` switched off (medium), unless that claim is
      compared or read by hand (`now < claims["exp"]`, `expires_at =
      claims.get("exp")`) in the function, in a project
      function it calls, or in a function that calls it (and its helpers), or is
      listed in `options["require"]`.

    Severity is critical (medium findings: high) when the call runs in a
    dependency that authenticates a route, or in a helper such a dependency
    calls, across files; high otherwise, except an unverified read (a decode with
    verification off, `get_unverified_claims`) that no served route is seen to
    run: medium.

    ## Why is this bad?
    A token whose signature is not checked proves nothing: anyone can write
    `{"sub": "admin"}`, base64-encode it and be that user (CWE-347). Accepting
    `none`, or the algorithm the token names, lets the attacker choose how it is
    checked; mixing HMAC and RSA lets them sign with the public key as an HMAC
    secret (CWE-327). Without expiry or audience checks, a stolen or foreign token
    stays valid forever or for the wrong service (CWE-345). OWASP API2:2023
    Broken Authentication.

    ## Known limits
    - Reading claims unverified (`get_unverified_claims`, a decode with
      `verify_signature` off) where a verified decode is made nearby (in the same
      function, in a function that calls it, or in a function either calls) is
      taken as a peek (to pick a key, an issuer or a validation path) and not
      reported; `get_unverified_header` used only for `kid` is never reported.
    - Options and algorithms are read when their value can be followed statically
      (literals, module constants, settings defaults); values built at runtime
      are not reported.
    - A payload decoded by hand is reported only in code that serves requests (an
      endpoint, a dependency, or a function they call): a client reading the
      expiry of a token it was given is not checking anyone's identity.
    - Decoders wrapped in a project class (a `TokenService.decode` method) are
      checked where they call the library, not where they are called.
    - Tokens an identity provider gave the app are recognised, off every route's
      authentication path, by name (an `id_token`), by the code reading them (a
      file or function named for SSO, OAuth, OIDC, OpenID or SAML: `ui_sso.py`),
      or by where they come from (neither the request nor a parameter). A
      provider's token handed as a parameter to a helper named otherwise, and claims
      read after the provider's userinfo endpoint accepted the token, are still
      reported. Suppress them with `# noqa: FL014`.
    - A decode that checks only the signature on purpose (`verify_exp` and
      `verify_aud` off in a "was this signed with our key?" test) is reported
      unless the claims are compared by hand nearby.
    """

    code = "FL014"
    name = "weak-jwt-verification"
    summary = "JWT decoded without verifying its signature, algorithm or claims"
    severity = Severity.HIGH
    severity_reasons = (("medium", "only weaknesses of medium severity were found"),)
    cwe = 347
    also_cwe = (345, 327)
    owasp = "API2:2023"
    owasp_title = "Broken Authentication"
    precision = "high"
    requires = (RouteAuth, Tokens)
    security_severity = "9.1"
    fix = (
        'Verify the token: `jwt.decode(token, key, algorithms=["HS256"])` with the key '
        "from the environment, one algorithm family pinned in code, and no `options` "
        "that turn off `verify_signature`, `verify_exp` or `verify_aud`."
    )
    invalid = (
        """\
import os

import jwt
from fastapi import Depends, FastAPI, HTTPException
from fastapi.security import OAuth2PasswordBearer

app = FastAPI()
oauth2_scheme = OAuth2PasswordBearer(tokenUrl="token")
SECRET_KEY = os.environ["SECRET_KEY"]
NO_CHECK = {"verify_signature": False}


def get_current_user(token: str = Depends(oauth2_scheme)) -> dict:
    claims = jwt.decode(token, SECRET_KEY, algorithms=["HS256"], options=NO_CHECK)  # expect: FL014
    if "sub" not in claims:
        raise HTTPException(status_code=401)
    return claims


def read_service_token(token: str) -> dict:
    alg = jwt.get_unverified_header(token)["alg"]
    return jwt.decode(token, SECRET_KEY, algorithms=[alg])  # expect: FL014


@app.get("/me")
def me(user: dict = Depends(get_current_user)) -> dict:
    return user
""",
    )
    valid = (
        """\
import os

import jwt
from fastapi import Depends, FastAPI, HTTPException
from fastapi.security import OAuth2PasswordBearer

app = FastAPI()
oauth2_scheme = OAuth2PasswordBearer(tokenUrl="token")
SECRET_KEY = os.environ["SECRET_KEY"]
PUBLIC_KEYS = {"2024": os.environ["PUBLIC_KEY_2024"]}


def get_current_user(token: str = Depends(oauth2_scheme)) -> dict:
    try:
        return jwt.decode(token, SECRET_KEY, algorithms=["HS256"])
    except jwt.InvalidTokenError:
        raise HTTPException(status_code=401) from None


def read_service_token(token: str) -> dict:
    kid = jwt.get_unverified_header(token)["kid"]
    return jwt.decode(token, PUBLIC_KEYS[kid], algorithms=["RS256"], audience="billing")


@app.get("/me")
def me(user: dict = Depends(get_current_user)) -> dict:
    return user
""",
    )

    def check(self, project: Project) -> Iterator[Finding]:
        decodes = {id(s): s for n in jwt_sessions.JWT_DECODERS for s in project.calls.of(n)}
        verified = {s.function for s in decodes.values() if not self._decode(project, s)}
        sites: list[tuple[CallSite, list[Weakness]]] = [
            (s, self._decode(project, s)) for s in decodes.values()
        ]
        sites += [
            (
                s,
                [
                    Weakness(
                        "reads the token's claims without verifying its signature "
                        "(`get_unverified_claims`)",
                        Severity.HIGH,
                        peek=True,
                    )
                ],
            )
            for n in jwt_sessions.JWT_UNVERIFIED_CLAIMS
            for s in project.calls.of(n)
        ]
        sites += [
            (
                s,
                [
                    Weakness(
                        "decodes the token's payload by hand, without verifying its signature",
                        Severity.HIGH,
                        peek=True,
                    )
                ],
            )
            for n in jwt_sessions.BASE64_DECODERS
            for s in project.calls.of(n)
            if s.function is not None
            and project.get(RouteAuth).serves_requests(s.function)
            and any(project.get(Tokens).payload_segment(a, s.function) for a in s.args[:1])
        ]
        for site, weaknesses in sorted(sites, key=lambda p: (p[0].path, p[0].span.line)):
            weaknesses = [
                w
                for w in weaknesses
                if not (w.peek and self._verified_near(project, site, verified))
            ]
            if weaknesses and all(w.peek for w in weaknesses) and self._providers(project, site):
                continue
            if not weaknesses:
                continue
            yield self._report(project, site, weaknesses)

    @staticmethod
    def _verified_near(project: Project, site: CallSite, verified: set[FunctionVal | None]) -> bool:
        """Whether an unverified read is a peek: the function, a function calling it,
        or one they call also makes a verified decode (`claims =
        get_unverified_claims(token)` to pick the validation path, then
        `auth_jwt(token)` verifies)."""
        if site.function is None:
            return False
        return any(f in verified for f in project.get(Tokens).nearby(site.function))

    @staticmethod
    def _providers(project: Project, site: CallSite) -> bool:
        """Whether an unverified read is of a token the app was given by an identity
        provider, not by the caller: an OpenID Connect ID token (`id_token`, received
        from the provider's token endpoint over TLS, which OIDC Core 3.1.3.7 lets a
        client trust without its signature), or, off every route's authentication
        path and not read from the request there, a token read in single sign-on
        client code (a module or function named for SSO, OAuth, OIDC) or in code
        that serves requests and did not get it as a parameter (an SSO callback
        reading the provider's token response)."""
        token = site.arg(0, "jwt") or site.arg(0, "token")
        function = site.function
        if token is None or function is None:
            return False
        tokens = project.get(Tokens)
        if any("id_token" in w for w in tokens.written_names(token, function)):
            return True
        if project.get(RouteAuth).authenticated_routes(function) or tokens.from_request(
            token, function
        ):
            return False
        where = f"{function.path.rsplit('/', 1)[-1]} {function.name}".lower()  # file, function
        if any(word in where for word in SSO_CLIENT_WORDS):
            return True  # single sign-on client code (`ui_sso.py`) reads the provider's
        # a helper's parameter: whoever calls it may pass the caller's token
        return project.get(RouteAuth).serves_requests(function) and not project.get(
            Tokens
        ).from_parameter(token, function)

    def _report(self, project: Project, site: CallSite, weaknesses: list[Weakness]) -> Finding:
        worst = max(w.severity for w in weaknesses)
        routes = project.get(RouteAuth).authenticated_routes(site.function) if site.function else []
        message = f"`{site.name or 'decode'}` " + "; ".join(w.message for w in weaknesses)
        serving = site.function is not None and project.get(RouteAuth).serves_requests(
            site.function
        )
        if not routes and not serving and all(w.peek for w in weaknesses):
            worst = Severity.MEDIUM  # an unverified read no served route is seen to run
        if routes:
            worst = RAISED.get(worst, worst)
            message += f", and it authenticates {routes[0].label}"
            if len(routes) > 1:
                message += f" and {len(routes) - 1} more route(s)"
        related = tuple(self.related(r.anchor, "authenticated by this call") for r in routes[:5])
        return self.finding(site.anchor, message, related=related, severity=worst)

    def _decode(self, project: Project, site: CallSite) -> list[Weakness]:
        """The weaknesses of one `decode` call (empty: it verifies)."""
        found: list[Weakness] = []
        options = site.kwarg("options")
        if options is not None:
            found.extend(self._options(project, Scoped(options, site.ctx), site))
        verify = site.kwarg("verify")
        if verify is not None and project.literal(Scoped(verify, site.ctx)).value is False:
            found.append(Weakness("is called with `verify=False`", Severity.HIGH, peek=True))
        algorithms = site.arg(2, "algorithms")
        if algorithms is None:
            if set(site.qualnames) & jwt_sessions.JOSE_DECODERS and not site.has_star:
                found.append(
                    Weakness(
                        "has no `algorithms`: python-jose accepts the algorithm the token names",
                        Severity.HIGH,
                    )
                )
        else:
            found.extend(self._algorithms(project, Scoped(algorithms, site.ctx), site.function))
        return found

    def _options(self, project: Project, options: Scoped, site: CallSite) -> list[Weakness]:
        found: list[Weakness] = []
        for possible in project.literal(options).known:
            value = possible.value
            if not isinstance(value, dict):
                continue
            if value.get("verify_signature") is False:
                found.append(
                    Weakness(
                        "turns off signature verification (`verify_signature: False`)",
                        Severity.HIGH,
                        peek=True,
                    )
                )
                break
            required = value.get("require")
            required = required if isinstance(required, (list, tuple)) else ()
            off = [
                option
                for option, claim in CLAIM_CHECKS.items()
                if value.get(option) is False
                and claim not in required  # required but not checked: checked by hand
                and not project.get(Tokens).compares_claim(site.function, claim)
            ]
            if off:
                found.append(Weakness(f"turns off `{'`, `'.join(off)}`", Severity.MEDIUM))
                break
        return found

    def _algorithms(
        self, project: Project, algorithms: Scoped, function: FunctionVal | None
    ) -> list[Weakness]:
        if project.get(Tokens).algorithm_from_token(algorithms.expr, function):
            return [Weakness("takes the algorithm from the token's own header", Severity.HIGH)]
        lists: list[list[str]] = []  # each value the argument may have
        for possible in project.literal(algorithms).known:
            value = possible.value
            items = value if isinstance(value, (list, tuple)) else [value]
            lists.append([v for v in items if isinstance(v, str)])
        if any(n.lower() == "none" for names in lists for n in names):
            return [Weakness('accepts the `"none"` algorithm (unsigned tokens)', Severity.HIGH)]
        for names in lists:  # one list holding both; not one algorithm chosen per key
            hmac = sorted(n for n in names if n.startswith(jwt_sessions.HMAC_ALGORITHMS))
            other = sorted(n for n in names if n.startswith(jwt_sessions.ASYMMETRIC_ALGORITHMS))
            if hmac and other:
                return [
                    Weakness(
                        f"accepts both HMAC ({', '.join(hmac)}) and RSA/EC ({', '.join(other)}) "
                        "algorithms for one key: a public key can sign as an HMAC secret",
                        Severity.HIGH,
                    )
                ]
        return []
