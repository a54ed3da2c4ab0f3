"""The open platform: custom group robots (DingTalk-compatible incoming webhooks), apps with
their tokens, Stream-mode tickets and deliveries, and bots' session webhooks."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from hobnail.db.base import Base, created_at_column, id_column
from hobnail.db.types import JSONType, UTCDateTime


class GroupRobot(Base):
    """A robot in one group chat: a webhook URL (its token), security settings, and the
    bot user its messages come from."""

    __tablename__ = "group_robots"

    id: Mapped[str] = id_column()
    org_id: Mapped[str] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    conversation_id: Mapped[str] = mapped_column(sa.ForeignKey("conversations.id", ondelete="CASCADE"), index=True)
    bot_user_id: Mapped[str] = mapped_column(sa.ForeignKey("users.id"))
    name: Mapped[str] = mapped_column(sa.String(50))
    token: Mapped[str] = mapped_column(sa.String(64), unique=True)
    secret: Mapped[str | None] = mapped_column(sa.String(80))  # "SEC…": signed requests only
    keywords: Mapped[list[str]] = mapped_column(JSONType, default=list)
    ip_allow: Mapped[list[str]] = mapped_column(JSONType, default=list)
    created_by: Mapped[str] = mapped_column(sa.String(26))
    throttled_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = created_at_column()


class App(Base):
    """An organisation's internal app: credentials (DingTalk's appKey/appSecret), scopes,
    and the bot user that speaks for it in chats."""

    __tablename__ = "apps"

    id: Mapped[str] = id_column()
    org_id: Mapped[str] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(50))
    client_id: Mapped[str] = mapped_column(sa.String(40), unique=True)
    secret_hash: Mapped[str] = mapped_column(sa.String(64))
    bot_user_id: Mapped[str] = mapped_column(sa.ForeignKey("users.id"), unique=True)
    scopes: Mapped[list[str]] = mapped_column(JSONType, default=list)
    enabled: Mapped[bool] = mapped_column(sa.Boolean, default=True)
    created_by: Mapped[str] = mapped_column(sa.String(26))
    created_at: Mapped[datetime] = created_at_column()


class AppToken(Base):
    """An access token of an app (client credentials), stored as its SHA-256."""

    __tablename__ = "app_tokens"

    token_hash: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    app_id: Mapped[str] = mapped_column(sa.ForeignKey("apps.id", ondelete="CASCADE"), index=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())


class StreamTicket(Base):
    """A one-time ticket to open a Stream-mode WebSocket."""

    __tablename__ = "stream_tickets"

    ticket_hash: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    app_id: Mapped[str] = mapped_column(sa.ForeignKey("apps.id", ondelete="CASCADE"))
    subscriptions: Mapped[list[dict[str, str]]] = mapped_column(JSONType, default=list)
    origin: Mapped[str] = mapped_column(sa.String(200))  # scheme://host the app reached us at
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class AppDelivery(Base):
    """One frame to push to an app over Stream mode (e.g. a chatbot message), until an
    acknowledgement says SUCCESS. ``source_id`` keeps one delivery per app and cause."""

    __tablename__ = "app_deliveries"
    __table_args__ = (
        sa.UniqueConstraint("app_id", "source_id"),
        sa.Index("ix_app_deliveries_due", "app_id", "status", "next_at"),
    )

    id: Mapped[str] = id_column()
    app_id: Mapped[str] = mapped_column(sa.ForeignKey("apps.id", ondelete="CASCADE"))
    source_id: Mapped[str] = mapped_column(sa.String(64))
    topic: Mapped[str] = mapped_column(sa.String(100))
    frame_type: Mapped[str] = mapped_column(sa.String(10), default="CALLBACK")
    payload: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    status: Mapped[str] = mapped_column(sa.String(10), default="pending")  # pending | sending | delivered | failed
    attempts: Mapped[int] = mapped_column(sa.Integer, default=0)
    next_at: Mapped[datetime] = mapped_column(UTCDateTime())
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = created_at_column()


class SessionWebhook(Base):
    """A short-lived URL a bot replies to in the chat it was called from (DingTalk's
    ``sessionWebhook``, about 1.5 hours)."""

    __tablename__ = "session_webhooks"

    token: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    app_id: Mapped[str] = mapped_column(sa.ForeignKey("apps.id", ondelete="CASCADE"))
    conversation_id: Mapped[str] = mapped_column(sa.ForeignKey("conversations.id", ondelete="CASCADE"))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
