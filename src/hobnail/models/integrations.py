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
        sa.Index("ix_app_deliveries_channel_due", "channel", "status", "next_at"),
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
    # How it travels: "stream" (a frame on the app's Stream-mode connection) or "http" (a
    # signed POST to the app's callback URL); HTTP deliveries carry an event's cursor.
    channel: Mapped[str] = mapped_column(sa.String(10), default="stream", server_default="stream")
    event_seq: Mapped[int | None] = mapped_column(sa.BigInteger)
    last_status_code: Mapped[int | None] = mapped_column(sa.Integer)
    last_latency_ms: Mapped[int | None] = mapped_column(sa.Integer)
    last_error: Mapped[str | None] = mapped_column(sa.String(300))


class AppDeliveryAttempt(Base):
    """One try of a delivery, for the admin's delivery log."""

    __tablename__ = "app_delivery_attempts"

    id: Mapped[str] = id_column()
    delivery_id: Mapped[str] = mapped_column(sa.ForeignKey("app_deliveries.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    status_code: Mapped[int | None] = mapped_column(sa.Integer)  # None: no answer (timeout, refused)
    latency_ms: Mapped[int] = mapped_column(sa.Integer)
    error: Mapped[str | None] = mapped_column(sa.String(300))


class EventSubscription(Base):
    """An app's subscription to the event stream: the event types it wants and how they
    reach it — signed HTTP POSTs to ``url`` (verified when registered) or EVENT frames on
    its Stream-mode connection. Events after ``start_seq`` are delivered."""

    __tablename__ = "app_event_subscriptions"

    app_id: Mapped[str] = mapped_column(sa.ForeignKey("apps.id", ondelete="CASCADE"), primary_key=True)
    org_id: Mapped[str] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    mode: Mapped[str] = mapped_column(sa.String(10))  # http | stream
    url: Mapped[str | None] = mapped_column(sa.String(500))
    event_types: Mapped[list[str]] = mapped_column(JSONType, default=list)  # "message.sent", "attendance.*", "*"
    signing_secret: Mapped[str] = mapped_column(sa.String(80))  # the receiver checks signatures with it
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    enabled: Mapped[bool] = mapped_column(sa.Boolean, default=True)
    start_seq: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    created_at: Mapped[datetime] = created_at_column()


class EventTapCursor(Base):
    """How far the app-event tap has read the event log (one row)."""

    __tablename__ = "app_event_cursor"

    name: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    seq: Mapped[int] = mapped_column(sa.BigInteger, default=0)


class SessionWebhook(Base):
    """A short-lived URL a bot replies to in the chat it was called from (DingTalk's
    ``sessionWebhook``, about 1.5 hours)."""

    __tablename__ = "session_webhooks"

    token: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    app_id: Mapped[str] = mapped_column(sa.ForeignKey("apps.id", ondelete="CASCADE"))
    conversation_id: Mapped[str] = mapped_column(sa.ForeignKey("conversations.id", ondelete="CASCADE"))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
