"""Pydantic, SQLModel and settings classes: models, fields, validators.

Library facts as data (see `fastlint.knowledge`); predicates on them live in
`fastlint.model.known`.
"""

from __future__ import annotations

PYDANTIC = "pydantic"
PYDANTIC_MODELS = frozenset({"BaseModel", "RootModel", "GenericModel"})  # v1 generics
# `class Form(TypedDict)`: FastAPI reads a TypedDict body like a model.
TYPED_DICT_MODULES = ("typing", "typing_extensions")
TYPED_DICT = "TypedDict"
# Pydantic validators whose checks fastlint cannot see: in `Annotated[...]` metadata,
# and decorators of model methods that validate named fields.
VALIDATOR_MARKERS = frozenset(
    {"AfterValidator", "BeforeValidator", "WrapValidator", "PlainValidator"}
)
FIELD_VALIDATORS = frozenset({"field_validator", "validator"})
SQLMODEL = "sqlmodel"
SQLMODEL_MODELS = frozenset({"SQLModel"})
# Classes pydantic reads as a body, not a scalar, in a parameter.
PYDANTIC_COMPLEX = frozenset({"BaseModel", "RootModel", "SQLModel", "Json"})
# Settings classes, and the field factories whose argument is a default.
SETTINGS_PACKAGES = (PYDANTIC, "pydantic_settings")
SETTINGS_BASE = "BaseSettings"
FIELD_FACTORIES = ((PYDANTIC, "Field"), (SQLMODEL, "Field"), ("pydantic_settings", "Field"))
