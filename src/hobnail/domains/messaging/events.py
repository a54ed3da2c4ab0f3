"""Events of messaging. Conversation-wide ones go to ``chat:<id>``; personal ones to ``user:<id>``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from hobnail.events.base import DomainEvent


@dataclass(frozen=True, kw_only=True)
class ConversationUpdated(DomainEvent):
    type: ClassVar[str] = "conversation.updated"
    conversation_id: str
    changes: dict[str, Any]


@dataclass(frozen=True, kw_only=True)
class ConversationDissolved(DomainEvent):
    type: ClassVar[str] = "conversation.dissolved"
    conversation_id: str


@dataclass(frozen=True, kw_only=True)
class MembersAdded(DomainEvent):
    type: ClassVar[str] = "conversation.members_added"
    conversation_id: str
    user_ids: list[str]
    member_count: int


@dataclass(frozen=True, kw_only=True)
class MembersRemoved(DomainEvent):
    type: ClassVar[str] = "conversation.members_removed"
    conversation_id: str
    user_ids: list[str]
    member_count: int


@dataclass(frozen=True, kw_only=True)
class MemberRoleChanged(DomainEvent):
    type: ClassVar[str] = "conversation.member_role_changed"
    conversation_id: str
    user_id: str
    role: str


@dataclass(frozen=True, kw_only=True)
class ReadStateChanged(DomainEvent):
    """To the reader only: their pointer and what is left unread, for every device."""

    type: ClassVar[str] = "conversation.read_state"
    conversation_id: str
    read_seq: int
    unread_count: int
    mention_count: int
    muted: bool


@dataclass(frozen=True, kw_only=True)
class MessageSent(DomainEvent):
    type: ClassVar[str] = "message.sent"
    message: dict[str, Any]


@dataclass(frozen=True, kw_only=True)
class MessageEdited(DomainEvent):
    type: ClassVar[str] = "message.edited"
    message: dict[str, Any]


@dataclass(frozen=True, kw_only=True)
class MessageRecalled(DomainEvent):
    type: ClassVar[str] = "message.recalled"
    message: dict[str, Any]


@dataclass(frozen=True, kw_only=True)
class MessagePinned(DomainEvent):
    type: ClassVar[str] = "message.pinned"
    message: dict[str, Any]


@dataclass(frozen=True, kw_only=True)
class MessageUnpinned(DomainEvent):
    type: ClassVar[str] = "message.unpinned"
    message: dict[str, Any]


@dataclass(frozen=True, kw_only=True)
class MessagesRead(DomainEvent):
    """To the senders of the messages just read: who read, and which seqs (from, to]."""

    type: ClassVar[str] = "message.read"
    conversation_id: str
    reader_id: str
    reader_joined_seq: int
    from_seq: int
    to_seq: int
