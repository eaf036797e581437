"""Caught exceptions whose text is sent back to the caller.

Two places put an exception's text in a response: an `except ... as e:` block
that raises `HTTPException(detail=...)`/`WebSocketException(reason=...)` or
returns a response built from `e`; and an exception handler registered on an app
(`@app.exception_handler(Exception)`) whose response is built from the
exception it is handed. An expression is built from the exception when it reads
the bound name (`str(e)`, `f"{e}"`, `e.args`, `repr(e)`), a local variable
assigned from it, or the traceback (`traceback.format_exc()`, `sys.exc_info()`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
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
    children,
    dotted,
    last_name,
)
from fastlint.facts.types import Handler
from fastlint.model import known
from fastlint.model.anchor import Anchor
from fastlint.model.bodies import Body
from fastlint.model.project import Project
from fastlint.model.values import ClassVal, Ctx, External, FunctionVal
from fastlint.span import Span

# Exceptions whose text is written for the caller: re-raising it tells nothing new.
USER_FACING = frozenset(
    {"HTTPException", "WebSocketException", "RequestValidationError", "ValidationError"}
    | {"OAuthError", "OAuth2Error"}  # authlib: an OAuth error code for the client
)
# Calls that carry their arguments' text into what they return: the exception's
# text goes through them; through any other call it is not followed.
FORMATTERS = frozenset({"str", "repr", "format", "ascii"})
STRING_METHODS = frozenset(
    {"format", "join", "replace", "strip", "lstrip", "rstrip", "lower", "upper", "capitalize"}
)

__all__ = ["ExceptionDetail", "ExceptionDetails"]
HTTP_EXCEPTIONS = frozenset({"HTTPException", "WebSocketException"})  # when unresolved
BROAD = frozenset({"Exception", "BaseException"})
TRACEBACK_READERS = frozenset({"format_exc", "format_exception", "format_tb", "exc_info"})
# Reading these of an exception tells its class, never its text.
TYPE_ONLY = frozenset({"__class__", "__name__", "__qualname__", "status_code", "code"})
RESPONSE_BUILDERS = frozenset({"JSONResponse", "ORJSONResponse", "UJSONResponse"})
RESPONSE_BUILDERS_TEXT = frozenset({"PlainTextResponse", "HTMLResponse", "Response"})
STATUS_DIGITS = re.compile(r"(\d{3})")


@dataclass(frozen=True)
class ExceptionDetail:
    """One response that carries a caught exception's text."""

    anchor: Anchor
    sink: str  # "`HTTPException(detail=...)`", "the response of `on_error`"
    caught: str  # "`Exception`", "`ValueError`", "any exception"
    broad: bool  # every exception is caught (bare, Exception, BaseException)
    status: int | None  # the status sent, when known


