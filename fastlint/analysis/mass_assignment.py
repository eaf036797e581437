"""Request bodies copied wholesale into persistence, with fields the server owns.

A route's body model is mass-assignable when the endpoint copies all of it into
an object (`Model(**body.model_dump())`, `Model.model_validate(body)`,
`obj.sqlmodel_update(body.model_dump())`, a `setattr` loop over the dump) and the
model declares a field the caller must not choose: privileges (`is_admin`,
`role`, `scopes`), ownership (`owner_id`, `tenant_id`), money (`balance`,
`credits`, `price`), the row's own id on creation, timestamps. A SQLModel
`table=True` class taken as the body is the same thing with no copy needed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

from fastlint.analysis import Analysis
from fastlint.facts.expr import Attr, Call, Const, Expr, Name, last_name
from fastlint.model.anchor import Anchor
from fastlint.model.calls import CallSite
from fastlint.model.parameters import BODY, FORM, Parameter
from fastlint.model.project import Project
from fastlint.model.routing import Route
from fastlint.model.schemas import Model, ModelField
from fastlint.model.values import ClassVal

# Field names a caller must never set, by what they grant. Privileges decide what
# the caller may do; the others whose data a row is, or what it costs.
PRIVILEGE_FIELDS = frozenset(
    {"is_admin", "is_superuser", "is_staff", "is_verified", "is_active", "admin", "superuser"}
    | {"role", "roles", "permissions", "scopes", "scope", "groups", "is_owner", "verified"}
)
OWNED_FIELDS = frozenset(
    {"owner_id", "user_id", "tenant_id", "org_id", "organization_id", "account_id", "owner"}
    | {"balance", "credits", "credit", "price", "amount_paid", "quota", "plan"}
    | {"created_at", "updated_at", "created_by", "deleted_at"}
)

__all__ = ["MassAssignable", "MassAssignments"]
DUMPS = frozenset({"model_dump", "dict"})
VALIDATES = frozenset({"model_validate", "from_orm", "parse_obj", "model_construct"})
UPDATES = frozenset({"sqlmodel_update"})
CREATING = "POST"


@dataclass(frozen=True)
class MassAssignable:
    """A route whose body model the endpoint copies, with the fields it should not take."""

    anchor: Anchor
    model: str
    fields: tuple[str, ...]  # the server-owned fields, privileges first
    privileged: bool  # one of them grants privileges
    how: str  # "`User(**body.model_dump())`", "a table model as the body"
    extra: bool = False  # no such field, but `extra="allow"` takes any the caller sends


class MassAssignments(Analysis):
    """Every route whose request body reaches persistence with server-owned fields."""

    def __init__(self, project: Project) -> None:
        super().__init__(project)

    @cached_property
    def found(self) -> list[MassAssignable]:
        found: list[MassAssignable] = []
        for route in self.project.routes:
            if route.endpoint is None or route.is_websocket:
                continue
            for param in self.project.parameters(route.endpoint, route.path):
                if param.source in (BODY, FORM) and param.annotation is not None:
                    found.extend(self._assignable(route, param))
        return found

    def _assignable(self, route: Route, param: Parameter) -> Iterator[MassAssignable]:
        assert route.endpoint is not None and param.annotation is not None
        for model, _ in self.project.schemas.models_in(param.annotation, param.ctx):
            table = _is_table(model)
            how = "the body is a `table=True` model" if table else self._copy(route, param.name)
            if how is None:
                continue
            fields = self._owned_fields(route, param.name, model, creating=table)
            extra = not fields and not table and _allows_extra(model)
            if fields or extra:
                label = self.project.route_anchor(route).subject
                yield MassAssignable(
                    route.anchor_as(label).part(model.name),
                    model.name,
                    fields,
                    any(f.lower() in PRIVILEGE_FIELDS for f in fields),
                    how,
                    extra,
                )

    def _owned_fields(
        self, route: Route, name: str, model: Model, *, creating: bool
    ) -> tuple[str, ...]:
        assert route.endpoint is not None
        checked = self._compared(route, name)
        creating = creating or CREATING in route.methods
        owned = []
        for field in model.fields:
            lower = field.name.lower()
            server = lower in PRIVILEGE_FIELDS or lower in OWNED_FIELDS
            if lower == "id" and creating:
                server = True
            if server and lower not in checked and not _protected(field):
                owned.append(field.name)
        return tuple(sorted(owned, key=lambda f: (f.lower() not in PRIVILEGE_FIELDS, f)))

    def _compared(self, route: Route, name: str) -> set[str]:
        """Fields of the body the endpoint compares with something (the path, the caller)."""
        assert route.endpoint is not None
        body = self.project.calls.body_of(route.endpoint)
        if body is None:
            return set()
        fields = set()
        for comparison in body.comparisons:
            for side in (comparison.left, comparison.right):
                value = side.value if isinstance(side, Attr) else None
                if isinstance(side, Attr) and isinstance(value, Name) and value.id == name:
                    fields.add(side.attr.lower())
        return fields

    def _copy(self, route: Route, name: str) -> str | None:
        """How the endpoint copies the whole body into an object, if it does."""
        assert route.endpoint is not None
        sites = self.project.calls.in_function(route.endpoint)
        dumped = any(_dumps(site.call, name) for site in sites)
        for site in sites:
            func = site.call.func
            method = last_name(func)
            if method in VALIDATES and any(_is_body(a, name) for a in site.args):
                return f"`{_written(func)}({name})`"
            if method in UPDATES and any(_is_body(a, name) for a in site.args):
                return f"`{_written(func)}({name}...)`"
            if dumped and site.has_star and _builds_object(site):
                return f"`{_written(func)}(**{name}.model_dump())`"
            if dumped and isinstance(func, Name) and func.id == "setattr":
                return f"`setattr` over `{name}.model_dump()`"
        return None


def _dumps(call: Call, name: str) -> bool:
    """`body.model_dump()` / `body.dict()` of the whole body (no include/exclude)."""
    func = call.func
    return (
        isinstance(func, Attr)
        and func.attr in DUMPS
        and isinstance(func.value, Name)
        and func.value.id == name
        and call.kwarg("include") is None
        and call.kwarg("exclude") is None
    )


def _is_body(expr: Expr, name: str) -> bool:
    if isinstance(expr, Name):
        return expr.id == name
    return isinstance(expr, Call) and _dumps(expr, name)


def _builds_object(site: CallSite) -> bool:
    """A call of a class (`User(**data)`): the callee is a class, or named like one."""
    if any(isinstance(c, ClassVal) for c in site.callees):
        return True
    name = last_name(site.call.func)
    return name is not None and name[:1].isupper()


def _written(func: Expr) -> str:
    parts = []
    while isinstance(func, Attr):
        parts.append(func.attr)
        func = func.value
    if isinstance(func, Name):
        parts.append(func.id)
    return ".".join(reversed(parts)) or "..."


def _is_table(model: Model) -> bool:
    """A SQLModel class declared `table=True`: the ORM row itself."""
    for key, value in model.cls.fact.keywords:
        if key == "table" and isinstance(value, Const) and value.value is True:
            return True
    return False


def _allows_extra(model: Model) -> bool:
    config = model.cls.fact.class_attrs.get("model_config")
    if isinstance(config, Call):
        extra = config.kwarg("extra")
        return isinstance(extra, Const) and extra.value == "allow"
    extra = model.cls.fact.config.get("extra")
    return (isinstance(extra, Const) and extra.value == "allow") or (
        isinstance(extra, Attr) and extra.attr == "allow"
    )


def _protected(field: ModelField) -> bool:
    """`Field(exclude=True)`, `Field(frozen=True)`, `Field(init=False)`: not taken as given."""
    default = field.default
    if not isinstance(default, Call):
        return False
    for key, protecting in (("exclude", True), ("frozen", True), ("init", False)):
        value = default.kwarg(key)
        if isinstance(value, Const) and value.value is protecting:
            return True
    return False
