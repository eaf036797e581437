"""What fastlint's own code is: a digest of the installed package's source files.

Caches key their entries on it, so a changed rule, a patched checkout or an
upgrade within a version never replays results the old code produced. It is
computed once per process (about a hundred small files, read in milliseconds).
"""

from __future__ import annotations

import hashlib
import importlib.util
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

# The packages whose code decides what fastlint reports. `fastlint.rules` is
# listed on its own: in an editable install it lives outside `fastlint/`.
PACKAGES = ("fastlint", "fastlint.rules")


def package_folders(names: Iterable[str] = PACKAGES) -> list[Path]:
    """The folders the packages are imported from (found without importing them)."""
    folders: list[Path] = []
    for name in names:
        spec = importlib.util.find_spec(name)
        for location in (spec.submodule_search_locations or []) if spec else []:
            folder = Path(location).resolve()
            if folder not in folders:
                folders.append(folder)
    return folders


def digest_of(folders: Iterable[Path]) -> str:
    """A digest of every Python file under `folders`: relative names and contents."""
    digest = hashlib.sha256()
    files = sorted(
        (f"{index}/{file.relative_to(folder).as_posix()}", file)
        for index, folder in enumerate(folders)
        for file in folder.rglob("*.py")
    )
    for name, file in files:
        try:
            content = file.read_bytes()
        except OSError:
            content = b"\0unreadable"
        digest.update(f"{name}\0{len(content)}\0".encode())
        digest.update(content)
    return digest.hexdigest()


@lru_cache(maxsize=1)
def code_digest() -> str:
    """The digest of the fastlint code running in this process."""
    return digest_of(package_folders())
