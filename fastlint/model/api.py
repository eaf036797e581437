"""The project model as rules see it: the one model module a rule imports (with
the analyses it declares, `fastlint.analysis.*`, the library data of
`fastlint.knowledge`, `fastlint.findings` and `fastlint.rule`).

A rule asks `Project` questions (which apps and routes exist, who serves a
route, what authenticates it, which models a route returns or accepts, what an
expression stands for) and reports on the objects it gets back, which know their
file, span and subject (`.anchor`). It never reads syntax, the per-file facts or
the resolver; a test keeps it that way (tests/test_rule_imports.py).

What is here hands out values, never syntax: the project (`Project`; its call
sites in `project.calls`, models in `project.schemas`) and where findings point
(`Anchor`); apps, routers, routes and mounts (`Container`, `Route`,
`RouteInstance`, `Include`, `Mount`) with what they declare (a route's
`status_code`, `response_model_written`, the `scopes` on its path); models and
types (`Model`, `ModelField` with its `type_name`, `TypeLeaf`, the `StringLeaf`
constraints of a field); call sites and parameters with their sources
(`CallSite`, `Parameter` and `PATH`...`UNKNOWN`, `ExceptionHandler`); middleware
with its arguments (`Middleware`); literal values (`Project.literal(scoped)` gives
a `Literal`: every `Possible` value, where it comes from, the environment variable
or settings field behind it, or `Unknown(why)`); and what expressions stand for
(`Value` and its kinds, `known` predicates on library classes). An expression is
handed out as an opaque `Scoped` (what it is written as: `name`, `final_name`,
`called_name`, `written`), never as a syntax node to match.
"""

from __future__ import annotations

from fastlint.model import known
from fastlint.model.anchor import Anchor
from fastlint.model.annotation import TypeLeaf
from fastlint.model.calls import Callee, CallSite
from fastlint.model.chain import ChainFunction, ChainParameter
from fastlint.model.dependencies import Evidence
from fastlint.model.handlers import ExceptionHandler, StarletteRoute
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
from fastlint.model.routing import AttrSet, Container, Include, Mount, Route, RouteInstance, Scoped
from fastlint.model.schemas import Model, ModelField, StringLeaf
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
    "COOKIE",
    "DEPENDENCY",
    "FILE",
    "FORM",
    "HEADER",
    "PATH",
    "QUERY",
    "SOURCES",
    "SPECIAL",
    "UNKNOWN",
    "Anchor",
    "Attachment",
    "AttrSet",
    "CallSite",
    "Callee",
    "ChainFunction",
    "ChainParameter",
    "ClassVal",
    "Condition",
    "ConstVal",
    "Container",
    "Ctx",
    "Evidence",
    "ExceptionHandler",
    "External",
    "FromEnv",
    "FunctionVal",
    "Include",
    "InstanceVal",
    "Literal",
    "LiteralValue",
    "Middleware",
    "Model",
    "ModelField",
    "ModuleVal",
    "Mount",
    "Note",
    "Parameter",
    "Possible",
    "Project",
    "Route",
    "RouteInstance",
    "Scoped",
    "SettingsField",
    "StarletteRoute",
    "StringLeaf",
    "SyntaxVal",
    "TypeLeaf",
    "Unknown",
    "Value",
    "Where",
    "known",
]
