"""Pruning old events: clients with older cursors get ``stream.resync``."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import sqlalchemy as sa

from hobnail.core import clock
from hobnail.db.session import Session
from hobnail.models import EventRecord, EventStreamState, EventTopic


async def prune_events(session: Session, retention: timedelta) -> int:
    """Delete published events older than ``retention``; remember the highest cursor pruned."""
    cutoff = clock.now() - retention
    highest = await session.scalar(
        sa.select(sa.func.max(EventRecord.seq)).where(EventRecord.created_at < cutoff, EventRecord.seq.is_not(None))
    )
    if highest is None:
        return 0
    old_ids = sa.select(EventRecord.id).where(EventRecord.seq <= highest)
    await session.execute(sa.delete(EventTopic).where(EventTopic.event_id.in_(old_ids)))
    result = await session.execute(sa.delete(EventRecord).where(EventRecord.seq <= highest))
    state = await session.get(EventStreamState, 1)
    if state is None:
        session.add(EventStreamState(id=1, pruned_through=highest))
    else:
        state.pruned_through = max(state.pruned_through, highest)
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def prune_job(retention: timedelta) -> Any:
    async def run(session: Session, _payload: dict[str, Any]) -> None:
        await prune_events(session, retention)

    return run
