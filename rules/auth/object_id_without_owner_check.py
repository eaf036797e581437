"""FL027 object-id-without-owner-check."""

from __future__ import annotations

from collections.abc import Iterator

from fastlint.analysis.object_access import ObjectAccess
from fastlint.findings import Finding, Severity
from fastlint.model.api import Project
from fastlint.rule import Rule


class ObjectIdWithoutOwnerCheck(Rule):
    """
    ## What it does
    A heuristic for broken object-level authorization. Reports an authenticated
    route whose endpoint is handed the caller (a dependency parameter named like
    a user, account, principal or identity, or the tenant it acts in:
    `current_org`, `auth_subject`, `workspace`) and fetches an object by an id
    from the path (`/items/{item_id}` reaching `session.get(Item, item_id)`,
    `select(Item).where(Item.id == item_id)`, `repo.get(item_id)`, or a service
    call named like a load by id: `crud.get_item(db, item_id)`,
    `service.delete_report(report_id)`), when nothing uses the caller with that id:

    - no call is given both the id and the caller
      (`crud.get_item(db, item_id, owner=user)`, `authorize(user, item_id)`),
      nor both a parent id from the path and the caller, the fetch naming that
      parent (`is_thread_author(user, thread_id)`, then
      `get_element(thread_id, element_id)`);
    - nothing compares with the caller (`if item.owner_id != user.id: raise`,
      `item_id not in user.item_ids`);
    - no dependency loads the object by the same path parameter (a
      `get_owned_item(item_id, user)` dependency);
    - the route shows no role check (an administrator acting on any object).

    Ids that name the caller's own identity (`user_id`, `tenant_id`,
    `org_id`...) are FL013's concern and left to it.

    ## Why is this bad?
    Ids in URLs are guessable or leak (sequential integers, ids in shared
    links). When the server fetches whatever id the caller names without
    checking it belongs to them, Bob reads, changes or deletes Alice's objects
    by changing a number (CWE-639 Authorization Bypass Through User-Controlled
    Key; OWASP API1 Broken Object Level Authorization, the most common API
    vulnerability).

    ## Known limits
    - This is a heuristic: its verdict rests on names (of the caller, of the id,
      of query methods), so it is reported at medium severity. Read on 36 real
      apps it made two findings: one false and since fixed (a child fetched
      through an owner-checked parent), one right but of little value (any user
      reads a group's name by its id). Real apps mostly pass the caller or its
      organisation to the service that loads the object, or check permissions
      in a dependency, and both are seen: its reach is narrow.
    - Endpoints of class-based routers (`self.user`, `self.group_id` on a
      router class) and callers read from `request.user` or `request.state` are
      not taken as the caller: those routes are not reported.
    - Apps where every authenticated user may see every object (a team tool, a
      single-user server) have no owners: findings there are expected; turn the
      rule off or suppress them with the reason.
    - An owner check made in a service the endpoint calls without the caller
      (the service reads the caller from a context variable), by row-level
      security in the database, or in a middleware, is not seen.
    - Endpoints not handed the caller are not reported (authentication by a
      router dependency only): nothing there could scope the fetch, which is
      either a design choice or a miss this rule cannot tell apart.
    """

    code = "FL027"
    name = "object-id-without-owner-check"
    summary = "An object fetched by a path id is not checked against the caller"
    severity = Severity.MEDIUM
    cwe = 639
    owasp = "API1:2023"
    owasp_title = "Broken Object Level Authorization"
    precision = "low"
    security_severity = "6.5"
    fix = (
        "Scope the fetch to the caller (`where(Item.id == item_id, Item.owner_id == user.id)`), "
        "or compare the object's owner with the caller and answer 404/403."
    )
    requires = (ObjectAccess,)
    bad_example = """\
from fastapi import Depends, FastAPI, HTTPException
from fastapi.security import OAuth2PasswordBearer

app = FastAPI(openapi_url=None)
oauth2 = OAuth2PasswordBearer(tokenUrl="token")
INVOICES = {1: {"owner": "alice", "total": 120}, 2: {"owner": "bob", "total": 80}}
TOKENS = {"t-alice": "alice", "t-bob": "bob"}


def current_user(token: str = Depends(oauth2)) -> str:
    name = TOKENS.get(token)
    if name is None:
        raise HTTPException(status_code=401)
    return name


@app.get("/invoices/{invoice_id}")  # expect: FL027
def invoice(invoice_id: int, user: str = Depends(current_user)) -> dict[str, object]:
    found = INVOICES.get(invoice_id)
    if found is None:
        raise HTTPException(status_code=404)
    return found
"""
    good_example = """\
from fastapi import Depends, FastAPI, HTTPException
from fastapi.security import OAuth2PasswordBearer

app = FastAPI(openapi_url=None)
oauth2 = OAuth2PasswordBearer(tokenUrl="token")
INVOICES = {1: {"owner": "alice", "total": 120}, 2: {"owner": "bob", "total": 80}}
TOKENS = {"t-alice": "alice", "t-bob": "bob"}


def current_user(token: str = Depends(oauth2)) -> str:
    name = TOKENS.get(token)
    if name is None:
        raise HTTPException(status_code=401)
    return name


@app.get("/invoices/{invoice_id}")
def invoice(invoice_id: int, user: str = Depends(current_user)) -> dict[str, object]:
    found = INVOICES.get(invoice_id)
    if found is None or found["owner"] != user:
        raise HTTPException(status_code=404)
    return found
"""

    def check(self, project: Project) -> Iterator[Finding]:
        for fetch in project.get(ObjectAccess).unscoped:
            instance = fetch.instance
            callers = ", ".join(f"`{c}`" for c in fetch.callers)
            yield self.finding(
                instance.route.anchor_as(instance.label),
                f"{instance.label} fetches by `{fetch.parameter}` from the path "
                f"(`{fetch.fetch.name or 'a query'}`) without checking it against the caller "
                f"({callers}): any authenticated user may name another's object",
            )
