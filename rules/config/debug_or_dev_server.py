"""FL010 debug-or-dev-server."""

from __future__ import annotations

from collections.abc import Iterator

from fastlint.findings import Finding, Severity
from fastlint.knowledge import servers_cors
from fastlint.model.api import CallSite, Container, Project, Scoped
from fastlint.rule import Rule


class DebugOrDevServer(Rule):
    """
    ## What it does
    Reports development settings written as constants in the code that runs the app:

    - `FastAPI(debug=True)` (or `Starlette(debug=True)`) and `app.debug = True`, the
      value a constant (written there, or a module or class constant): **medium**;
    - `uvicorn.run(..., reload=True)` (or `uvicorn.Config(...)` handed to a
      `uvicorn.Server(...)` in the same function): **low**;
    - `uvicorn.run(app, host="0.0.0.0")` (or `"::"`, or `""`, which binds every
      interface too) without `ssl_keyfile` and
      `ssl_certfile`: **low**. Only the host given to that call is read, never a
      bare `"0.0.0.0"` string elsewhere in the code.

    Values that deployment can change are not reported: settings fields
    (`debug=settings.DEBUG`, even with a default of `True`), environment variables
    (`host=os.getenv("HOST", "0.0.0.0")`) and values that depend on a condition,
    including an app built inside a branch (`if in_debug_mode(): app =
    FastAPI(debug=True)`), as FL005 reads it.

    Two markers of intent are honoured, as users of bandit and ruff expect (they
    are not reported, rather than reported at an "info" level fastlint does not
    have):

    - a `reload=True` inside a development command (a function, or a click/typer
      command, whose name has the word dev, develop, development or devserver:
      dispatch's `@server.command("develop")`) is not reported: reloading is what
      that command is for, and production never runs it. Its bind is still checked.
    - bandit's `# nosec` (bare, or naming `B104`, bandit's check for the same
      bind), or ruff's `# noqa: S104` (ruff's code for that bandit check), on a
      line of the call, or on the line where the host constant is written, marks
      the bind as reviewed: it is not reported. A `# nosec` or `# noqa` naming
      other checks only does not count; nor does it silence debug or reload.

    Both are listed by `--verbose`.

    A server call under `if __name__ == "__main__":` runs only when the file is
    executed as a script (a developer's entry point, not how a production server
    imports the app): it is reported one level lower, never below low. fastlint has
    no level below low, so such a bind or reload stays low and its message says it
    sits under the guard (the bundled `/users` example is one).

    ## Why is this bad?
    In debug mode Starlette answers unhandled errors with the traceback, source
    lines and local variables (CWE-215, CWE-489). The reloader watches the file
    system and restarts the server on change, a development tool with no place in
    production (CWE-489). Binding every interface without TLS serves the API in
    clear text to any network that reaches the host, often beyond the reverse
    proxy meant to front it (CWE-1327).

    ## Known limits
    - Whether an app is built, or its `debug` set, under the `__main__` guard is
      not read: debug mode is medium wherever it is switched on.
    - A server started another way (the `uvicorn` or `fastapi` command line,
      gunicorn, hypercorn, a container entry point) is not seen.
    - Options passed through `**kwargs` are not read.
    - A `uvicorn.Config(...)` is read only when the same function (or module body)
      calls `uvicorn.Server(...)`: a config built in one function and served in
      another is not reported (one built only to read its `reload_dirs` serves
      nothing).
    - A host constant is reported even when a firewall or a container network
      keeps the port private: mark the line `# nosec B104` (bandit reads it too) or
      `# noqa: FL010`.
    - A development command is recognised by its name only: a reloader in a
      command named otherwise (`run`, `start`) is reported, and one in a command
      named `dev` that production does run is not.
    - A `# nosec` anywhere on the lines of a multi-line `uvicorn.run(...)` call
      counts for its bind (bandit reads the line of the string only).
    """

    code = "FL010"
    name = "debug-or-dev-server"
    summary = "Debug mode, auto-reload or an all-interfaces bind hard-coded"
    severity = Severity.MEDIUM
    severity_reasons = (("low", "a server setting, not debug mode"),)
    cwe = 489
    also_cwe = (215, 1327)
    owasp = "API8:2023"
    owasp_title = "Security Misconfiguration"
    precision = "high"
    security_severity = "5.3"
    fix = (
        "Read the value from settings or the environment instead of a constant: "
        "`debug=settings.DEBUG` (default `False`), `reload=settings.RELOAD` (default `False`), "
        '`host=os.getenv("HOST", "127.0.0.1")`; or pass `ssl_keyfile`/`ssl_certfile` '
        "when binding every interface."
    )
    invalid = (
        """\
import uvicorn
from fastapi import FastAPI

app = FastAPI(openapi_url=None, debug=True)  # expect: FL010
admin = FastAPI(openapi_url=None)
admin.debug = True  # expect: FL010

if __name__ == "__main__":
    uvicorn.run("main:app", host="0.0.0.0", port=8000, reload=True)  # expect: FL010
""",
        # An empty host binds every interface, as "0.0.0.0" does.
        """\
import uvicorn
from fastapi import FastAPI

app = FastAPI(openapi_url=None)

if __name__ == "__main__":
    uvicorn.run(app, host="", port=8000)  # expect: FL010
""",
    )
    valid = (
        """\
import os

import uvicorn
from fastapi import FastAPI

DEBUG = os.getenv("DEBUG", "false") == "true"

app = FastAPI(openapi_url=None, debug=DEBUG)

if __name__ == "__main__":
    uvicorn.run(app, host=os.getenv("HOST", "127.0.0.1"), port=8000)
""",
        # Reviewed binds: ruff's code for bandit's B104, and bandit's own marker.
        """\
import uvicorn
from fastapi import FastAPI

app = FastAPI(openapi_url=None)


def serve() -> None:
    uvicorn.run(app, host="0.0.0.0", port=8000)  # noqa: S104 -- the container's port
    uvicorn.run(app, host="", port=8001)  # nosec B104
""",
    )

    def check(self, project: Project) -> Iterator[Finding]:
        for app in project.apps:
            if app.kind == "app":
                yield from self._debug(project, app)
        servers = [s for t in servers_cors.SERVER_CLASSES for s in project.calls.of(t)]
        for target in servers_cors.SERVER_RUNS:
            for site in project.calls.of(target):
                if target in servers_cors.SERVER_CONFIGS and not any(
                    s.path == site.path and s.function == site.function for s in servers
                ):
                    reason = "a `uvicorn.Config` no `uvicorn.Server` in its body serves"
                    project.note_about(site.anchor, f"{reason}: not reported")
                    continue
                yield from self._server(project, site)

    def _debug(self, project: Project, app: Container) -> Iterator[Finding]:
        message = f"App `{app.name}` runs in debug mode: unhandled errors answer with tracebacks"
        given = app.kwarg("debug")
        if given is not None and not app.conditional and _constant(project, given) is True:
            yield self.finding(app.anchor, message)
        for assigned in app.attr_sets:
            anchor = assigned.anchor
            if (
                assigned.name == "debug"
                and anchor is not None
                and _constant(project, assigned.value) is True
            ):
                yield self.finding(anchor, f"{message} (`{app.name}.debug = True`)")

    def _server(self, project: Project, site: CallSite) -> Iterator[Finding]:
        problems = []
        reload = site.kwarg("reload")
        if reload is not None and _constant(project, Scoped(reload, site.ctx)) is True:
            command = site.development_command
            if command is None:
                problems.append("auto-reload (`reload=True`)")
            else:
                reason = f"`reload=True` in development command `{command}`: not reported"
                project.note_about(site.anchor, reason)
        host = site.kwarg("host")
        if host is not None and not any(site.kwarg(o) for o in servers_cors.SERVER_TLS_OPTIONS):
            value = _constant(project, Scoped(host, site.ctx))
            if isinstance(value, str) and value in servers_cors.ALL_INTERFACES:
                if _reviewed(project, site, Scoped(host, site.ctx)):
                    reason = f'`host="{value}"` marked reviewed with `# nosec`: not reported'
                    project.note_about(site.anchor, reason)
                else:
                    problems.append(f'every network interface (`host="{value}"`) without TLS')
        if not problems:
            return
        where = ' (under `if __name__ == "__main__":`)' if site.under_main_guard else ""
        message = f"`{site.name or 'uvicorn.run'}` serves with {' and '.join(problems)}{where}"
        yield self.finding(site.anchor, message, severity=Severity.LOW)


def _constant(project: Project, scoped: Scoped) -> object:
    """The value when it is the same constant whatever happens (not configurable, not
    conditional), else None."""
    possible = project.literal(scoped).possible
    values = [p.value for p in possible if p.known and not p.configurable and not p.conditions]
    if len(values) != len(possible) or not values:
        return None
    first = values[0]
    return first if all(v == first for v in values) else None


def _reviewed(project: Project, site: CallSite, host: Scoped) -> bool:
    """Whether bandit's `# nosec` (bare, or naming B104) marks the bind as reviewed:
    on a line of the call, or on the line the host constant is written."""
    if project.marked_nosec(site.path, site.span, servers_cors.BANDIT_BIND_CHECKS):
        return True
    places = (p.where for p in project.literal(host).possible)
    return any(
        where is not None
        and where.span is not None
        and project.marked_nosec(where.path, where.span, servers_cors.BANDIT_BIND_CHECKS)
        for where in places
    )
