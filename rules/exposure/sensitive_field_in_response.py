"""FL003 sensitive-field-in-response."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterator
from dataclasses import dataclass

from fastlint.analysis.responses import Responses
from fastlint.findings import Finding, Severity
from fastlint.model.api import (
    ClassVal,
    External,
    LiteralValue,
    Model,
    ModelField,
    Project,
    Route,
    Scoped,
    known,
)
from fastlint.rule import Rule

SENSITIVE_NAMES = frozenset(
    {
        "internal_id",
        "password",
        "passwd",
        "hashed_password",
        "password_hash",
        "secret",
        "client_secret",
        "secret_key",
        "api_key",
        "private_key",
        "otp_secret",
        "salt",
        "ssn",
        "credit_card",
        "card_number",
        "cvv",
    }
)
SENSITIVE_PATTERNS = ("*_password", "*_password_hash", "*_secret", "*_api_key", "*_private_key")
# Pydantic masks these in JSON output ("**********").
MASKED_TYPES = frozenset({"SecretStr", "SecretBytes"})
# A field matched only by pattern with one of these types is a flag, a count or a
# date about the secret (`has_password`, `api_key_created_at`), not the secret.
FLAG_TYPES = frozenset({"bool", "int", "float", "datetime", "date", "time", "timedelta"})
# The flows of an OpenAPI OAuth2 security scheme: `password` among them is a grant.
OAUTH_FLOWS = frozenset({"password", "implicit", "clientCredentials", "authorizationCode"})
Spec = dict[str, "Spec | bool"]
NOT_LITERAL = "response_model_exclude/include is not a literal set or dict; fields not checked"


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def is_sensitive(
    name: str,
    type_name: str | None = None,
    names: frozenset[str] = SENSITIVE_NAMES,
    patterns: tuple[str, ...] = SENSITIVE_PATTERNS,
) -> bool:
    """Whether a field marks a secret or personal identifier (`hashedPassword` too),
    given its name and the name of its type, if simple."""
    if type_name in MASKED_TYPES:
        return False
    snake = _snake(name)
    if snake in names:
        return True
    matched = any(fnmatch.fnmatchcase(snake, p) for p in patterns)
    return matched and type_name not in FLAG_TYPES


def _configured_names(
    sensitive: tuple[str, ...], extend: tuple[str, ...]
) -> tuple[frozenset[str], tuple[str, ...]]:
    """(exact names, glob patterns) from `sensitive-fields` / `extend-sensitive-fields`."""
    names, patterns = set(SENSITIVE_NAMES), list(SENSITIVE_PATTERNS)
    if sensitive:
        names, patterns = set(), []
    for entry in (*sensitive, *extend):
        if any(c in entry for c in "*?["):
            patterns.append(entry.lower())
        else:
            names.add(_snake(entry))
    return frozenset(names), tuple(patterns)


@dataclass(frozen=True)
class SensitiveFieldInResponseOptions:
    """`[tool.fastlint.rules.FL003]` (both keys also at the top level)."""

    sensitive_fields: tuple[str, ...] = ()  # replaces the default names; empty: defaults
    extend_sensitive_fields: tuple[str, ...] = ()  # added to them


class SensitiveFieldInResponse(Rule):
    """
    ## What it does
    Reports a route whose response model exposes a field whose name marks it as
    sensitive: `internal_id`; password-like (`password`, `passwd`,
    `hashed_password`, `password_hash`, `*_password`); secret-like (`secret`,
    `client_secret`, `secret_key`, `api_key`, `private_key`, `otp_secret`, `salt`,
    `*_secret`, `*_api_key`); personal identifiers (`ssn`, `credit_card`,
    `card_number`, `cvv`). camelCase names are matched too.

    The response model is the one FastAPI uses: `response_model=` if given, else
    the return annotation. Fields are looked up through inheritance, nested
    models (`list[X]`, `X | None`, `dict[str, X]`) and generic models (`Page[X]`
    for `class Page(BaseModel, Generic[T])` with `items: list[T]`; pydantic v1
    `GenericModel` too). A route with neither that returns its own request-body
    model as received (`return user` for a `user: UserIn` body) sends that model:
    the request is echoed back, password included. Fields declared with
    `Field(exclude=True)`, typed `SecretStr`, or removed with
    `response_model_exclude`/`response_model_include` are not reported.

    ## Why is this bad?
    Whatever the response model declares is sent to every client allowed to call
    the route. Password hashes can be cracked offline, secrets and keys grant
    access, internal identifiers help attackers enumerate and link records
    (CWE-200, OWASP API3:2023 Broken Object Property Level Authorization).

    ## Options
    - `sensitive-fields`: replaces the list of names (exact, or globs such as
      `"*_token"`); `extend-sensitive-fields` adds to it.

    ## Known limits
    - Routes served by no app fastlint sees are not checked: the coverage warning
      lists them (scan the folder that holds the app).
    - Names are matched, not meanings: a field called `token_value` holding a
      secret is not found, and a harmless field with a matching name is reported.
    - Fields typed as flags, numbers or dates (`has_password: bool`) are not reported,
      nor fields typed as a model (`password: FieldOptions`; its fields are checked),
      nor the `password` grant among the flows of an OpenAPI OAuth2 security scheme
      (a model with `password` and `clientCredentials`, `authorizationCode` or
      `implicit`).
    - A field that a `@field_validator`/`@validator` of its model names is not
      reported: validators of response fields usually redact them, and fastlint
      does not read what they do.
    - Models built dynamically (`create_model`) are not seen.
    """

    code = "FL003"
    name = "sensitive-field-in-response"
    summary = "Response model exposes a sensitive field"
    severity = Severity.HIGH
    cwe = 200
    owasp = "API3:2023"
    owasp_title = "Broken Object Property Level Authorization"
    precision = "high"
    requires = (Responses,)
    security_severity = "7.5"
    fix = (
        "Return a separate output model without the field, or declare it with "
        "`Field(exclude=True)`."
    )
    invalid = (
        """\
