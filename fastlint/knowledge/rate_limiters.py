"""Rate limiting libraries: slowapi, fastapi-limiter.

Library facts as data (see `fastlint.knowledge`); predicates on them live in
`fastlint.model.known`.
"""

from __future__ import annotations

RATE_LIMIT_LIBRARIES = ("slowapi", "fastapi_limiter")
RATE_LIMITERS = frozenset({"SlowAPIMiddleware", "SlowAPIASGIMiddleware", "RateLimiter", "Limiter"})
LIMIT_DECORATORS = ("limit", "shared_limit")  # `@limiter.limit("5/minute")`
