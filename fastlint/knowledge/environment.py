"""The environment and test code: environment variable getters, test paths.

Library facts as data (see `fastlint.knowledge`); predicates on them live in
`fastlint.model.known`.
"""

from __future__ import annotations

ENV_GETTERS = frozenset({"os.getenv", "os.environ.get"})
ENVIRON = "os.environ"
# Folder and file names (globs) of test code: an app built there is a test fixture,
# never a deployment (FL005 and FL006 skip it by default, option `test-paths`).
TEST_PATHS = ("test", "tests", "testing", "test_*.py", "*_test.py", "conftest.py")
