"""Every output format, by name: one reporter each (see `fastlint.report.options`)."""

from __future__ import annotations

from fastlint.report import concise, github, gitlab, json_format, junit, sarif, text
from fastlint.report.options import Reporter

REPORTERS: dict[str, Reporter] = {
    "text": text.render,
    "concise": concise.render,
    "json": json_format.render,
    "sarif": sarif.render,
    "github": github.render,
    "gitlab": gitlab.render,
    "junit": junit.render,
}
