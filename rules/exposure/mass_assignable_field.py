"""FL018 mass-assignable-field."""

from __future__ import annotations

from collections.abc import Iterator

from fastlint.analysis.mass_assignment import MassAssignments
from fastlint.findings import Finding, Severity
from fastlint.model.api import Project
from fastlint.rule import Rule


class MassAssignableField(Rule):
    """
    ## What it does
    Reports a route whose request body is copied wholesale into an object the
    app persists, when the body's model declares a field the caller must not
    choose:

    - privileges: `is_admin`, `is_superuser`, `is_staff`, `is_verified`,
      `is_active`, `role`/`roles`, `permissions`, `scopes`, `groups`;
    - ownership, money and bookkeeping: `owner_id`, `user_id`, `tenant_id`,
      `org_id`, `account_id`, `balance`, `credits`, `price`, `quota`, `plan`,
      `created_at`, `updated_at`, `created_by`;
    - `id`, on routes that create (POST);
    - with `extra="allow"`, any field the caller sends.

    Copies are `Model(**body.model_dump())` (or `.dict()`), `Model.model_validate(body)`,
    `obj.sqlmodel_update(body.model_dump())` and `setattr` over the dump. A
    SQLModel `table=True` class used directly as the body is reported without a
    copy: the client fills the row. Models are read with their inheritance. Not
    reported: fields declared `Field(exclude=True)`, `Field(frozen=True)` or
    `Field(init=False)`, a dump with `include=`/`exclude=`, and fields the
    endpoint compares with something before use (the path id, the caller).

    High when a privilege field is assignable, medium otherwise.

    ## Why is this bad?
    The caller picks the value of every field the model declares. A member who
    sends `{"is_admin": true}` or `{"owner_id": 1}` to a route that copies the
    body becomes an administrator or writes into another tenant's data (CWE-915
    Improperly Controlled Modification of Dynamically-Determined Object
    Attributes; OWASP API3 Broken Object Property Level Authorization).

    ## Known limits
    - Only the endpoint's own body is read: a body handed to a service
      (`crud.create_user(db, user_in)`) that copies it there is not reported.
    - Field names decide what is server-owned; a field named otherwise
      (`level`, `tier`) is not reported.
    - A role check on the route does not lower the severity yet (an
      administrator's route that sets `role` on purpose is reported too;
      suppress it with a reason).
    """

    code = "FL018"
    name = "mass-assignable-field"
    summary = "A request body with server-owned fields is copied into a persisted object"
    severity = Severity.MEDIUM
    cwe = 915
    owasp = "API3:2023"
    owasp_title = "Broken Object Property Level Authorization"
    precision = "medium"
    security_severity = "6.5"
    fix = (
        "Give the route an input model without the field (`UserCreate` without "
        "`is_admin`), or set it on the server after the copy, or declare it "
        "`Field(exclude=True)`."
    )
    requires = (MassAssignments,)
    bad_example = """\
from fastapi import FastAPI
from pydantic import BaseModel
from sqlmodel import Field, SQLModel

app = FastAPI(openapi_url=None)


class Account(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254)
    is_admin: bool = False


class AccountIn(BaseModel):
    email: str
    is_admin: bool = False


@app.post("/accounts")  # expect: FL018
def create(body: AccountIn) -> Account:
    return Account(**body.model_dump())


@app.post("/accounts/raw")  # expect: FL018
def create_raw(account: Account) -> Account:
    return account
"""
    good_example = """\
from fastapi import FastAPI
from pydantic import BaseModel
from sqlmodel import Field, SQLModel

app = FastAPI(openapi_url=None)


class Account(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254)
    is_admin: bool = False


class AccountIn(BaseModel):
    email: str


@app.post("/accounts")
def create(body: AccountIn) -> Account:
    return Account(**body.model_dump())
"""

    def check(self, project: Project) -> Iterator[Finding]:
        for found in project.get(MassAssignments).found:
            fields = ", ".join(f"`{f}`" for f in found.fields)
            if found.extra:
                fields = 'any field it sends (`extra="allow"`)'
            yield self.finding(
                found.anchor,
                f"{found.anchor.route} copies the whole `{found.model}` into a persisted object "
                f"({found.how}): the caller chooses {fields}",
                severity=Severity.HIGH if found.privileged else None,
            )
