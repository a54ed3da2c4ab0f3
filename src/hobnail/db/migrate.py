"""Alembic, driven from code so the installed ``hobnail`` can migrate without a checkout."""

from __future__ import annotations

from functools import lru_cache

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.ext.asyncio import AsyncConnection

from hobnail.db.engine import create_engine


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", "hobnail:migrations")
    config.set_main_option("sqlalchemy.url", url)
    return config


@lru_cache(maxsize=1)
def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


async def current_revision(conn: AsyncConnection) -> str | None:
    def read(sync_conn: sa.Connection) -> str | None:
        return MigrationContext.configure(sync_conn).get_current_revision()

    return await conn.run_sync(read)


async def upgrade(url: str, revision: str = "head") -> None:
    """Apply migrations up to ``revision``."""
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(_run, url, lambda cfg: command.upgrade(cfg, revision))
    finally:
        await engine.dispose()


async def autogenerate(url: str, message: str) -> None:
    """Write a new migration from the difference between the models and the database."""
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(_run, url, lambda cfg: command.revision(cfg, message=message, autogenerate=True))
    finally:
        await engine.dispose()


def _run(sync_conn: sa.Connection, url: str, action: object) -> None:
    config = alembic_config(url)
    config.attributes["connection"] = sync_conn
    action(config)  # type: ignore[operator]
