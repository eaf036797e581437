"""Reading files fastlint did not write: regular files only, and never more than asked.

A repository can name anything `*.py`, `.gitignore` or `pyproject.toml`: a FIFO
(reading it waits forever), a device (`/dev/zero` never ends), a folder, a
symbolic link to any of these. Every file fastlint reads from a scanned tree or
a cache goes through `read_regular`, which opens without blocking, checks the
file's type on the open descriptor (no window for a swap), and reads at most
`limit` bytes.
"""

from __future__ import annotations

import errno
import os
import stat

# Generated or vendored blobs this large are not application code.
MAX_FILE_BYTES = 5 * 1024 * 1024
_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


class NotRegularFile(OSError):
    """The path is a FIFO, device, socket or folder, not a file to read."""


def read_regular(
    path: str | os.PathLike[str], limit: int, *, follow_symlinks: bool = True
) -> bytes:
    """At most `limit` + 1 bytes of the regular file at `path` (one more than `limit`
    tells the caller the file is larger). Raises `OSError` (`NotRegularFile` for
    anything but a regular file); with `follow_symlinks=False` a symbolic link is
    refused too, where the platform allows it."""
    flags = _FLAGS | (0 if follow_symlinks else _NOFOLLOW)
    try:
        descriptor = os.open(path, flags)
    except OSError as exc:
        if not follow_symlinks and exc.errno == errno.ELOOP:
            raise NotRegularFile(errno.ELOOP, "a symbolic link, not followed", str(path)) from exc
        raise
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise NotRegularFile(errno.EINVAL, "not a regular file", str(path))
        os.set_blocking(descriptor, True)
        chunks: list[bytes] = []
        remaining = limit + 1
        while remaining > 0:
            chunk = os.read(descriptor, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(descriptor)


def is_regular_file(path: str | os.PathLike[str]) -> bool:
    """Whether `path` (symbolic links followed) is a regular file; False on any error."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False
