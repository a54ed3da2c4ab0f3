"""The outbox: every state change a client must see, in commit order.

``id`` is assigned at insert (uncommitted transactions may commit out of id order);
``seq`` is assigned by the relay, one node at a time, only to committed rows, so a
client that resumes after cursor N can never miss a row that commits later with a
smaller id. ``seq`` is the cursor clients see.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from hobnail.db.base import Base, created_at_column
from hobnail.db.types import JSONType


class EventRecord(Base):
    __tablename__ = "events"

    id: Mapped[int] = mapped_column(
        sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    seq: Mapped[int | None] = mapped_column(sa.BigInteger, unique=True)
    org_id: Mapped[str | None] = mapped_column(sa.String(26), index=True)
    type: Mapped[str] = mapped_column(sa.String(64))
    data: Mapped[dict[str, Any]] = mapped_column(JSONType)
    created_at: Mapped[datetime] = created_at_column()


class EventTopic(Base):
    """Who may receive an event: ``org:<id>``, ``user:<id>``, ``admins:<org>``, later ``chat:<id>``."""

    __tablename__ = "event_topics"
    __table_args__ = (sa.Index("ix_event_topics_topic_event", "topic", "event_id"),)

    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    topic: Mapped[str] = mapped_column(sa.String(80), primary_key=True)


class EventStreamState(Base):
    """One row: the highest cursor whose events have been pruned (older cursors must resync)."""

    __tablename__ = "event_stream_state"

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    pruned_through: Mapped[int] = mapped_column(sa.BigInteger, default=0)
