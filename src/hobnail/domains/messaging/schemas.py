"""Request and response bodies of the messaging API."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from hobnail.domains.files.schemas import FileRef

Who = Literal["all", "admins"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DirectIn(Strict):
    user_id: str = Field(description="The other person")


class GroupIn(Strict):
    name: str = Field(max_length=200)
    member_ids: list[str] = Field(default_factory=list, max_length=10000)


class GroupUpdateIn(Strict):
    name: str | None = Field(default=None, max_length=200)
    announcement: str | None = Field(default=None, max_length=5000)
    who_can_add: Who | None = None
    who_can_at_all: Who | None = None
    only_admins_speak: bool | None = None


class MembersIn(Strict):
    user_ids: list[str] = Field(min_length=1, max_length=10000)


class RoleIn(Strict):
    role: Literal["admin", "member"]


class TransferIn(Strict):
    user_id: str


class MuteIn(Strict):
    muted: bool


class ReadIn(Strict):
    seq: int = Field(ge=0, le=2**62, description="The highest message seq the client has shown")


class SendIn(Strict):
    body: str = Field(default="", max_length=100_000, description="Text; may be empty with a file (a caption)")
    file_id: str | None = Field(default=None, max_length=26, description="A finished upload to send as a file")
    client_msg_id: str | None = Field(
        default=None, max_length=64, description="Client-made id; a retry with the same id returns the first message"
    )
    mentions: list[str] = Field(default_factory=list, max_length=200, description="User ids @mentioned")
    mention_all: bool = False
    reply_to_id: str | None = None


class EditIn(Strict):
    body: str = Field(max_length=100_000)
    mentions: list[str] | None = Field(default=None, max_length=200)


class ForwardIn(Strict):
    conversation_ids: list[str] = Field(min_length=1, max_length=20)


class MessagingSettingsIn(Strict):
    read_receipts: bool | None = None
    edit_window_minutes: int | None = Field(default=None, ge=0, le=60 * 24 * 365)
    max_group_members: int | None = Field(default=None, ge=2, le=10000)
    max_message_chars: int | None = Field(default=None, ge=1, le=100_000)


class MessagingSettingsOut(BaseModel):
    read_receipts: bool
    edit_window_minutes: int
    max_group_members: int
    max_message_chars: int


class PersonRef(BaseModel):
    id: str
    name: str
    avatar_url: str | None


class Receipt(BaseModel):
    expected: int = Field(description="Members expected to read it (in the chat when it was sent, not the sender)")
    read: int


class ReplyRef(BaseModel):
    id: str
    seq: int
    sender_id: str | None
    body: str
    kind: str = "text"
    file_name: str | None = Field(default=None, description="A file message's file name")
    recalled: bool


class MessageOut(BaseModel):
    id: str
    conversation_id: str
    seq: int
    sender_id: str | None
    kind: Literal["text", "file", "system", "card"]
    body: str
    card: dict[str, Any] | None = Field(
        default=None,
        description="A robot's message: {robot: {id, name}, type: text|markdown|link|actionCard|feedCard, title, text, "
        "buttons [{title, url}], button_orientation, link {url, pic_url}, links [{title, url, pic_url}]}",
    )
    file: FileRef | None = Field(default=None, description="The file of a file message (no links; see GET /files/{id})")
    client_msg_id: str | None
    reply_to: ReplyRef | None
    forwarded_from: dict[str, Any] | None
    mentions: list[str]
    mentions_all: bool
    created_at: datetime
    edited_at: datetime | None
    recalled: bool
    recalled_by: str | None
    pinned: bool
    receipt: Receipt | None = Field(description="Only on your own messages, when read receipts are on")


class ConversationOut(BaseModel):
    id: str
    kind: Literal["direct", "group", "department", "all_staff", "class"] = Field(
        description="class: a school class's chat (家校群 or 师生群) whose members follow the roster"
    )
    name: str
    avatar_url: str | None = Field(description="The group's own picture (1:1 chats: see peer)")
    announcement: str
    owner_id: str | None
    department_id: str | None
    who_can_add: Who
    who_can_at_all: Who
    only_admins_speak: bool
    member_count: int
    last_seq: int
    last_message_at: datetime | None
    created_at: datetime
    dissolved: bool
    peer: PersonRef | None = Field(description="The other person, in a 1:1 chat")
    my_role: Literal["owner", "admin", "member"]
    muted: bool
    read_seq: int
    unread_count: int
    mention_count: int
    last_message: MessageOut | None


class ConversationList(BaseModel):
    items: list[ConversationOut]
    total_unread: int
    total_mentions: int


class MemberOut(BaseModel):
    user_id: str
    name: str
    avatar_url: str | None
    role: Literal["owner", "admin", "member"]
    joined_at: datetime
    bot: bool = Field(default=False, description="An app's bot (not a person of the organisation)")


class HistoryOut(BaseModel):
    items: list[MessageOut]
    has_before: bool
    has_after: bool


class ReceiptListOut(BaseModel):
    read: list[PersonRef]
    unread: list[PersonRef]


class ConversationFilesOut(BaseModel):
    items: list[MessageOut]
    next_before: int | None


class SearchHit(BaseModel):
    message: MessageOut
    conversation_name: str


class SearchOut(BaseModel):
    items: list[SearchHit]
    next_cursor: str | None
