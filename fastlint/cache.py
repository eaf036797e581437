"""A cache of per-file facts, so unchanged files are never parsed twice.

Entries live in `.fastlint_cache/` at the project root, keyed by the file's
content, fastlint's version and own code (`code_identity`), and Python's. Every
entry is signed with a key kept in the user's own cache folder, outside any
repository: an entry that was not written by this user's fastlint (a committed
or planted cache, a corrupt file) fails the check and is ignored and rebuilt,
never unpickled.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import pickle
import shutil
import sys
from dataclasses import replace
from pathlib import Path

from fastlint import __version__
from fastlint.code_identity import code_digest
from fastlint.facts.types import ModuleFacts

CACHE_DIR_NAME = ".fastlint_cache"
FORMAT = 7  # bump whenever what is stored changes shape or meaning
# Entries of other code (an edited rule, an upgrade) are never read back.
SALT = (
    f"fastlint {__version__} code {code_digest()} format {FORMAT} python {sys.version_info[:2]}"
).encode()
DIGEST_SIZE = 32


def user_cache_home() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "fastlint"


def signing_key() -> bytes | None:
    """This user's secret key, created on first use; None if it cannot be."""
    path = user_cache_home() / "cache-key"
    try:
        key = path.read_bytes()
        if len(key) == DIGEST_SIZE:
            return key
    except OSError:
        pass
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        key = os.urandom(DIGEST_SIZE)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(key)
        return key
    except OSError:
        return None


class FactsCache:
    """Signed, content-addressed storage of `ModuleFacts`."""

    def __init__(self, directory: Path, key: bytes) -> None:
        self.directory = directory
        self.key = key

    @staticmethod
    def open(project_root: Path) -> FactsCache | None:
        """The cache of a project, set up on first use; None where it cannot be."""
        key = signing_key()
        if key is None:
            return None
        directory = project_root / CACHE_DIR_NAME
        try:
            directory.mkdir(exist_ok=True)
            ignore = directory / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# Created by fastlint automatically.\n*\n")
                (directory / "CACHEDIR.TAG").write_text(
                    "Signature: 8a477f597d28d172789f06886806bc55\n"
                    "# This is a cache directory created by fastlint.\n"
                )
        except OSError:
            return None
        return FactsCache(directory, key)

    def _entry(self, data: bytes) -> Path:
        digest = hashlib.sha256(SALT + data).hexdigest()
        return self.directory / f"v{FORMAT}" / digest[:2] / f"{digest}.pickle"

    def get(self, path: str, data: bytes) -> ModuleFacts | None:
        """The facts of `data`, if cached and authentic."""
        facts = self._load(self._entry(data))
        return replace(facts, path=path) if isinstance(facts, ModuleFacts) else None

    def _load(self, entry: Path) -> object | None:
        try:
            blob = entry.read_bytes()
        except OSError:
            return None
        signature, payload = blob[:DIGEST_SIZE], blob[DIGEST_SIZE:]
        expected = hmac.new(self.key, payload, hashlib.sha256).digest()
        if not hmac.compare_digest(signature, expected):
            return None  # foreign or corrupt: rebuilt by the caller
        try:
            value: object = pickle.loads(payload)
            return value
        except Exception:
            return None

    def _store(self, entry: Path, value: object) -> None:
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        signature = hmac.new(self.key, payload, hashlib.sha256).digest()
        try:
            entry.parent.mkdir(parents=True, exist_ok=True)
            temporary = entry.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_bytes(signature + payload)
            temporary.replace(entry)  # atomic: parallel workers never see half an entry
        except OSError:
            pass  # a read-only tree still gets its analysis, just not cached

    def _run_entry(self, key: str) -> Path:
        return self.directory / f"v{FORMAT}" / "runs" / f"{key}.pickle"

    def get_run(self, key: str) -> object | None:
        """A whole run's results, stored under a key of everything it depended on."""
        return self._load(self._run_entry(key))

    def put_run(self, key: str, results: object) -> None:
        runs = self._run_entry(key).parent
        if runs.is_dir():  # keep only the latest few runs
            for old in sorted(runs.glob("*.pickle"), key=lambda p: p.stat().st_mtime)[:-8]:
                old.unlink(missing_ok=True)
        self._store(self._run_entry(key), results)

    def get_graph(self) -> object | None:
        """The project's import graph as the last run left it (see `fastlint.graph`)."""
        return self._load(self.directory / f"v{FORMAT}" / "graph.pickle")

    def put_graph(self, graph: object) -> None:
        self._store(self.directory / f"v{FORMAT}" / "graph.pickle", graph)

    def lookup(self, path: str) -> ModuleFacts | None:
        """The cached facts of the file at `path` as it is now, if any."""
        try:
            data = Path(path).read_bytes()
        except OSError:
            return None
        return self.get(path, data)

    def put(self, data: bytes, facts: ModuleFacts) -> None:
        self._store(self._entry(data), facts)


def run_key(parts: object, files: list[Path]) -> str:
    """A key for a whole run: settings and inputs, and every file's size and mtime."""
    digest = hashlib.sha256(SALT + repr(parts).encode())
    for file in files:
        try:
            stat = file.stat()
        except OSError:
            return "uncacheable"
        digest.update(f"{file}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def clean(project_root: Path) -> bool:
    """Delete a project's cache; whether there was one."""
    directory = project_root / CACHE_DIR_NAME
    if not directory.is_dir():
        return False
    shutil.rmtree(directory, ignore_errors=True)
    return True
