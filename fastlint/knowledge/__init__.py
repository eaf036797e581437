"""What fastlint knows about the libraries FastAPI apps are built from, as data.

One module per library family: `fastapi_starlette`, `security_schemes`,
`pydantic_models`, `environment`, `rate_limiters`, `jwt_sessions`, `servers_cors`.
The model's predicates (`fastlint.model.known`), the analyses, the rules, the
module index and the prefilter read them; this package re-exports nothing, so a
reader names the family it reads. Word lists tuned on real apps live beside their
only user, with the evidence behind them.

Names are matched on the top-level package and the final name, so
`fastapi.security.oauth2.OAuth2PasswordBearer` and
`fastapi.security.OAuth2PasswordBearer` are the same thing.
"""
