"""Request and response bodies of the DING API."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from hobnail.domains.files.schemas import FileRef

Channel = Literal["in_app", "sms", "voice", "email"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Step(Strict):
    after_minutes: int = Field(ge=1, le=1440)
    channel: Literal["sms", "voice", "email"]
    fallback: Literal["sms", "voice", "email"] | None = Field(default=None, description="After an unanswered call")


class DingIn(Strict):
    body: str | None = Field(default=None, max_length=10_000, description="Defaults to the source message's text")
    user_ids: list[str] = Field(default_factory=list, max_length=1000)
    department_ids: list[str] = Field(default_factory=list, max_length=100, description="Expanded when sent")
    channel: Channel = "in_app"
    policy: list[Step] | None = Field(default=None, description="null: the organisation's default; []: no escalation")
    critical: bool = Field(default=False, description="SMS and voice ignore quiet hours")
    scheduled_at: datetime | None = Field(default=None, description="Send at this minute instead of now")
    source_message_id: str | None = Field(default=None, description="DING this chat message")
    file_id: str | None = Field(default=None, max_length=26, description="One finished upload to send along")


class RemindIn(Strict):
    channel: Channel = "in_app"
    user_ids: list[str] | None = Field(default=None, description="Some of the unconfirmed; default all")


class ReplyIn(Strict):
    body: str = Field(max_length=10_000)


class DingSettingsIn(Strict):
    member_scope: Literal["department", "org"] | None = None
    caps: dict[str, int] | None = None
    per_hour: int | None = Field(default=None, ge=1, le=10_000)
    monthly_quota: dict[str, int] | None = None
    allow_critical: bool | None = None
    default_policy: list[Step] | None = None


class DingSettingsOut(BaseModel):
    member_scope: str
    caps: dict[str, int]
    per_hour: int
    monthly_quota: dict[str, int]
    allow_critical: bool
    default_policy: list[dict[str, Any]]


class Person(BaseModel):
    id: str
    name: str
    avatar_url: str | None


class AttemptOut(BaseModel):
    id: str
    channel: str
    reason: str
    status: str
    provider: str | None
    error: str | None
    due_at: str | None
    created_at: str | None
    finished_at: str | None


class RecipientOut(BaseModel):
    user: Person
    delivered_at: str | None
    confirmed_at: str | None
    attempts: list[AttemptOut]


class ReplyOut(BaseModel):
    id: str
    user_id: str
    user: Person
    body: str
    created_at: str | None


class DingOut(BaseModel):
    id: str
    sender: Person
    body: str
    channel: str
    critical: bool
    status: Literal["scheduled", "sent", "recalled"]
    source_message_id: str | None
    file: FileRef | None = Field(default=None, description="The attachment (links: GET /files/{id})")
    scheduled_at: str | None
    sent_at: str | None
    recalled_at: str | None
    confirmed_at: str | None = Field(default=None, description="Yours, as a recipient")
    confirmed: int | None = Field(default=None, description="Sender: how many confirmed")
    total: int | None = None
    policy: list[dict[str, Any]] | None = None
    next_remind_at: str | None = None
    reminder: bool = Field(default=False, description="In ding.received: this alert is a reminder")
    recipients: list[RecipientOut] | None = Field(default=None, description="Sender only: each recipient's timeline")
    replies: list[ReplyOut] | None = None


class ChannelOut(BaseModel):
    available: bool
    reason: str | None
