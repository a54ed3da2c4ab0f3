"""Recording events in the caller's transaction; the relay publishes them after commit."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa

from hobnail.core import clock
from hobnail.db.session import Session
from hobnail.events.base import DomainEvent
from hobnail.models import EventRecord, EventTopic

# Core statements (no unit-of-work flush): the outbox row and its topics, two round trips.
_EVENTS: sa.Table = EventRecord.__table__  # type: ignore[assignment]
_TOPICS: sa.Table = EventTopic.__table__  # type: ignore[assignment]
_INSERT_EVENT = _EVENTS.insert()
_INSERT_TOPIC = _TOPICS.insert()

# Set by whoever runs a relay in this process (the app or the worker) so a commit wakes it.
_wake_relay: Callable[[], None] | None = None


def set_relay_waker(waker: Callable[[], None] | None) -> None:
    global _wake_relay
    _wake_relay = waker


def _wake() -> None:
    if _wake_relay is not None:
        _wake_relay()


async def record(session: Session, event: DomainEvent) -> None:
    """Add ``event`` to the outbox in the session's transaction.

    Side effects: after the transaction commits, the relay is woken to assign the
    event its cursor and publish it. A rollback discards the event.
    """
    data = event.data()
    if event.resubscribe:
        data["_resubscribe"] = list(event.resubscribe)
        if event.grant:
            data["_grant"] = event.grant
        if event.revoke:
            data["_revoke"] = event.revoke
    conn = await session.connection()
    result = await conn.execute(
        _INSERT_EVENT, {"org_id": event.org_id, "type": event.type, "data": data, "created_at": clock.now()}
    )
    event_id = result.inserted_primary_key[0]  # type: ignore[index]
    topic_rows = [{"event_id": event_id, "topic": topic} for topic in dict.fromkeys(event.audience)]
    if topic_rows:
        await conn.execute(_INSERT_TOPIC, topic_rows if len(topic_rows) > 1 else topic_rows[0])
    session.after_commit(_wake)
