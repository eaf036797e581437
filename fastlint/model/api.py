"""The project model as rules see it: the one module a rule imports (with
`fastlint.findings` and `fastlint.rule`).

A rule asks `Project` questions (which apps and routes exist, who serves a
route, what authenticates it, which models a route returns or accepts, what an
expression stands for) and reports on the objects it gets back, which know their
file, span and subject (`.anchor`). It never reads syntax, the per-file facts or
the resolver; a test keeps it that way (tests/test_rule_imports.py).
"""

from __future__ import annotations

from fastlint.facts.expr import (
    Attr,
    Call,
    Const,
    DictExpr,
    Expr,
    FString,
    IfExp,
    Name,
    Seq,
    Subscript,
    dotted,
    last_name,
)
from fastlint.model import known
from fastlint.model.anchor import Anchor
from fastlint.model.annotation import TypeLeaf
from fastlint.model.dependencies import Evidence
from fastlint.model.project import Note, Project
from fastlint.model.routing import Container, Include, Mount, Route, RouteInstance, Scoped
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
    "Anchor",
    "Attr",
    "Call",
    "ClassVal",
    "Const",
    "ConstVal",
    "Container",
    "Ctx",
    "DictExpr",
    "Evidence",
    "Expr",
    "External",
    "FString",
    "FunctionVal",
    "IfExp",
    "Include",
    "InstanceVal",
    "Model",
    "ModelField",
    "ModuleVal",
    "Mount",
    "Name",
    "Note",
    "Project",
    "Route",
    "RouteInstance",
    "Scoped",
    "Seq",
    "Subscript",
    "SyntaxVal",
    "TypeLeaf",
    "Unknown",
    "Value",
    "dotted",
    "known",
    "last_name",
]
