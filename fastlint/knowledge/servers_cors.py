"""Servers and CORS configuration: uvicorn, CORS middleware, fastapi-guard.

Library facts as data (see `fastlint.knowledge`); predicates on them live in
`fastlint.model.known`.
"""

from __future__ import annotations

SERVERS = ("uvicorn",)
CORS_MIDDLEWARE = "CORSMiddleware"  # starlette.middleware.cors, fastapi.middleware.cors
# Entries of `allow_origins` that let any web site in ("null": sandboxed frames, files).
ANY_ORIGIN = frozenset({"*", "null"})
# fastapi-guard (package `guard`): `SecurityConfig` configures CORS too, with these
# defaults (its origins default to every origin).
GUARD_CONFIGS = ("guard.SecurityConfig", "guard.models.SecurityConfig")
GUARD_CORS_DEFAULTS: dict[str, object] = {
    "enable_cors": False,
    "cors_allow_origins": ["*"],
    "cors_allow_credentials": False,
}
# Calls that start uvicorn from code, with the server's options as keywords.
SERVER_RUNS = ("uvicorn.run", "uvicorn.main.run", "uvicorn.Config", "uvicorn.config.Config")
# A `uvicorn.Config(...)` serves only when handed to a server: one of these, called in
# the same body (a config built to read its `reload_dirs` serves nothing).
SERVER_CONFIGS = ("uvicorn.Config", "uvicorn.config.Config")
SERVER_CLASSES = ("uvicorn.Server", "uvicorn.server.Server")
# Host values that bind every interface ("" too: the socket's INADDR_ANY).
ALL_INTERFACES = frozenset({"0.0.0.0", "::", "[::]", ""})
SERVER_TLS_OPTIONS = ("ssl_keyfile", "ssl_certfile")
# Bandit's check for the same bind (B104): its `# nosec` marks a bind as reviewed.
BANDIT_BIND_CHECKS = frozenset({"B104", "hardcoded_bind_all_interfaces"})
