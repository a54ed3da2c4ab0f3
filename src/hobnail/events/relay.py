"""The relay: gives committed outbox rows their cursor, in order, and publishes them.

Only one relay runs at a time across all nodes (a PostgreSQL advisory lock held from
numbering until publishing; an asyncio lock on SQLite, which is single-process), so
cursors are dense, increasing, and published in order. Any node may run it; each node
wakes its relay after its own commits and polls once a second for the rest.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from hobnail.core import clock
from hobnail.core.ids import new_id
from hobnail.core.loops import WakeableLoop
from hobnail.events.pubsub.base import PubSub
from hobnail.events.subscribers import job_kinds_for
from hobnail.events.wire import encode_batch, event_to_wire
from hobnail.jobs.queue import wake_runner
from hobnail.models import EventRecord, EventTopic, Job

log = logging.getLogger(__name__)

_ADVISORY_KEY = 0x4E0B_4A11  # any constant shared by all nodes
BATCH = 500


_EVENTS: sa.Table = EventRecord.__table__  # type: ignore[assignment]
_TOPICS: sa.Table = EventTopic.__table__  # type: ignore[assignment]
_TOPIC_SEPARATOR = "\n"  # topics are "kind:id", never a line break
# The unnumbered rows, each with its topics, and the current head: one round trip.
_PENDING = (
    sa.select(
        _EVENTS,
        sa.select(sa.func.coalesce(sa.func.max(_EVENTS.c.seq), 0)).correlate(None).scalar_subquery().label("head"),
        sa.select(sa.func.aggregate_strings(_TOPICS.c.topic, _TOPIC_SEPARATOR))
        .where(_TOPICS.c.event_id == _EVENTS.c.id)
        .correlate(_EVENTS)
        .scalar_subquery()
        .label("topics"),
    )
    .where(_EVENTS.c.seq.is_(None))
    .order_by(_EVENTS.c.id)
    .limit(BATCH)
)
_NUMBER = _EVENTS.update().where(_EVENTS.c.id == sa.bindparam("row_id")).values(seq=sa.bindparam("new_seq"))


class Relay(WakeableLoop):
    name = "event-relay"

    def __init__(self, engine: AsyncEngine, pubsub: PubSub, poll_seconds: float = 1.0) -> None:
        super().__init__(poll_seconds)
        self._engine = engine
        self._pubsub = pubsub
        self._local_lock = asyncio.Lock()
        self._is_postgres = engine.dialect.name == "postgresql"

    async def work_pass(self) -> None:
        while await self.relay_once() == BATCH:
            pass

    async def relay_once(self) -> int:
        """Number and publish one batch of committed, unnumbered events. Returns how many."""
        async with self._local_lock, self._engine.connect() as conn:
            if self._is_postgres:
                await conn.execute(sa.select(sa.func.pg_advisory_lock(_ADVISORY_KEY)))
                await conn.commit()
            try:
                return await self._number_and_publish(conn)
            finally:
                if self._is_postgres:
                    await conn.rollback()
                    await conn.execute(sa.select(sa.func.pg_advisory_unlock(_ADVISORY_KEY)))
                    await conn.commit()

    @staticmethod
    def _item(row: Any, seq: int, topics: Sequence[str]) -> dict[str, Any]:
        record = EventRecord(
            id=row.id,
            seq=seq,
            org_id=row.org_id,
            type=row.type,
            data=row.data if isinstance(row.data, dict) else orjson.loads(row.data),
            created_at=row.created_at,
        )
        wire = event_to_wire(record)
        return {
            "row_id": row.id,
            "wire": wire,
            "seq": seq,
            "org_id": record.org_id,
            "topics": list(topics),
            "resubscribe": record.data.get("_resubscribe", []),
            "grant": record.data.get("_grant"),
            "revoke": record.data.get("_revoke"),
            "frame": orjson.dumps(wire).decode(),
        }

    async def _number_and_publish(self, conn: AsyncConnection) -> int:
        rows = (await conn.execute(_PENDING)).all()
        if not rows:
            await conn.rollback()
            return 0
        now = clock.now()
        head: int = rows[0].head or 0
        assignments = [{"row_id": row.id, "new_seq": head + i + 1} for i, row in enumerate(rows)]
        await conn.execute(_NUMBER, assignments)
        items = [
            self._item(row, assignment["new_seq"], row.topics.split(_TOPIC_SEPARATOR) if row.topics else [])
            for row, assignment in zip(rows, assignments, strict=True)
        ]
        subscriber_jobs: list[dict[str, Any]] = [
            {"id": new_id(), "kind": kind, "payload": item["wire"], "run_at": now, "status": "pending",
             "attempts": 0, "max_attempts": 8, "created_at": now}
            for item in items
            for kind in job_kinds_for(item["wire"]["type"], item["wire"])
        ]  # fmt: skip
        if subscriber_jobs:
            await conn.execute(sa.insert(Job), subscriber_jobs)
        await conn.commit()
        if subscriber_jobs:
            wake_runner()

        for item in items:
            item.pop("wire")
            item.pop("row_id")
        await self._pubsub.publish(encode_batch(items))
        return len(rows)
