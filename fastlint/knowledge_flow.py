"""Library facts for request data flow: sources, propagators, sanitisers and sinks.

Plain data, read by `fastlint.analysis.request_flow`. A name is a qualified name as
the model resolves it: `httpx.get` for a function, `httpx.AsyncClient().get` for
a method of an instance of a library class. (This module sits beside
`knowledge.py` while that one becomes a package; it is meant to move into it.)
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "ARGUMENT_METHODS",
    "CHECKER_WORDS",
    "CHECK_METHODS",
    "CLEANERS",
    "CLEAN_METHODS",
    "DATA",
    "ENUM_BASES",
    "FILE_METHODS",
    "FILE_NAME_ATTRIBUTES",
    "HTTP_CLIENTS",
    "HTTP_VERBS",
    "INJECTED_KINDS",
    "KINDS",
    "PATH_ONLY_METHODS",
    "PROPAGATORS",
    "REDIRECT_CLASSES",
    "REQUEST",
    "REQUEST_DATA_ATTRIBUTES",
    "REQUEST_DATA_METHODS",
    "SAFE_TYPES",
    "SAFE_TYPE_NAMES",
    "SAFE_YAML_LOADERS",
    "SANITISERS",
    "SANITISER_WORDS",
    "SINKS",
    "SOCKET",
    "SOCKET_DATA_METHODS",
    "SQL_LIBRARIES",
    "SQL_LIBRARY_METHODS",
    "SQL_METHODS",
    "TEMPLATE_METHODS",
    "UPLOAD",
    "UPLOAD_DATA_ATTRIBUTES",
    "UPLOAD_DATA_METHODS",
    "VALIDATOR_MARKERS",
    "Sink",
]

# -- what a value is --------------------------------------------------------------------

DATA = "data"  # text or bytes the caller chose
REQUEST = "request"  # a Request/HTTPConnection object: some of its parts are data
UPLOAD = "upload"  # an UploadFile: its name and content are data
SOCKET = "websocket"  # a WebSocket: what it receives is data

# Sink kinds, one per rule.
URL, REDIRECT, FILE, SQL, COMMAND = "url", "redirect", "file", "sql", "command"
KINDS = (URL, REDIRECT, FILE, SQL, COMMAND)

# Injected classes and the kind of value each parameter annotated with it holds.
INJECTED_KINDS = {
    "Request": REQUEST,
    "HTTPConnection": REQUEST,
    "WebSocket": SOCKET,
    "UploadFile": UPLOAD,
}
# Parts of a request that hold data the caller chose (`request.query_params`...).
# `url` is left out: the request's own URL is what the app is serving.
REQUEST_DATA_ATTRIBUTES = frozenset({"query_params", "path_params", "headers", "cookies"})
REQUEST_DATA_METHODS = frozenset({"json", "form", "body", "stream"})
UPLOAD_DATA_ATTRIBUTES = frozenset({"filename", "file"})
UPLOAD_DATA_METHODS = frozenset({"read"})
SOCKET_DATA_METHODS = frozenset(
    {"receive", "receive_text", "receive_bytes", "receive_json", "iter_text", "iter_bytes"}
    | {"iter_json"}
)

# Types whose values cannot carry an injection: numbers, booleans, ids, dates.
SAFE_TYPES = frozenset(
    {f"builtins.{name}" for name in ("int", "float", "bool", "complex")}
    | {"uuid.UUID", "decimal.Decimal", "ipaddress.IPv4Address", "ipaddress.IPv6Address"}
    | {f"datetime.{name}" for name in ("datetime", "date", "time", "timedelta")}
    | {f"pydantic.{name}" for name in ("PositiveInt", "NegativeInt", "NonNegativeInt")}
    | {f"pydantic.{name}" for name in ("NonPositiveInt", "PositiveFloat", "StrictInt")}
    | {"pydantic.StrictBool", "pydantic.StrictFloat", "pydantic.UUID4", "pydantic.UUID1"}
    | {"pydantic.EmailStr", "pydantic.NameEmail", "pydantic.PastDate", "pydantic.FutureDate"}
    | {"pydantic.types.PositiveInt", "pydantic.types.UUID4", "pydantic.networks.EmailStr"}
)
SAFE_TYPE_NAMES = frozenset({"int", "float", "bool", "UUID", "datetime", "date", "Decimal"})
# `Annotated` metadata that runs a function on the value: it may check it.
VALIDATOR_MARKERS = frozenset(
    {"AfterValidator", "BeforeValidator", "PlainValidator", "WrapValidator", "Predicate"}
)
ENUM_BASES = frozenset({"enum.Enum", "enum.IntEnum", "enum.StrEnum", "enum.Flag", "enum.IntFlag"})

# -- how values move --------------------------------------------------------------------

# Calls whose result carries their arguments (path and URL building, decoding, text).
PROPAGATORS = frozenset(
    {f"builtins.{name}" for name in ("str", "bytes", "repr", "format", "list", "tuple")}
    | {"builtins.dict", "builtins.set", "builtins.sorted", "builtins.reversed"}
    | {f"os.path.{name}" for name in ("join", "abspath", "normpath", "realpath", "expanduser")}
    | {"os.path.expandvars", "os.fspath", "os.fsencode", "os.fsdecode"}
    | {"pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath", "pathlib.PurePosixPath"}
    | {"anyio.Path", "aiopath.AsyncPath", "trio.Path"}
    | {f"urllib.parse.{name}" for name in ("urljoin", "unquote", "unquote_plus", "quote")}
    | {"urllib.parse.urlunparse", "urllib.parse.urlunsplit", "urllib.parse.quote_plus"}
    | {"json.loads", "base64.b64decode", "base64.urlsafe_b64decode", "binascii.unhexlify"}
    | {"textwrap.dedent", "string.Template", "copy.copy", "copy.deepcopy"}
    | {"httpx.URL", "yarl.URL", "starlette.datastructures.URL"}
)
# String methods whose result also carries their arguments (`" ".join(parts)`).
ARGUMENT_METHODS = frozenset(
    {"join", "format", "format_map", "replace", "__add__", "joinpath", "with_name"}
    | {"with_suffix", "copy_with", "join_path", "update", "substitute", "safe_substitute"}
)
# Methods whose result holds nothing of the receiver's text.
CLEAN_METHODS = frozenset(
    {"startswith", "endswith", "isdigit", "isalnum", "isalpha", "isascii", "isidentifier"}
    | {"isnumeric", "isdecimal", "islower", "isupper", "isspace", "count", "find", "index"}
    | {"rfind", "rindex", "exists", "is_file", "is_dir", "is_relative_to", "keys", "__len__"}
    | {"hexdigest", "digest", "close", "is_absolute", "match", "fullmatch"}
)
# Calls that make an argument a fresh, harmless value (numbers, hashes, booleans).
CLEANERS = frozenset(
    {f"builtins.{name}" for name in ("int", "float", "bool", "len", "hash", "id", "abs")}
    | {"builtins.isinstance", "builtins.round", "uuid.UUID", "decimal.Decimal"}
    | {f"hashlib.{name}" for name in ("md5", "sha1", "sha256", "sha512", "blake2b")}
    | {"secrets.compare_digest", "hmac.compare_digest", "hmac.new", "html.escape"}
    | {"markupsafe.escape", "datetime.datetime.fromisoformat", "ipaddress.ip_address"}
)

# -- sanitisers, by the sink kinds they make a value safe for ----------------------------

SANITISERS: dict[str, frozenset[str]] = {
    FILE: frozenset(
        {"os.path.basename", "werkzeug.utils.secure_filename", "werkzeug.secure_filename"}
        | {"pathvalidate.sanitize_filename", "pathvalidate.sanitize_filepath"}
        | {"fastapi_storages.utils.secure_filename"}
    ),
    COMMAND: frozenset({"shlex.quote", "pipes.quote", "shlex.join"}),
    SQL: frozenset({"sqlalchemy.bindparam", "psycopg.sql.Literal", "psycopg2.extensions.adapt"}),
    URL: frozenset(),
    REDIRECT: frozenset(),
}
# Attributes of a path that keep only its last part: `Path(name).name`.
FILE_NAME_ATTRIBUTES = frozenset({"name", "stem", "suffix"})
# In an `if` that raises or returns, these tests of a value are checks of it.
CHECK_METHODS = frozenset(
    {"startswith", "endswith", "is_relative_to", "match", "fullmatch", "isalnum", "isdigit"}
    | {"isidentifier", "isalpha", "isdecimal", "isnumeric", "relative_to", "search"}
)
# A function called on a value, in a test or on its own, that checks it when its name
# says so (`is_safe_url(u)`, `validate_path(p)`, `ensure_allowed_host(u)`).
CHECKER_WORDS = (
    "safe",
    "allow",
    "valid",
    "check",
    "verify",
    "ensure",
    "trusted",
    "whitelist",
    "permitted",
    "sanitize",
    "sanitise",
    "clean",
    "assert",
    "inside",
    "within",
    "contain",
)


# A function whose name says it makes a value safe returns a safe value
# (`secure_filename(name)`, `safe_join(base, name)`, `sanitize_path(p)`), when it is
# not a library function fastlint knows.
SANITISER_WORDS = ("secure_filename", "safe", "sanitize", "sanitise", "clean", "escape", "quote")


# -- sinks ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Sink:
    """A call that must not receive a request value in argument `position`/`keyword`.

    `mode`: "" (any value), "shell" (subprocess: any part when `shell=True`, else
    only the program), "program" (only the program: `create_subprocess_exec`),
    "yaml" (only without a safe `Loader`), "built" (only text the app built with
    f-strings, `+`, `%` or `.format`: raw SQL)."""

    kind: str
    name: str
    position: int = 0
    keyword: str = ""
    mode: str = ""


def _each(
    kind: str, names: object, position: int = 0, keyword: str = "", mode: str = ""
) -> list[Sink]:
    assert isinstance(names, (set, frozenset, tuple, list))
    return [Sink(kind, name, position, keyword, mode) for name in sorted(names)]


HTTP_VERBS = ("get", "post", "put", "patch", "delete", "head", "options", "stream")
HTTP_CLIENTS = ("httpx.Client()", "httpx.AsyncClient()", "requests.Session()", "requests")
_URL_FUNCTIONS = (
    {f"httpx.{verb}" for verb in HTTP_VERBS}
    | {f"requests.{verb}" for verb in HTTP_VERBS if verb != "stream"}
    | {f"{client}.{verb}" for client in HTTP_CLIENTS for verb in HTTP_VERBS}
    | {f"aiohttp.ClientSession().{verb}" for verb in HTTP_VERBS if verb != "stream"}
    | {f"requests.sessions.Session().{verb}" for verb in HTTP_VERBS if verb != "stream"}
    | {"urllib.request.urlopen", "urllib.request.Request", "urllib3.PoolManager().urlopen"}
    | {"websockets.connect", "websockets.client.connect", "aiohttp.ClientSession().ws_connect"}
)
_URL_REQUEST = (
    {"httpx.request", "requests.request", "urllib3.PoolManager().request"}
    | {f"{c}.request" for c in ("httpx.Client()", "httpx.AsyncClient()", "requests.Session()")}
    | {"aiohttp.ClientSession().request", "httpx.stream", "httpx.Client().build_request"}
    | {"httpx.AsyncClient().build_request"}
)
_URL_BASE = {"httpx.Client", "httpx.AsyncClient", "aiohttp.ClientSession"}

_FILE_FUNCTIONS = (
    {"builtins.open", "io.open", "aiofiles.open", "anyio.open_file", "os.open", "codecs.open"}
    | {"fastapi.responses.FileResponse", "starlette.responses.FileResponse"}
    | {f"os.{name}" for name in ("remove", "unlink", "rmdir", "removedirs", "listdir")}
    | {f"os.{name}" for name in ("makedirs", "mkdir", "rename", "replace", "scandir")}
    | {f"shutil.{name}" for name in ("copy", "copy2", "copyfile", "copytree", "move")}
    | {"shutil.rmtree", "aiofiles.os.remove", "aiofiles.os.unlink", "tarfile.open"}
    | {"zipfile.ZipFile", "pathlib.Path().open", "pandas.read_csv", "numpy.load"}
)
_FILE_SECOND = {"shutil.copy", "shutil.copy2", "shutil.copyfile", "shutil.move", "os.rename"}
# Methods of a path object that read, write or delete the file it names.
FILE_METHODS = frozenset(
    {"read_text", "read_bytes", "write_text", "write_bytes", "unlink", "rmdir", "touch"}
    | {"iterdir", "mkdir", "glob", "rglob"}
)
# Path methods whose names strings share (`str.replace`): sinks only on a known path.
PATH_ONLY_METHODS = frozenset({"rename", "replace", "open"})

_SQL_FUNCTIONS = {
    "sqlalchemy.text",
    "sqlalchemy.sql.text",
    "sqlalchemy.sql.expression.text",
    "sqlmodel.text",
    "pandas.read_sql",
    "pandas.read_sql_query",
    "sqlalchemy.literal_column",
}
# Methods that run SQL text, on a connection, session or cursor of any library.
SQL_METHODS = frozenset(
    {"execute", "executemany", "executescript", "exec_driver_sql", "fetchrow", "fetchval"}
    | {"fetch_all", "fetch_one", "fetch_val", "execute_many", "raw"}
)
# Methods that run SQL only when the library is known (`fetch` is also an HTTP verb).
SQL_LIBRARY_METHODS = frozenset({"fetch"})
SQL_LIBRARIES = frozenset(
    {"sqlite3", "psycopg", "psycopg2", "asyncpg", "aiomysql", "pymysql", "aiosqlite"}
    | {"sqlalchemy", "sqlmodel", "databases", "mysql", "MySQLdb", "aiopg", "duckdb"}
)

_COMMAND_SHELL = {f"subprocess.{n}" for n in ("run", "call", "check_call", "check_output")} | {
    "subprocess.Popen"
}
_COMMAND_ANY = {
    "os.system",
    "os.popen",
    "subprocess.getoutput",
    "subprocess.getstatusoutput",
    "asyncio.create_subprocess_shell",
    "builtins.eval",
    "builtins.exec",
    "builtins.compile",
    "pickle.loads",
    "pickle.load",
    "dill.loads",
    "cloudpickle.loads",
    "marshal.loads",
    "yaml.unsafe_load",
    "yaml.full_load",
    "jinja2.Template",
    "jinja2.Environment().from_string",
    "jinja2.environment.Environment().from_string",
    "jinja2.sandbox.SandboxedEnvironment().from_string",
    "mako.template.Template",
}
_COMMAND_PROGRAM = {"asyncio.create_subprocess_exec", "os.execv", "os.execvp", "os.spawnv"}
# Methods that compile a template from a string (receiver unresolved).
TEMPLATE_METHODS = frozenset({"from_string"})

SINKS: tuple[Sink, ...] = (
    *_each(URL, _URL_FUNCTIONS, 0, "url"),
    *_each(URL, _URL_REQUEST, 1, "url"),
    *_each(URL, _URL_BASE, 99, "base_url"),
    *_each(REDIRECT, {"fastapi.responses.RedirectResponse"}, 0, "url"),
    *_each(REDIRECT, {"starlette.responses.RedirectResponse"}, 0, "url"),
    *_each(FILE, _FILE_FUNCTIONS, 0, "path"),
    *_each(FILE, _FILE_SECOND, 1, "dst"),
    *_each(SQL, _SQL_FUNCTIONS, 0, "sql", "built"),
    *_each(COMMAND, _COMMAND_SHELL, 0, "args", "shell"),
    *_each(COMMAND, _COMMAND_ANY, 0, "source"),
    *_each(COMMAND, {"yaml.load", "yaml.load_all"}, 0, "stream", "yaml"),
    *_each(COMMAND, _COMMAND_PROGRAM, 0, "program", "program"),
)
SAFE_YAML_LOADERS = frozenset({"SafeLoader", "CSafeLoader", "BaseLoader"})
# Route classes whose return value is a redirect target.
REDIRECT_CLASSES = frozenset(
    {"fastapi.responses.RedirectResponse", "starlette.responses.RedirectResponse"}
)
