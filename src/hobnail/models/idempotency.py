"""Responses remembered by Idempotency-Key so a retried write never runs twice."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from hobnail.db.base import Base, created_at_column


class IdempotentResponse(Base):
    __tablename__ = "idempotent_responses"

    # sha256 of (credential, method, path, key): one client's key never matches another's.
    key: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    status: Mapped[int | None] = mapped_column(sa.Integer)  # None while the first request runs
    body: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    content_type: Mapped[str | None] = mapped_column(sa.String(100))
    created_at: Mapped[datetime] = created_at_column()
