"""FL004 unconstrained-string-field."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from fastlint.analysis.inputs import RequestInputs
from fastlint.findings import Finding, Severity
from fastlint.model.api import (
    Model,
    ModelField,
    Project,
    Scoped,
)
from fastlint.rule import Rule

STRING_LIMITS = ("max_length", "pattern", "regex")


@dataclass(frozen=True)
class UnconstrainedStringFieldOptions:
    """`[tool.fastlint.rules.FL004]` (`check-list-items` also at the top level)."""

    check_list_items: bool = True  # report unbounded items of `list[str]`


class UnconstrainedStringField(Rule):
    """
    ## What it does
    Reports a `str` field with neither `max_length` nor `pattern` in a model that
    a route accepts as input (a body or other parameter of an endpoint or of one
    of its dependencies, directly or nested in another input model). `str | None`,
    `Optional[str]` and the items of `list[str]` count too; `constr(...)`,
    `Annotated[str, StringConstraints(...)]`, `Annotated[str, Field(...)]` and
    `Field(max_length=...)` are understood. The fields of a `TypedDict` the route
    accepts are request strings too.

    A field whose length a validator may bound is not reported: an
    `AfterValidator`, `BeforeValidator`, `WrapValidator` or `PlainValidator` in its
    `Annotated` metadata (an alias imported from elsewhere too), or a
    `@field_validator`/`@validator` of the model naming the field, whose function
    calls `len` (or cannot be read). Validators that only strip or normalise, and
    `"*"` validators, do not count.

    Not reported: models whose config caps every string (`str_max_length`), format
    types (`EmailStr`, URLs, UUIDs, enums, `Literal`), and models only ever used
    in responses.

    ## Why is this bad?
    An unbounded string lets a client send megabytes where a name was expected:
    it is stored, logged, indexed and rendered at that size, which costs memory,
    CPU and storage, and opens the door to denial of service (CWE-1284, OWASP
    API4:2023 Unrestricted Resource Consumption).

    ## Options
    - `[tool.fastlint.rules.FL004] check-list-items = false`: do not report the
      items of `list[str]` and other containers.

    ## Known limits
    - Routes served by no app fastlint sees are not checked: the coverage warning
      lists them (scan the folder that holds the app).
    - The keys of a `dict[str, X]` are not reported, only its values: bounding the
      keys would leave the values and the number of keys open (bound the request
      body's size instead).
    - `Field(max_length=...)` on a `list[str]` bounds the list, not its items: the
      items are still reported.
    - Validators are not read: one that checks something other than the length
      still silences the field (`@model_validator` does not).
    - A model used as input only through code fastlint cannot resolve is not checked.
    """

    code = "FL004"
    name = "unconstrained-string-field"
    summary = "Request string field without a length or pattern limit"
    severity = Severity.LOW
    cwe = 1284
    owasp = "API4:2023"
    owasp_title = "Unrestricted Resource Consumption"
    precision = "medium"
    requires = (RequestInputs,)
    security_severity = "3.7"
    fix = (
        "Bound the field: `Field(max_length=...)`, `pattern=...`, or a format type like `EmailStr`."
    )
    invalid = (
        """\
from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()


class Address(BaseModel):
    street: str  # expect: FL004


class UserCreate(BaseModel):
    username: str  # expect: FL004
    nickname: str | None = None  # expect: FL004
    address: Address


@app.post("/users", response_model=None)
async def create_user(user: UserCreate):
    ...
""",
        {
            "blog/__init__.py": "",
            "blog/schemas.py": """\
from pydantic import BaseModel


class CommentIn(BaseModel):
    body: str  # expect: FL004
""",
            "blog/main.py": """\
from fastapi import FastAPI

from blog.schemas import CommentIn

app = FastAPI()


@app.post("/comments", response_model=None)
async def add_comment(comment: CommentIn):
    ...
""",
        },
    )
    valid = (
        """\
from typing import Annotated

from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict, EmailStr, Field, StringConstraints

app = FastAPI()


class UserCreate(BaseModel):
    username: str = Field(min_length=3, max_length=32)
    email: EmailStr
    code: Annotated[str, StringConstraints(pattern=r"^[A-Z]{4}$")]


class Note(BaseModel):
    model_config = ConfigDict(str_max_length=500)

    text: str


class UserOut(BaseModel):
    bio: str  # response only


@app.post("/users", response_model=UserOut)
async def create_user(user: UserCreate, note: Note):
    ...
""",
        {
            "blog/__init__.py": "",
            "blog/schemas.py": """\
from pydantic import BaseModel, Field


class CommentIn(BaseModel):
    body: str = Field(max_length=2000)


class CommentOut(BaseModel):
    body: str  # response only
""",
            "blog/main.py": """\
from fastapi import FastAPI

from blog.schemas import CommentIn, CommentOut

app = FastAPI()


@app.post("/comments", response_model=CommentOut)
async def add_comment(comment: CommentIn):
    ...
""",
        },
    )

    Options = UnconstrainedStringFieldOptions
    options: UnconstrainedStringFieldOptions

    def check(self, project: Project) -> Iterator[Finding]:
        reported: set[tuple[str, int, int]] = set()
        for model in self._input_models(project):
            if model.caps_strings:
                continue
            for field in model.fields:
                where = (field.owner.path, field.anchor.span.line, field.anchor.span.column)
                if where in reported or project.schemas.validated(field, model, measuring=True):
                    continue
                problem = self._problem(project, field, self.options.check_list_items)
                if problem is None:
                    continue
                reported.add(where)
                yield self.finding(
                    field.anchor,
                    f"`{field.label}` accepts {problem} of any length: "
                    "add `max_length` or `pattern`",
                )

    @staticmethod
    def _input_models(project: Project) -> list[Model]:
        """Models some route accepts, and every model nested in them."""
        found: dict[tuple[str, str], Model] = {}
        queue: list[Model] = []
        for route in project.routes:
            if route.starlette or not project.instances_of(route):
                continue  # FastAPI binds no model; or served by no app fastlint sees
            for scoped in project.get(RequestInputs).of_route(route):
                queue.extend(m for m, _ in project.schemas.models_in(scoped.expr, scoped.ctx))
        while queue:
            model = queue.pop()
            key = (model.cls.path, model.name)
            if key in found:
                continue
            found[key] = model
            queue.extend(inner for _, inner in project.schemas.nested(model))
        return [found[k] for k in sorted(found)]

    @staticmethod
    def _problem(project: Project, field: ModelField, list_items: bool) -> str | None:
        """`a string` / `strings` when the field takes unbounded strings, else None."""
        for leaf in project.schemas.string_leaves(field):
            if leaf.in_container and not list_items:
                continue
            if leaf.custom_validator:
                continue  # `Annotated[str, AfterValidator(...)]`: what it enforces is unknown
            if not any(_set(project, leaf.constraints.get(k)) for k in STRING_LIMITS):
                return "strings" if leaf.in_container else "a string"
        return None


def _set(project: Project, given: Scoped | None) -> bool:
    """Whether a limit is given a value (anything but a literal `None`)."""
    return given is not None and not all(p.value is None for p in project.literal(given).possible)
