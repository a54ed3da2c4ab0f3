"""Enqueueing jobs inside the caller's transaction (so a rollback cancels them)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from hobnail.core import clock
from hobnail.db.session import Session
from hobnail.models import Job

_wake_runner: Callable[[], None] | None = None


def set_runner_waker(waker: Callable[[], None] | None) -> None:
    global _wake_runner
    _wake_runner = waker


def wake_runner() -> None:
    if _wake_runner is not None:
        _wake_runner()


_wake = wake_runner


async def enqueue(
    session: Session,
    kind: str,
    payload: dict[str, Any] | None = None,
    *,
    run_at: datetime | None = None,
    dedupe_key: str | None = None,
    max_attempts: int = 8,
) -> Job | None:
    """Schedule a job. With ``dedupe_key``, nothing is added while a job with that key
    is still pending or running; returns None then.

    Side effects: the runner is woken after commit.
    """
    if dedupe_key is not None:
        existing = await session.scalar(sa.select(Job.id).where(Job.dedupe_key == dedupe_key))
        if existing is not None:
            return None
    job = Job(
        kind=kind,
        payload=payload or {},
        run_at=run_at or clock.now(),
        dedupe_key=dedupe_key,
        max_attempts=max_attempts,
    )
    session.add(job)
    await session.flush()
    session.after_commit(_wake)
    return job


async def cancel(session: Session, dedupe_key: str) -> bool:
    """Cancel a pending job by its key. Returns whether one was cancelled."""
    result = await session.execute(
        sa.update(Job)
        .where(Job.dedupe_key == dedupe_key, Job.status == "pending")
        .values(status="cancelled", dedupe_key=None, finished_at=clock.now())
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]