from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()


class UserBase(BaseModel):
    username: str
    hashed_password: str


class UserOut(UserBase):
    internal_id: int


@app.get("/users/{user_id}", response_model=UserOut)  # expect: FL003 FL003
async def read_user(user_id: int):
    ...
""",
        {
            "accounts/__init__.py": "",
            "accounts/schemas.py": """\
from pydantic import BaseModel


class Account(BaseModel):
    email: str
    password_hash: str
""",
            "accounts/main.py": """\
from fastapi import FastAPI

from accounts.schemas import Account

app = FastAPI()


@app.get("/accounts/{account_id}", response_model=Account)  # expect: FL003
async def read_account(account_id: int):
    ...
""",
        },
    )
    valid = (
        """\
from fastapi import FastAPI
from pydantic import BaseModel, Field

app = FastAPI()


class UserOut(BaseModel):
    username: str
    internal_id: int = Field(exclude=True)


@app.get("/users/{user_id}", response_model=UserOut)
async def read_user(user_id: int):
    ...
""",
        {
            "accounts/__init__.py": "",
            "accounts/schemas.py": """\
from pydantic import BaseModel


class Account(BaseModel):
    email: str
""",
            "accounts/main.py": """\
from fastapi import FastAPI

from accounts.schemas import Account

app = FastAPI()


@app.get("/accounts/{account_id}", response_model=Account)
async def read_account(account_id: int):
    ...
