"""Alembic environment: runs on the connection gongkai hands over (see gongkai.core.records.schema)."""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlmodel import SQLModel

from gongkai.core.records.schema import include_name
from gongkai.core.records.storage import import_models, make_engine

import_models()
config = context.config


def render_item(type_: str, obj: Any, autogen_context: Any) -> Any:
    """Write SQLModel's own types as plain SQLAlchemy types in generated revisions."""
    if type_ == "type" and type(obj).__name__ == "AutoString":
        return f"sa.String(length={obj.length})" if obj.length else "sa.String()"
    if type_ == "type" and type(obj).__name__ == "UTCDateTime":
        return "sa.DateTime(timezone=True)"
    return False


def run(connection: Any) -> None:
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table
        render_item=render_item,
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run(connection)
else:  # `alembic -x url=...` from a shell
    engine = make_engine(context.get_x_argument(as_dictionary=True)["url"])
    with engine.begin() as conn:
        run(conn)
