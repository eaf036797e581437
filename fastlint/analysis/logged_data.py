"""Request data that endpoints write to logs: credentials, secret fields, personal data.

For each route's endpoint, the parameters FastAPI fills from the request are
sorted by what they carry (a body or form model, a credential named as such, a
token handed over by a security scheme, the `Request` itself); each logging call
in the endpoint (`logging`, a logger object, structlog, loguru, `print`) is then
read for those values in its arguments, through f-strings, `%`/`+`, `str()`,
`.format()`, containers and `extra={...}`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

from fastlint.analysis import Analysis
from fastlint.facts.expr import (
    Attr,
    Call,
    Compare,
    Const,
    Expr,
    Name,
    Subscript,
    Union,
    children,
    last_name,
)
from fastlint.model import known
from fastlint.model.anchor import Anchor
from fastlint.model.calls import CallSite
from fastlint.model.parameters import (
    BODY,
    COOKIE,
    DEPENDENCY,
    FORM,
    HEADER,
    QUERY,
    SPECIAL,
    Parameter,
)
from fastlint.model.project import Project
from fastlint.model.routing import Route
from fastlint.model.schemas import Model
from fastlint.model.values import ClassVal, External, FunctionVal

# Severity of what a log line holds, from worst: a credential (token, password,
# key) can be replayed by whoever reads the logs; personal data is a privacy leak.
CREDENTIAL = "credential"
PERSONAL = "personal"

LOG_METHODS = frozenset(
    {"debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log"}
    | {"trace", "success", "msg"}  # loguru, structlog
)
LOG_LIBRARIES = ("logging", "loguru", "structlog")
# Model fields named like these hold credentials (the names FL003 treats as secrets,
# without the identifiers and card data that are personal rather than replayable).
CREDENTIAL_FIELDS = frozenset(
    {"password", "passwd", "pwd", "new_password", "old_password", "current_password"}
    | {"secret", "client_secret", "secret_key", "api_key", "apikey", "private_key"}
    | {"token", "access_token", "refresh_token", "id_token", "otp", "otp_code", "pin"}
)
CREDENTIAL_SUFFIXES = ("_password", "_secret", "_api_key", "_private_key", "_token")
# Personal data (GDPR-style identifiers), reported at low severity.
PERSONAL_FIELDS = frozenset(
    {"email", "email_address", "phone", "phone_number", "mobile", "address", "street"}
    | {"birth_date", "birthdate", "date_of_birth", "dob", "ssn", "national_id", "passport"}
    | {"credit_card", "card_number", "iban", "cvv"}
)

__all__ = ["CREDENTIAL", "PERSONAL", "LoggedRequestData", "LoggedValue"]
MASKED_TYPES = frozenset({"SecretStr", "SecretBytes"})  # pydantic prints "**********"
DUMP_METHODS = frozenset({"model_dump", "dict", "json", "model_dump_json"})
REQUEST_HEADER_CREDENTIALS = ("authorization", "cookie", "x-api-key", "api-key", "x-auth-token")
REQUEST_CLASSES = frozenset({"Request", "HTTPConnection"})
SAFE_CALLS = frozenset({"len", "bool", "type", "id", "hash", "isinstance"})  # log no content
NOT_CREDENTIAL_SUFFIXES = ("_type", "_url", "_expires", "_id", "_name", "_hint", "_length")


@dataclass(frozen=True)
class LoggedValue:
    """One request value in the arguments of one logging call."""

    route: Route
    site: CallSite
    kind: str  # CREDENTIAL or PERSONAL
    what: str  # how the message names it: "`user.password`", "the `Authorization` header"

    @property
    def anchor(self) -> Anchor:
        return self.site.anchor


@dataclass(frozen=True)
class _Carrier:
    """A parameter of the endpoint and what it carries."""

    kind: str  # "model", "credential", "request"
    model: Model | None = None


class LoggedRequestData(Analysis):
    """Every request value a route's endpoint passes to a logging call."""

    def __init__(self, project: Project) -> None:
        super().__init__(project)

    @cached_property
    def values(self) -> list[LoggedValue]:
        found: list[LoggedValue] = []
        seen: set[FunctionVal] = set()
        for route in self.project.routes:
            endpoint = route.endpoint
            if endpoint is None or endpoint in seen:
                continue
            seen.add(endpoint)
            carriers = self._carriers(route, endpoint)
            if not carriers:
                continue
            for site in self.project.calls.in_function(endpoint):
                if not _is_logging(site):
                    continue
                whats: dict[str, str] = {}
                for expr in (*site.args, *(value for _, value in site.kwargs)):
                    for kind, what in self._refs(expr, carriers):
                        if whats.get(what) != CREDENTIAL:
                            whats[what] = kind
                found.extend(LoggedValue(route, site, kind, what) for what, kind in whats.items())
        return found

    def _carriers(self, route: Route, endpoint: FunctionVal) -> dict[str, _Carrier]:
        carriers: dict[str, _Carrier] = {}
        for param in self.project.parameters(endpoint, route.path):
            if param.source in (BODY, FORM) and param.annotation is not None:
                models = [m for m, _ in self.project.schemas.models_in(param.annotation, param.ctx)]
                if models:
                    carriers[param.name] = _Carrier("model", models[0])
                    continue
            named = param.source in (HEADER, QUERY, COOKIE, FORM, BODY)
            if (named and _credential_name(param.name)) or (
                param.source == DEPENDENCY and self._scheme_token(param)
            ):
                carriers[param.name] = _Carrier("credential")
            elif param.source == SPECIAL and _annotation_name(param.annotation) in REQUEST_CLASSES:
                carriers[param.name] = _Carrier("request")
        return carriers

    def _scheme_token(self, param: Parameter) -> bool:
        """Whether a parameter's dependency is a security scheme instance
        (`Depends(oauth2_scheme)`): the parameter then holds the caller's raw token."""
        if param.dependency is None:
            return False
        for value in self.project.values(param.dependency, param.marker_ctx or param.ctx):
            cls = getattr(value, "cls", None)
            if isinstance(cls, External) and known.is_security_scheme(cls):
                return True
            if isinstance(cls, ClassVal) and self.project.inherits(cls, known.is_security_scheme):
                return True
        return False

    def _refs(self, expr: Expr, carriers: dict[str, _Carrier]) -> Iterator[tuple[str, str]]:
        """(kind, description) of every request value `expr` carries into the log."""
        if isinstance(expr, Name):
            carrier = carriers.get(expr.id)
            if carrier is None:
                return
            if carrier.kind == "credential":
                yield CREDENTIAL, f"`{expr.id}`"
            elif carrier.kind == "model" and carrier.model is not None:
                yield from self._whole_model(expr.id, carrier.model)
            return
        if isinstance(expr, Attr) and isinstance(expr.value, Name):
            carrier = carriers.get(expr.value.id)
            if carrier is not None and carrier.kind == "model" and carrier.model is not None:
                kind = _field_kind(carrier.model, expr.attr)
                if kind is not None:
                    yield kind, f"`{expr.value.id}.{expr.attr}`"
                return
            if carrier is not None and carrier.kind == "request" and expr.attr == "headers":
                yield CREDENTIAL, f"`{expr.value.id}.headers` (with its `Authorization` header)"
                return
        if isinstance(expr, Call):
            yield from self._call_refs(expr, carriers)
            return
        if isinstance(expr, Compare):
            return  # `api_key is not None`: a bool is logged, not the value
        yield from (ref for child in children(expr) for ref in self._refs(child, carriers))

    def _call_refs(self, call: Call, carriers: dict[str, _Carrier]) -> Iterator[tuple[str, str]]:
        func = call.func
        if isinstance(func, Name) and func.id in SAFE_CALLS:
            return
        if isinstance(func, Attr) and isinstance(func.value, Name):
            carrier = carriers.get(func.value.id)
            if carrier is not None and carrier.kind == "model" and func.attr in DUMP_METHODS:
                if carrier.model is not None:
                    yield from self._whole_model(func.value.id, carrier.model)
                return
        read = _header_read(call, carriers)
        if read is not None:  # one header or cookie: reported when it holds a credential
            if read:
                yield CREDENTIAL, read
            return
        for child in (func, *call.args, *(value for _, value in call.kwargs)):
            yield from self._refs(child, carriers)

    def _whole_model(self, name: str, model: Model) -> Iterator[tuple[str, str]]:
        """A whole request model in a log line: its credential fields, else its personal ones."""
        kinds = {f.name: _field_kind(model, f.name) for f in model.fields}
        for kind in (CREDENTIAL, PERSONAL):
            fields = sorted(n for n, k in kinds.items() if k == kind)
            if fields:
                listed = ", ".join(f"`{f}`" for f in fields)
                yield kind, f"`{name}` (a `{model.name}`, with {listed})"
                return


