"""The project model as rules see it: the one module a rule imports (with
`fastlint.findings` and `fastlint.rule`).

A rule asks `Project` questions (which apps and routes exist, who serves a
route, what authenticates it, which models a route returns or accepts, what an
expression stands for) and reports on the objects it gets back, which know their
file, span and subject (`.anchor`). It never reads syntax, the per-file facts or
the resolver; a test keeps it that way (tests/test_rule_imports.py).

What is here: the project (`Project`) and where findings point (`Anchor`);
apps, routers, routes and mounts (`Container`, `Route`, `RouteInstance`,
`Include`, `Mount`); models and types (`Model`, `ModelField`, `TypeLeaf`); call
sites, bodies, parameters with their sources, exception handlers (`CallSite`,
`Body`, `Parameter` and `PATH`...`UNKNOWN`, `ExceptionHandler`); signing keys
given as library configuration (`KeySetting`); middleware with
its arguments (`Middleware`); literal values (`Project.literal(scoped)` gives a
`Literal`: every `Possible` value, where it comes from, the environment variable
or settings field behind it, or `Unknown(why)`); what
expressions stand for (`Value` and its kinds, `known` predicates on library
classes); and expressions as the model keeps them (arguments, annotations,
defaults: `Expr` and its kinds).
"""

from __future__ import annotations

from fastlint.facts.expr import (
    Attr,
    BinOp,
    BoolOp,
    Call,
    Compare,
    Const,
    DictExpr,
    Expr,
    FString,
    IfExp,
    Iterate,
    Name,
    Other,
    Seq,
    Subscript,
    UnaryOp,
    Union,
    dotted,
    last_name,
)
from fastlint.model import known
from fastlint.model.anchor import Anchor
from fastlint.model.annotation import TypeLeaf
from fastlint.model.bodies import Body, Comparison, Guard, Handler, WithBinding
from fastlint.model.calls import Callee, CallSite
from fastlint.model.chain import ChainFunction, ChainParameter
from fastlint.model.dependencies import Evidence
from fastlint.model.handlers import ExceptionHandler, StarletteRoute
from fastlint.model.keys import KeySetting
from fastlint.model.literal import (
    Condition,
    FromEnv,
    Literal,
    LiteralValue,
    Possible,
    SettingsField,
    Where,
)
from fastlint.model.middleware import Attachment, Middleware
from fastlint.model.origins import any_origin_entry, regex_escape
from fastlint.model.parameters import (
    BODY,
    COOKIE,
    DEPENDENCY,
    FILE,
    FORM,
    HEADER,
    PATH,
    QUERY,
    SOURCES,
    SPECIAL,
    UNKNOWN,
    Parameter,
)
from fastlint.model.project import Note, Project
from fastlint.model.request_credentials import (
    CONFIGURED,
    DIGEST,
    LITERAL,
    OTHER,
    CredentialComparison,
)
from fastlint.model.routing import AttrSet, Container, Include, Mount, Route, RouteInstance, Scoped
from fastlint.model.schemas import Model, ModelField
from fastlint.model.values import (
    ClassVal,
    ConstVal,
    Ctx,
    External,
    FunctionVal,
    InstanceVal,
    ModuleVal,
    SyntaxVal,
    Unknown,
    Value,
)

__all__ = [
    "BODY",
    "CONFIGURED",
    "COOKIE",
    "DEPENDENCY",
    "DIGEST",
    "FILE",
    "FORM",
    "HEADER",
    "LITERAL",
    "OTHER",
    "PATH",
    "QUERY",
    "SOURCES",
    "SPECIAL",
    "UNKNOWN",
    "Anchor",
    "Attachment",
    "Attr",
    "AttrSet",
    "BinOp",
    "Body",
    "BoolOp",
    "Call",
    "CallSite",
    "Callee",
    "ChainFunction",
    "ChainParameter",
    "ClassVal",
    "Compare",
    "Comparison",
    "Condition",
    "Const",
    "ConstVal",
    "Container",
    "CredentialComparison",
    "Ctx",
    "DictExpr",
    "Evidence",
    "ExceptionHandler",
    "Expr",
    "External",
    "FString",
    "FromEnv",
    "FunctionVal",
    "Guard",
    "Handler",
    "IfExp",
    "Include",
    "InstanceVal",
    "Iterate",
    "KeySetting",
    "Literal",
    "LiteralValue",
    "Middleware",
    "Model",
    "ModelField",
    "ModuleVal",
    "Mount",
    "Name",
    "Note",
    "Other",
    "Parameter",
    "Possible",
    "Project",
    "Route",
    "RouteInstance",
    "Scoped",
    "Seq",
    "SettingsField",
    "StarletteRoute",
    "Subscript",
    "SyntaxVal",
    "TypeLeaf",
    "UnaryOp",
    "Union",
    "Unknown",
    "Value",
    "Where",
    "WithBinding",
    "any_origin_entry",
    "dotted",
    "known",
    "last_name",
    "regex_escape",
]