class ExceptionDetails(Analysis):
    """Every response built from a caught exception, in project code outside tests."""

    def __init__(self, project: Project) -> None:
        super().__init__(project)

    @cached_property
    def details(self) -> list[ExceptionDetail]:
        found: list[ExceptionDetail] = []
        for body in self.project.calls.bodies:
            if body.function is None or self._in_tests(body.path):
                continue
            for handler in body.handlers:
                if handler.name is not None:
                    found.extend(self._in_handler(body, handler))
        found.extend(self._registered_handlers())
        return found

    @cached_property
    def _endpoints(self) -> frozenset[FunctionVal]:
        return frozenset(r.endpoint for r in self.project.routes if r.endpoint is not None)

    def _in_tests(self, path: str) -> bool:
        return known.in_test_code(self.project.relative_path(path))

    def _in_handler(self, body: Body, handler: Handler) -> Iterator[ExceptionDetail]:
        assert handler.name is not None and body.function is not None
        caught = [self._class_name(t, body.ctx) for t in handler.types]
        if any(name in USER_FACING for name in caught) or self._user_facing(handler, body.ctx):
            return
        broad = not handler.types or any(name in BROAD for name in caught)
        label = " | ".join(f"`{n}`" for n in caught) if caught else "any exception"
        tainted = _tainted_locals(body.function, handler.name)
        for raised in handler.raises:
            if not isinstance(raised, Call):
                continue
            if not self._is_http_exception(raised, body.ctx):
                continue
            detail = raised.arg(1, "detail") or raised.kwarg("reason")
            if detail is None or not _from_exception(detail, handler.name, tainted):
                continue
            kind = last_name(raised.func) or "HTTPException"
            yield ExceptionDetail(
                self._anchor(body, raised.span, "raises"),
                f"`{kind}(detail=...)`",
                label,
                broad,
                _status(raised.arg(0, "status_code") or raised.kwarg("code")),
            )
        endpoint = body.function in self._endpoints
        for returned in handler.returns:
            content = _response_content(returned, endpoint)
            if content is not None and _from_exception(content, handler.name, tainted):
                status = (
                    _status(returned.kwarg("status_code")) if isinstance(returned, Call) else None
                )
                span = returned.span if isinstance(returned, Call) else handler.span
                yield ExceptionDetail(
                    self._anchor(body, span, "returns"), "the response", label, broad, status
                )

    def _registered_handlers(self) -> Iterator[ExceptionDetail]:
        seen: set[FunctionVal] = set()
        for registered in self.project.exception_handlers:
            function = registered.handler
            if function is None or function in seen or self._in_tests(function.path):
                continue
            seen.add(function)
            caught = self._class_name(registered.exception, registered.ctx)
            if caught in USER_FACING or isinstance(registered.exception, Const):
                continue  # a status code or an exception written for the caller
            if self._http_shaped(registered.exception, registered.ctx) or any(
                isinstance(value, ClassVal)
                and self.project.inherits(value, known.is_http_exception)
                for value in self.project.values(registered.exception, registered.ctx)
            ):
                continue  # an application error, or an `HTTPException`, written for the caller
            params = [p.name for p in function.fact.params]
            if len(params) < 2:
                continue
            name = params[1]
            tainted = _tainted_locals(function, name)
            body = self.project.calls.body_of(function)
            if body is None:
                continue
            for returned in function.returned:
                content = _response_content(returned, True)
                if content is None or not _from_exception(content, name, tainted):
                    continue
                status = (
                    _status(returned.kwarg("status_code")) if isinstance(returned, Call) else None
                )
                span = returned.span if isinstance(returned, Call) else function.fact.span
                yield ExceptionDetail(
                    self._anchor(body, span, "handler"),
                    f"the response of exception handler `{function.name}`",
                    f"`{caught}`" if caught else "the exception",
                    caught in BROAD,
                    status,
                )

    def _anchor(self, body: Body, span: Span, what: str) -> Anchor:
        scope = ".".join(f.name for f in body.ctx.functions) or "<module>"
        return Anchor(body.path, span, f"{scope} {what} exception text")

    def _class_name(self, expr: Expr, ctx: Ctx) -> str | None:
        for value in self.project.values(expr, ctx):
            if isinstance(value, External):
                return value.last
            if isinstance(value, ClassVal):
                return value.fact.name
        return last_name(expr)

    def _user_facing(self, handler: Handler, ctx: Ctx) -> bool:
        """A caught project class deriving from `HTTPException`, or carrying its own
        HTTP status: its text is for the caller."""
        return any(
            self._http_subclass(expr, ctx) or self._http_shaped(expr, ctx) for expr in handler.types
        )

    def _http_subclass(self, expr: Expr, ctx: Ctx) -> bool:
        """A project class deriving from `HTTPException` (mem0's `UpstreamError`)."""
        return any(
            isinstance(value, ClassVal) and self.project.inherits(value, known.is_http_exception)
            for value in self.project.values(expr, ctx)
        )

    def _http_shaped(self, expr: Expr, ctx: Ctx) -> bool:
        """A project exception class that carries the HTTP status it is answered with
        (`status_code = 403` on it or a base, or a `status_code` parameter of its
        `__init__`): an application error written for the caller, like
        `HTTPException` (polar's `PolarError`, skyvern's `SkyvernHTTPException`)."""
        for value in self.project.values(expr, ctx):
            if not isinstance(value, ClassVal):
                continue
            for cls in self.project.resolver.mro(value):
                if not isinstance(cls, ClassVal):
                    continue
                fact = cls.fact
                if "status_code" in fact.class_attrs or any(
                    f.name == "status_code" for f in fact.fields
                ):
                    return True
                init = fact.methods.get("__init__")
                if init is not None and any(p.name == "status_code" for p in init.params):
                    return True
        return False

    def _is_http_exception(self, call: Call, ctx: Ctx) -> bool:
        for value in self.project.values(call.func, ctx):
            if isinstance(value, External) and known.is_http_exception(value):
                return True
            if isinstance(value, ClassVal) and self.project.inherits(
                value, known.is_http_exception
            ):
                return True
        return last_name(call.func) in HTTP_EXCEPTIONS


def _tainted_locals(function: FunctionVal, name: str) -> frozenset[str]:
    """Local names assigned from the exception (`msg = str(e)`), one step deep."""
    tainted = set()
    for local, assignments in function.fact.scope.assignments.items():
        if any(_from_exception(a.value, name, frozenset()) for a in assignments):
            tainted.add(local)
    return frozenset(tainted)


def _from_exception(expr: Expr, name: str, tainted: frozenset[str]) -> bool:
    """Whether `expr` carries the text of the exception bound to `name`."""
    if isinstance(expr, Name):
        return expr.id == name or expr.id in tainted
    if isinstance(expr, Attr):
        if expr.attr in TYPE_ONLY:
            return False
        return _from_exception(expr.value, name, tainted)
    if isinstance(expr, Call):
        func = dotted(expr.func) or ""
        if func.rsplit(".", 1)[-1] in TRACEBACK_READERS and func.split(".")[0] in (
            "traceback",
            "sys",
            "format_exc",
            "format_exception",
            "exc_info",
        ):
            return True
        if func in FORMATTERS or last_name(expr.func) in STRING_METHODS:
            return any(_from_exception(c, name, tainted) for c in children(expr))
        return False  # another function may make a safe message of it (open-webui's
        # `ERROR_MESSAGES.DEFAULT(e)`, langflow's `error_for_client(exc)`): not followed
    return any(_from_exception(c, name, tainted) for c in children(expr))


def _response_content(returned: Expr, endpoint: bool) -> Expr | None:
    """What a returned value sends: a response's content; or, returned by an endpoint or
    a handler (`endpoint`), a dict or string (elsewhere it goes back to the caller)."""
    if isinstance(returned, Call):
        builder = last_name(returned.func)
        if builder in RESPONSE_BUILDERS:
            return returned.arg(0, "content")
        if builder in RESPONSE_BUILDERS_TEXT:
            return returned.arg(0, "content")
        return None
    if endpoint and isinstance(returned, (DictExpr, FString, BinOp)):
        return returned
    return None


def _status(expr: Expr | None) -> int | None:
    """`500`, `status.HTTP_500_INTERNAL_SERVER_ERROR`, `HTTPStatus.BAD_REQUEST` (not known)."""
    if isinstance(expr, Const) and isinstance(expr.value, int):
        return expr.value
    name = last_name(expr) if expr is not None else None
    if name is not None and name.startswith("WS_"):
        return None  # a websocket close code (`WS_1013_TRY_AGAIN_LATER`), not a status
    match = STATUS_DIGITS.search(name or "")
    return int(match.group(1)) if match else None
