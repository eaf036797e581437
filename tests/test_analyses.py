"""The model's analyses, asked directly (no rule involved): authentication, rate
limits and request inputs of routes, on small projects."""

from __future__ import annotations

from textwrap import dedent

from fastlint.analysis.inputs import RequestInputs
from fastlint.analysis.ratelimit import RateLimits
from fastlint.analysis.route_auth import RouteAuth
from fastlint.facts.types import ModuleFacts
from fastlint.model.api import Project, RouteInstance
from fastlint.model.rejection import mentioned_codes
from fastlint.source import analyse_source
from fastlint.testing import project_of


def served(model: Project, label: str) -> RouteInstance:
    return next(i for i in model.instances if i.label == label)


APP = """\
from fastapi import APIRouter, Depends, FastAPI, HTTPException, status
from fastapi.security import OAuth2PasswordBearer
from pydantic import BaseModel
from slowapi import Limiter

oauth2 = OAuth2PasswordBearer(tokenUrl="token")
limiter = Limiter(key_func=lambda request: "x")


class Item(BaseModel):
    name: str


class Filters(BaseModel):
    q: str


def current_user(token: str = Depends(oauth2)) -> str:
    return token


def admin(user: str = Depends(current_user)) -> str:
    if user != "admin":
        raise HTTPException(status.HTTP_403_FORBIDDEN)
    return user


def filters(f: Filters) -> Filters:
    return f


app = FastAPI()
private = APIRouter(dependencies=[Depends(admin)])


@private.post("/items")
async def create(item: Item, f: Filters = Depends(filters)) -> None: ...


@app.get("/open")
@limiter.limit("5/minute")
async def open_route(page: int) -> None: ...


app.include_router(private, prefix="/admin")
"""


def test_authentication_follows_dependencies_of_routers() -> None:
    model = project_of({"main.py": APP})
    evidence = model.dependency_evidence(served(model, "POST /admin/items"))
    assert evidence.auth and not evidence.unknown
    assert not model.get(RouteAuth).of(served(model, "GET /open")).proofs


def test_a_limiter_decorator_limits_its_route_and_the_app() -> None:
    model = project_of({"main.py": APP})
    assert model.get(RateLimits).rate_limits(served(model, "GET /open")) == ["@limit(...)"]
    assert model.get(RateLimits).rate_limits(served(model, "POST /admin/items")) == []
    (app,) = model.apps
    assert model.get(RateLimits).rate_limited(app)


def test_an_app_without_any_limit_is_not_limited() -> None:
    model = project_of({"main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n"})
    (app,) = model.apps
    assert not model.get(RateLimits).rate_limited(app)


def test_request_inputs_are_the_endpoint_and_dependency_parameters() -> None:
    model = project_of({"main.py": APP})
    route = served(model, "POST /admin/items").route
    names = sorted(
        m.name
        for s in model.get(RequestInputs).of_route(route)
        for m, _ in model.schemas.models_in(s.expr, s.ctx)
    )
    assert names == ["Filters", "Item"]  # the router's `admin` dependency is not the route's own


def test_middleware_reading_a_credential_and_answering_401_authenticates_its_app() -> None:
    source = APP + dedent(
        """
        @app.middleware("http")
        async def check(request, call_next):
            if "authorization" not in request.headers:
                return JSONResponse({}, status_code=401)
            return await call_next(request)
        """
    )
    model = project_of({"main.py": source})
    proofs = model.get(RouteAuth).of(served(model, "GET /open")).proofs
    assert [(p.kind.value, p.what, p.credential) for p in proofs] == [
        ("middleware", "middleware `check`: `check` answers 401", '"authorization"')
    ]


def test_a_middleware_answering_only_403_does_not_authenticate() -> None:
    source = APP + dedent(
        """
        @app.middleware("http")
        async def hosts(request, call_next):
            return JSONResponse({}, status_code=403)
        """
    )
    model = project_of({"main.py": source})
    assert not model.get(RouteAuth).of(served(model, "GET /open")).proofs


