"""The bundled reference /users app, insecure and hardened. `fastlint demo` scans them.

These files are scanned, never imported, by fastlint itself; the test suite
imports the hardened app to prove at runtime that it really is secure.
"""

from pathlib import Path

INSECURE_APP = Path(__file__).parent / "insecure"
HARDENED_APP = Path(__file__).parent / "hardened"
