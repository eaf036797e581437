"""FL030 request-to-command."""

from __future__ import annotations

from fastlint.findings import Severity

from . import FlowRule


class RequestToCommand(FlowRule):
    """
    ## What it does
    Reports a request value that reaches code or a command the server runs:
    `subprocess` (`run`, `call`, `check_call`, `check_output`, `Popen`) with
    `shell=True`, or as the program itself; `os.system`, `os.popen`,
    `subprocess.getoutput`, `asyncio.create_subprocess_shell` (and the program of
    `create_subprocess_exec`, `os.exec*`); `eval`, `exec`, `compile`; `pickle`,
    `dill`, `marshal` loads; `yaml.load` without a safe `Loader`, `yaml.unsafe_load`;
    and a Jinja2 or Mako template compiled from the value (`Template(value)`,
    `env.from_string(value)`). Request values and how they are followed are as for
    FL020; the finding shows the path.

    Not reported: an argument list without a shell whose program is fixed
    (`["convert", name, "out.png"]`), a value passed through `shlex.quote`, safe-typed
    values (an `Enum` member or `Literal` in the command), and data rendered *into*
    a fixed template (`template.render(name=value)`).

    ## Why is this bad?
    Command injection and code execution: `;`, `$(...)` or a crafted pickle runs
    whatever the caller wants with the server's rights. Template injection does
    the same through the template language. CWE-78 (also CWE-94, CWE-502,
    CWE-1336), OWASP API8:2023 Security Misconfiguration.

    ## Options
    `[tool.fastlint.rules.FL030]`: `sources`, `sinks` and `sanitisers`, lists of
    qualified names.

    ## Known limits
    - A list given as a variable is read through one assignment only; a list built
      with `append` is taken as a program that may be the value.
    - Flow-insensitive within a function: a check of the value anywhere in it
      clears it everywhere in it.
    - Arguments given to a program that interprets them (`bash -c`, `python -c`,
      `find -exec`) are not checked.
    """

    code = "FL030"
    name = "request-to-command"
    summary = "A request value reaches a shell command, eval or a template source"
    severity = Severity.CRITICAL
    cwe = 78
    also_cwe = (94, 502, 1336)
    owasp = "API8:2023"
    owasp_title = "Security Misconfiguration"
    precision = "high"
    security_severity = "9.8"
    fix = "Pass an argument list without `shell=True`, or `shlex.quote` the value."
    kind = "command"
    reaches = "the command or code run by"
    bad_example = """\
import os
import subprocess

from fastapi import FastAPI

app = FastAPI()


@app.post("/thumbnail")
def thumbnail(name: str):
    subprocess.run(f"convert {name} out.png", shell=True)  # expect: FL030
    os.system("rm -f /tmp/" + name)  # expect: FL030
"""
    good_example = """\
import shlex
import subprocess
from enum import Enum

from fastapi import FastAPI

app = FastAPI()


class Size(str, Enum):
    small = "64"
    large = "256"


@app.post("/thumbnail")
def thumbnail(name: str, size: Size):
    subprocess.run(["convert", name, "out.png"])
    subprocess.run(f"convert {shlex.quote(name)} out.png", shell=True)
    subprocess.run(f"convert -resize {size.value} in.png out.png", shell=True)
"""
