"""Recording events in the caller's transaction; the relay publishes them after commit."""

from __future__ import annotations

from collections.abc import Callable

from hobnail.core import clock
from hobnail.db.session import Session
from hobnail.events.base import DomainEvent
from hobnail.models import EventRecord, EventTopic

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
    row = EventRecord(org_id=event.org_id, type=event.type, data=data, created_at=clock.now())
    session.add(row)
    await session.flush()
    for topic in dict.fromkeys(event.audience):
        session.add(EventTopic(event_id=row.id, topic=topic))
    session.after_commit(_wake)
