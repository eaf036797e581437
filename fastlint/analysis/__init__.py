"""What fastlint concludes about an app: analyses computed on the project model.

An analysis is a class built from the project once per run, on demand, and cached
on it (`project.get(RouteAuth)`). A rule names the analyses it reads in
`requires`; the engine computes them before the rule runs. `fastlint.model` never
imports this package: the model describes the app, analyses judge it.

Here: `RequestCredentials` (credentials a caller sends, and their comparisons),
`Tokens` (how decoded JWTs are handled), `Ownership` (identifiers checked against
the authenticated user), `KeySettings` (signing keys given as configuration),
`RateLimits`, `Responses` (what endpoints hand back), `RequestInputs` (what a route
takes from the request) and `DocsUrls` (the docs URLs an app serves); `origins`
judges CORS origin values. Each module names what it hands out in `__all__`:
values, never syntax (tests/test_rule_imports.py).
"""

from fastlint.model.project import Analysis

__all__ = ["Analysis"]
