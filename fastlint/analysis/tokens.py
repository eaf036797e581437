"""How a function handles a JWT it was sent: where the algorithm and claims come from.

Two questions a decoding call raises that its arguments alone do not answer:
whether the `algorithms` it accepts were read from the token's own header
(`jwt.get_unverified_header(token)["alg"]`), and whether an expression is the
token's payload segment (`token.split(".")[1]`) decoded by hand. Local names are
followed to what the function assigned them.
"""

from __future__ import annotations

from collections.abc import Iterator

from fastlint.analysis import Analysis
from fastlint.analysis.request_credentials import RequestCredentials
from fastlint.facts.expr import (
    Attr,
    BinOp,
    Call,
    Const,
    Expr,
    Name,
    Seq,
    Subscript,
    dotted,
    last_name,
)
from fastlint.knowledge import jwt_sessions
from fastlint.model.bodies import Body, origins
from fastlint.model.values import FunctionVal

MAX_DEPTH = 6
UNVERIFIED_HEADER_NAMES = frozenset(
    n.rsplit(".", 1)[-1] for n in jwt_sessions.JWT_UNVERIFIED_HEADERS
)


def algorithm_from_token(expr: Expr, function: FunctionVal | None) -> bool:
    """Whether `expr` (an `algorithms` argument) holds the `alg` of the token's own,
    unverified header."""
    return any(_alg_of_header(e, function) for e in _parts(expr, function))


def payload_segment(expr: Expr, function: FunctionVal | None) -> bool:
    """Whether `expr` (what a base64 decoder is given) is a JWT's payload segment:
    `token.split(".")[1]`, padded or not, directly or through local names."""
    return any(_is_payload(e) for e in _parts(expr, function))


def from_parameter(expr: Expr, function: FunctionVal) -> bool:
    """Whether `expr` is made from a parameter of `function` (`token`, `payload + "=="`
    with `payload = token.split(".")[1]`), following local names."""
    params = {p.name for p in function.fact.params}
    return any(_root(part) in params for part in _parts(expr, function))


def _root(expr: Expr) -> str | None:
    """The name a value is read from: `token` in `token.split(".")[1]`, `auth.credentials`."""
    for _ in range(MAX_DEPTH * 4):
        if isinstance(expr, Name):
            return expr.id
        if isinstance(expr, (Attr, Subscript)):
            expr = expr.value
        elif isinstance(expr, Call) and isinstance(expr.func, Attr):
            expr = expr.func.value
        else:
            return None
    return None


def _parts(expr: Expr, function: FunctionVal | None, depth: int = 0) -> Iterator[Expr]:
    """`expr`, what its local names were assigned, and the operands of `+`, of list
    displays and of `.encode()`/padding calls (followed a few levels)."""
    if depth > MAX_DEPTH:
        return
    for origin in origins(expr, function):
        yield origin
        if isinstance(origin, BinOp):
            yield from _parts(origin.left, function, depth + 1)
            yield from _parts(origin.right, function, depth + 1)
        elif isinstance(origin, Seq):
            for item in origin.items:
                yield from _parts(item, function, depth + 1)
        elif isinstance(origin, Call) and isinstance(origin.func, Attr):
            yield from _parts(origin.func.value, function, depth + 1)


def _alg_of_header(expr: Expr, function: FunctionVal | None) -> bool:
    """`header["alg"]` or `header.get("alg")` where header is an unverified header."""
    if isinstance(expr, Subscript) and expr.items and _is_alg(expr.items[0]):
        head = expr.value
    elif (
        isinstance(expr, Call)
        and isinstance(expr.func, Attr)
        and expr.func.attr == "get"
        and expr.args
        and _is_alg(expr.args[0])
    ):
        head = expr.func.value
    else:
        return False
    return any(
        isinstance(o, Call) and last_name(o.func) in UNVERIFIED_HEADER_NAMES
        for o in origins(head, function)
    )


def _is_alg(expr: Expr) -> bool:
    return isinstance(expr, Const) and expr.value == "alg"


