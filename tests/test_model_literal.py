"""Contract of the literal evaluator (`Project.literal`), independent of any rule."""

from __future__ import annotations

from fastlint.facts.expr import Name, Seq
from fastlint.model.literal import Literal, Possible
from fastlint.model.values import Scoped, Unknown
from fastlint.testing import literal_of, path_of, project_of

CONFIG = """\
import os

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_ORIGINS = ["https://app.example.com"]
ORIGINS = os.getenv("ORIGINS", "*").split(",")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SHOP_", env_file=".env")

    CORS_ORIGINS: list[str] = ["*"]
    SECRET_KEY: str = Field(default="changeme", min_length=8)
    SESSION_KEY: str = Field("not-so-secret")
    TAGS: list[str] = Field(default_factory=list)
    DATABASE_URL: str
    DEBUG: bool = False


settings = Settings()


class Limits:
    PAGE_SIZE = 50
    ORIGINS: list[str] = DEFAULT_ORIGINS
"""


def line_of(text: str, snippet: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if snippet in line)


def only(result: Literal) -> Possible:
    assert len(result.possible) == 1, result
    return result.possible[0]


def unknown_reason(result: Literal) -> str:
    value = result.value
    assert isinstance(value, Unknown), result
    return value.reason


def test_constants_and_displays() -> None:
    project = project_of(
        {
            "app/main.py": """\
            HOST = "api.example.com"
            PORT = 8443
            ITEMS = ["a", ("b", 2), {"c", None}]
            TABLE = {"origins": ["*"], "depth": 1.5, **{"extra": True}}
            JOINED = "api" ".example.com"
            URL = f"https://{HOST}:{PORT}/v1"
            PICKED = TABLE["origins"]
            REQUIRED = ...
            PREFIX = "/api"
            JOINED_PATH = PREFIX + "/v1" + f"/{PORT}"
            ORIGINS = ITEMS[:1] + ["https://a.example.com"]
            ALL = ["x"] + ["y"]
            TIMEOUT = 60 * 5 - -1
            OFF = not True
            IS_DEV = "dev" in ("dev", "test") and PORT > 443
            MODE = None or "strict"
            NONE = HOST is None
            """
        }
    )

    def read(name: str) -> object:
        return literal_of(project, "app/main.py", name).value

    assert read("HOST") == "api.example.com"
    assert read("PORT") == 8443
    assert read("ITEMS") == ["a", ["b", 2], ["c", None]]  # tuples and sets read as lists
    assert read("TABLE") == {"origins": ["*"], "depth": 1.5, "extra": True}
    assert read("JOINED") == "api.example.com"
    assert read("URL") == "https://api.example.com:8443/v1"
    assert read("PICKED") == ["*"]
    assert read("REQUIRED") is Ellipsis
    assert read("JOINED_PATH") == "/api/v1/8443"
    assert read("ALL") == ["x", "y"]
    assert read("TIMEOUT") == 301
    assert read("OFF") is False
    assert read("IS_DEV") is True
    assert read("MODE") == "strict"
    assert read("NONE") is False
    assert isinstance(read("ORIGINS"), Unknown)  # slices are not evaluated
    where = only(literal_of(project, "app/main.py", "HOST")).where
    assert where is not None and where.path == path_of("app/main.py")


def test_constants_across_modules_by_name_and_through_the_module() -> None:
    project = project_of(
        {
            "app/__init__.py": "",
            "app/core/__init__.py": "",
            "app/core/config.py": CONFIG,
            "app/main.py": """\
            from app.core import config
            from app.core.config import DEFAULT_ORIGINS

            BY_NAME = DEFAULT_ORIGINS
            BY_MODULE = config.DEFAULT_ORIGINS
            """,
        }
    )
    for name in ("BY_NAME", "BY_MODULE"):
        possible = only(literal_of(project, "app/main.py", name))
        assert possible.value == ["https://app.example.com"]
        assert possible.where is not None and possible.where.path == path_of("app/core/config.py")
        assert not possible.configurable


def test_class_attributes() -> None:
    project = project_of(
        {
            "app/core/config.py": CONFIG,
            "app/main.py": """\
            from app.core.config import Limits

            SIZE = Limits.PAGE_SIZE
            ORIGINS = Limits.ORIGINS
            """,
        }
    )
    assert literal_of(project, "app/main.py", "SIZE").value == 50
    origins = only(literal_of(project, "app/main.py", "ORIGINS"))
    assert origins.value == ["https://app.example.com"]
    assert origins.settings is None  # a plain class, not a settings class
    assert origins.where is not None and origins.where.span is not None
    assert origins.where.span.line == line_of(CONFIG, "ORIGINS: list[str] = DEFAULT")


