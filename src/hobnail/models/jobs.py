"""Durable delayed jobs: run once each, even with several nodes, retried with backoff."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from hobnail.db.base import Base, created_at_column, id_column
from hobnail.db.types import JSONType, UTCDateTime


class Job(Base):
    __tablename__ = "jobs"
    __table_args__ = (sa.Index("ix_jobs_status_run_at", "status", "run_at"),)

    id: Mapped[str] = id_column()
    kind: Mapped[str] = mapped_column(sa.String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    # A second job with the same key is not enqueued while one is pending (dedupe).
    dedupe_key: Mapped[str | None] = mapped_column(sa.String(200), unique=True)
    run_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(sa.String(16), default="pending")  # pending|running|done|failed
    attempts: Mapped[int] = mapped_column(sa.Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(sa.Integer, default=8)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = created_at_column()
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
