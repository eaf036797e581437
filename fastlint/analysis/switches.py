"""Switches: settings that turn authentication on or off, and what they default to.

A switch is the test of an `if` (`if settings.require_password:` around
`add_middleware`, `if not settings.accounts_enabled: return Principal("root")`,
`if not expected: return None` before a key check). Authentication holds on one
side of it; the setting's default, read where fastlint can (a settings-class
default, an environment variable's fallback, an `argparse` flag's default), says
which side a deployment that sets nothing gets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fastlint.facts.expr import (
    Attr,
    BoolOp,
    Call,
    Compare,
    Const,
    Expr,
    Name,
    Other,
    Subscript,
    UnaryOp,
)
from fastlint.facts.expr import dotted as dotted_name
from fastlint.facts.types import FunctionFact, ModuleFacts
from fastlint.model.anchor import Anchor
from fastlint.model.annotation import TypeReader
from fastlint.model.literal import Literal, Possible
from fastlint.model.literal_eval import Literals
from fastlint.model.literal_ops import text
from fastlint.model.values import ClassVal, Ctx, InstanceVal, Scoped, Unknown
from fastlint.span import Span

__all__ = ["UNSET", "Switch", "SwitchReader", "is_setting_reference", "setting_in"]

SETTINGS_NAME = re.compile(r"settings|config|conf\b|cfg|env|\bargs\b|opts\b|options|flags", re.I)
UNSET = "unset"
_UNREAD = object()  # a default that cannot be read
ENV_READER = re.compile(r"env|secret|setting|config", re.I)
ENV_NAME = re.compile(r"[A-Z][A-Z0-9_]{2,}")


@dataclass(frozen=True)
class Switch:
    """The test of an `if` that decides whether authentication runs.

    `setting` is the configured value as written (`settings.require_password`),
    `variable` the environment variable behind it when known; authentication holds
    when the test is `closed_when` (True or False). `default` is the test's value in
    a deployment that sets nothing, in words (`"false"`, `unset`), None when it cannot
    be read; `default_open` whether that default leaves the routes open (None:
    unknown)."""

    setting: str
    variable: str | None
    closed_when: bool  # the value of the test that keeps authentication on
    default: str | None
    default_open: bool | None
    path: str
    span: Span
    wants: str = "set"  # what the setting must be to close the routes: set, unset, true, false

    @property
    def key(self) -> tuple[str, int, int]:
        return (self.path, self.span.line, self.span.column)

    @property
    def anchor(self) -> Anchor:
        return Anchor(self.path, self.span, f"switch {self.setting}")

    @property
    def name(self) -> str:
        """The environment variable when known, else the setting as written."""
        return self.variable or self.setting

    @property
    def requirement(self) -> str:
        """What closes the routes, in words: `` `settings.secure` is true (APP_SECURE)``."""
        if self.variable and (self.setting.endswith(")") or self.setting == self.variable):
            return f"{self.variable} is {self.wants}"  # read by a call: the variable says it
        return f"`{self.setting}` is {self.wants}"

    @property
    def shown(self) -> str:
        """The setting as a reader knows it: the variable a call reads, else as written."""
        if self.variable and self.setting.endswith(")"):
            return self.variable
        return f"`{self.setting}`"

    @property
    def default_text(self) -> str:
        """`APP_SECURE, default: false`: the variable behind the setting and its default."""
        default = f"default: {self.default if self.default is not None else 'cannot be read'}"
        if self.variable and self.variable != self.setting and not self.setting.endswith(")"):
            return f"{self.variable}, {default}"
        return default


def is_setting_reference(expr: Expr) -> bool:
    """An attribute of an object named like settings or parsed arguments
    (`settings.API_KEY`, `self.cfg.auth_required`, `args.auth`), or a read of the
    environment (`os.getenv("X")`, `os.environ["X"]`)."""
    if isinstance(expr, Call):
        name = dotted_name(expr.func) or ""
        if name.endswith(("getenv", "environ.get")):
            return True
        first = expr.args[0] if expr.args else None
        if (
            ENV_READER.search(name.rsplit(".", 1)[-1])
            and isinstance(first, Const)
            and isinstance(first.value, str)
            and ENV_NAME.fullmatch(first.value)
        ):
            return True  # `get_secret_from_env("APP_PASSWORD")`
        if isinstance(expr.func, Attr) and expr.func.attr in ("lower", "strip", "upper"):
            return is_setting_reference(expr.func.value)
        return False
    if isinstance(expr, Subscript):
        return (dotted_name(expr.value) or "").endswith("environ")
    chain: Expr = expr
    while isinstance(chain, Attr):
        chain = chain.value
        if isinstance(chain, Attr) and SETTINGS_NAME.search(chain.attr):
            return True
    return (
        isinstance(chain, Name) and SETTINGS_NAME.search(chain.id) is not None and chain is not expr
    )


def setting_in(test: Expr) -> Expr | None:
    """The setting a test reads (`not settings.x`, `settings.x == "1"`, `a and b`)."""
    if isinstance(test, UnaryOp) and test.op == "not":
        return setting_in(test.operand)
    if isinstance(test, Compare):
        for side in (test.left, *(right for _, right in test.ops)):
            found = setting_in(side)
            if found is not None:
                return found
        return None
    if isinstance(test, BoolOp):
        for value in test.values:
            found = setting_in(value)
            if found is not None:
                return found
        return None
    if isinstance(test, Other) and test.source is not None:
        return setting_in(test.source)  # `if keys := [k for k in settings.keys if k]:`
    if (
        isinstance(test, Call)
        and isinstance(test.func, Attr)
        and test.func.attr in ("lower", "upper", "strip", "casefold")
    ):
        return setting_in(test.func.value)  # `os.getenv("AUTH", "").lower() == "true"`
    return test if is_setting_reference(test) else None


class SwitchReader:
    """Reads the default of a switch's test with the project's literal evaluator."""

    def __init__(self, literals: Literals) -> None:
        self.literals = literals

    def switch(
        self,
        test: Expr,
        ctx: Ctx,
        closed_when: bool,
        path: str,
        span: Span,
        whole: Expr | None = None,
    ) -> Switch | None:
        """The switch `test` is, when it reads a setting; `whole` is the full test
        (`not settings.x and token is None`) whose setting part is `test`."""
        setting = setting_in(test)
        shown: Expr | None = None
        if setting is None:
            # `_KEY = os.getenv("KEY")` at module level, then `if _KEY:`
            constant = _module_constant(test, ctx)
            if constant is None:
                return None
            test, shown = constant
            setting = setting_in(test)
            if setting is None:
                return None
        variable = self._variable(setting, ctx)
        truth = self._truth(test, ctx)
        default: str | None = None
        default_open: bool | None = None
        setting_truth = self._truth(setting, ctx)
        kind = self._kind(setting, ctx)
        if truth is not None:
            default_open = truth != closed_when
            default = self._default_text(setting, ctx)
            unread = default in (UNSET, "unknown")
            if unread and kind == "bool" and setting_truth is not None and not _env(setting):
                default = "true" if setting_truth else "false"
        # the setting's own truth that keeps authentication on
        positive = closed_when != _negations(test, setting)
        compared = _compared(test, closed_when)
        wants = compared or (
            ("true" if positive else "false")
            if kind == "bool"
            else ("set" if positive else "unset")
        )
        return Switch(
            setting=text(shown or setting),
            variable=variable,
            closed_when=closed_when,
            default=default,
            default_open=default_open,
            path=path,
            span=span,
            wants=wants,
        )

    def _kind(self, setting: Expr, ctx: Ctx) -> str:
        for p in self._fallbacks(setting, ctx) or []:
            if isinstance(p.value, bool):
                return "bool"
        call = self._argparse_call(setting, ctx)
        action = call.kwarg("action") if call is not None else None
        if isinstance(action, Const) and action.value in ("store_true", "store_false"):
            return "bool"
        return "value"

    def _literal(self, expr: Expr, ctx: Ctx) -> Literal | None:
        try:
            literal = self.literals.of(Scoped(expr, ctx))
            if literal.possible and all(_unread(p) for p in literal.possible):
                return self._typed_member(expr, ctx) or literal
            return literal
        except RecursionError:  # pragma: no cover - a pathological input
            return None

    def value_of(self, expr: Expr, ctx: Ctx) -> Literal | None:
        """What `expr` holds where nothing is configured, as far as it can be read."""
        return self._literal(expr, ctx)

    def _typed_member(self, expr: Expr, ctx: Ctx) -> Literal | None:
        """`config.api_key` where `config` is a parameter annotated with a project
        class (`config: "Config"`, `Annotated[Config, Depends(get_config)]`,
        `Config | None`), or `config.network.api_servers` where `network` is a field
        typed with one: the class's default for the field, as a deployment that sets
        nothing builds it."""
        if not isinstance(expr, Attr):
            return None
        cls = self._class_of(expr.value, ctx, 0)
        if cls is None:
            return None
        found = self.literals.of(Scoped(Attr(Name(cls.fact.name), expr.attr), cls.ctx))
        if not found.possible or any(_unread(p) for p in found.possible):
            return None
        return found

    def _class_of(self, expr: Expr, ctx: Ctx, depth: int) -> ClassVal | None:
        """The project class a value is an instance of: by a parameter's annotation,
        a field's annotation in its owner's class, or what it evaluates to."""
        if depth > 4:
            return None
        resolver = self.literals.resolver
        if isinstance(expr, Name) and ctx.functions:
            param = next((p for p in ctx.functions[-1].params if p.name == expr.id), None)
            if param is not None:
                if param.annotation is None:
                    return None
                return self._annotated(param.annotation, ctx.outer(len(ctx.functions) - 1))
        if isinstance(expr, Attr):
            owner = resolver.self_class(expr, ctx) or self._class_of(expr.value, ctx, depth + 1)
            if owner is not None:
                return self._attribute_class(owner, expr.attr)
        values = resolver.evaluate(expr, ctx)
        if len(values) == 1:
            value = values[0]
            call = value.call if isinstance(value, InstanceVal) else None
            if call is not None and (call.args or call.kwargs or call.has_star):
                return None  # built with values (`Settings(**from_toml)`): not the defaults
            if isinstance(value, InstanceVal) and isinstance(value.cls, ClassVal):
                return value.cls
        return None

    def _attribute_class(self, owner: ClassVal, attr: str) -> ClassVal | None:
        """The class of `owner.attr`: its field's annotation, or the annotation of
        the `__init__` parameter assigned to `self.attr`."""
        for klass in self.literals.resolver.mro(owner):
            if not isinstance(klass, ClassVal):
                break
            declared = next((f for f in klass.fact.fields if f.name == attr), None)
            if declared is not None:
                return self._annotated(declared.annotation, klass.ctx)
            init = klass.fact.methods.get("__init__")
            if init is None:
                continue
            for assigned in init.scope.attr_assignments:
                if assigned.target != Attr(Name("self"), attr) or not isinstance(
                    assigned.value, Name
                ):
                    continue
                param = next((p for p in init.params if p.name == assigned.value.id), None)
                if param is not None and param.annotation is not None:
                    return self._annotated(param.annotation, klass.ctx)
        return None

    def _annotated(self, annotation: Expr, ctx: Ctx) -> ClassVal | None:
        """The one project class an annotation names (`Config`, `"Config"`,
        `Config | None`, `Optional[Config]`, `Annotated[Config, ...]`)."""
        resolver = self.literals.resolver
        found: ClassVal | None = None
        for leaf in TypeReader(resolver).leaves(annotation, ctx):
            if isinstance(leaf.expr, Const) and leaf.expr.value is None:
                continue
            classes = [v for v in resolver.evaluate(leaf.expr, leaf.ctx) if isinstance(v, ClassVal)]
            if len(classes) != 1 or found is not None:
                return None
            found = classes[0]
        return found

    def _fallbacks(self, expr: Expr, ctx: Ctx) -> list[Possible] | None:
        literal = self._literal(expr, ctx)
        if literal is None or not literal.possible:
            return None
        return list(literal.possible)

    def _truth(self, test: Expr, ctx: Ctx) -> bool | None:
        """Whether `test` holds where nothing is configured (None: not known)."""
        if isinstance(test, UnaryOp) and test.op == "not":
            inner = self._truth(test.operand, ctx)
            return None if inner is None else not inner
        if isinstance(test, BoolOp) and test.op in ("and", "or"):
            parts = [self._truth(v, ctx) for v in test.values]
            decisive = test.op == "or"  # a true part decides `or`, a false one `and`
            if decisive in parts:
                return decisive
            return None if None in parts else not decisive
        if (
            isinstance(test, Compare)
            and len(test.ops) == 1
            and test.ops[0][0] == "in"
            and isinstance(test.left, Const)
            and str(test.left.value).startswith("-")
            and dotted_name(test.ops[0][1]) == "sys.argv"
        ):
            return False  # `"--secure" in sys.argv`: a command-line flag, off unless given
        if isinstance(test, Compare) and len(test.ops) == 1:
            op, right = test.ops[0]
            if isinstance(right, Const) and op in ("==", "!=", "is", "is not"):
                left = self._default_value(test.left, ctx)
                if left is not _UNREAD:
                    same = left == right.value
                    return same if op in ("==", "is") else not same
        value = self._default_value(test, ctx)  # `os.getenv("KEY")`: None when unset
        if value is not _UNREAD:
            return bool(value)
        possible = self._fallbacks(test, ctx)
        if possible is None:
            return self._argparse_truth(test, ctx)
        values = [p.value for p in possible]
        if any(isinstance(v, Unknown) for v in values):
            return self._argparse_truth(test, ctx)
        truths = {bool(v) for v in values}
        return truths.pop() if len(truths) == 1 else None

    def _default_value(self, expr: Expr, ctx: Ctx) -> object:
        """The value `expr` has where nothing is configured: an environment read
        without a fallback gives None; `_UNREAD` when it cannot be told."""
        if (
            isinstance(expr, Call)
            and isinstance(expr.func, Attr)
            and expr.func.attr in ("lower", "strip", "upper")
        ):
            inner = self._default_value(expr.func.value, ctx)
            if isinstance(inner, str):
                return str(getattr(inner, expr.func.attr)())
            return inner
        values: list[object] = []
        for p in self._fallbacks(expr, ctx) or []:
            if p.env is not None and not p.env.has_default:
                values.append(None)
            elif isinstance(p.value, Unknown):
                return _UNREAD
            else:
                values.append(p.value)
        if not values or any(v != values[0] for v in values):
            return _UNREAD
        return values[0]

    def _argparse_truth(self, test: Expr, ctx: Ctx) -> bool | None:
        """`args.auth` for `parser.add_argument("--auth", action="store_true")`:
        False unless the flag is given (a `store_false` flag: True)."""
        call = self._argparse_call(test, ctx)
        if call is None:
            return None
        default = call.kwarg("default")
        if isinstance(default, Const):
            return bool(default.value)
        # `store_false` defaults to True; `store_true` and a flag taking a value
        # (None) to false
        action = call.kwarg("action")
        return isinstance(action, Const) and action.value == "store_false"

    def _argparse_call(self, test: Expr, ctx: Ctx) -> Call | None:
        """The `add_argument(...)` call, in the module reading it, that defines
        `args.<name>`."""
        if not isinstance(test, Attr) or not isinstance(test.value, Name):
            return None
        wanted = {f"--{test.attr}", f"--{test.attr.replace('_', '-')}"}
        index = self.literals.resolver.index
        path = ctx.path
        imported = ctx.module_scope.imports.get(test.value.id)
        if imported is not None and imported.name is not None:
            # `from settings import args`: the parser is built where `args` is
            found = (
                index.find_relative(ctx.path, imported.level, imported.module)
                if imported.level
                else index.find(imported.module, ctx.path)
            )
            path = found or path
        module = index.modules.get(path)
        if module is None:
            return None
        bodies = [module.body, *(f.body for f in _functions(module))]
        for body in bodies:
            for call in body.calls:
                if not (dotted_name(call.func) or "").endswith("add_argument"):
                    continue
                flags = {
                    a.value for a in call.args if isinstance(a, Const) and isinstance(a.value, str)
                }
                dest = call.kwarg("dest")
                if flags & wanted and not (isinstance(dest, Const) and dest.value != test.attr):
                    return call
        return None

    def _variable(self, setting: Expr, ctx: Ctx) -> str | None:
        possible = self._fallbacks(setting, ctx) or []
        for p in possible:
            if p.variable:
                return p.variable
        if isinstance(setting, Call) and setting.args and isinstance(setting.args[0], Const):
            value = setting.args[0].value
            return value if isinstance(value, str) else None
        return None

    def _default_text(self, setting: Expr, ctx: Ctx) -> str:
        possible = self._fallbacks(setting, ctx) or []
        for p in possible:
            if p.env is not None and not p.env.has_default:
                return UNSET
            if p.env is not None and p.value in ("", None):
                return UNSET
            if not isinstance(p.value, Unknown):
                return _shown(p.value)
        return UNSET if isinstance(setting, Attr) and isinstance(setting.value, Name) else "unknown"


def _compared(test: Expr, closed_when: bool) -> str | None:
    """What a setting compared with a constant must be for authentication to run:
    `"true"` for `os.getenv("SECURE") == "true"`, `not "none"` for
    `if config.type == "none": skip`."""
    holds = closed_when
    while isinstance(test, UnaryOp) and test.op == "not":
        test, holds = test.operand, not holds
    if isinstance(test, BoolOp) and test.op == ("or" if holds else "and"):
        # `SECURE == "true" or "--secure" in sys.argv`: either part switches it on
        return next((w for v in test.values if (w := _compared(v, holds))), None)
    if not (isinstance(test, Compare) and len(test.ops) == 1):
        return None
    op, right = test.ops[0]
    if not isinstance(right, Const) or op not in ("==", "!=", "is", "is not"):
        return None
    if op in ("!=", "is not"):
        holds = not holds
    if right.value is None:
        return "unset" if holds else "set"  # `config.api_key is not None`
    shown = f'"{right.value}"' if isinstance(right.value, str) else repr(right.value)
    return shown if holds else f"not {shown}"


def _negations(test: Expr, setting: Expr) -> bool:
    """Whether `setting` is negated an odd number of times in `test`."""
    if test is setting:
        return False
    if isinstance(test, UnaryOp) and test.op == "not":
        return not _negations(test.operand, setting)
    return False


def _unread(possible: Possible) -> bool:
    """A value nothing tells: not written, and not an environment variable's
    (unset where nothing is configured)."""
    return isinstance(possible.value, Unknown) and possible.env is None


def _env(expr: Expr) -> bool:
    return isinstance(expr, (Call, Subscript))


def _shown(value: object) -> str:
    if value is None or value == [] or value == ():
        return UNSET
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"' if value else UNSET
    return repr(value)


def _functions(module: ModuleFacts) -> list[FunctionFact]:
    """The module's top-level functions (`main()` building the parser)."""
    return list(module.scope.functions.values())


def _module_constant(test: Expr, ctx: Ctx) -> tuple[Expr, Name] | None:
    """`NAME` or `not NAME`, NAME bound once at module level (and not in the
    function reading it): the test with NAME replaced by its value, and NAME."""
    negated = isinstance(test, UnaryOp) and test.op == "not"
    name = test.operand if isinstance(test, UnaryOp) and negated else test
    if not isinstance(name, Name):
        return None
    if any(name.id in f.scope.assignments for f in ctx.functions):
        return None
    bound = ctx.module_scope.assignments.get(name.id, ())
    if len(bound) != 1:
        return None
    value = bound[0].value
    return (UnaryOp("not", value) if negated else value), name