def test_settings_class_defaults() -> None:
    project = project_of(
        {
            "app/core/config.py": CONFIG,
            "app/main.py": """\
            from functools import lru_cache

            from app.core.config import Settings, settings


            @lru_cache
            def get_settings():
                return Settings()


            ORIGINS = settings.CORS_ORIGINS
            SECRET = get_settings().SECRET_KEY
            SESSION = settings.SESSION_KEY
            OVERRIDDEN = Settings(DEBUG=True).DEBUG
            FROM_DATA = Settings(**{"DEBUG": True}).DEBUG
            """,
        }
    )
    origins = only(literal_of(project, "app/main.py", "ORIGINS"))
    assert origins.value == ["*"]
    assert origins.settings is not None
    assert (origins.settings.cls, origins.settings.field) == ("Settings", "CORS_ORIGINS")
    assert origins.variable == "SHOP_CORS_ORIGINS"  # SettingsConfigDict(env_prefix=...)
    assert origins.configurable and origins.is_fallback
    assert origins.where is not None and origins.where.path == path_of("app/core/config.py")
    assert origins.where.span is not None
    assert origins.where.span.line == line_of(CONFIG, "CORS_ORIGINS: list[str]")
    assert origins.where.what == "`Settings.CORS_ORIGINS`"
    assert literal_of(project, "app/main.py", "SECRET").value == "changeme"  # Field(default=)
    assert literal_of(project, "app/main.py", "SESSION").value == "not-so-secret"  # Field(x)
    assert literal_of(project, "app/main.py", "OVERRIDDEN").value is True
    assert "`**` arguments" in unknown_reason(literal_of(project, "app/main.py", "FROM_DATA"))


def test_settings_fields_without_a_default_are_unknown() -> None:
    project = project_of(
        {
            "app/core/config.py": CONFIG,
            "app/main.py": """\
            from app.core.config import settings

            URL = settings.DATABASE_URL
            TAGS = settings.TAGS
            """,
        }
    )
    url = only(literal_of(project, "app/main.py", "URL"))
    assert isinstance(url.value, Unknown) and "no default" in url.value.reason
    assert url.settings is not None and url.variable == "SHOP_DATABASE_URL"
    assert "default_factory" in unknown_reason(literal_of(project, "app/main.py", "TAGS"))


def test_pydantic_v1_settings_take_the_prefix_from_class_config() -> None:
    project = project_of(
        {
            "app/config.py": """\
            from pydantic import BaseSettings

            class Settings(BaseSettings):
                secret_key: str = "dev"

                class Config:
                    env_prefix = "APP_"

            KEY = Settings().secret_key
            """
        }
    )
    key = only(literal_of(project, "app/config.py", "KEY"))
    assert key.value == "dev"
    assert key.variable == "APP_SECRET_KEY"


def test_environment_variables_and_their_fallback_defaults() -> None:
    project = project_of(
        {
            "app/main.py": """\
            import os
            from os import environ, getenv

            A = os.getenv("SECRET_KEY", "dev-secret")
            B = os.environ.get("SECRET_KEY", default="dev-secret")
            C = getenv("SECRET_KEY", "dev-secret")
            D = environ.get("SECRET_KEY", "dev-secret")
            NO_DEFAULT = os.getenv("SECRET_KEY")
            REQUIRED = os.environ["SECRET_KEY"]
            """
        }
    )
    for name in "ABCD":
        possible = only(literal_of(project, "app/main.py", name))
        assert possible.value == "dev-secret", name
        assert possible.env is not None and possible.env.variable == "SECRET_KEY"
        assert possible.env.has_default and possible.is_fallback
        assert possible.where is not None and possible.where.span is not None
    a = only(literal_of(project, "app/main.py", "A"))
    assert a.where is not None and a.where.span is not None and a.where.span.line == 4
    for name in ("NO_DEFAULT", "REQUIRED"):
        possible = only(literal_of(project, "app/main.py", name))
        assert isinstance(possible.value, Unknown), name
        assert "SECRET_KEY" in possible.value.reason
        assert possible.env is not None and not possible.env.has_default
        assert not possible.is_fallback