def test_facts_record_status_codes_raw_and_the_model_decides_what_they_mean() -> None:
    source = """\
        from http import HTTPStatus

        from fastapi import HTTPException, status


        def check(user, ws):
            if user is None:
                raise HTTPException(status.HTTP_401_UNAUTHORIZED)
            if user.banned:
                raise HTTPException(HTTPStatus.FORBIDDEN)
            if user.slow:
                raise HTTPException(429, "slow down")
            ws.close(code=status.WS_1008_POLICY_VIOLATION)
            ws.close(code=4001)
            return 200
        """
    facts = analyse_source("/p/deps.py", dedent(source).encode())
    assert isinstance(facts, ModuleFacts)
    check = facts.scope.functions["check"]
    assert check.status_codes == {429, 200, 4001}
    assert check.status_names == {"HTTP_401_UNAUTHORIZED", "FORBIDDEN", "WS_1008_POLICY_VIOLATION"}
    assert mentioned_codes(check) == {401, 403, 1008}


def test_a_middleware_added_when_a_filtered_list_of_keys_is_not_empty_is_a_switch() -> None:
    """`if tokens := [k for k in (args.api_key or [ENV_KEY]) if k]: add_middleware(...)`:
    the comprehension's truth rests on the settings it filters."""
    source = APP + dedent(
        """
        import argparse
        import os

        args = argparse.ArgumentParser().parse_args()

        async def check(request, call_next):
            if request.headers.get("authorization") not in tokens:
                return JSONResponse({}, status_code=401)
            return await call_next(request)

        if tokens := [k for k in (args.api_key or [os.getenv("APP_KEY")]) if k]:
            app.middleware("http")(check)
        """
    )
    model = project_of({"main.py": source})
    verdict = model.get(RouteAuth).of(served(model, "GET /open"))
    assert verdict.label == "open unless args.api_key"


def test_dependencies_built_by_a_function_under_a_module_constant_are_switched() -> None:
    """`_KEY = os.getenv("SESSION_KEY")`; `def get_dependencies(): result = [];
    if _KEY: result.append(Depends(check)); return result`: open unless SESSION_KEY."""
    source = dedent(
        """
        import os

        from fastapi import APIRouter, Depends, FastAPI, Header, HTTPException

        _KEY = os.getenv("SESSION_KEY")

        def check(x_session_key: str | None = Header(None)) -> None:
            if x_session_key != _KEY:
                raise HTTPException(status_code=401)

        def get_dependencies() -> list:
            result = []
            if _KEY:
                result.append(Depends(check))
            return result

        router = APIRouter(dependencies=get_dependencies())

        @router.get("/files")
        async def files() -> list[str]:
            return []

        app = FastAPI()
        app.include_router(router)
        """
    )
    model = project_of({"main.py": source})
    verdict = model.get(RouteAuth).of(served(model, "GET /files"))
    assert verdict.label == "open unless SESSION_KEY"
    (switch,) = verdict.switches
    assert (switch.variable, switch.default_open) == ("SESSION_KEY", True)


def test_a_dependency_reached_through_typed_parameters_and_fields() -> None:
    """`Depends(self.providers.auth.wrapper())` where `providers: Providers` is
    handed in by a caller fastlint cannot see and `Providers.auth` is annotated
    with provider classes: the wrapper of their base class is what runs."""
    source = dedent(
        """
        from fastapi import APIRouter, Depends, FastAPI, HTTPException
        from fastapi.security import HTTPBearer
        from pydantic import BaseModel

        bearer = HTTPBearer(auto_error=False)

        class AuthConfig(BaseModel):
            require_authentication: bool = False

        class AuthProvider:
            def __init__(self, config: AuthConfig):
                self.config = config

            def default_admin(self) -> dict:
                return {"sub": "admin"}

            def wrapper(self):
                async def check(creds=Depends(bearer)) -> dict:
                    if not self.config.require_authentication and creds is None:
                        return self.default_admin()
                    if creds is None:
                        raise HTTPException(status_code=401)
                    return {"sub": creds.credentials}
                return check

        class TokenProvider(AuthProvider): ...

        class Providers(BaseModel):
            auth: TokenProvider | AuthProvider

        class ItemsRouter:
            def __init__(self, providers: Providers):
                self.providers = providers
                self.router = APIRouter()

                @self.router.get("/items")
                async def items(user=Depends(self.providers.auth.wrapper())) -> list[str]:
                    return []

        def create_app(providers: Providers) -> FastAPI:
            app = FastAPI()
            app.include_router(ItemsRouter(providers).router)
            return app
        """
    )
    model = project_of({"main.py": source})
    verdict = model.get(RouteAuth).of(served(model, "GET /items"))
    assert verdict.label == "open unless self.config.require_authentication"
