"""What one file says, as plain frozen data: the input of cross-file linking."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastlint.facts.expr import Call, Compare, Expr, compact_pickling
from fastlint.results import Suppression
from fastlint.span import Span


@dataclass(frozen=True, slots=True)
class Import:
    """`local` is bound to `module` (with `level` leading dots) or to `name` in it."""

    local: str
    module: str
    level: int
    name: str | None  # None for `import module [as local]`


@dataclass(frozen=True, slots=True)
class Assignment:
    value: Expr
    conditional: bool  # inside if/try/for/while/match: one of several possible values
    annotation: Expr | None = None
    span: Span | None = None  # the whole statement, for plain and annotated assignments


@dataclass(frozen=True, slots=True)
class AttrAssignment:
    """`target = value` where target is an attribute, e.g. `app.state.limiter = limiter`."""

    target: Expr
    value: Expr
    span: Span | None = None  # the assignment statement (None when not known)


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    annotation: Expr | None
    default: Expr | None
    span: Span | None = None  # the name; None when the file's positions are not known
    kind: str = "normal"  # "normal", "positional" (before `/`), "keyword" (after `*`), "*", "**"


@dataclass(frozen=True, slots=True)
class Guard:
    """`if test:` (or `elif test:`) and what its branch ends with.

    `outcome` is "raise", "return", "continue", "break" or "falls through";
    `value` is what is raised or returned (None for a bare `raise`/`return`)."""

    test: Expr
    span: Span  # the test
    outcome: str
    value: Expr | None
    block: Span | None = None  # the branch's statements (None when not known)


@dataclass(frozen=True, slots=True)
class Handler:
    """`except types as name:` and what its body raises or returns (nested blocks too)."""

    types: tuple[Expr, ...]  # () for a bare `except:`
    name: str | None
    raises: tuple[Expr, ...]
    reraises: bool  # a bare `raise` inside
    returns: tuple[Expr, ...]
    span: Span  # `except` up to the end of the types


@dataclass(frozen=True, slots=True)
class WithBinding:
    """`with value as name:` (one item; only names are recorded, not tuples)."""

    name: str
    value: Expr
    span: Span  # the item


@dataclass(frozen=True, slots=True)
class BodyFacts:
    """What a function or module body does, beyond the names it binds.

    Nested functions have their own; a function's parameter defaults and
    decorators belong to the body around it (that is where Python runs them)."""

    calls: tuple[Call, ...] = ()  # every call, innermost first
    compares: tuple[Compare, ...] = ()  # every comparison, in `and`/`or`/`not` too
    guards: tuple[Guard, ...] = ()
    handlers: tuple[Handler, ...] = ()
    with_bindings: tuple[WithBinding, ...] = ()
    names_read: frozenset[str] = frozenset()


EMPTY_BODY = BodyFacts()


@dataclass(frozen=True, slots=True)
class Decorator:
    expr: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class Scope:
    """Names bound in a module body or a function body, and calls made there."""

    assignments: dict[str, tuple[Assignment, ...]] = field(default_factory=dict)
    functions: dict[str, FunctionFact] = field(default_factory=dict)
    classes: dict[str, ClassFact] = field(default_factory=dict)
    imports: dict[str, Import] = field(default_factory=dict)
    # Calls of `<expr>.<method>(...)` that wire an app: include_router, mount, add_middleware...
    wiring: tuple[Call, ...] = ()
    attr_assignments: tuple[AttrAssignment, ...] = ()
    # Calls whose result is assigned or returned (where apps and routers are made),
    # with whether that happens inside a branch.
    constructed: tuple[tuple[Call, bool], ...] = ()
    # Other calls made as statements (`configure_routes(app)`), to bind parameters.
    calls: tuple[Call, ...] = ()
    # Decorated functions whose name a later definition took: their decorators ran
    # (two routes with one endpoint name both exist); and any function a later one
    # replaces in another branch (`if not settings.auth: def check()` / `else: def check()`).
    shadowed: tuple[FunctionFact, ...] = ()
    # `name += value` as `name = name + value` (data flow reads them; name
    # resolution does not), and `target[key] = value` with the subscript as target.
    augmented: dict[str, tuple[Assignment, ...]] = field(default_factory=dict)
    item_assignments: tuple[AttrAssignment, ...] = ()


@dataclass(frozen=True, slots=True)
class FunctionFact:
    name: str
    span: Span  # the `def` line up to the end of the signature's name
    is_async: bool
    decorators: tuple[Decorator, ...]
    params: tuple[Param, ...]
    returns: Expr | None
    scope: Scope
    return_values: tuple[Expr, ...]
    raises: tuple[Expr, ...]
    called: tuple[Expr, ...]  # callees of calls made in the body (for helper following)
    # Status codes the body mentions, raw: integers 100-599 (HTTP) and 1000-4999
    # (websocket close codes), and names of status
    # constants (`HTTP_401_UNAUTHORIZED`, `FORBIDDEN`); their meaning is the model's.
    status_codes: frozenset[int]
    status_names: frozenset[str]
    body: BodyFacts = EMPTY_BODY


@dataclass(frozen=True, slots=True)
class FieldFact:
    name: str
    annotation: Expr
    default: Expr | None
    span: Span


@dataclass(frozen=True, slots=True)
class ClassFact:
    name: str
    span: Span
    bases: tuple[Expr, ...]
    keywords: tuple[tuple[str, Expr], ...]
    fields: tuple[FieldFact, ...]
    methods: dict[str, FunctionFact]
    class_attrs: dict[str, Expr]  # un-annotated class attributes, e.g. `model_config = ...`
    config: dict[str, Expr]  # from a nested `class Config:` (pydantic v1 style)


@dataclass(frozen=True, slots=True)
class ModuleFacts:
    """Everything fastlint needs from one Python file."""

    path: str
    scope: Scope
    star_imports: tuple[tuple[str, int], ...]  # (module, level)
    suppressions: tuple[Suppression, ...] = ()
    body: BodyFacts = EMPTY_BODY
    # Bandit's `# nosec` comments: (line, the checks it names; () for a bare one).
    nosec: tuple[tuple[int, tuple[str, ...]], ...] = ()
    # Set when libcst could not parse the file and CPython's tree was read instead
    # (`fastlint.regenerate`): what --verbose says about it.
    parser_note: str = ""


compact_pickling(
    Import,
    Assignment,
    AttrAssignment,
    Param,
    Decorator,
    FieldFact,
    Guard,
    Handler,
    WithBinding,
    BodyFacts,
)
