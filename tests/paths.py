"""Where the test suite's own files are (helpers live in `fastlint.testing`)."""

from pathlib import Path

TESTS = Path(__file__).parent
FIXTURES = TESTS / "fixtures"  # real-shaped projects, expected findings marked in them
DATA = TESTS / "data"  # third-party test data, see data/README.md
