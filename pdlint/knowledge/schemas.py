"""Model and schema libraries beyond Django's (pydantic and pydantic-settings, SQLModel,
SQLAlchemy, marshmallow, typing's TypedDict and NamedTuple), and the manager and session
calls that write a model."""

from __future__ import annotations

from pdlint.knowledge.spec import Spec

SPEC = Spec(
    name="schemas",
    model_bases=(
        ("settings", r"^(pydantic_settings|pydantic|pydantic\.v1)\.(\w+\.)?BaseSettings$"),
        ("pydantic", r"^(pydantic(\.v1)?(\.main)?\.BaseModel|sqlmodel\.SQLModel"
                     r"|pydantic\.RootModel)$"),
        ("sqlalchemy", r"^sqlalchemy\.(orm\.)?(DeclarativeBase|DeclarativeBaseNoMeta"
                       r"|decl_api\.DeclarativeBase)$"),
        ("typeddict", r"^(typing|typing_extensions)\.TypedDict$"),
        ("namedtuple", r"^typing\.NamedTuple$"),
        ("marshmallow", r"^(marshmallow(\.schema)?\.Schema|marshmallow_sqlalchemy\.\w*Schema"
                        r"|marshmallow_dataclass\.\w+)$"),
    ),
    # Django managers, SQLAlchemy sessions, DynamoDB tables…
    storage_methods=frozenset({
        "create", "get_or_create", "update_or_create", "bulk_create", "update", "bulk_update",
        "save", "insert", "add", "add_all", "merge", "put", "put_item",
    }),
)
