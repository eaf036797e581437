"""fastlint: a static security linter for FastAPI applications."""

__version__ = "0.1.0"
