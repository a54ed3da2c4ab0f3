"""Request and response bodies of approvals."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FormIn(Strict):
    name: str | None = Field(default=None, max_length=50)
    description: str | None = Field(default=None, max_length=500)
    fields: list[dict[str, Any]] | None = Field(
        default=None, max_length=50,
        description="[{key, type: text|textarea|number|amount|date|daterange|select|multiselect|people|department|"
        "attachment, label, required, help, options}]",
    )  # fmt: skip
    flow: dict[str, Any] | None = Field(
        default=None,
        description="{nodes: [{name, type: users|role|manager, user_ids|role|level, mode: all|any, "
        "condition: {field, op, value}}], when_empty: skip|admins, cc: [user ids], cc_when: submit|finish|both}",
    )
    settings: dict[str, Any] | None = Field(default=None, description="Make-up punch: {per_month}")
    enabled: bool | None = None


class FormOut(BaseModel):
    id: str
    builtin: str | None
    name: str
    description: str
    fields: list[dict[str, Any]]
    flow: dict[str, Any]
    settings: dict[str, Any]
    enabled: bool


class SubmitIn(Strict):
    form_id: str = Field(max_length=26)
    values: dict[str, Any]


class ActIn(Strict):
    action: Literal["approve", "reject", "transfer", "add_before", "add_after"]
    comment: str = Field(default="", max_length=2000)
    user_id: str | None = Field(default=None, max_length=26, description="transfer / add_before / add_after: who")


class CommentIn(Strict):
    body: str = Field(max_length=2000)


class TaskOut(BaseModel):
    id: str
    step: int
    approver_id: str
    status: str
    comment: str
    acted_at: str | None


class ActivityOut(BaseModel):
    id: str
    actor_id: str | None
    action: str
    step: int | None
    comment: str
    data: dict[str, Any]
    created_at: str


class RequestOut(BaseModel):
    id: str
    form_id: str
    kind: str
    title: str
    requester_id: str
    status: Literal["pending", "approved", "rejected", "withdrawn"]
    fields: list[dict[str, Any]]
    values: dict[str, Any]
    steps: list[dict[str, Any]]
    current_step: int
    cc: list[str]
    leave_type: str | None
    days: float | None
    tasks: list[TaskOut]
    created_at: str
    finished_at: str | None
    timeline: list[ActivityOut] | None = None


class QuotaIn(Strict):
    user_ids: list[str] = Field(default_factory=list, max_length=5000)
    everyone: bool = Field(default=False, description="Every active member instead of user_ids")
    leave_type: str = Field(max_length=20)
    year: int = Field(ge=2000, le=2100)
    quota_days: float = Field(ge=0, le=366)


class BalanceOut(BaseModel):
    user_id: str
    leave_type: str
    year: int
    quota_days: float
    used_days: float
    left_days: float
    pending_days: float = 0.0


class AnnualRuleIn(Strict):
    year: int = Field(ge=2000, le=2100)


class AnnualRuleOut(BaseModel):
    balances: list[BalanceOut]
    without_work_start: list[str] = Field(description="Members whose work start date is not recorded")


class ApprovalSettingsIn(Strict):
    remind_after_hours: int | None = Field(default=None, ge=0, le=720)


class ApprovalSettingsOut(BaseModel):
    remind_after_hours: int
