"""Which files get scanned."""

from __future__ import annotations

import os
from pathlib import Path

from fastlint.discovery import discover


def names(root: Path) -> list[str]:
    return [p.relative_to(root.resolve()).as_posix() for p in discover([root]).files]


def test_default_excludes_and_gitignore(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    for rel in [
        "app/main.py",
        ".venv/lib/x.py",
        "node_modules/a.py",
        "build/b.py",
        "app/__pycache__/c.py",
        "app/generated/d.py",
        "app/notes.txt",
        "app/e.pyi",
        "secret_local.py",
    ]:
        file = tmp_path / rel
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text("x = 1\n")
    (tmp_path / ".gitignore").write_text("secret_*.py\n")
    (tmp_path / "app" / ".gitignore").write_text("generated/\n")
    assert names(tmp_path) == ["app/e.pyi", "app/main.py"]


def test_a_package_named_like_a_default_exclusion_is_read(tmp_path: Path) -> None:
    """`app/build/` with an `__init__.py`, or `app/dist/` inside the package `app`, is
    the project's code (its routes would be missed silently); a setuptools
    `build/lib/...` or a `dist/` of wheels beside the project is not, and
    `.gitignore`'s `build/` line means the latter."""
    (tmp_path / ".git").mkdir()
    for rel in [
        "app/__init__.py",
        "app/build/__init__.py",
        "app/build/routes.py",
        "app/build/jobs/__init__.py",
        "build/lib/app/main.py",
        "dist/setup_helper.py",
        "app/venv/bin/activate_this.py",
        "app/dist/views.py",
    ]:
        file = tmp_path / rel
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text("x = 1\n")
    (tmp_path / ".gitignore").write_text("build/\ndist/\n")
    assert names(tmp_path) == [
        "app/__init__.py",
        "app/build/__init__.py",
        "app/build/jobs/__init__.py",
        "app/build/routes.py",
        "app/dist/views.py",
    ]


def test_gitignore_above_the_scanned_folder(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("legacy.py\n")
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "legacy.py").write_text("")
    (tmp_path / "app" / "main.py").write_text("")
    assert names(tmp_path / "app") == ["main.py"]


def test_explicit_files_are_always_scanned(tmp_path: Path) -> None:
    (tmp_path / "build").mkdir()
    file = tmp_path / "build" / "x.py"
    file.write_text("")
    assert discover([file]).files == [file.resolve()]


def test_symlinks_never_leave_the_tree_or_loop(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "other.py").write_text("")
    project = tmp_path / "project"
    project.mkdir()
    (project / "main.py").write_text("")
    os.symlink(outside, project / "linked_dir")
    os.symlink(outside / "other.py", project / "linked_file.py")
    os.symlink(project, project / "loop")
    os.symlink(project / "main.py", project / "alias.py")
    assert names(project) == ["main.py"]


def test_missing_paths_are_reported(tmp_path: Path) -> None:
    result = discover([tmp_path / "nope"])
    assert result.files == [] and result.missing == [str(tmp_path / "nope")]


def test_a_named_folder_inside_an_ignored_one_is_scanned(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text(".cache/\n*.tmp.py\n")
    corpus = tmp_path / ".cache" / "corpus"
    corpus.mkdir(parents=True)
    (corpus / "main.py").write_text("")
    (corpus / "scratch.tmp.py").write_text("")
    assert names(corpus) == ["main.py"]