""",
        },
    )

    Options = SensitiveFieldInResponseOptions
    options: SensitiveFieldInResponseOptions

    def check(self, project: Project) -> Iterator[Finding]:
        self._names, self._patterns = _configured_names(
            self.options.sensitive_fields, self.options.extend_sensitive_fields
        )
        for route in project.routes:
            if not project.instances_of(route):
                continue  # served by no app fastlint sees: listed as not checked
            models = self._response_models(project, route)
            if not models:
                continue
            anchor = project.route_anchor(route)
            label = anchor.subject
            try:
                exclude = _spec(project, route.kwarg("response_model_exclude"))
                include = _spec(project, route.kwarg("response_model_include"))
            except ValueError:
                project.note_about(anchor, NOT_LITERAL)
                continue
            echoed = "" if models[0][1] else " (the request body, echoed back)"
            reported: set[str] = set()
            for model, _ in models:
                for path in _shortest_per_field(
                    self._exposed(project, model, exclude, include, ())
                ):
                    field = path[-1]
                    dotted = ".".join([model.name, *(f.name for f in path)])
                    if dotted in reported:
                        continue
                    reported.add(dotted)
                    yield self.finding(
                        anchor.part(dotted),
                        f"{label} returns `{dotted}`, a sensitive field{echoed}",
                        related=(self.related(field.anchor, f"`{field.label}` is declared here"),),
                        sources=(field.anchor.path,),
                    )

    @staticmethod
    def _response_models(project: Project, route: Route) -> list[tuple[Model, bool]]:
        """The models the route sends, each with whether it is declared (False: a
        request-body model the endpoint returns as received, no model declared)."""
        explicit = route.kwarg("response_model")
        if explicit is not None:
            return [(m, True) for m, _ in project.schemas.models_in(explicit.expr, explicit.ctx)]
        endpoint = route.endpoint
        if endpoint is None:
            return []
        if endpoint.return_annotation is None:
            if route.has_star:
                return []
            return [
                (m, False)
                for body in project.get(Responses).echoed_body(route)
                if body.annotation is not None
                for m, _ in project.schemas.models_in(body.annotation, body.ctx)
            ]
        annotation = endpoint.return_annotation
        for value in project.values(annotation, endpoint.ctx):
            if isinstance(value, (ClassVal, External)) and project.inherits(
                value, known.is_response_class
            ):
                return []
        return [(m, True) for m, _ in project.schemas.models_in(annotation, endpoint.ctx)]

    def _exposed(
        self,
        project: Project,
        model: Model,
        exclude: Spec | None,
        include: Spec | None,
        seen: tuple[str, ...],
    ) -> Iterator[tuple[ModelField, ...]]:
        key = f"{model.cls.path}:{model.name}"
        if key in seen:
            return
        for field in model.fields:
            nested_exclude = exclude.get(field.name) if exclude else None
            nested_include = include.get(field.name) if include else None
            if nested_exclude is True or (include is not None and nested_include is None):
                continue
            if _excluded_by_field(project, field):
                continue
            inner_models = [inner for inner, _ in project.schemas.field_models(field)]
            if (
                not inner_models  # `password: FieldBehavior`: its own fields are checked
                and not _oauth_flow(field, model)
                and is_sensitive(field.name, field.type_name, self._names, self._patterns)
                and not project.schemas.validated(field, model)  # e.g. a validator that redacts it
            ):
                yield (field,)
            for inner in inner_models:
                for path in self._exposed(
                    project,
                    inner,
                    nested_exclude if isinstance(nested_exclude, dict) else None,
                    nested_include if isinstance(nested_include, dict) else None,
                    (*seen, key),
                ):
                    yield (field, *path)


def _shortest_per_field(
    paths: Iterator[tuple[ModelField, ...]],
) -> list[tuple[ModelField, ...]]:
    """One path per declared field, the shortest: a recursive model (`loop_blocks:
    list[Block]`) reaches the same field once per nesting level."""
    shortest: dict[tuple[str, int, int, str], tuple[ModelField, ...]] = {}
    for path in paths:
        where = path[-1].anchor
        key = (where.path, where.span.line, where.span.column, path[-1].name)
        if key not in shortest or len(path) < len(shortest[key]):
            shortest[key] = path
    return list(shortest.values())


def _oauth_flow(field: ModelField, model: Model) -> bool:
    """`flows.password` of an OpenAPI security scheme: in a model holding the OAuth
    flows (`password` beside `clientCredentials`, `authorizationCode`, `implicit`),
    `password` is the password grant's settings, not a password."""
    names = {f.name for f in model.fields}
    return field.name in OAUTH_FLOWS and len(names & OAUTH_FLOWS) >= 2


def _excluded_by_field(project: Project, field: ModelField) -> bool:
    return project.schemas.excluded(field)


def _spec(project: Project, given: Scoped | None) -> Spec | None:
    """`{"a", "b"}` or `{"a": {"b"}, "c": ...}` as a nested dict (True = the whole field).

    Raises ValueError when the argument has no single literal value.
    """
    if given is None:
        return None
    value = project.literal(given).value
    if value is None:
        return None
    if not isinstance(value, (list, tuple, dict)):
        raise ValueError(NOT_LITERAL)
    return _spec_of(value)


def _spec_of(
    value: list[LiteralValue] | tuple[LiteralValue, ...] | dict[LiteralValue, LiteralValue],
) -> Spec:
    spec: Spec = {}
    if not isinstance(value, dict):
        for item in value:
            if isinstance(item, str):
                spec[item] = True
        return spec
    for key, inner in value.items():
        if isinstance(key, str):
            nested = _spec_of(inner) if isinstance(inner, (list, tuple, dict)) else None
            spec[key] = nested if nested is not None else True
    return spec
