"""What fastlint concludes about an app: analyses computed on the project model.

An analysis is a class built from the project once per run, on demand, and cached
on it (`project.get(RouteAuth)`). A rule names the analyses it reads in
`requires`; the engine computes them before the rule runs. `fastlint.model` never
imports this package: the model describes the app, analyses judge it.
"""

from fastlint.model.project import Analysis

__all__ = ["Analysis"]
