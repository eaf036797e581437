"""Request bodies and uploads read whole, with nothing bounding their size.

A read is unbounded when it takes everything the client sent in one call:
`await file.read()` (or `read(-1)`) and `file.file.read()` on an `UploadFile`
parameter (one of a `list[UploadFile]` too, through a `for` loop), and
`await request.body()`, `request.json()` and `request.form()` on a `Request`
parameter. A read with a size (`await file.read(1024 * 1024)`, in a loop that
counts) is bounded.

A size limit elsewhere bounds it as well: the function that reads, a function
calling it, or (for an endpoint) a dependency of its route checking a size before
or after (a comparison with a size, a length or a large number, `file.size`, the
`Content-Length` header, a 413 status); or an app-level limit, a middleware named
for it (`ContentSizeLimitMiddleware`, `LimitUploadSize`) or one of the project that
answers 413 (a middleware merely comparing sizes may only cap what it logs).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property

from fastlint.analysis import Analysis
from fastlint.analysis.callers import callers, serving
from fastlint.facts.expr import (
    Attr,
    BinOp,
    Call,
    Const,
    Expr,
    Iterate,
    Name,
    Subscript,
    dotted,
    last_name,
)
from fastlint.model import known
from fastlint.model.anchor import Anchor
from fastlint.model.calls import CallSite
from fastlint.model.middleware import Middleware
from fastlint.model.project import Project
from fastlint.model.values import ClassVal, Ctx, External, FunctionVal

__all__ = ["UnboundedRead", "UnboundedReads"]

UPLOAD = "upload"  # an `UploadFile`
UPLOADS = "uploads"  # a list of them
REQUEST = "request"  # a Starlette `Request`
FILE, BODY, FORM = "file", "body", "form"  # what a read takes
REQUEST_READS = {"body": BODY, "json": BODY, "form": FORM}
# Words of a name holding a size or a limit (`MAX_UPLOAD_BYTES`, `file.size`).
SIZE_WORDS = ("size", "length", "limit", "max_", "_max", "bytes", "content_length")
# A number compared with a read's length that bounds it (1 KiB and more).
LARGE = 1024
# Middleware named for a body-size limit, once lowercased and stripped of `_`.
LIMIT_NAME = re.compile(
    r"(body|content|upload|request|payload)(size|length|limit)"
    r"|(max|limit)(body|content|upload|request|payload)|sizelimit"
)

STATUS_413 = ("413", "TOO_LARGE")
ORDERING = frozenset({"<", "<=", ">", ">="})


@dataclass(frozen=True)
class UnboundedRead:
    """One call that reads a whole request body or upload into the server."""

    site: CallSite
    what: str  # "`file.read()`", "`request.json()`"
    kind: str  # FILE, BODY or FORM
    function: str  # the function that reads

    @property
    def anchor(self) -> Anchor:
        return self.site.anchor


class UnboundedReads(Analysis):
    """Every whole-body read of project code outside tests, and the app-level limit."""

    def __init__(self, project: Project) -> None:
        super().__init__(project)

    @cached_property
    def limited_apps(self) -> dict[int, str]:
        """The apps that limit the size of every request body (by `id`), with the
        middleware that does it."""
        found: dict[int, str] = {}
        for app in self.project.apps:
            for middleware in app.middleware:
                if self._limits(middleware):
                    found[id(app)] = f"`{middleware.name}`"
            for function in app.middleware_functions:
                if _answers_413(function):
                    found[id(app)] = f"`{function.name}`"
        return found

    @cached_property
    def reads(self) -> list[UnboundedRead]:
        found: list[UnboundedRead] = []
        for body in self.project.calls.bodies:
            function = body.function
            if function is None or not any(_maybe_read(call) for call in body.facts.calls):
                continue  # cheap: no `.read()`, `.body()`, `.json()` or `.form()` at all
            if known.in_test_code(self.project.relative_path(body.path)):
                continue
            receivers = self._receivers(function)
            if not receivers:
                continue
            reads = list(_reads(self.project.calls.in_function(function), receivers))
            if reads and not self._bounded(function):
                found.extend(
                    UnboundedRead(site, what, kind, function.name) for site, what, kind in reads
                )
        return found

    def _receivers(self, function: FunctionVal) -> dict[str, str]:
        """The function's parameters (and loop variables over them) that hold an
        upload, uploads or the request, by name."""
        found: dict[str, str] = {}
        for param in function.fact.params:
            if param.annotation is None:
                continue
            for leaf in self.project.types.leaves(param.annotation, function.ctx):
                kind = self._class_kind(leaf.expr, leaf.ctx)
                if kind == UPLOAD and leaf.in_container:
                    kind = UPLOADS
                if kind is not None:
                    found[param.name] = kind
                    break
        for local, assignments in function.fact.scope.assignments.items():
            for assignment in assignments:
                value = assignment.value
                if (
                    isinstance(value, Iterate)
                    and isinstance(value.iterable, Name)
                    and found.get(value.iterable.id) == UPLOADS
                ):
                    found[local] = UPLOAD
        return found

    def _class_kind(self, expr: Expr, ctx: Ctx) -> str | None:
        for value in self.project.values(expr, ctx):
            if isinstance(value, (External, ClassVal)):
                for kind, name in ((UPLOAD, "UploadFile"), (REQUEST, "Request")):
                    if self.project.inherits(value, _framework(name)):
                        return kind
        return None

    def _bounded(self, function: FunctionVal, depth: int = 0) -> bool:
        """Whether the function checks a size; or, for an endpoint, the dependencies
        of its route do or every app serving it limits bodies; or, for a helper,
        every project function calling it is bounded (any app limiting bodies, when
        no caller is known)."""
        if _checks_size(self.project, function):
            return True
        instances = serving(self.project, function)
        if instances:
            limited = frozenset(self.limited_apps)
            if all(any(id(app) in limited for app in (i.app, *i.outer_apps)) for i in instances):
                return True
            return any(
                not chained.endpoint and _checks_size(self.project, chained.function)
                for instance in instances
                for chained in self.project.chain_functions(instance)
            )
        found = callers(self.project, function)
        if not found or depth >= 3:
            return bool(self.limited_apps)
        return all(self._bounded(caller, depth + 1) for caller in found)

    def _limits(self, middleware: Middleware) -> bool:
        """A middleware named for a body-size limit, or a project class that answers 413
        (comparing a size is not enough: a logging middleware caps what it records)."""
        for cls in middleware.classes:
            if isinstance(cls, External) and _limit_name(cls.last):
                return True
            if isinstance(cls, ClassVal):
                if _limit_name(cls.fact.name):
                    return True
                for method in cls.fact.methods.values():
                    if _answers_413(FunctionVal.of(method, cls.ctx)):
                        return True
        return _limit_name(middleware.name)


def _reads(sites: list[CallSite], receivers: dict[str, str]) -> Iterator[tuple[CallSite, str, str]]:
    """(site, how it is written, kind) of each whole-body read among `sites`."""
    for site in sites:
        func = site.call.func
        if not isinstance(func, Attr):
            continue
        holder = func.value
        if func.attr == "read" and _no_size(site.call):
            if isinstance(holder, Name) and receivers.get(holder.id) == UPLOAD:
                yield site, f"`{holder.id}.read()`", FILE
            elif (
                isinstance(holder, Attr)
                and holder.attr == "file"
                and isinstance(holder.value, Name)
                and receivers.get(holder.value.id) == UPLOAD
            ):
                yield site, f"`{holder.value.id}.file.read()`", FILE
        elif (
            func.attr in REQUEST_READS
            and isinstance(holder, Name)
            and receivers.get(holder.id) == REQUEST
            and not site.call.args
            and not (func.attr == "form" and site.call.kwargs)  # `form(max_part_size=...)`
        ):
            yield site, f"`{holder.id}.{func.attr}()`", REQUEST_READS[func.attr]


def _maybe_read(call: Call) -> bool:
    func = call.func
    return isinstance(func, Attr) and (func.attr == "read" or func.attr in REQUEST_READS)


def _framework(name: str) -> Callable[[External], bool]:
    return lambda cls: cls.top in ("fastapi", "starlette") and cls.last == name


def _no_size(call: Call) -> bool:
    """`read()`, `read(-1)`, `read(None)`: everything that is left."""
    size = call.arg(0, "size")
    if size is None:
        return not call.has_star
    if isinstance(size, Const):
        return size.value is None or (isinstance(size.value, int) and size.value < 0)
    return False


def _limit_name(name: str) -> bool:
    return LIMIT_NAME.search(name.lower().replace("_", "")) is not None


def _checks_size(project: Project, function: FunctionVal) -> bool:
    """Whether a function answers 413, or compares something with a size: a name
    holding a size or a limit, `Content-Length`, or a number of 1 KiB or more."""
    if _answers_413(function):
        return True
    body = project.calls.body_of(function)
    if body is None:
        return False
    return any(c.op in ORDERING and (_sized(c.left) or _sized(c.right)) for c in body.comparisons)


def _answers_413(function: FunctionVal) -> bool:
    fact = function.fact
    return 413 in fact.status_codes or any(
        mark in name for name in fact.status_names for mark in STATUS_413
    )


def _sized(expr: Expr) -> bool:
    """Whether an operand holds a size, a limit or a large number."""
    if isinstance(expr, Const):
        if isinstance(expr.value, str):
            return expr.value.lower() == "content-length"
        return (
            isinstance(expr.value, int)
            and not isinstance(expr.value, bool)
            and (expr.value >= LARGE)
        )
    if isinstance(expr, (Name, Attr)):
        text = (dotted(expr) or last_name(expr) or "").lower()
        return any(word in text for word in SIZE_WORDS) or (
            isinstance(expr, Attr) and _sized(expr.value)
        )
    if isinstance(expr, BinOp):
        return _sized(expr.left) or _sized(expr.right) or _large_product(expr)
    if isinstance(expr, Call):
        return any(_sized(a) for a in (*expr.args, expr.func))
    if isinstance(expr, Subscript):
        return _sized(expr.value) or any(_sized(i) for i in expr.items)
    return False


def _large_product(expr: BinOp) -> bool:
    """`10 * 1024 * 1024`: a product of numbers."""
    if expr.op not in ("*", "**", "<<"):
        return False
    parts = (expr.left, expr.right)
    return all(
        (isinstance(p, Const) and isinstance(p.value, int)) or isinstance(p, BinOp) for p in parts
    )