def test_split_of_a_constant_and_of_an_environment_default() -> None:
    project = project_of(
        {
            "app/core/config.py": CONFIG,
            "app/main.py": """\
            from app.core.config import ORIGINS

            HOSTS = "a.example.com, b.example.com".split(", ")
            CLEAN = "  Bearer ".strip().lower()
            FROM_ENV = ORIGINS
            """,
        }
    )
    assert literal_of(project, "app/main.py", "HOSTS").value == ["a.example.com", "b.example.com"]
    assert literal_of(project, "app/main.py", "CLEAN").value == "bearer"
    origins = only(literal_of(project, "app/main.py", "FROM_ENV"))
    assert origins.value == ["*"]
    assert origins.env is not None and origins.env.variable == "ORIGINS"
    assert origins.where is not None and origins.where.path == path_of("app/core/config.py")


def test_conditional_expressions_give_each_branch_with_its_condition() -> None:
    project = project_of(
        {
            "app/core/config.py": CONFIG,
            "app/main.py": """\
            from app.core.config import settings

            ORIGINS = ["*"] if settings.DEBUG else ["https://app.example.com"]
            HOSTS = ["*"] if not settings.DEBUG and settings.ENV != "prod" else []
            """,
        }
    )
    result = literal_of(project, "app/main.py", "ORIGINS")
    assert [p.value for p in result.possible] == [["*"], ["https://app.example.com"]]
    assert [(c.text, c.holds) for p in result.possible for c in p.conditions] == [
        ("settings.DEBUG", True),
        ("settings.DEBUG", False),
    ]
    test = result.possible[0].conditions[0].test
    assert project.literal(test).value is False  # the condition itself can be evaluated
    assert isinstance(result.value, Unknown)  # several values: no single one
    hosts = literal_of(project, "app/main.py", "HOSTS").possible[0].conditions[0]
    assert hosts.text == "not settings.DEBUG and settings.ENV != 'prod'"


def test_environment_comparisons_are_known_through_their_default() -> None:
    project = project_of(
        {
            "app/main.py": """\
            import os

            DEBUG = os.getenv("ENVIRONMENT", "production").lower() == "development"
            """
        }
    )
    debug = only(literal_of(project, "app/main.py", "DEBUG"))
    assert debug.where is not None and debug.where.what == "`os.getenv(...)`"
    assert debug.value is False
    assert debug.env is not None and debug.env.variable == "ENVIRONMENT"


def test_names_bound_in_branches_have_several_values() -> None:
    project = project_of(
        {
            "app/main.py": """\
            import os

            if os.getenv("ENV") == "dev":
                ORIGINS = ["*"]
            else:
                ORIGINS = ["https://app.example.com"]
            """
        }
    )
    result = literal_of(project, "app/main.py", "ORIGINS")
    assert sorted(str(p.value) for p in result.possible) == [
        "['*']",
        "['https://app.example.com']",
    ]


def test_what_cannot_be_known_is_unknown_with_a_reason() -> None:
    project = project_of(
        {
            "app/main.py": """\
            import secrets

            def compute():
                return "x"

            CALLED = compute()
            TOKEN = secrets.token_hex(32)
            REPEATED = "ab" * 3
            MIXED_SUM = "a" + 1
            MISSING = not_defined
            MIXED = ["a", compute()]
            """
        }
    )
    reasons = {
        name: unknown_reason(literal_of(project, "app/main.py", name))
        for name in ("CALLED", "TOKEN", "REPEATED", "MIXED_SUM", "MISSING", "MIXED")
    }
    assert "compute()" in reasons["CALLED"]
    assert "secrets.token_hex()" in reasons["TOKEN"]
    assert "`*`" in reasons["REPEATED"]  # repetition could build huge values
    assert "`+`" in reasons["MIXED_SUM"]
    assert "not_defined" in reasons["MISSING"]
    assert "compute()" in reasons["MIXED"]


def test_self_referential_definitions_end() -> None:
    project = project_of(
        {
            "app/a.py": """\
            from app.b import B

            A = B
            LOOP = [LOOP]
            SELF = SELF
            """,
            "app/b.py": """\
            from app.a import A

            B = A
            """,
        }
    )
    for name in ("A", "LOOP", "SELF"):
        assert "itself" in unknown_reason(literal_of(project, "app/a.py", name)), name


def test_parameters_resolve_from_their_call_sites_else_unknown() -> None:
    project = project_of(
        {
            "app/main.py": """\
            def configure(origins):
                ORIGINS = origins
                return ORIGINS

            def unused(origins):
                return origins

            configure(["https://a.example.com"])
            """
        }
    )
    module = project.index.modules[path_of("app/main.py")].scope
    ctx = project.resolver.module_ctx(path_of("app/main.py"))
    configure, unused = module.functions["configure"], module.functions["unused"]
    used = project.literal(Scoped(configure.return_values[0], ctx.enter(configure)))
    assert used.value == ["https://a.example.com"]
    never = project.literal(Scoped(unused.return_values[0], ctx.enter(unused)))
    assert "parameter" in unknown_reason(never)


