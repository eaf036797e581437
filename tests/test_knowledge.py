"""Library knowledge is data in one package (a module per library family) that the
prefilter, the index, the model, the analyses and the rules read."""

from __future__ import annotations

from pathlib import Path

import pytest

from fastlint import cache, engine, prefilter
from fastlint.knowledge import (
    fastapi_starlette,
    jwt_sessions,
    rate_limiters,
    security_schemes,
    servers_cors,
)
from fastlint.model import index, known
from fastlint.model.values import External


@pytest.fixture(autouse=True)
def private_key_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))


@pytest.mark.parametrize(
    "source",
    [
        "import jwt\n\npayload = jwt.decode(token, key, algorithms=['HS256'])\n",
        "from jose import jwt\n",
        "from itsdangerous import URLSafeTimedSerializer\n",
        "import uvicorn\n\nuvicorn.run('main:app')\n",
        "from starlette.middleware.sessions import SessionMiddleware\n",
        "import hashlib\nimport hmac\n\nsig = hmac.new(b'k', body, hashlib.sha256)\n",
        "from fastapi_jwt_auth import AuthJWT\n",
    ],
)
def test_the_prefilter_reads_files_that_only_use_a_known_library(
    tmp_path: Path, source: str
) -> None:
    path = tmp_path / "helper.py"
    path.write_text(source)
    assert prefilter.mentions(str(path))


def test_the_prefilter_skips_files_that_mention_nothing_known(tmp_path: Path) -> None:
    path = tmp_path / "scripts.py"
    path.write_text("import csv\n\nprint(sum(range(10)))\n")
    assert not prefilter.mentions(str(path))


def test_the_prefilter_words_come_from_the_knowledge_table() -> None:
    words = {token.decode() for token in prefilter.TOKENS}
    for library in (
        *jwt_sessions.JWT_LIBRARIES,
        *jwt_sessions.SESSION_LIBRARIES,
        *servers_cors.SERVERS,
    ):
        assert library in words


def test_library_packages_are_never_project_modules() -> None:
    files = ["/p/fastapi.py", "/p/app/main.py", "/p/helpers.py"]
    modules = index.ModuleIndex.for_paths(files)
    assert modules.find("fastapi", "/p/app/main.py") is None
    assert modules.find("helpers", "/p/app/main.py") == "/p/helpers.py"


def test_model_predicates_read_the_same_table() -> None:
    for scheme in security_schemes.SECURITY_SCHEMES:
        assert known.is_security_scheme(External(f"fastapi.security.{scheme}"))
    for limiter in rate_limiters.RATE_LIMITERS:
        assert known.is_rate_limiter(External(f"slowapi.{limiter}"))
    assert not known.is_security_scheme(External("mylib.HTTPBearer"))


def test_the_prefilter_words_are_part_of_the_import_graph_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fastlint that looks for other words must not trust another one's answers."""
    root = tmp_path / "project"
    root.mkdir()
    (root / "pyproject.toml").write_text("[project]\nname = 'p'\n")
    (root / "main.py").write_text("from fastapi import FastAPI\n\napp = FastAPI()\n")
    (root / "tokens.py").write_text("import jwt\n")
    engine.lint([root], jobs=1, root=root, use_cache=True)
    store = cache.FactsCache.open(root)
    assert store is not None
    first = store.get_graph()
    assert first is not None and first.nodes[str(root / "tokens.py")].relevant
    monkeypatch.setattr(prefilter, "TOKENS", tuple(t for t in prefilter.TOKENS if t != b"jwt"))
    (root / "main.py").touch()
    engine.lint([root / "main.py"], jobs=1, root=root, use_cache=True)
    second = store.get_graph()
    assert second is not None and second.key != first.key
    assert not second.nodes[str(root / "tokens.py")].relevant


def test_jwt_session_and_server_libraries_are_known_by_their_package() -> None:
    assert known.is_jwt_library(External("jwt.decode"))
    assert known.is_jwt_library(External("jose.jwt.decode"))
    assert known.is_session_library(External("itsdangerous.URLSafeTimedSerializer"))
    assert known.is_server(External("uvicorn.run"))
    assert known.is_middleware_module(External("starlette.middleware.cors.CORSMiddleware"))
    assert not known.is_middleware_module(External("starlette.middlewares.X"))
    assert not known.is_jwt_library(External("myapp.jwt.decode"))


def test_parameter_markers_name_sources_the_model_knows() -> None:
    from fastlint.model.parameters import SOURCES

    assert set(fastapi_starlette.PARAMETER_MARKERS.values()) <= set(SOURCES)
    assert fastapi_starlette.PARAMETER_MARKERS[fastapi_starlette.DEPENDS] == "dependency"


@pytest.mark.parametrize(
    ("key", "known_to_all"),
    [
        ("09d25e094faa6ca2556c818166b7a9563b93f7099f6f0f4caa6cf63b88e8d3e7", True),
        ("your-secret-key-here", True),
        ("PLACEHOLDER", True),
        ("fillmein", True),
        ("Change_Me", True),
        ("k7Qz-billing-signing-key-2f9d1c0a8e7b6d5c", False),
    ],
)
def test_publicly_known_keys(key: str, known_to_all: bool) -> None:
    assert (known.publicly_known_key(key) is not None) is known_to_all


def test_known_keeps_predicates_and_re_exports_no_data() -> None:
    """`known` answers questions; the data it reads is named by its family module."""
    import ast
    import types

    import fastlint.knowledge

    tree = ast.parse(Path(known.__file__).read_text(encoding="utf-8"))
    assigned = [
        target.id
        for node in tree.body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    ]
    assert assigned == []
    imported = [
        alias.name
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and node.module == "fastlint.knowledge"
        for alias in node.names
    ]
    assert imported
    assert all(isinstance(getattr(fastlint.knowledge, n), types.ModuleType) for n in imported)
    assert not [n for n in vars(fastlint.knowledge) if n.isupper()]  # the package exports no data
