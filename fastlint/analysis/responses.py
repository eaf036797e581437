"""Whether an endpoint hands back a Response object (sent as is, no response model).

A `return` counts when what it returns is an instance of a response class, a call
of a helper annotated to return one (`-> HTMLResponse`, Starlette's
`_TemplateResponse`), a template engine's `TemplateResponse(...)` (a
`Jinja2Templates` subclass that overrides it included), a library function or
method known to return one (Authlib's `authorize_redirect`, FastAPI's
`get_swagger_ui_html`), or a local annotated as a response (`response: Response
= ...`, reassigned before it is returned).
Also which parameters an endpoint returns as received (the request echoed back).
"""

from __future__ import annotations

from fastlint.analysis import Analysis
from fastlint.facts.expr import Attr, Call, Const, Expr, Name, Subscript, Union, last_name
from fastlint.knowledge import fastapi_starlette
from fastlint.model import known
from fastlint.model.parameters import BODY, Parameter
from fastlint.model.project import Project
from fastlint.model.routing import Route
from fastlint.model.values import (
    ClassVal,
    Ctx,
    External,
    FunctionVal,
    InstanceVal,
    SyntaxVal,
    Unknown,
)

HELPER_DEPTH = 2  # helpers followed to see that they return nothing
UNIONS = frozenset({"Optional", "Union"})