def test_doubling_chains_stop_instead_of_building_huge_values() -> None:
    lines = ['S0 = "xy"', "L0 = [1, 2]", "N0 = 3", 'F0 = "ab"']
    for i in range(1, 80):
        lines += [
            f"S{i} = S{i - 1} + S{i - 1}",
            f"L{i} = L{i - 1} + L{i - 1}",
            f"N{i} = N{i - 1} * N{i - 1}",
            f'F{i} = f"{{F{i - 1}}}{{F{i - 1}}}"',
        ]
    project = project_of({"app/main.py": "\n".join(lines) + "\n"})
    deep = unknown_reason(literal_of(project, "app/main.py", "S79"))
    assert "nested too deeply" in deep  # from scratch: the depth limit ends it
    assert literal_of(project, "app/main.py", "S5").value == "xy" * 32  # not left cut short
    for i in range(80):  # step by step, each answer memoised: the size limit ends it
        for name in "SLNF":
            literal_of(project, "app/main.py", f"{name}{i}")
    for name in ("S79", "L79", "F79"):
        assert "longer than" in unknown_reason(literal_of(project, "app/main.py", name)), name
    assert "too large" in unknown_reason(literal_of(project, "app/main.py", "N79"))
    assert literal_of(project, "app/main.py", "S3").value == "xy" * 8


def test_true_and_one_are_different_constants() -> None:
    """Python has `True == 1`; the resolver's memo must not answer one for the other."""
    project = project_of({"app/main.py": "A = True\nB = 1\nC = 1.0\n"})
    resolved = [
        project.resolver.evaluate(Name(name), project.resolver.module_ctx(path_of("app/main.py")))
        for name in ("A", "B", "C")
    ]
    assert [type(v[0].value) for v in resolved] == [bool, int, float]  # type: ignore[union-attr]


def test_attributes_of_self_are_what_the_methods_assign() -> None:
    project = project_of(
        {
            "auth.py": """\
            import os

            FALLBACK = "guest-mode-signing-key"


            class Tokens:
                algorithm = "HS256"

                def __init__(self, issuer):
                    self.secret = os.environ.get("TOKEN_SECRET")
                    if not self.secret:
                        self.secret = FALLBACK
                    self.issuer = issuer

                def read(self):
                    return self.secret, self.algorithm, self.issuer, self.missing
            """
        }
    )
    ctx = project.resolver.module_ctx(path_of("auth.py"))
    (read,) = [
        m for c in ctx.module_scope.classes.values() for n, m in c.methods.items() if n == "read"
    ]
    (returned,) = read.return_values
    assert isinstance(returned, Seq)
    inside = ctx.enter(read)
    secret, algorithm, issuer, missing = (
        project.literal(Scoped(e, inside)) for e in returned.items
    )
    unset, fallback = secret.possible
    assert unset.env is not None and unset.env.variable == "TOKEN_SECRET" and not unset.known
    assert fallback.value == "guest-mode-signing-key"
    assert fallback.where is not None and fallback.where.what == "`FALLBACK`"
    assert algorithm.value == "HS256"  # the class attribute
    assert not issuer.is_known  # a parameter
    assert not missing.is_known


def test_or_chain_keeps_every_operand_that_can_win() -> None:
    """`a or b or DEFAULT`: a value deployment sets may be unset (falsy), so the next
    operand can win; a literal after it is that value's fallback default."""
    project = project_of(
        {
            "app/main.py": """\
            import os

            from pydantic_settings import BaseSettings


            class Config(BaseSettings):
                secret: str | None = None


            config = Config()
            DEFAULT_KEY = "default-signing-key"
            KEY = config.secret or os.getenv("APP_SECRET") or DEFAULT_KEY
            FIRST = "set" or os.getenv("NEVER_READ")
            EMPTY = os.getenv("APP_SECRET") or ""
            RAW = DEFAULT_KEY.encode()
            """
        }
    )
    key = literal_of(project, "app/main.py", "KEY")
    known = key.known
    assert [p.value for p in known] == ["default-signing-key"]
    assert known[0].is_fallback and known[0].variable == "APP_SECRET"
    assert len(key.unknown) == 2  # the settings field when set, the variable when set
    assert literal_of(project, "app/main.py", "FIRST").value == "set"
    empty = literal_of(project, "app/main.py", "EMPTY")
    assert [p.value for p in empty.known] == [""]
    assert literal_of(project, "app/main.py", "RAW").value == b"default-signing-key"
