"""The /users example with every fastlint finding fixed, behaviour kept.

Configuration comes from the environment:
- APP_ENV: "production" (the default) hides /docs, /redoc and /openapi.json.
- API_TOKENS: comma-separated `token:username:role1|role2` entries (no default: without
  it every request is refused); tokens are compared in constant time.
- RATE_LIMIT: slowapi limit for each route, e.g. "5/minute" (the default).
- HOST, PORT: where `python main.py` serves, "127.0.0.1" and 8000 by default (bind
  every interface only behind a TLS-terminating proxy).
"""

import os
import secrets
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Request, Security, status
from fastapi.security import OAuth2PasswordBearer
from pydantic import BaseModel, EmailStr, Field
from slowapi import Limiter, _rate_limit_exceeded_handler
from slowapi.errors import RateLimitExceeded
from slowapi.util import get_remote_address

SHOW_DOCS = os.getenv("APP_ENV", "production") != "production"
RATE_LIMIT = os.getenv("RATE_LIMIT", "5/minute")

limiter = Limiter(key_func=get_remote_address)
app = FastAPI(
    openapi_url="/openapi.json" if SHOW_DOCS else None,
    docs_url="/docs" if SHOW_DOCS else None,
    redoc_url="/redoc" if SHOW_DOCS else None,
)
app.state.limiter = limiter
app.add_exception_handler(RateLimitExceeded, _rate_limit_exceeded_handler)

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="token")


def load_tokens() -> dict[str, dict[str, object]]:
    """Parse API_TOKENS into {token: {"username": ..., "roles": [...]}}."""
    tokens: dict[str, dict[str, object]] = {}
    for entry in filter(None, os.getenv("API_TOKENS", "").split(",")):
        token, username, roles = entry.split(":")
        tokens[token] = {"username": username, "roles": roles.split("|")}
    return tokens


def find_user(token: str) -> dict[str, object] | None:
    """The user whose token matches, compared in constant time (`secrets.compare_digest`)."""
    found = None
    for known, user in load_tokens().items():
        if secrets.compare_digest(token.encode(), known.encode()):
            found = user
    return found


async def get_current_user(token: str = Security(oauth2_scheme)) -> dict[str, object]:
    user = find_user(token)
    if user is None:
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="Invalid authentication credentials",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return user


def role_check(required_role: str):
    def check(current_user: dict = Depends(get_current_user)) -> dict:
        if required_role not in current_user.get("roles", []):
            raise HTTPException(
                status_code=status.HTTP_403_FORBIDDEN, detail="Insufficient permissions"
            )
        return current_user

    return check


class UserCreate(BaseModel):
    username: Annotated[str, Field(min_length=3, max_length=32, pattern=r"^[a-zA-Z0-9_.-]+$")]
    email: EmailStr


class UserCreated(BaseModel):
    message: str


class UserProfile(BaseModel):
    username: str
    email: str


@app.post("/users", response_model=UserCreated, dependencies=[Depends(role_check("admin"))])
@limiter.limit(RATE_LIMIT)
async def create_user(request: Request, user: UserCreate):
    return {"message": f"User {user.username} created successfully"}


@app.get("/users/{user_id}", response_model=UserProfile)
@limiter.limit(RATE_LIMIT)
async def read_user(request: Request, user_id: int, current_user: dict = Depends(get_current_user)):
    return {"username": current_user["username"], "email": f"user{user_id}@example.com"}


if __name__ == "__main__":
    import uvicorn

    uvicorn.run(app, host=os.getenv("HOST", "127.0.0.1"), port=int(os.getenv("PORT", "8000")))
