"""`python -m fastlint`: the command line, safe to run inside the scanned repository.

`python -m` puts the current folder first on `sys.path`, so a `typer.py` or
`rich.py` in the repository being scanned would be imported, and run, in place
of the real library. The folder is dropped before anything else is imported
(fastlint's own modules are found through its package, not through `sys.path`).
"""

import os
import sys

if not getattr(sys.flags, "safe_path", False) and sys.path and sys.path[0] in ("", os.getcwd()):
    del sys.path[0]

from fastlint.cli import main  # only now: the path is safe

main()
