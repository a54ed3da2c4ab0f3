"""Alembic environment: runs on the connection handed in by ``hobnail.db.migrate``."""

from __future__ import annotations

from alembic import context

import hobnail.models  # noqa: F401  (registers every table)
from hobnail.db.base import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("Run migrations with `hobnail migrate`.")


def include_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    """Leave SQLite's full-text search tables (made by raw SQL in 0005) out of autogenerate."""
    return not (type_ == "table" and name is not None and name.startswith("messages_fts"))


context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    include_object=include_object,
)
with context.begin_transaction():
    context.run_migrations()
