"""The formats of `fastlint routes` (apart, so the command line names them without
loading the model)."""

from __future__ import annotations

from enum import Enum


class RoutesFormat(str, Enum):
    text = "text"
    json = "json"
    csv = "csv"
    markdown = "markdown"
