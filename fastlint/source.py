"""Reading and parsing one file. Failures are values, never exceptions."""

from __future__ import annotations

import ast
import io
import os
import sys
import threading
import tokenize
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import TypeVar

from fastlint.cache import FactsCache
from fastlint.facts.types import ModuleFacts
from fastlint.files import MAX_FILE_BYTES, read_regular
from fastlint.results import FileError as FileError  # moved to results
from fastlint.screen import Refusal, screen
from fastlint.suppress import scan, scan_nosec

# libcst's native parser recurses on the C stack: deeply nested or very long
# expressions overflow a default 8 MiB stack and crash the process. Parsing runs
# on one worker thread with a large stack (reserved, not committed, memory).
PARSER_STACK_BYTES = 512 * 1024 * 1024
PARSER_RECURSION_LIMIT = 20_000

T = TypeVar("T")
UNREADABLE_VALID_FILE = "fastlint's parser cannot read this valid file"
_parser_thread: ThreadPoolExecutor | None = None
_parser_lock = threading.Lock()


def _forget_parser_thread() -> None:
    """In a forked worker the parent's parser thread does not exist: start afresh."""
    global _parser_thread, _parser_lock
    _parser_thread = None
    _parser_lock = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_parser_thread)


def _on_big_stack(function: Callable[[], T]) -> T:
    """Run `function` on the large-stack parser thread and return its result."""
    global _parser_thread
    with _parser_lock:
        if _parser_thread is None:
            previous = threading.stack_size(PARSER_STACK_BYTES)
            try:
                _parser_thread = ThreadPoolExecutor(1, "fastlint-parser")
                _parser_thread.submit(sys.setrecursionlimit, PARSER_RECURSION_LIMIT).result()
            finally:
                threading.stack_size(previous)
    return _parser_thread.submit(function).result()


def analyse_file(path: str, store: FactsCache | None = None) -> ModuleFacts | FileError:
    """Read, parse and extract one file; any failure comes back as a `FileError`.

    Facts are written to `store` when given (looking them up is the caller's job)."""
    try:
        data = read_regular(path, MAX_FILE_BYTES)
    except OSError as exc:
        return FileError(path, f"cannot read file: {exc.strerror or exc}")
    if len(data) > MAX_FILE_BYTES:
        limit = MAX_FILE_BYTES // 1024 // 1024
        return FileError(path, f"skipped: file is larger than {limit} MiB")
    result = analyse_source(path, data)
    if store is not None and isinstance(result, ModuleFacts):
        store.put(data, result)
    return result


def analyse_source(path: str, data: bytes) -> ModuleFacts | FileError:
    """Parse and extract already-read source (bytes; the encoding follows PEP 263)."""
    return _on_big_stack(lambda: _parse_and_extract(path, data))


def analyse_context_file(
    path: str, store: FactsCache | None = None
) -> tuple[ModuleFacts | FileError, str | None]:
    """`analyse_file` for a file read only for context (the analysed files import
    it): its facts from CPython's tree alone (`fastlint.facts.light`), the same
    facts libcst gives at a tenth of the cost; and, when it had to be parsed with
    libcst after all, why (None when not)."""
    try:
        data = read_regular(path, MAX_FILE_BYTES)
    except OSError:
        return analyse_file(path, store), None
    if len(data) > MAX_FILE_BYTES:
        return analyse_file(path, store), None
    light = _on_big_stack(lambda: _light_facts(path, data))
    if isinstance(light, ModuleFacts):
        if store is not None:
            store.put(data, light)
        return light, None
    result = analyse_source(path, data)
    if store is not None and isinstance(result, ModuleFacts):
        store.put(data, result)
    return result, light


def _light_facts(path: str, data: bytes) -> ModuleFacts | str:
    """The facts of a context file from CPython's tree, or why libcst must read it."""
    from fastlint.facts.light import NeedsFullParse, extract_light

    screened = screen(path, data)
    if not isinstance(screened, ast.Module):
        return "Python's parser refuses it"
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        if encoding not in ("utf-8", "utf-8-sig"):
            return f"it is encoded in {encoding}"
        text = data.decode("utf-8").lstrip("\ufeff")
        facts = extract_light(screened, path, text)
    except NeedsFullParse as exc:
        return str(exc)
    except (SyntaxError, UnicodeDecodeError, RecursionError) as exc:
        return type(exc).__name__
    return replace(facts, suppressions=scan(data, "utf-8"), nosec=scan_nosec(data, "utf-8"))


def _parse_and_extract(path: str, data: bytes) -> ModuleFacts | FileError:
    # Imported here: a run served from the cache never pays for loading libcst.
    import libcst as cst

    from fastlint.facts.extract import extract

    screened = screen(path, data)
    if isinstance(screened, Refusal):
        return FileError(path, screened.message, screened.line, screened.column)
    try:
        module = cst.parse_module(data)
    except cst.ParserSyntaxError as exc:
        if isinstance(screened, SyntaxError):
            return FileError(
                path, f"syntax error: {screened.msg}", screened.lineno, screened.offset
            )
        # CPython reads it: not the file's fault, and not a syntax error.
        unreadable = FileError(
            path,
            f"{UNREADABLE_VALID_FILE} (libcst: {exc.message})",
            exc.raw_line,
            exc.raw_column + 1,
        )
        return _from_python_tree(path, data, screened, exc.message, unreadable)
    except (UnicodeDecodeError, LookupError) as exc:
        return FileError(path, f"cannot decode file: {exc}")
    except RecursionError:
        return FileError(path, "skipped: code is nested too deeply to parse")
    except Exception as exc:  # libcst raises a few other types on exotic input
        if isinstance(screened, ast.Module):
            unreadable = FileError(path, f"{UNREADABLE_VALID_FILE} (libcst: {type(exc).__name__})")
            return _from_python_tree(path, data, screened, type(exc).__name__, unreadable)
        return FileError(path, f"cannot parse file: {type(exc).__name__}: {exc}")
    tree = screened if isinstance(screened, ast.Module) else None
    try:
        facts = extract(module, path, tree, data.decode(module.encoding).lstrip("\ufeff"))
        return replace(
            facts, suppressions=scan(data, module.encoding), nosec=scan_nosec(data, module.encoding)
        )
    except RecursionError:
        return FileError(path, "skipped: code is nested too deeply to analyse")
    except Exception as exc:  # a fastlint bug must not hide the other files' findings
        return FileError(path, f"internal error while analysing this file (please report): {exc!r}")


def _from_python_tree(
    path: str, data: bytes, tree: object, reason: str, unreadable: FileError
) -> ModuleFacts | FileError:
    """The facts of a valid file libcst cannot parse, from CPython's tree of it (see
    `fastlint.regenerate`); `unreadable` when even that fails."""
    import libcst as cst

    from fastlint.facts.extract import extract
    from fastlint.regenerate import NOTE, aligned_source

    if not isinstance(tree, ast.Module):
        return unreadable
    try:
        text = aligned_source(tree)
        module = cst.parse_module(text)
        facts = extract(module, path, ast.parse(text), text)
    except RecursionError:
        return FileError(path, "skipped: code is nested too deeply to analyse")
    except Exception:  # libcst refuses the regenerated code too
        return unreadable
    encoding = module.encoding
    first_line = reason.strip().splitlines()[0] if reason.strip() else "unknown reason"
    return replace(
        facts,
        suppressions=scan(data, encoding),
        nosec=scan_nosec(data, encoding),
        parser_note=NOTE.format(reason=first_line[:120]),
    )
