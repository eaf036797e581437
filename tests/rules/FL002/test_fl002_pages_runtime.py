"""FL002 matches FastAPI: routes that hand back a Response object are sent as that
response (no JSON serialisation to filter); the one reported is sent as JSON.

The `pages` fixture is imported for real and every route is called.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import pytest
from paths import FIXTURES

pytest.importorskip("fastapi")
pytest.importorskip("jinja2")
from fastapi.testclient import TestClient

from fastlint.testing import lint_fixture

PROJECT = FIXTURES / "pages"
KEY = {"X-Staff-Key": "staff"}


@pytest.fixture
def storefront(monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.syspath_prepend(str(PROJECT))
    for name in [m for m in sys.modules if m == "storefront" or m.startswith("storefront.")]:
        monkeypatch.delitem(sys.modules, name)
    return importlib.import_module("storefront.main").app


def test_json_is_sent_exactly_by_the_reported_routes(storefront: Any) -> None:
    reported = {f.route.split(" ")[1] for f in lint_fixture(PROJECT).findings if f.rule == "FL002"}
    assert reported == {"/draft/{title}"}
    client = TestClient(storefront)
    sent = {
        "/": "text/html",
        "/about": "text/html",
        "/banner/{text}": "text/html",
        "/export": "text/csv",
        "/draft/{title}": "application/json",
    }
    for path, media_type in sent.items():
        answer = client.get(path.replace("{text}", "hi").replace("{title}", "t"), headers=KEY)
        assert answer.status_code == 200, path
        assert answer.headers["content-type"].startswith(media_type), path
        assert (media_type == "application/json") == (path in reported)
    assert client.get("/about", headers=KEY).text == "<h1>Corner Shop: About</h1>"


def test_library_methods_known_to_return_responses(tmp_path: Any) -> None:
    (tmp_path / "api.py").write_text(
        "from authlib.integrations.starlette_client import OAuth\n"
        "from fastapi import FastAPI, Request\n"
        "from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler\n"
        "oauth = OAuth()\n"
        "handler = AsyncSlackRequestHandler(None)\n"
        "app = FastAPI()\n"
        "@app.get('/login')\n"
        "async def login(request: Request):\n"
        "    return await oauth.google.authorize_redirect(request, '/cb')\n"
        "@app.post('/slack/events')\n"
        "async def slack(request: Request):\n"
        "    return await handler.handle(request)\n"
        "@app.get('/docs/oauth2-redirect')\n"
        "async def redirect():\n"
        "    from fastapi.openapi.docs import get_swagger_ui_oauth2_redirect_html\n"
        "    return get_swagger_ui_oauth2_redirect_html()\n"
        "@app.get('/other')\n"
        "async def other(request: Request):\n"
        "    return await oauth.google.fetch_token(request)\n",
        encoding="utf-8",
    )
    routes = {f.route for f in lint_fixture(tmp_path).findings if f.rule == "FL002"}
    assert routes == {"GET /other"}


@pytest.mark.parametrize("lookup", ["self.clients.get(provider)", "self.clients[provider]"])
def test_authlib_method_on_a_client_fastlint_cannot_resolve(tmp_path: Any, lookup: str) -> None:
    """A client looked up in a registry (`self.get_client(provider)`) is unknown, but
    in a module that uses Authlib, `authorize_redirect` is Authlib's: a redirect.
    Without the import the call stays unknown, and the route is reported."""
    manager = (
        "class OAuthManager:\n"
        "    def __init__(self, clients):\n"
        "        self.clients = clients\n"
        "    def get_client(self, provider):\n"
        f"        return {lookup}\n"
        "    async def handle_login(self, request, provider):\n"
        "        client = self.get_client(provider)\n"
        "        return await client.authorize_redirect(request, '/cb')\n"
    )
    app = (
        "from fastapi import FastAPI, Request\n"
        "from manager import OAuthManager\n"
        "oauth_manager = OAuthManager({})\n"
        "app = FastAPI()\n"
        "@app.get('/oauth/{provider}/login')\n"
        "async def login(provider: str, request: Request):\n"
        "    return await oauth_manager.handle_login(request, provider)\n"
    )
    (tmp_path / "api.py").write_text(app, encoding="utf-8")
    (tmp_path / "manager.py").write_text(
        "from authlib.integrations.starlette_client import OAuth\n" + manager, encoding="utf-8"
    )
    assert [f for f in lint_fixture(tmp_path).findings if f.rule == "FL002"] == []
    (tmp_path / "manager.py").write_text(manager, encoding="utf-8")
    routes = {f.route for f in lint_fixture(tmp_path).findings if f.rule == "FL002"}
    assert routes == {"GET /oauth/{provider}/login"}