def _is_payload(expr: Expr) -> bool:
    """`x.split(".")[1]` (also `x.split(".", 2)[1]`)."""
    if not (isinstance(expr, Subscript) and len(expr.items) == 1):
        return False
    index, head = expr.items[0], expr.value
    return (
        isinstance(index, Const)
        and index.value == 1
        and isinstance(head, Call)
        and isinstance(head.func, Attr)
        and head.func.attr == "split"
        and bool(head.args)
        and head.args[0] == Const(".")
    )


def compares_claim(body: Body | None, claim: str) -> bool:
    """Whether a body handles a claim by hand: compares it (`now < claims.exp`,
    `payload["aud"] != AUDIENCE`), or reads it into a name or its result
    (`expires_at = payload.get("exp")`): the check a decode skipped is made after it.
    Local names are followed to what was assigned them."""
    if body is None:
        return False
    operands = [e for c in body.comparisons for e in (c.left, c.right)]
    if body.function is not None:  # `expires_at = payload.get("exp")`, `return claims["exp"]`
        operands += body.function.fact.return_values
        operands += [
            a.value for group in body.function.fact.scope.assignments.values() for a in group
        ]
    return any(_reads_claim(o, claim) for e in operands for o in origins(e, body.function))


def _reads_claim(expr: Expr, claim: str) -> bool:
    if isinstance(expr, Attr):
        return expr.attr == claim
    if isinstance(expr, Subscript):
        return bool(expr.items) and expr.items[0] == Const(claim)
    if isinstance(expr, Call) and isinstance(expr.func, Attr) and expr.func.attr == "get":
        return bool(expr.args) and expr.args[0] == Const(claim)
    return False


def is_base64_decoder(name: str | None) -> bool:
    return name is not None and name in jwt_sessions.BASE64_DECODERS


class Tokens(Analysis):
    """How the project's functions handle the JWTs they decode (FL014)."""

    def algorithm_from_token(self, expr: Expr, function: FunctionVal | None) -> bool:
        """Whether an `algorithms` argument holds the `alg` of the token's own,
        unverified header (`jwt.get_unverified_header(token)["alg"]`)."""
        return algorithm_from_token(expr, function)

    def compares_claim(self, function: FunctionVal | None, claim: str) -> bool:
        """Whether the claim `claim` is compared by hand (`now < claims.exp`) in
        `function`, in a project function it calls, or in a function that calls it
        (and the functions that one calls, a few levels): a check its decode turned
        off (`verify_exp: False`) is made after it."""
        return function is not None and any(
            compares_claim(self.project.calls.body_of(f), claim) for f in self.nearby(function)
        )

    def nearby(self, function: FunctionVal) -> list[FunctionVal]:
        """`function`, the project functions that call it, and the project functions
        either calls (a few levels): where work it leaves undone may be done."""
        project = self.project
        near = [function]
        for site in project.calls.named(function.fact.name):
            if site.function is not None and function in site.callees:
                near.append(site.function)
        return list(dict.fromkeys(h for f in near for h in project.helpers(f)))

    def from_parameter(self, expr: Expr, function: FunctionVal) -> bool:
        """Whether `expr` is made from a parameter of `function` (following its local
        names): whoever calls the function chooses it."""
        return from_parameter(expr, function)

    def payload_segment(self, expr: Expr, function: FunctionVal | None) -> bool:
        """Whether `expr` is a JWT's payload segment (`token.split(".")[1]`)."""
        return payload_segment(expr, function)

    def written_names(self, expr: Expr, function: FunctionVal) -> list[str]:
        """The dotted names `expr` and what its local names were assigned are written
        as, lower-cased (`"" ` for what is not a name): `tokens["id_token"]` is not a
        name, `id_token` and `response.id_token` are."""
        return [(dotted(e) or "").lower() for e in origins(expr, function)]

    def from_request(self, expr: Expr, function: FunctionVal) -> bool:
        """Whether `expr`, or what its local names were assigned, is a credential the
        caller sent (a scheme's token, a credential header, cookie or query value)."""
        credentials = self.project.get(RequestCredentials)
        return any(credentials.credential(e, function) for e in origins(expr, function))


__all__ = [
    "Tokens",
    "algorithm_from_token",
    "compares_claim",
    "from_parameter",
    "is_base64_decoder",
    "payload_segment",
]
