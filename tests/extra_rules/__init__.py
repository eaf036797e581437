"""Rules that exist only in the test suite, to prove a new rule is one module."""
