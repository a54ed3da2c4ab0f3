"""Request bodies of work reports."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TemplateIn(Strict):
    name: str | None = Field(default=None, min_length=1, max_length=50)
    description: str | None = Field(default=None, max_length=500)
    fields: list[dict[str, Any]] | None = Field(
        default=None, max_length=50,
        description="[{key, type: text|textarea|number|date|select|multiselect|attachment|image, label, required, "
        "help, options}]",
    )  # fmt: skip
    recipients: dict[str, Any] | None = Field(
        default=None, description="{manager: bool (the writer's direct manager), user_ids: [...], chat_ids: [...]}"
    )
    rules: dict[str, Any] | None = Field(
        default=None,
        description="{user_ids, department_ids (who should write), period: daily|weekly|monthly|none, "
        "deadline: '20:00', remind_before_minutes}",
    )
    enabled: bool | None = None


class TemplateCreateIn(TemplateIn):
    name: str = Field(min_length=1, max_length=50)
    fields: list[dict[str, Any]] = Field(min_length=1, max_length=50)


class ReportIn(Strict):
    template_id: str = Field(max_length=26)
    values: dict[str, Any] = Field(default_factory=dict)
    period_key: str | None = Field(
        default=None, max_length=10, description="2026-12-07 (daily), the Monday (weekly), 2026-12 (monthly)"
    )
    recipient_ids: list[str] | None = Field(default=None, max_length=200, description="Besides the template's")
    chat_ids: list[str] | None = Field(default=None, max_length=20, description="Chats to post it in")
    submit: bool = Field(default=True, description="false: save a draft")
    client_id: str | None = Field(default=None, max_length=64, description="A retry with the same id writes once")


class ReportPatchIn(Strict):
    values: dict[str, Any] | None = None
    period_key: str | None = Field(default=None, max_length=10)
    recipient_ids: list[str] | None = Field(default=None, max_length=200)
    chat_ids: list[str] | None = Field(default=None, max_length=20)
    submit: bool = False


class CommentIn(Strict):
    body: str = Field(min_length=1, max_length=2000)
