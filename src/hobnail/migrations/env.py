"""Alembic environment: runs on the connection handed in by ``hobnail.db.migrate``."""

from __future__ import annotations

from alembic import context

import hobnail.models  # noqa: F401  (registers every table)
from hobnail.db.base import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("Run migrations with `hobnail migrate`.")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
