"""The tree of a git revision, read with git itself into a temporary folder.

`git archive REF | tar -x` (done with Python's tarfile): the user's working tree,
index and branches are never touched.
"""

from __future__ import annotations

import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

GIT_TIMEOUT = 300  # seconds


class GitError(Exception):
    """The revision cannot be read (not a repository, unknown revision, no git)."""


def _git(args: Sequence[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, timeout=GIT_TIMEOUT, check=False
        )
    except FileNotFoundError:
        raise GitError("git is not installed (needed by --diff)") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git {args[0]} took longer than {GIT_TIMEOUT}s") from None


def top_level(where: Path) -> Path:
    """The working tree's top folder holding `where`."""
    folder = where if where.is_dir() else where.parent
    while not folder.exists() and folder != folder.parent:  # a path new in the change
        folder = folder.parent
    done = _git(["rev-parse", "--show-toplevel"], folder.resolve())
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace")
        if "dubious ownership" in said or "safe.directory" in said:
            # Common in container CI: the checkout belongs to another user. git's own
            # words carry the fix (`git config --global --add safe.directory ...`).
            reason = " ".join(line.strip() for line in said.splitlines() if line.strip())
            raise GitError(f"git refuses to read the repository at {where}: {reason}")
        raise GitError(f"{where} is not inside a git working tree (needed by --diff)")
    return Path(done.stdout.decode("utf-8", "replace").strip()).resolve()


def commit_of(ref: str, top: Path) -> str:
    """The commit `ref` names (a branch, tag or commit); GitError saying what is wrong."""
    if not ref or ref.startswith("-") or any(c in ref for c in "\0\n\r"):
        raise GitError(f"not a git revision: {ref!r}")
    if ".." in ref:
        base = ref.split("..", 1)[0] or "HEAD"
        raise GitError(
            f"--diff takes one revision, the base to compare with, not the range {ref!r}"
            f" (e.g. --diff {base})"
        )
    done = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"], top)
    if done.returncode == 0:
        return done.stdout.decode().strip()
    no_head = _git(["rev-parse", "--verify", "--quiet", "HEAD"], top).returncode != 0
    if no_head and _git(["rev-list", "-n", "1", "--all"], top).stdout.strip() == b"":
        raise GitError("the repository has no commits yet: commit, then compare")
    kind = _git(["cat-file", "-t", "--end-of-options", ref], top)
    named = kind.stdout.decode("utf-8", "replace").strip()
    if kind.returncode == 0 and named in ("tree", "blob"):
        raise GitError(f"{ref!r} is a {named}, not a commit: --diff needs a commit")
    raise GitError(f"unknown git revision: {ref!r} (fetch it, e.g. checkout with fetch-depth: 0)")


CONFIG_FILES = ("pyproject.toml", "fastlint.toml", ".gitignore", "setup.py", "setup.cfg")


def _wanted(commit: str, top: Path, paths: Sequence[Path]) -> list[str]:
    """The scanned `paths` that exist in `commit`, and the configuration files above
    them (settings, project markers, .gitignore), relative to `top`."""
    candidates: list[str] = []
    for path in paths:
        relative = rebased(path, top, Path())
        candidates.append(relative.as_posix() if relative.parts else ".")
        for folder in (relative.parent, *relative.parent.parents):
            candidates += [(folder / name).as_posix() for name in CONFIG_FILES]
    candidates = list(dict.fromkeys(candidates))
    if "." in candidates:
        return ["."]
    listed = _git(["--literal-pathspecs", "ls-tree", "--name-only", commit, "--", *candidates], top)
    if listed.returncode != 0:
        message = listed.stderr.decode("utf-8", "replace").strip()
        raise GitError(f"git ls-tree failed: {message}")
    return [line for line in listed.stdout.decode("utf-8", "surrogateescape").splitlines() if line]


@contextmanager
def tree_at(ref: str, top: Path, paths: Sequence[Path] | None = None) -> Iterator[Path]:
    """A temporary folder holding the files of revision `ref` of the repository at `top`:
    only `paths` (absolute, in the working tree) and the configuration that applies to
    them, when given; the whole tree otherwise."""
    commit = commit_of(ref, top)
    folder = Path(tempfile.mkdtemp(prefix="fastlint-diff-"))
    try:
        wanted = ["."] if paths is None else _wanted(commit, top, paths)
        tree = folder / "tree"
        tree.mkdir()
        if not wanted:  # nothing scanned existed then
            yield tree
            return
        archive = folder / "tree.tar"
        with archive.open("wb") as out:
            try:
                done = subprocess.run(
                    [
                        "git",
                        "--literal-pathspecs",
                        "archive",
                        "--format=tar",
                        commit,
                        "--",
                        *wanted,
                    ],
                    cwd=top,
                    stdout=out,
                    stderr=subprocess.PIPE,
                    timeout=GIT_TIMEOUT,
                    check=False,
                )
            except subprocess.TimeoutExpired:
                raise GitError(f"git archive took longer than {GIT_TIMEOUT}s") from None
        if done.returncode != 0:
            message = done.stderr.decode("utf-8", "replace").strip()
            raise GitError(f"git archive {ref} failed: {message}")
        with tarfile.open(archive) as tar:
            _extract(tar, tree)
        archive.unlink()
        yield tree
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _extract(tar: tarfile.TarFile, target: Path) -> None:
    """Regular files and folders only, never outside `target` (links are skipped)."""
    members = []
    for member in tar.getmembers():
        name = Path(member.name)
        if name.is_absolute() or ".." in name.parts or not (member.isfile() or member.isdir()):
            continue
        members.append(member)
    if hasattr(tarfile, "data_filter"):
        tar.extractall(target, members=members, filter="data")
    else:  # Python 3.10 before the filters were backported
        tar.extractall(target, members=members)  # members are checked above


def rebased(path: Path, top: Path, tree: Path) -> Path:
    """`path` (in the working tree at `top`) as the same place in `tree`."""
    resolved = path.resolve()
    try:
        return tree / resolved.relative_to(top)
    except ValueError:
        raise GitError(f"{path} is outside the git working tree {top}") from None
