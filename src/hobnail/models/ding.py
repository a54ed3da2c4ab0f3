"""DING: urgent messages each recipient must confirm, escalated until they do.

The escalation policy is copied onto the DING when it is sent (a later change of the
organisation's policy does not alter DINGs in flight). Each step is a durable job;
each delivery over SMS, voice or e-mail is an attempt row with its own result.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from hobnail.db.base import Base, created_at_column, id_column
from hobnail.db.types import JSONType, UTCDateTime


class Ding(Base):
    __tablename__ = "dings"
    __table_args__ = (sa.Index("ix_dings_sender_created", "sender_id", "created_at"),)

    id: Mapped[str] = id_column()
    org_id: Mapped[str] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    sender_id: Mapped[str] = mapped_column(sa.ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(sa.Text)
    source_message_id: Mapped[str | None] = mapped_column(sa.String(26))
    file_id: Mapped[str | None] = mapped_column(sa.ForeignKey("files.id", ondelete="SET NULL"), index=True)
    attachment: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    channel: Mapped[str] = mapped_column(sa.String(10))  # first channel: in_app | sms | voice | email
    # [{"after_minutes": 5, "channel": "sms"}, {"after_minutes": 15, "channel": "voice", "fallback": "sms"}]
    policy: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    critical: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    status: Mapped[str] = mapped_column(sa.String(12), default="sent")  # scheduled | sent | recalled
    scheduled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    recalled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = created_at_column()


class DingRecipient(Base):
    __tablename__ = "ding_recipients"
    __table_args__ = (sa.Index("ix_ding_recipients_user", "user_id", "org_id"),)

    ding_id: Mapped[str] = mapped_column(sa.ForeignKey("dings.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[str] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    org_id: Mapped[str] = mapped_column(sa.String(26))
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # in-app alert shown on a device
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class DingAttempt(Base):
    """One try to reach one recipient over one channel, with what the provider said."""

    __tablename__ = "ding_attempts"
    __table_args__ = (sa.Index("ix_ding_attempts_ding_user", "ding_id", "user_id"),)

    id: Mapped[str] = id_column()
    ding_id: Mapped[str] = mapped_column(sa.ForeignKey("dings.id", ondelete="CASCADE"))
    org_id: Mapped[str] = mapped_column(sa.String(26), index=True)
    user_id: Mapped[str] = mapped_column(sa.String(26))
    channel: Mapped[str] = mapped_column(sa.String(10))
    reason: Mapped[str] = mapped_column(sa.String(16))  # initial | step-N | remind | fallback
    # queued | deferred (quiet hours) | sent | answered | no_answer | failed | skipped
    status: Mapped[str] = mapped_column(sa.String(12), default="queued")
    fallback: Mapped[str | None] = mapped_column(sa.String(10))
    provider: Mapped[str | None] = mapped_column(sa.String(20))
    provider_ref: Mapped[str | None] = mapped_column(sa.String(100))
    error: Mapped[str | None] = mapped_column(sa.String(500))
    tries: Mapped[int] = mapped_column(sa.Integer, default=0)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = created_at_column()
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class DingReply(Base):
    __tablename__ = "ding_replies"

    id: Mapped[str] = id_column()
    ding_id: Mapped[str] = mapped_column(sa.ForeignKey("dings.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[str] = mapped_column(sa.String(26))
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = created_at_column()
