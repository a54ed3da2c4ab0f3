"""The open platform: custom group robots (DingTalk-compatible incoming webhooks)."""

from __future__ import annotations

from datetime import datetime

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