def _is_logging(site: CallSite) -> bool:
    """A call that writes a log line or prints: `logging.info`, `logger.warning`,
    `self.log.error`, structlog/loguru loggers, `print`."""
    func = site.call.func
    if site.qualnames == ("builtins.print",) or (
        isinstance(func, Name) and func.id == "print" and not site.qualnames
    ):
        return True
    if any(q.split(".")[0] in LOG_LIBRARIES for q in site.qualnames):
        return last_name(func) in LOG_METHODS
    if isinstance(func, Attr) and func.attr in LOG_METHODS:
        receiver = last_name(func.value)
        return receiver is not None and "log" in receiver.lower()
    return False


def _header_read(call: Call, carriers: dict[str, _Carrier]) -> str | None:
    """For `request.headers.get(KEY)` and `request.cookies.get(KEY)`: how a message
    names a credential KEY, or "" for another key; None for any other call."""
    func = call.func
    if not (isinstance(func, Attr) and func.attr == "get" and isinstance(func.value, Attr)):
        return None
    holder = func.value
    if not isinstance(holder.value, Name) or holder.attr not in ("headers", "cookies"):
        return None
    carrier = carriers.get(holder.value.id)
    key = call.args[0] if call.args else None
    if carrier is None or carrier.kind != "request":
        return None
    if not isinstance(key, Const) or not isinstance(key.value, str):
        return ""  # a key known only at run time: not guessed
    name = key.value.lower()
    credential = name in REQUEST_HEADER_CREDENTIALS or _credential_name(name)
    return f"the `{key.value}` {holder.attr[:-1]}" if credential else ""


