"""Contract of middleware in the model: class, arguments, span and attachment."""

from __future__ import annotations

from fastlint.analysis.route_auth import RouteAuth
from fastlint.model.middleware import Attachment, Middleware
from fastlint.model.project import Project
from fastlint.model.routing import Container
from fastlint.model.values import ClassVal, External
from fastlint.testing import path_of, project_of

CONFIG = """\
from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    CORS_ORIGINS: list[str] = ["https://app.example.com"]


settings = Settings()
"""


def app_named(project: Project, name: str) -> Container:
    return next(app for app in project.apps if app.name == name)


def line_of(text: str, snippet: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if snippet in line)


def class_name(middleware: Middleware) -> str:
    value = middleware.value
    if isinstance(value, External):
        return value.qualname
    assert isinstance(value, ClassVal), value
    return value.fact.name


def test_add_middleware_keeps_its_arguments() -> None:
    main = """\
    from fastapi import FastAPI
    from fastapi.middleware.cors import CORSMiddleware
    from starlette.middleware.gzip import GZipMiddleware

    from app.core.config import settings


    def create_app() -> FastAPI:
        application = FastAPI()
        methods = ["GET", "POST"]
        application.add_middleware(
            CORSMiddleware,
            allow_origins=settings.CORS_ORIGINS,
            allow_methods=methods,
            allow_credentials=True,
        )
        application.add_middleware(GZipMiddleware, 500)
        return application


    app = create_app()
    """
    project = project_of({"app/core/config.py": CONFIG, "app/main.py": main})
    cors, gzip = app_named(project, "app").middleware  # named where the factory is called
    assert cors.attached is Attachment.ADD_MIDDLEWARE
    assert class_name(cors) == "fastapi.middleware.cors.CORSMiddleware"
    assert cors.name == "CORSMiddleware"
    assert cors.path == path_of("app/main.py")
    assert cors.span.line == line_of(main, "application.add_middleware(")
    assert cors.span.end_line == line_of(main, "allow_credentials") + 1
    assert [key for key, _ in cors.kwargs] == [
        "allow_origins",
        "allow_methods",
        "allow_credentials",
    ]
    origins = cors.kwarg("allow_origins")
    assert origins is not None
    assert project.literal(origins).value == ["https://app.example.com"]  # across modules
    methods = cors.kwarg("allow_methods")
    assert methods is not None and project.literal(methods).value == ["GET", "POST"]  # a local
    credentials = cors.kwarg("allow_credentials")
    assert credentials is not None and project.literal(credentials).value is True
    assert cors.kwarg("allow_headers") is None
    minimum = gzip.arg(0, "minimum_size")
    assert minimum is not None and project.literal(minimum).value == 500


def test_middleware_list_of_the_constructor() -> None:
    main = """\
    from fastapi import FastAPI
    from starlette.middleware import Middleware
    from starlette.middleware.cors import CORSMiddleware
    from starlette.middleware.sessions import SessionMiddleware

    from app.core.config import settings

    session = Middleware(SessionMiddleware, secret_key="dev")
    stack = [session]

    app = FastAPI(
        middleware=[
            Middleware(CORSMiddleware, allow_origins=settings.CORS_ORIGINS),
            session,
        ]
    )
    other = FastAPI(middleware=stack)
    """
    project = project_of({"app/core/config.py": CONFIG, "app/main.py": main})
    cors, session = app_named(project, "app").middleware
    assert {cors.attached, session.attached} == {Attachment.MIDDLEWARE_LIST}
    assert class_name(cors) == "starlette.middleware.cors.CORSMiddleware"
    assert cors.span.line == line_of(main, "Middleware(CORSMiddleware")
    origins = cors.kwarg("allow_origins")
    assert origins is not None
    assert project.literal(origins).value == ["https://app.example.com"]
    assert class_name(session) == "starlette.middleware.sessions.SessionMiddleware"
    assert session.span.line == line_of(main, "session = Middleware(")  # where it is built
    key = session.kwarg("secret_key")
    assert key is not None and project.literal(key).value == "dev"
    (listed,) = app_named(project, "other").middleware  # the list bound to a name
    assert class_name(listed) == "starlette.middleware.sessions.SessionMiddleware"


def test_wrapping_the_app() -> None:
    main = """\
    from fastapi import FastAPI
    from fastapi.testclient import TestClient
    from sentry_sdk.integrations.asgi import SentryAsgiMiddleware
    from starlette.middleware.cors import CORSMiddleware

    app = FastAPI()
    client = TestClient(app)
    app = CORSMiddleware(app, allow_origins=["*"], allow_credentials=False)


    def build() -> SentryAsgiMiddleware:
        inner = FastAPI()
        return SentryAsgiMiddleware(inner)
    """
    project = project_of({"app/main.py": main})
    (cors,) = app_named(project, "app").middleware  # TestClient(app) is not middleware
    assert cors.attached is Attachment.WRAP
    assert class_name(cors) == "starlette.middleware.cors.CORSMiddleware"
    assert cors.span.line == line_of(main, "app = CORSMiddleware(")
    assert cors.args == ()  # the wrapped app is not an argument of the middleware
    origins = cors.kwarg("allow_origins")
    assert origins is not None and project.literal(origins).value == ["*"]
    (sentry,) = app_named(project, "inner").middleware
    assert sentry.attached is Attachment.WRAP
    assert sentry.name == "SentryAsgiMiddleware"


def test_project_middleware_classes_resolve_and_count_as_evidence() -> None:
    main = """\
    from fastapi import FastAPI
    from starlette.middleware import Middleware
    from starlette.middleware.authentication import AuthenticationMiddleware
    from starlette.middleware.base import BaseHTTPMiddleware

    from app.auth import TokenBackend


    class Timing(BaseHTTPMiddleware):
        async def dispatch(self, request, call_next):
            return await call_next(request)


    app = FastAPI(middleware=[Middleware(AuthenticationMiddleware, backend=TokenBackend())])
    app.add_middleware(Timing)
    """
    backend_source = """\
    from starlette.authentication import AuthenticationBackend, AuthenticationError


    class TokenBackend(AuthenticationBackend):
        async def authenticate(self, conn):
            if "authorization" not in conn.headers:
                raise AuthenticationError("no token")
            return None
    """
    project = project_of({"app/auth.py": backend_source, "app/main.py": main})
    app = app_named(project, "app")
    auth, timing = app.middleware
    assert isinstance(timing.value, ClassVal) and timing.value.fact.name == "Timing"
    assert timing.is_class(lambda c: isinstance(c, ClassVal) and c.fact.name == "Timing")
    backend = auth.kwarg("backend")
    assert backend is not None
    assert "TokenBackend" in str(project.literal(backend).value)  # an object: unknown
    judged = project.get(RouteAuth).middleware(app)
    assert [m.name for m in judged if m.authenticates] == ["AuthenticationMiddleware"]
    # A backend that lets anonymous callers in as unauthenticated users identifies
    # them and turns nobody away: only routes with `@requires(...)` are closed.
    lenient = project_of(
        {
            "app/auth.py": backend_source.replace(
                'raise AuthenticationError("no token")', "return None"
            ),
            "app/main.py": main,
        }
    )
    judged = lenient.get(RouteAuth).middleware(app_named(lenient, "app"))
    assert [m.name for m in judged if m.authenticates] == []
