"""The unit of work: one session per request or job, committed once by its owner.

Services never commit. Code that must run only once the work is durable (publishing
events, waking the job runner) registers with ``after_commit``; a rollback drops it.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

log = logging.getLogger(__name__)

AfterCommit = Callable[[], Awaitable[None] | None]


class Session(AsyncSession):
    """An AsyncSession with after-commit callbacks."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._after_commit: list[AfterCommit] = []

    def after_commit(self, callback: AfterCommit) -> None:
        if callback not in self._after_commit:
            self._after_commit.append(callback)

    async def commit(self) -> None:
        await super().commit()
        callbacks, self._after_commit = self._after_commit, []
        for callback in callbacks:
            try:
                result = callback()
                if result is not None:
                    await result
            except Exception:  # an after-commit hook must never undo an acknowledged write
                log.exception("after-commit callback failed")

    async def rollback(self) -> None:
        self._after_commit = []
        await super().rollback()


async def begin_read(session: AsyncSession) -> None:
    """Start the session's transaction as a reader: on SQLite it takes no write lock
    (write transactions take it at BEGIN). Precondition: the session has not begun."""
    await session.connection(execution_options={"sqlite_immediate": False})


async def optimize_statistics(session: Session, _payload: dict[str, Any] | None = None) -> None:
    """SQLite plans queries from statistics it only gathers when asked (``PRAGMA optimize``
    runs ANALYZE where tables changed a lot); without them it can pick an organisation-wide
    index for a per-person query. PostgreSQL's autovacuum keeps its own statistics."""
    if session.bind is not None and session.bind.dialect.name == "sqlite":
        await session.execute(sa.text("PRAGMA optimize"))