def _field_kind(model: Model, name: str) -> str | None:
    for field in model.fields:
        if field.name == name:
            if _annotation_name(field.annotation) in MASKED_TYPES:
                return None
            break
    lower = name.lower()
    if lower in CREDENTIAL_FIELDS or (
        lower.endswith(CREDENTIAL_SUFFIXES) and not lower.endswith(NOT_CREDENTIAL_SUFFIXES)
    ):
        return CREDENTIAL
    if lower in PERSONAL_FIELDS or lower.endswith("_email"):
        return PERSONAL
    return None


def _credential_name(name: str) -> bool:
    """A credential's name; a webhook's signature header (skyvern's
    `x_skyvern_signature`) is a MAC of the payload, not a secret that opens anything."""
    lowered = name.lower().replace("-", "_")
    if lowered.endswith(("signature", "_sig")):
        return False
    return known.is_credential_name(name)


def _annotation_name(annotation: Expr | None) -> str | None:
    """The class an annotation names: `SecretStr` in `SecretStr | None`,
    `Optional[SecretStr]` and `Annotated[SecretStr, ...]`."""
    if isinstance(annotation, Union):
        left = _annotation_name(annotation.left)
        return left if left not in (None, "None") else _annotation_name(annotation.right)
    if isinstance(annotation, Subscript):
        return _annotation_name(annotation.items[0]) if annotation.items else None
    return None if annotation is None else last_name(annotation)
