"""FL023 request-to-raw-sql."""

from __future__ import annotations

from fastlint.findings import Severity

from . import FlowRule


class RequestToRawSql(FlowRule):
    """
    ## What it does
    Reports a request value built into SQL text (by an f-string, `+`, `%`,
    `.format` or `join`) that reaches `sqlalchemy.text`/`sqlmodel.text`,
    `literal_column`, `pandas.read_sql`, or the `execute`, `executemany`,
    `executescript`, `exec_driver_sql`, `fetchrow`, `fetchval`, `fetch_all`,
    `fetch_one` methods of any connection, session or cursor (sqlite3, psycopg,
    asyncpg, aiomysql, databases, SQLAlchemy), and asyncpg's `fetch`. Request values
    and how they are followed are as for FL020; the finding shows the path.

    Not reported: bound parameters (`text("... :name").bindparams(name=x)`,
    `execute(sql, {"name": x})`, `execute("... ?", (x,))`), query builders
    (`select(User).where(User.name == x)`), constants, and safe-typed values
    interpolated (`int`, `UUID`, `Enum`, `Literal`, anchored `pattern=`).

    ## Why is this bad?
    SQL injection: a quote in the value ends the literal and the rest is SQL the
    caller wrote: reading other users' rows, bypassing a login, changing or
    deleting data. CWE-89, OWASP API8:2023 Security Misconfiguration (injection).

    ## Options
    `[tool.fastlint.rules.FL023]`: `sources`, `sinks` and `sanitisers`, lists of
    qualified names (a project's own `run_sql(sql)` as a sink).

    ## Known limits
    - A method named `execute` whose receiver fastlint cannot resolve is taken to
      run SQL.
    - Flow-insensitive within a function: a check of the value anywhere in it
      (`if name not in ALLOWED_COLUMNS: raise`) clears it everywhere in it.
    - SQL text kept in a variable of another module or on `self` is not followed.
    """

    code = "FL023"
    name = "request-to-raw-sql"
    summary = "A request value is built into raw SQL text"
    severity = Severity.CRITICAL
    cwe = 89
    owasp = "API8:2023"
    owasp_title = "Security Misconfiguration"
    precision = "high"
    security_severity = "9.1"
    fix = "Pass the value as a bound parameter: `text('... :name')` with `{'name': value}`."
    kind = "sql"
    reaches = "the SQL text run by"
    bad_example = """\
import sqlite3

from fastapi import FastAPI

app = FastAPI()


@app.get("/users")
def users(name: str):
    db = sqlite3.connect("app.db")
    query = "SELECT id FROM users WHERE name = '%s'" % name
    return db.execute(query).fetchall()  # expect: FL023
"""
    good_example = """\
import sqlite3

from fastapi import FastAPI

app = FastAPI()


@app.get("/users")
def users(name: str, limit: int = 10):
    db = sqlite3.connect("app.db")
    query = f"SELECT id FROM users WHERE name = ? LIMIT {limit}"
    return db.execute(query, (name,)).fetchall()
"""
