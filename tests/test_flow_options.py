"""A team teaches the data-flow rules its own sources, sinks and sanitisers, by
qualified name (`[tool.fastlint.rules.FL020]`), and the flow is followed into them."""

from __future__ import annotations

from fastlint.registry import ALL_RULES
from fastlint.rule import Rule
from fastlint.rule_options import read
from fastlint.testing import project_of

APP = """\
from fastapi import FastAPI, Request
from app.net import fetch, normalise_url, read_header

app = FastAPI()


@app.get("/a")
def a(url: str):
    return fetch(url)


@app.get("/b")
def b(url: str):
    return fetch(normalise_url(url))


@app.get("/c")
def c(request: Request):
    return fetch(read_header(request))
"""
NET = """\
def fetch(url):
    return url


def normalise_url(url):
    return url


def read_header(request):
    return "x"
"""


def rule(code: str, **table: object) -> Rule:
    cls = next(r for r in ALL_RULES if r.code == code)
    return cls(cls.Options(**read(cls.Options, table, code, "")))


def lines(code: str, **table: object) -> list[int]:
    project = project_of({"app/main.py": APP, "app/net.py": NET})
    return sorted(f.span.line for f in rule(code, **table).check(project))


def test_without_options_a_wrapper_is_not_a_sink() -> None:
    assert lines("FL020") == []


def test_a_sink_by_qualified_name_is_reported_where_it_is_called() -> None:
    assert lines("FL020", sinks=["app.net.fetch"]) == [9, 14]


def test_a_sanitiser_and_a_source_by_qualified_name() -> None:
    found = lines(
        "FL020",
        sinks=["app.net.fetch"],
        sanitisers=["app.net.normalise_url"],
        sources=["app.net.read_header"],
    )
    assert found == [9, 19]


def test_options_of_one_rule_do_not_leak_into_another() -> None:
    assert lines("FL022", sinks=["app.net.fetch"]) == [9, 14]
    assert lines("FL020") == []