class Responses(Analysis):
    """What endpoints hand back: Response objects, nothing, or the request body
    (FL002, FL003)."""

    def __init__(self, project: Project) -> None:
        super().__init__(project)
        self.resolver = project.resolver

    def echoed_body(self, route: Route) -> list[Parameter]:
        """The request-body parameters the endpoint returns as received (`return
        user` for a `user: UserIn` body): the request echoed back."""
        if route.endpoint is None:
            return []
        body = [p for p in self.project.parameters(route.endpoint) if p.source == BODY]
        echoed = self.echoed(route.endpoint, frozenset(p.name for p in body))
        return [p for p in body if p.name in echoed]

    def returns_response(self, function: FunctionVal, depth: int = HELPER_DEPTH) -> bool:
        """Whether some `return` of `function` hands back a Response object (helpers
        without a return annotation followed `depth` calls deep)."""
        ctx = function.body_ctx
        return any(self._is_response(r, ctx, function, depth) for r in function.returned)

    def returns_nothing(self, function: FunctionVal, depth: int = HELPER_DEPTH) -> bool:
        """Whether every `return` of `function` gives `None`: written as such, or the
        result of a project helper that itself returns nothing (`return await
        _forward(request)` where `_forward` writes the answer to the ASGI channel)."""
        return all(self._nothing(r, function.body_ctx, depth) for r in function.returned)

    def _nothing(self, expr: Expr, ctx: Ctx, depth: int) -> bool:
        if isinstance(expr, Const):
            return expr.value is None
        if not isinstance(expr, Call) or depth <= 0:
            return False
        helpers = self.resolver.evaluate(expr.func, ctx)
        return bool(helpers) and all(
            isinstance(h, FunctionVal) and self.returns_nothing(h, depth - 1) for h in helpers
        )

    def echoed(self, function: FunctionVal, names: frozenset[str]) -> frozenset[str]:
        """Which of `names` (parameters of `function`) some `return` hands back as
        received: `return user` where `user` is a parameter never rebound."""
        bound = function.fact.scope.assignments
        return frozenset(
            r.id
            for r in function.returned
            if isinstance(r, Name) and r.id in names and r.id not in bound
        )

    def _is_response(self, expr: Expr, ctx: Ctx, function: FunctionVal, depth: int) -> bool:
        for value in self.resolver.evaluate(expr, ctx):
            if isinstance(value, InstanceVal) and self._response_class(value.cls):
                return True
        if isinstance(expr, Call):
            return self._response_call(expr, ctx, depth)
        if isinstance(expr, Name):
            bound = function.fact.scope.assignments.get(expr.id, ())
            return any(
                (a.annotation is not None and self._annotated_response(a.annotation, ctx))
                or (isinstance(a.value, Call) and self._response_call(a.value, ctx, depth))
                for a in bound
            )
        return False

    def _response_call(self, call: Call, ctx: Ctx, depth: int) -> bool:
        """`render(...)` annotated `-> SomeResponse`; `templates.TemplateResponse(...)`."""
        if (
            isinstance(call.func, Attr)
            and call.func.attr in fastapi_starlette.TEMPLATE_RESPONSE_METHODS
        ):
            for receiver in self.resolver.evaluate(call.func.value, ctx):
                if isinstance(receiver, InstanceVal) and self.resolver.inherits(
                    receiver.cls, known.is_template_engine
                ):
                    return True
        if isinstance(call.func, Attr) and call.func.attr in fastapi_starlette.RESPONSE_METHODS:
            root: Expr = call.func.value
            while isinstance(root, Attr):  # `oauth.google`: the client registry's library
                root = root.value
            libraries = fastapi_starlette.RESPONSE_METHODS[call.func.attr]
            receivers = self.resolver.evaluate(root, ctx)
            for receiver in receivers:
                owner = receiver.cls if isinstance(receiver, InstanceVal) else receiver
                if isinstance(owner, External) and owner.top in libraries:
                    return True
            opaque = all(isinstance(r, (Unknown, SyntaxVal)) for r in receivers)
            if opaque and _imports(ctx, libraries):
                # `client = self.get_client(provider)` out of an Authlib registry: the
                # receiver is unknown, but the module uses the library the method is of
                return True
        for func in self.resolver.evaluate(call.func, ctx):
            if isinstance(func, External) and func.qualname in fastapi_starlette.RESPONSE_FUNCTIONS:
                return True
            if not isinstance(func, FunctionVal):
                continue
            if func.return_annotation is None:
                # an unannotated project helper (`oauth_manager.handle_login(...)`):
                # what its own returns give
                if depth > 0 and self.returns_response(func, depth - 1):
                    return True
                continue
            if self._annotated_response(func.return_annotation, func.ctx):
                return True
        if isinstance(call.func, Attr) and isinstance(call.func.value, Name):
            for method in self._annotated_receiver_methods(call.func.value.id, call.func.attr, ctx):
                if method.return_annotation is None:
                    if depth > 0 and self.returns_response(method, depth - 1):
                        return True
                elif self._annotated_response(method.return_annotation, method.ctx):
                    return True
        return False

    def _annotated_receiver_methods(self, name: str, method: str, ctx: Ctx) -> list[FunctionVal]:
        """Method `method` of the class a parameter `name` is annotated with
        (`backend: AuthenticationBackend[...]`), looked up through the class hierarchy:
        what `backend.method(...)` runs, whatever argument the parameter is given."""
        for depth in range(len(ctx.functions), 0, -1):
            function = ctx.functions[depth - 1]
            if name in function.scope.assignments:
                return []  # rebound: not the parameter
            param = next((p for p in function.params if p.name == name), None)
            if param is None:
                continue
            if param.annotation is None:
                return []
            annotation = param.annotation
            if isinstance(annotation, Subscript):  # a generic class: `Backend[ID]`
                annotation = annotation.value
            found: list[FunctionVal] = []
            outer = Ctx(ctx.path, ctx.module_scope, ctx.functions[: depth - 1])
            for cls in self.resolver.evaluate(annotation, outer):
                if not isinstance(cls, ClassVal):
                    continue
                for owner in self.resolver.mro(cls):
                    if isinstance(owner, ClassVal) and method in owner.fact.methods:
                        found.append(FunctionVal.of(owner.fact.methods[method], owner.ctx))
                        break
            return found
        return []

    def _annotated_response(self, annotation: Expr, ctx: Ctx) -> bool:
        """`-> HTMLResponse`; in a union, any member (`-> RedirectResponse | None`,
        `Optional[RedirectResponse]`: a response or nothing, never JSON to filter)."""
        if isinstance(annotation, Union):
            return self._annotated_response(annotation.left, ctx) or self._annotated_response(
                annotation.right, ctx
            )
        if isinstance(annotation, Subscript) and last_name(annotation.value) in UNIONS:
            return any(self._annotated_response(item, ctx) for item in annotation.items)
        return any(
            isinstance(value, (ClassVal, External)) and self._response_class(value)
            for value in self.resolver.evaluate(annotation, ctx)
        )

    def _response_class(self, cls: ClassVal | External) -> bool:
        return self.resolver.inherits(cls, known.is_response_class)


def _imports(ctx: Ctx, libraries: tuple[str, ...]) -> bool:
    """Whether the module of `ctx` imports from one of `libraries` (top-level names)."""
    return any(
        imported.level == 0 and imported.module.split(".")[0] in libraries
        for imported in ctx.module_scope.imports.values()
    )


__all__ = [
    "Responses",
]
