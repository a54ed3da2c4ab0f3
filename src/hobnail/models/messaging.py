"""Conversations (1:1, groups, department and all-staff groups), members with read
pointers, and messages numbered per conversation.

Read receipts are worked out from pointers, not stored per message per reader: a member
has read message ``seq`` when ``read_seq >= seq``, and was expected to read it when
``joined_seq < seq`` (they were in the chat when it was sent) and did not send it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from hobnail.db.base import Base, created_at_column, id_column
from hobnail.db.types import JSONType, UTCDateTime


class Conversation(Base):
    __tablename__ = "conversations"
    __table_args__ = (
        sa.UniqueConstraint("org_id", "direct_key"),
        sa.UniqueConstraint("org_id", "department_id"),
    )

    id: Mapped[str] = id_column()
    org_id: Mapped[str] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(16))  # direct | group | department | all_staff
    name: Mapped[str] = mapped_column(sa.String(100), default="")
    avatar_key: Mapped[str | None] = mapped_column(sa.String(100))
    announcement: Mapped[str] = mapped_column(sa.Text, default="")
    announcement_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    owner_id: Mapped[str | None] = mapped_column(sa.ForeignKey("users.id"))
    # "sorted-user-id:sorted-user-id" for 1:1 chats, so there is one per pair.
    direct_key: Mapped[str | None] = mapped_column(sa.String(60))
    # No foreign key: the group outlives its department long enough to be dissolved.
    department_id: Mapped[str | None] = mapped_column(sa.String(26))
    who_can_add: Mapped[str] = mapped_column(sa.String(10), default="all")  # all | admins
    who_can_at_all: Mapped[str] = mapped_column(sa.String(10), default="admins")  # all | admins
    only_admins_speak: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    last_seq: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    last_message_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    dissolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = created_at_column()


class ConversationMember(Base):
    __tablename__ = "conversation_members"
    __table_args__ = (sa.Index("ix_conversation_members_user", "user_id", "org_id"),)

    conversation_id: Mapped[str] = mapped_column(
        sa.ForeignKey("conversations.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[str] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    org_id: Mapped[str] = mapped_column(sa.String(26))
    role: Mapped[str] = mapped_column(sa.String(10), default="member")  # owner | admin | member
    joined_seq: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    read_seq: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    muted: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    joined_at: Mapped[datetime] = created_at_column()


class Message(Base):
    __tablename__ = "messages"
    __table_args__ = (
        sa.UniqueConstraint("conversation_id", "seq"),
        sa.UniqueConstraint("sender_id", "client_msg_id"),
        sa.Index("ix_messages_sender_created", "sender_id", "created_at"),
    )

    id: Mapped[str] = id_column()
    org_id: Mapped[str] = mapped_column(sa.String(26), index=True)
    conversation_id: Mapped[str] = mapped_column(sa.ForeignKey("conversations.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(sa.BigInteger)
    sender_id: Mapped[str | None] = mapped_column(sa.ForeignKey("users.id"))  # None: system line
    client_msg_id: Mapped[str | None] = mapped_column(sa.String(64))
    kind: Mapped[str] = mapped_column(sa.String(16), default="text")  # text | file | system | card
    body: Mapped[str] = mapped_column(sa.Text, default="")
    # Lower-cased body for substring search in Chinese and English.
    search_text: Mapped[str] = mapped_column(sa.Text, default="")
    reply_to_id: Mapped[str | None] = mapped_column(sa.String(26))
    forwarded_from: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    mentions: Mapped[list[str]] = mapped_column(JSONType, default=list)
    # A file message: the file, and a copy of its (immutable) description so history
    # needs no join.
    file_id: Mapped[str | None] = mapped_column(sa.ForeignKey("files.id", ondelete="SET NULL"), index=True)
    attachment: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    mentions_all: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    # A robot's message: who sent it, and a card (markdown, link, action card, feed card).
    card: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    created_at: Mapped[datetime] = created_at_column()
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    recalled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    recalled_by: Mapped[str | None] = mapped_column(sa.String(26))
    pinned_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    pinned_by: Mapped[str | None] = mapped_column(sa.String(26))


class MessageMention(Base):
    """One row per person @mentioned, so unread mentions count fast."""

    __tablename__ = "message_mentions"
    __table_args__ = (sa.Index("ix_message_mentions_user_conv_seq", "user_id", "conversation_id", "seq"),)

    message_id: Mapped[str] = mapped_column(sa.ForeignKey("messages.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[str] = mapped_column(sa.String(26), primary_key=True)
    conversation_id: Mapped[str] = mapped_column(sa.String(26))
    seq: Mapped[int] = mapped_column(sa.BigInteger)
