"""Request credentials in comparisons: what a token or key is compared with.

A request credential is what a caller sends to prove who they are: the value a
`fastapi.security` scheme reads (or its `.credentials`/`.password`), a header,
cookie or query parameter whose name or alias says it is a token, key, secret,
signature, password or one-time code, or such a header read from the request
(`request.headers["x-api-key"]`). Local names are followed to what they were
assigned (`token = auth.removeprefix("Bearer ")`).

Each comparison (`==`, `!=`, `in`, `not in`) of a credential is answered with
what the other operand is: a literal (a hard-coded credential), a configured
secret (an environment variable or settings field: a timing leak), an HMAC
digest (a signature check with `==`), or something else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property

from fastlint.analysis import Analysis
from fastlint.facts.expr import (
    Attr,
    BinOp,
    Call,
    Const,
    DictExpr,
    Expr,
    FString,
    Name,
    Seq,
    Subscript,
    dotted,
    last_name,
)
from fastlint.knowledge import security_schemes
from fastlint.model import known
from fastlint.model.anchor import Anchor
from fastlint.model.bodies import Body, Comparison, origins
from fastlint.model.literal_eval import Literals
from fastlint.model.parameters import (
    BODY,
    COOKIE,
    DEPENDENCY,
    FORM,
    HEADER,
    QUERY,
    Parameter,
    ParameterReader,
    path_parameter_names,
)
from fastlint.model.values import (
    ClassVal,
    External,
    FunctionVal,
    InstanceVal,
    Scoped,
    SyntaxVal,
)
from fastlint.span import Span

LITERAL, CONFIGURED, DIGEST, OTHER = "literal", "configured", "digest", "other"
EQUALITY = frozenset({"==", "!=", "in", "not in"})
MEMBERSHIP = frozenset({"in", "not in"})
DIFFERS = frozenset({"!=", "not in"})
# Methods that leave a credential a credential: `auth.removeprefix("Bearer ").strip()`.
KEEPS_CREDENTIAL = frozenset({"strip", "lstrip", "rstrip", "removeprefix", "replace"})
REQUEST_MAPPINGS = frozenset({"headers", "cookies", "query_params"})
MAX_DEPTH = 4


@dataclass(frozen=True, eq=False)
class CredentialComparison:
    """`credential op other` in a function body; `kind` says what `other` is."""

    body: Body
    comparison: Comparison
    credential: str  # what the caller sent, in words: "`token` (read by `OAuth2PasswordBearer`)"
    other: Expr
    kind: str  # LITERAL, CONFIGURED, DIGEST or OTHER
    what: str  # the other operand, in words: '"s3cret"', "`settings.API_KEY` (API_KEY)"

    @property
    def anchor(self) -> Anchor:
        """The comparison; about `function compares credential`."""
        scope = ".".join(f.name for f in self.body.ctx.functions) or "<module>"
        name = self.credential.split(" ", 1)[0].strip("`")
        return Anchor(self.body.path, self.comparison.span, f"{scope} compares {name}")


class RequestCredentials(Analysis):
    """The request credentials of the project's functions, and their comparisons
    (FL014, FL015)."""

    @cached_property
    def _on_routes(self) -> frozenset[FunctionVal]:
        """Endpoints and dependencies of every served route."""
        project = self.project
        return frozenset(
            c.function for instance in project.instances for c in project.chain_functions(instance)
        )

    @cached_property
    def _path_names(self) -> dict[FunctionVal, frozenset[str]]:
        """The `{placeholders}` of the paths each endpoint and dependency serves."""
        names: dict[FunctionVal, frozenset[str]] = {}
        for instance in self.project.instances:
            found = path_parameter_names(instance.full_path)
            for chained in self.project.chain_functions(instance):
                names[chained.function] = names.get(chained.function, frozenset()) | found
        return names

    @cached_property
    def _finder(self) -> CredentialComparisons:
        return CredentialComparisons(
            ParameterReader(self.project.types),
            self.project.literals,
            lambda f: f in self._on_routes,
            lambda f: self._path_names.get(f, frozenset()),
        )

    @cached_property
    def _comparisons(self) -> list[CredentialComparison]:
        return self._finder.comparisons(self.project.calls.bodies)

    def credential(self, expr: Expr, function: FunctionVal) -> str | None:
        """What credential the caller sent `expr` holds in `function` (a scheme's
        token, a credential header, cookie or query value, `request.headers[...]`),
        in words; None when it holds none that fastlint can see."""
        body = self.project.calls.body_of(function)
        return None if body is None else self._finder.credential(expr, body)

    def comparisons(self) -> list[CredentialComparison]:
        """Every `==`/`!=`/`in` of a request credential (a scheme's token, an API-key
        header...) in a function body, with what it is compared with."""
        return self._comparisons


class CredentialComparisons:
    """Finds the comparisons of request credentials in function bodies."""

    def __init__(
        self,
        reader: ParameterReader,
        literals: Literals,
        on_route: Callable[[FunctionVal], bool] = lambda _: True,
        path_names: Callable[[FunctionVal], frozenset[str]] = lambda _: frozenset(),
    ) -> None:
        self.path_names = path_names  # `{placeholders}` of the routes a function serves
        self.reader = reader
        self.on_route = on_route  # whether FastAPI binds a function's parameters
        self.resolver = reader.resolver
        self.literals = literals
        self._params: dict[tuple[str, int, int], dict[str, Parameter]] = {}

    def comparisons(self, bodies: list[Body]) -> list[CredentialComparison]:
        """Every comparison of a request credential in a function body."""
        found: list[CredentialComparison] = []
        for body in bodies:
            if body.function is None:
                continue
            for comparison in body.comparisons:
                if comparison.op not in EQUALITY:
                    continue
                found.extend(self._compared(body, comparison))
        return found

    def _compared(self, body: Body, comparison: Comparison) -> Iterator[CredentialComparison]:
        sides = [(comparison.left, comparison.right)]
        if comparison.op not in MEMBERSHIP:  # `x in credential` tests the credential's text
            sides.append((comparison.right, comparison.left))
        for mine, other in sides:
            credential = self.credential(mine, body)
            if credential is None or self.credential(other, body) is not None:
                continue
            kind, what = self.secret(other, body, comparison.op in MEMBERSHIP)
            if kind == LITERAL and comparison.op in DIFFERS and _forwarded(body, comparison, mine):
                return  # `if key != "secret": client(api_key=key)`: a placeholder test
            yield CredentialComparison(body, comparison, credential, other, kind, what)
            return

    # -- the credential side --------------------------------------------------------

    def credential(self, expr: Expr, body: Body, depth: int = 0) -> str | None:
        """What request credential `expr` holds, in words; None when it holds none."""
        for origin in origins(expr, body.function):
            found = self._direct(origin, body, depth)
            if found is not None:
                return found
        return None

    def _direct(self, expr: Expr, body: Body, depth: int = 0) -> str | None:
        if depth > MAX_DEPTH:  # `token = token.strip()` would go round for ever
            return None
        if isinstance(expr, Name):
            param = self._parameter(body, expr.id)
            if param is None or body.function is None:
                return None
            return self._parameter_credential(param, body.function)
        if isinstance(expr, Attr) and expr.attr in security_schemes.CREDENTIAL_ATTRIBUTES:
            if isinstance(expr.value, Name):
                param = self._parameter(body, expr.value.id)
                if param is not None and self._scheme(param) is not None:
                    return f"`{expr.value.id}.{expr.attr}` (read by `{self._scheme(param)}`)"
                if param is not None and expr.attr == "password" and body.function is not None:
                    return self._login_password(param, body.function, expr.value.id)
            return None
        if isinstance(expr, Call) and isinstance(expr.func, Attr):
            method = expr.func.attr
            if method in KEEPS_CREDENTIAL:
                return self.credential(expr.func.value, body, depth + 1)
            if method == "get" and expr.args:
                return _request_item(expr.func.value, expr.args[0])
            return None
        if isinstance(expr, Subscript) and expr.items:
            head = expr.value
            if (
                isinstance(head, Call)
                and isinstance(head.func, Attr)
                and head.func.attr
                in (
                    "split",
                    "partition",
                    "rsplit",
                )
            ):
                return self.credential(head.func.value, body, depth + 1)
            return _request_item(head, expr.items[0])
        return None

    def _parameter(self, body: Body, name: str) -> Parameter | None:
        function = body.function
        if function is None:
            return None
        key = (function.path, function.line, function.column)
        params = self._params.get(key)
        if params is None:
            params = {p.name: p for p in self.reader.parameters(function)}
            self._params[key] = params
        return params.get(name)

    def _parameter_credential(self, param: Parameter, function: FunctionVal) -> str | None:
        scheme = self._scheme(param)
        if scheme is not None:
            return f"`{param.name}` (read by `{scheme}`)"
        if param.source not in (HEADER, COOKIE, QUERY, FORM, BODY):
            return None
        if param.marker is None and (
            not self.on_route(function) or param.name in self.path_names(function)
        ):
            return None  # a plain helper's parameter, or a path parameter
        alias = param.marker.kwarg("alias") if param.marker is not None else None
        names = [param.name]
        if isinstance(alias, Const) and isinstance(alias.value, str):
            names.append(alias.value)
        if any(known.is_credential_name(n) for n in names):
            return f"`{param.name}` (the {param.source} `{names[-1]}`)"
        return None

    def _login_password(self, param: Parameter, function: FunctionVal, name: str) -> str | None:
        """`form_data.password` of an `OAuth2PasswordRequestForm` dependency, or
        `form.password` of a request body model: the password a caller logs in with."""
        if param.source == BODY and self.on_route(function):
            return f"`{name}.password` (the password in the request body)"
        if param.source != DEPENDENCY or param.dependency is None:
            return None
        ctx = param.marker_ctx or param.ctx
        for value in self.resolver.evaluate(param.dependency, ctx):
            if isinstance(value, (ClassVal, External)) and self.resolver.inherits(
                value, known.is_password_form
            ):
                form = value.last if isinstance(value, External) else value.fact.name
                return f"`{name}.password` (the password of `{form}`)"
        return None

    def _scheme(self, param: Parameter) -> str | None:
        """The security scheme class a `Depends(scheme)` parameter reads, if any."""
        if param.source != DEPENDENCY or param.dependency is None:
            return None
        ctx = param.marker_ctx or param.ctx
        for value in self.resolver.evaluate(param.dependency, ctx):
            if isinstance(value, InstanceVal) and self.resolver.inherits(
                value.cls, known.is_security_scheme
            ):
                cls = value.cls
                return cls.last if isinstance(cls, External) else cls.fact.name
        return None

    # -- the other side -------------------------------------------------------------

    def _written_keys(self, expr: Expr, body: Body) -> list[str]:
        """The strings a container written in the code holds (a dict's keys), when
        every entry is one; empty otherwise."""
        texts: list[str] = []
        for value in self.resolver.evaluate(expr, body.ctx):
            if not isinstance(value, SyntaxVal):
                return []
            keys = _keys_of(value.expr)
            if not keys or not all(isinstance(k, Const) and _secret_text(k.value) for k in keys):
                return []
            texts.extend(str(k.value) for k in keys if isinstance(k, Const))
        return texts

    def secret(self, expr: Expr, body: Body, membership: bool) -> tuple[str, str]:
        """What a credential is compared with: (kind, in words)."""
        for origin in origins(expr, body.function):
            found = self._secret(origin, body, membership)
            if found is not None:
                return found
        return OTHER, "a value"

    def _secret(self, expr: Expr, body: Body, membership: bool) -> tuple[str, str] | None:
        if isinstance(expr, Const):
            if (
                isinstance(expr.value, str)
                and expr.value.strip().lower() not in security_schemes.NOT_SECRETS
            ):
                return LITERAL, _quoted(expr.value)
            return OTHER, repr(expr.value)
        if membership and isinstance(expr, Seq):
            texts = [e.value for e in expr.items if isinstance(e, Const)]
            if texts and all(
                isinstance(t, str) and t.strip().lower() not in security_schemes.NOT_SECRETS
                for t in texts
            ):
                return LITERAL, ", ".join(_quoted(str(t)) for t in texts)
            return None
        if _digest(expr):
            return DIGEST, "an HMAC digest"
        if membership:
            keys = self._written_keys(expr, body)
            if keys:  # `TOKENS = {"agent-token": ...}`: credentials written in the code
                written_name = dotted(expr) or "the value"
                return LITERAL, f"`{written_name}` (" + ", ".join(_quoted(k) for k in keys) + ")"
        literal = self.literals.of(Scoped(expr, body.ctx))
        configured = [p for p in literal.possible if p.configurable]
        written = _written(expr)
        if configured:
            variable = configured[0].variable
            return CONFIGURED, f"`{written}`" + (
                f" (environment variable {variable})" if variable else ""
            )
        values = [p.value for p in literal.possible]
        if literal.is_known and values and not membership:
            if all(_secret_text(v) for v in values):
                return LITERAL, f"`{written}` = {_quoted(str(values[0]))}"
            return OTHER, f"`{written}`"
        if isinstance(expr, FString):  # f"Bearer {settings.API_KEY}"
            inside = [p for p in expr.parts if not isinstance(p, str)]
            if any((self._secret(p, body, False) or (OTHER, ""))[0] == CONFIGURED for p in inside):
                return CONFIGURED, f"`{written}`"
            return None
        head = written.split(".", 1)[0]
        if (
            _looks_configured(expr)
            and self._parameter(body, head) is None
            and not _loaded_record(expr, body.function)
        ):
            return CONFIGURED, f"`{written}`"  # not `payload.key`: a request's value
        return None


def _forwarded(body: Body, comparison: Comparison, credential: Expr) -> bool:
    """Whether the branch an `if credential != literal:` guards hands the credential
    itself on, to a call or a name (`provider.get_models(api_key=credentials.credentials)`,
    `config.api_key = credentials.credentials`):
    the literal is a placeholder meaning "no key given", and the key is the caller's
    own, forwarded to another service; nothing here authenticates against it."""
    line = comparison.span.line
    handed: list[tuple[Span | None, tuple[Expr, ...]]] = [
        (call.span, (*call.args, *(value for _, value in call.kwargs))) for call in body.facts.calls
    ]
    if body.function is not None:  # `config.api_key = credentials.credentials`
        scope = body.function.fact.scope
        handed += [(a.span, (a.value,)) for a in scope.attr_assignments]
        handed += [(a.span, (a.value,)) for group in scope.assignments.values() for a in group]
    for guard in body.guards:
        block = guard.block
        if block is None or not guard.span.line <= line <= guard.span.end_line:
            continue
        for span, given in handed:
            inside = span is not None and block.line <= span.line <= block.end_line
            if inside and credential in given:
                return True
    return False


def _loaded_record(expr: Expr, function: FunctionVal | None) -> bool:
    """`user.password` where the function assigned `user` itself from something that
    does not name settings or configuration (`user = get_user(name)`, not
    `config = load()`): a stored record's field, not a configured secret."""
    if function is None or not isinstance(expr, Attr):
        return False
    head = (dotted(expr) or "").split(".", 1)[0]
    assigned = function.fact.scope.assignments.get(head, ())
    if not assigned or any(word in head.lower() for word in security_schemes.SETTINGS_WORDS):
        return False
    for assignment in assigned:
        value = assignment.value
        source = dotted(value.func if isinstance(value, Call) else value) or ""
        if any(word in source.lower() for word in security_schemes.SETTINGS_WORDS):
            return False
    return True


def _keys_of(display: Expr) -> list[Expr]:
    """The entries `x in display` compares `x` with: a dict's keys, a list's items."""
    if isinstance(display, DictExpr):
        return [key for key, _ in display.items if key is not None]
    if isinstance(display, Seq):
        return list(display.items)
    return []


def _secret_text(value: object) -> bool:
    """A string that can be a secret: not empty, not a scheme word or placeholder."""
    return isinstance(value, str) and value.strip().lower() not in security_schemes.NOT_SECRETS


def _digest(expr: Expr) -> bool:
    """`hmac.new(...).hexdigest()`, `hmac.digest(...)`, also prefixed (`"sha256=" + ...`)."""
    if isinstance(expr, BinOp):
        return _digest(expr.left) or _digest(expr.right)
    if isinstance(expr, FString):
        return any(not isinstance(p, str) and _digest(p) for p in expr.parts)
    if isinstance(expr, Call):
        name = last_name(expr.func) or ""
        return name in security_schemes.HMAC_DIGESTS or (dotted(expr.func) or "").startswith(
            "hmac."
        )
    return False


def _request_item(mapping: Expr, key: Expr) -> str | None:
    """`request.headers["x-api-key"]`, `request.cookies.get("token")`."""
    if not (isinstance(mapping, Attr) and mapping.attr in REQUEST_MAPPINGS):
        return None
    if (
        isinstance(key, Const)
        and isinstance(key.value, str)
        and known.is_credential_name(key.value)
    ):
        return f"`{key.value}` (the request's {mapping.attr})"
    return None


def _looks_configured(expr: Expr) -> bool:
    """`settings.API_KEY`, `config.webhook_secret`, `self.api_key`, `API_TOKEN`,
    `ENV_VALUES["PASSWORD"]`: a secret from configuration, by its name."""
    if isinstance(expr, Subscript) and len(expr.items) == 1:  # `ENV_VALUES["PASSWORD"]`
        key, mapping = expr.items[0], (dotted(expr.value) or "").lower()
        if not (isinstance(key, Const) and isinstance(key.value, str)):
            return False
        named = known.is_credential_name(key.value)
        return named and any(word in mapping for word in security_schemes.SETTINGS_WORDS)
    name = dotted(expr)
    if name is None:
        return False
    last = name.rsplit(".", 1)[-1]
    if isinstance(expr, Name) and not last.isupper():
        return False
    head = name.split(".", 1)[0]
    if isinstance(expr, Attr) and head[:1].isupper() and not head.isupper():
        return False  # `User.api_key`: a model's column, compared in a query
    return known.is_credential_name(last) or "key" in last.lower()


def _written(expr: Expr) -> str:
    """`expr` as written, for a message: a dotted name, or an f-string of them."""
    if isinstance(expr, FString):
        return 'f"' + "".join(p if isinstance(p, str) else _written_f(p) for p in expr.parts) + '"'
    if isinstance(expr, Subscript) and len(expr.items) == 1:
        key, mapping = expr.items[0], dotted(expr.value)
        if mapping is not None and isinstance(key, Const) and isinstance(key.value, str):
            return f'{mapping}["{key.value}"]'
    return dotted(expr) or "the value"


def _written_f(part: Expr) -> str:
    return "{" + (dotted(part) or "...") + "}"


def _quoted(text: str) -> str:
    return '"' + (text if len(text) <= 40 else text[:37] + "...") + '"'


__all__ = [
    "CONFIGURED",
    "DIGEST",
    "LITERAL",
    "OTHER",
    "CredentialComparison",
    "CredentialComparisons",
    "RequestCredentials",
]
