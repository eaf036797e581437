"""Signing keys a library reads from configuration rather than from a call argument.

fastapi-users signs its password-reset and e-mail verification tokens with class
attributes of the project's user manager (`reset_password_token_secret`,
`verification_token_secret` on a `BaseUserManager` subclass); fastapi-jwt-auth
signs every token with the `authjwt_secret_key` of the settings object a function
decorated with `@AuthJWT.load_config` returns (or given to `AuthJWT.load_config(f)`).
Each is a `KeySetting`: the expression that gives the key, where it is evaluated,
and where a finding about it points.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

from fastlint.analysis import Analysis
from fastlint.facts.expr import Attr, Expr
from fastlint.facts.types import ClassFact
from fastlint.knowledge import jwt_sessions
from fastlint.model.anchor import Anchor
from fastlint.model.calls import CallSites, external_ancestors
from fastlint.model.resolve import Resolver
from fastlint.model.values import ClassVal, Ctx, External, FunctionVal, Scoped


@dataclass(frozen=True)
class KeySetting:
    """A signing key given as configuration: `key` is the expression (evaluated in
    its context), `label` says which setting it is, `anchor` where to report it."""

    key: Scoped
    label: str
    anchor: Anchor


class KeySettings(Analysis):
    """Signing keys given to a library as configuration: fastapi-users' user manager
    secrets, fastapi-jwt-auth's `authjwt_secret_key` (FL016)."""

    @cached_property
    def all(self) -> list[KeySetting]:
        """Every signing key the project gives a library as configuration."""
        return key_settings(self.project.resolver, self.project.calls)


def key_settings(resolver: Resolver, calls: CallSites) -> list[KeySetting]:
    """Every signing key the project gives a library as configuration."""
    found = [*_user_manager_secrets(resolver), *_authjwt_keys(resolver, calls)]
    return sorted(found, key=lambda s: (s.anchor.path, s.anchor.span.line, s.anchor.subject))


# -- fastapi-users ------------------------------------------------------------------------


def _user_manager_secrets(resolver: Resolver) -> Iterator[KeySetting]:
    for ctx, fact in _classes(resolver):
        cls = ClassVal.of(fact, ctx)
        if not any(_is_user_manager(e) for e in external_ancestors(resolver, cls)):
            continue
        for attr in sorted(jwt_sessions.USER_MANAGER_SECRETS):
            label = f"`{fact.name}.{attr}`"
            if attr in fact.class_attrs:  # `reset_password_token_secret = SECRET`
                anchor = Anchor(ctx.path, fact.span, f"{fact.name}.{attr}")
                yield KeySetting(Scoped(fact.class_attrs[attr], ctx), label, anchor)
                continue
            field = next((f for f in fact.fields if f.name == attr), None)
            if field is not None and field.default is not None:  # `...: str = SECRET`
                anchor = Anchor(ctx.path, field.span, f"{fact.name}.{attr}")
                yield KeySetting(Scoped(field.default, ctx), label, anchor)


def _is_user_manager(ext: External) -> bool:
    return (
        ext.top in jwt_sessions.USER_MANAGER_LIBRARIES
        and ext.last in jwt_sessions.USER_MANAGER_BASES
    )


def _classes(resolver: Resolver) -> Iterator[tuple[Ctx, ClassFact]]:
    for ctx, scope in resolver.all_scopes():
        for fact in scope.classes.values():
            yield ctx, fact


# -- fastapi-jwt-auth ---------------------------------------------------------------------


def _authjwt_keys(resolver: Resolver, calls: CallSites) -> Iterator[KeySetting]:
    for function in _config_loaders(resolver, calls):
        for returned in function.returned:
            for field in sorted(jwt_sessions.AUTHJWT_KEY_FIELDS):
                key = Scoped(Attr(returned, field), function.body_ctx)
                subject = f"{function.name} AuthJWT.load_config {field}"
                anchor = Anchor(function.path, function.fact.span, subject)
                label = f"`AuthJWT` setting `{field}` (from `{function.name}`)"
                yield KeySetting(key, label, anchor)


def _config_loaders(resolver: Resolver, calls: CallSites) -> list[FunctionVal]:
    """Functions decorated with `@AuthJWT.load_config`, or passed to it."""
    loaders: list[FunctionVal] = []
    for ctx, scope in resolver.all_scopes():
        for fact in scope.functions.values():
            if any(_is_load_config(resolver, d.expr, ctx) for d in fact.decorators):
                loaders.append(FunctionVal.of(fact, ctx))
    for target in jwt_sessions.AUTHJWT_LOAD_CONFIG:
        for site in calls.of(target):
            given = site.arg(0, "settings")
            if given is None:
                continue
            for value in resolver.evaluate(given, site.ctx):
                if isinstance(value, FunctionVal) and value not in loaders:
                    loaders.append(value)
    return loaders


def _is_load_config(resolver: Resolver, expr: Expr, ctx: Ctx) -> bool:
    if not isinstance(expr, Attr) or expr.attr != "load_config":
        return False
    return any(
        isinstance(v, External) and v.qualname in jwt_sessions.AUTHJWT_LOAD_CONFIG
        for v in resolver.evaluate(expr, ctx)
    )


__all__ = [
    "KeySetting",
    "KeySettings",
]
