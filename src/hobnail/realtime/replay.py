"""Reading missed events back from the outbox for a client that resumes from a cursor."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from hobnail.events.wire import event_to_wire
from hobnail.models import EventRecord, EventStreamState, EventTopic


async def head_cursor(session: AsyncSession) -> int:
    return int(await session.scalar(sa.select(sa.func.coalesce(sa.func.max(EventRecord.seq), 0))) or 0)


async def pruned_through(session: AsyncSession) -> int:
    state = await session.get(EventStreamState, 1)
    return state.pruned_through if state else 0


async def events_after(
    session: AsyncSession, *, after: int, topics: set[str], org_id: str | None, limit: int
) -> list[dict[str, Any]]:
    """Events with cursor > ``after`` addressed to any of ``topics``, in cursor order.

    Only events of ``org_id`` (or of no organisation) are returned: a person's stream is
    the one of the organisation they are signed in to.
    """
    if not topics:
        return []
    matching = sa.select(EventTopic.event_id).where(EventTopic.topic.in_(sorted(topics)))
    query = (
        sa.select(EventRecord)
        .where(
            EventRecord.seq > after,
            EventRecord.id.in_(matching),
            sa.or_(EventRecord.org_id == org_id, EventRecord.org_id.is_(None)),
        )
        .order_by(EventRecord.seq)
        .limit(limit)
    )
    return [event_to_wire(row) for row in (await session.scalars(query)).all()]
