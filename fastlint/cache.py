"""A cache of per-file facts, so unchanged files are never parsed twice.

Entries live in `.fastlint_cache/` at the project root, keyed by the file's
content, fastlint's version and own code (`code_identity`), and Python's. Every
entry is signed with a key kept in the user's own cache folder, outside any
repository: an entry that was not written by this user's fastlint (a committed
or planted cache, a corrupt file) fails the check and is ignored and rebuilt,
never unpickled.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import pickle
import shutil
import stat as stat_module
import sys
import time
from dataclasses import replace
from pathlib import Path

from fastlint import __version__
from fastlint.code_identity import code_digest
from fastlint.facts.types import ModuleFacts
from fastlint.files import MAX_FILE_BYTES, read_regular

CACHE_DIR_NAME = ".fastlint_cache"
FORMAT = 7  # bump whenever what is stored changes shape or meaning
# Entries of other code (an edited rule, an upgrade) are never read back.
SALT = (
    f"fastlint {__version__} code {code_digest()} format {FORMAT} python {sys.version_info[:2]}"
).encode()
DIGEST_SIZE = 32
# What a cache entry may be: planted entries larger than this are never read whole.
MAX_ENTRY_BYTES = 512 * 1024 * 1024


def user_cache_home() -> Path | None:
    """fastlint's folder in the user's cache; None where the user has no home (a
    container run as `--user N` with no passwd entry and no HOME)."""
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        try:
            base = str(Path.home() / ".cache")
        except (RuntimeError, KeyError, OSError):
            return None
    return Path(base) / "fastlint"


def signing_key() -> bytes | None:
    """This user's secret key, created on first use; None if it cannot be."""
    home = user_cache_home()
    if home is None:
        sys.stderr.write(
            "fastlint: running without the cache: no home folder to keep its key in "
            "(set HOME or XDG_CACHE_HOME)\n"
        )
        return None
    path = home / "cache-key"
    try:
        key = read_regular(path, DIGEST_SIZE)
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
    def open(project_root: Path, directory: Path | None = None) -> FactsCache | None:
        """The cache of a project (in `directory` when given), set up on first use;
        None where it cannot be."""
        key = signing_key()
        if key is None:
            return None
        if directory is not None:
            try:
                directory.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                sys.stderr.write(
                    f"fastlint: running without the cache: cannot create {directory}: "
                    f"{exc.strerror or exc}\n"
                )
                return None
        directory = directory if directory is not None else project_root / CACHE_DIR_NAME
        if not _real_folder(directory):
            sys.stderr.write(
                f"fastlint: running without the cache: {directory} is not a folder "
                "(a symbolic link or a file is never followed)\n"
            )
            return None
        store = FactsCache(directory, key)
        if not os.path.lexists(directory / ".gitignore"):
            store._write(directory / ".gitignore", b"# Created by fastlint automatically.\n*\n")
            store._write(
                directory / "CACHEDIR.TAG",
                b"Signature: 8a477f597d28d172789f06886806bc55\n"
                b"# This is a cache directory created by fastlint.\n",
            )
        return store

    def _entry(self, data: bytes) -> Path:
        digest = hashlib.sha256(SALT + data).hexdigest()
        return self.directory / f"v{FORMAT}" / digest[:2] / f"{digest}.pickle"

    def get(self, path: str, data: bytes) -> ModuleFacts | None:
        """The facts of `data`, if cached and authentic."""
        facts = self._load(self._entry(data))
        return replace(facts, path=path) if isinstance(facts, ModuleFacts) else None

    def _load(self, entry: Path) -> object | None:
        try:  # a planted symlink, FIFO, folder or /dev/zero is refused, not read
            blob = read_regular(entry, MAX_ENTRY_BYTES, follow_symlinks=False)
        except OSError:
            return None
        if len(blob) > MAX_ENTRY_BYTES:
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
        self._write(entry, signature + payload)

    def _write(self, entry: Path, data: bytes) -> None:
        """Write `entry` atomically, inside the cache folder only: every folder on the
        way is created or must be a real folder (a planted symlink is never followed),
        and the temporary file is new (O_EXCL | O_NOFOLLOW)."""
        if not _real_folders(self.directory, entry.parent):
            return
        temporary = entry.with_name(f"{entry.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        try:
            descriptor = os.open(temporary, flags, 0o600)
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(data)
            os.replace(temporary, entry)  # atomic: parallel runs never see half an entry
        except OSError:  # a read-only tree still gets its analysis, just not cached
            with contextlib.suppress(OSError):
                os.unlink(temporary)

    def _run_entry(self, key: str) -> Path:
        return self.directory / f"v{FORMAT}" / "runs" / f"{key}.pickle"

    def get_run(self, key: str) -> object | None:
        """A whole run's results, stored under a key of everything it depended on."""
        return self._load(self._run_entry(key))

    def put_run(self, key: str, results: object) -> None:
        runs = self._run_entry(key).parent
        if _real_folders(self.directory, runs):  # keep only the latest few runs
            for old in _oldest(runs, keep=8):
                with contextlib.suppress(OSError):
                    old.unlink()  # a folder of that name stays: unlink never removes one
        self._store(self._run_entry(key), results)

    def get_graph(self) -> object | None:
        """The project's import graph as the last run left it (see `fastlint.graph`)."""
        return self._load(self.directory / f"v{FORMAT}" / "graph.pickle")

    def put_graph(self, graph: object) -> None:
        self._store(self.directory / f"v{FORMAT}" / "graph.pickle", graph)

    def lookup(self, path: str) -> ModuleFacts | None:
        """The cached facts of the file at `path` as it is now, if any."""
        try:
            data = read_regular(path, MAX_FILE_BYTES)
        except OSError:
            return None
        return self.get(path, data) if len(data) <= MAX_FILE_BYTES else None

    def put(self, data: bytes, facts: ModuleFacts) -> None:
        self._store(self._entry(data), facts)


def run_key(parts: object, files: list[Path]) -> str:
    """A key for a whole run: settings and inputs, and every file's signature."""
    digest = hashlib.sha256(SALT + repr(parts).encode())
    for file in files:
        signature = file_signature(file)
        if signature is None:
            return "uncacheable"
        digest.update(os.fsencode(file) + repr(signature).encode() + b"\n")
    return digest.hexdigest()


# Timestamps are coarse (a kernel tick; seconds on some file systems): a file
# changed this recently may change again with the same size and times.
RACY_NANOSECONDS = 2_000_000_000
Signature = tuple[int, int, int, int, str]


def file_signature(path: str | os.PathLike[str]) -> Signature | None:
    """What says a file is unchanged: size, modification and change times, inode,
    and, for a file changed within the timestamps' resolution of now, a digest of
    its content. An edit that restores the size and mtime still moves the change
    time (which no user can set); None when the file cannot be examined."""
    try:
        stat = os.stat(path)
    except (OSError, ValueError):
        return None
    digest = ""
    if time.time_ns() - max(stat.st_mtime_ns, stat.st_ctime_ns) < RACY_NANOSECONDS:
        try:
            digest = hashlib.sha256(read_regular(path, MAX_FILE_BYTES)).hexdigest()
        except OSError:
            return None
    return (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino, digest)


def _real_folder(path: Path) -> bool:
    """`path` is a folder (created if missing), not a symbolic link to one."""
    try:
        os.mkdir(path)
        return True
    except FileExistsError:
        pass
    except OSError:
        return False
    try:
        return stat_module.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def _real_folders(top: Path, folder: Path) -> bool:
    """Every folder from `top` down to `folder` is a real folder (created if missing)."""
    if not _real_folder(top):
        return False
    current = top
    for part in folder.relative_to(top).parts:
        current = current / part
        if not _real_folder(current):
            return False
    return True


def _oldest(folder: Path, keep: int) -> list[Path]:
    """The entries of `folder` but the newest `keep`, by their own times (never
    through a symbolic link, which may point nowhere)."""
    dated = []
    try:
        with os.scandir(folder) as listing:
            for entry in listing:
                if entry.name.endswith(".pickle"):
                    with contextlib.suppress(OSError):
                        dated.append((entry.stat(follow_symlinks=False).st_mtime_ns, entry.name))
    except OSError:
        return []
    return [folder / name for _, name in sorted(dated)[:-keep]]


def clean(project_root: Path) -> bool:
    """Delete a project's cache; whether there was one. A symbolic link of that name
    is removed itself, never what it points to."""
    directory = project_root / CACHE_DIR_NAME
    if directory.is_symlink():
        directory.unlink()
        return True
    if not directory.is_dir():
        return False
    shutil.rmtree(directory, ignore_errors=True)
    return True
