"""Hostile and unusual source: refused quickly with a clear message, never a hang.

Every file here must be answered within seconds on every supported Python (3.10's
parser accepts what 3.11 refuses as too deep), and a file CPython reads but
fastlint's parser (libcst) cannot is reported as such, never as a syntax error.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from fastlint.engine import lint
from fastlint.facts.types import ModuleFacts
from fastlint.screen import MAX_DEPTH
from fastlint.source import UNREADABLE_VALID_FILE, FileError, analyse_source

# Before the budget these took minutes (libcst's time grows faster than the input).
# Budgets are in CPU seconds of this process: a loaded machine slows the wall clock,
# not the work, and a hang still blows the budget.
QUICK = 15.0


def analysed(source: str | bytes, name: str = "x.py") -> tuple[ModuleFacts | FileError, float]:
    data = source.encode() if isinstance(source, str) else source
    started = time.process_time()
    result = analyse_source(name, data)
    return result, time.process_time() - started


@pytest.mark.parametrize(
    ("shape", "source"),
    [
        ("operator chain, 100,000 terms", "x = " + "+".join(["a"] * 100_000) + "\n"),
        ("chained subscripts, 5,000", "x = a" + "[0]" * 5_000 + "\n"),
        ("chained calls, 5,000", "x = f" + "()" * 5_000 + "\n"),
        ("chained attributes, 20,000", "x = a" + ".b" * 20_000 + "\n"),
        ("unary operators, 20,000", "x = " + "-" * 20_000 + "a\n"),
        ("nested lambdas, 5,000", "x = " + "lambda: " * 5_000 + "a\n"),
        ("conditional chain, 5,000", "x = " + "a if b else " * 5_000 + "c\n"),
    ],
)
def test_deep_code_is_skipped_quickly_with_a_clear_message(shape: str, source: str) -> None:
    result, seconds = analysed(source)
    assert isinstance(result, FileError), shape
    assert result.message.startswith("skipped:") and "nested too deeply" in result.message
    assert seconds < QUICK, f"{shape}: {seconds:.1f} s"


@pytest.mark.slow
def test_a_two_megabyte_line_is_skipped_quickly() -> None:
    source = "DATA = [" + ",".join(str(100_000 + i) for i in range(300_000)) + "]\n"
    assert len(source) > 2_000_000 and source.count("\n") == 1
    result, seconds = analysed(source)
    assert isinstance(result, FileError)
    assert result.message.startswith("skipped: file is too large to analyse")
    assert seconds < QUICK * 2  # CPython's own parser reads it first (libcst: minutes)


def test_code_within_the_budget_is_analysed() -> None:
    depth = MAX_DEPTH // 3
    source = (
        "from fastapi import FastAPI\n"
        "app = FastAPI()\n"
        f"x = a{'[0]' * depth}\n"
        f"y = {' + '.join(['a'] * depth)}\n"
        "DATA = [" + ",".join(str(i) for i in range(5_000)) + "]\n"
    )
    result, _ = analysed(source)
    assert isinstance(result, ModuleFacts), result
    assert {"app", "x", "y", "DATA"} <= set(result.scope.assignments)


def test_many_adjacent_string_literals_are_read_with_pythons_parser() -> None:
    source = "x = (" + " ".join(['"a"'] * 5_000) + ")\n"
    compile(source, "x.py", "exec")  # valid Python, beyond libcst's parser
    result, seconds = analysed(source)
    assert isinstance(result, ModuleFacts), result  # issue 23 #10: analysed all the same
    assert "x" in result.scope.assignments and result.parser_note
    assert seconds < QUICK


def test_backslash_continuation_and_crlf_at_end_of_file_is_not_a_syntax_error() -> None:
    source = b"from fastapi import FastAPI\r\napp = FastAPI()\r\nx = 1 \\\r\n"
    try:
        compile(source, "x.py", "exec")  # CPython up to 3.12 accepts it
    except SyntaxError:
        accepted = False  # 3.13 does not: then it is a syntax error
    else:
        accepted = True
    result, _ = analysed(source)
    if isinstance(result, FileError) and accepted:  # libcst refuses it today
        assert result.message.startswith(UNREADABLE_VALID_FILE)
        assert "syntax error" not in result.message
    elif isinstance(result, FileError):
        assert result.message.startswith("syntax error")


def test_a_real_syntax_error_is_still_called_one() -> None:
    result, _ = analysed("def broken(:\n    pass\n")
    assert isinstance(result, FileError)
    assert result.message.startswith("syntax error")
    assert result.line == 1


def test_a_refused_file_does_not_hide_the_other_files_findings(tmp_path: Path) -> None:
    (tmp_path / "main.py").write_text(
        "from fastapi import FastAPI\napp = FastAPI()\n\n@app.delete('/items')\n"
        "def remove() -> None:\n    pass\n"
    )
    header = "from fastapi import APIRouter\n"  # files the prefilter keeps
    (tmp_path / "deep.py").write_text(header + "x = a" + "[0]" * 5_000 + "\n")
    (tmp_path / "strings.py").write_text(header + "x = (" + " ".join(['"a"'] * 5_000) + ")\n")
    started = time.process_time()
    report = lint([tmp_path], jobs=1, root=tmp_path)
    assert time.process_time() - started < QUICK * 2
    assert any(f.rule == "FL001" for f in report.findings)
    messages = {Path(e.path).name: e.message for e in report.errors}
    assert messages["deep.py"].startswith("skipped:")
    assert "strings.py" not in messages  # read with Python's parser (issue 23 #10)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("empty", b""),
        ("only a BOM", b"\xef\xbb\xbf"),
        ("BOM and code", b"\xef\xbb\xbfapp = 1\n"),
        ("BOM and another coding", b"\xef\xbb\xbf# coding: latin-1\nx = 1\n"),
        ("unknown coding", b"# coding: klingon\nx = 1\n"),
        ("utf-16", "x = 1\n".encode("utf-16")),
        ("latin-1 undeclared", b"x = '\xe9'\n"),
        ("NUL byte", b"x = 1\x00\n"),
        ("lone CR line endings", b"x = 1\ry = 2\r"),
        ("mixed line endings", b"x = 1\r\ny = 2\nz = 3\r"),
        ("form feeds", b"\x0cx = 1\n\x0c\ndef f():\n\x0c    return 1\n"),
        ("no final newline", b"x = 1"),
        ("trailing backslash", b"x = 1\\"),
        ("lone surrogate escape", b"x = '\\ud800'\n"),
        ("a 100 KB identifier", b"a" * 100_000 + b" = 1\n"),
        ("a 1 MB string", b"x = '" + b"a" * 1_000_000 + b"'\n"),
        pytest.param("100,000 short lines", b"x = 1\n" * 100_000, marks=pytest.mark.slow),
        ("200 levels of brackets", b"x = " + b"[" * 200 + b"]" * 200 + b"\n"),
        (
            "deep indentation",
            b"".join(b" " * i + b"if a:\n" for i in range(99)) + b" " * 99 + b"pass\n",
        ),
    ],
)
def test_odd_bytes_are_analysed_or_reported_never_a_crash(name: str, data: bytes) -> None:
    result, seconds = analysed(data)
    if isinstance(result, FileError):
        assert result.message and "internal error" not in result.message, name
    assert seconds < QUICK, f"{name}: {seconds:.1f} s"
