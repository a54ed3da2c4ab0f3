"""Approvals (审批): forms, requests moving through their flow, tasks, and leave balances.

A request snapshots its form's fields and resolved flow when submitted (a later change
to the form does not alter requests in flight). Each approver of a step is one task row;
the request row's ``version`` guards against two approvers deciding at once.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from hobnail.db.base import Base, created_at_column, id_column
from hobnail.db.types import JSONType, UTCDateTime


class ApprovalForm(Base):
    __tablename__ = "approval_forms"
    __table_args__ = (sa.UniqueConstraint("org_id", "builtin"),)

    id: Mapped[str] = id_column()
    org_id: Mapped[str] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    # leave | overtime | trip | makeup | general for the built-in forms; None for custom ones.
    builtin: Mapped[str | None] = mapped_column(sa.String(16))
    name: Mapped[str] = mapped_column(sa.String(50))
    description: Mapped[str] = mapped_column(sa.String(500), default="")
    fields: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    flow: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    settings: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)  # e.g. makeup per month
    enabled: Mapped[bool] = mapped_column(sa.Boolean, default=True)
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ApprovalRequest(Base):
    __tablename__ = "approval_requests"
    __table_args__ = (
        sa.Index("ix_approval_requests_requester", "org_id", "requester_id", "created_at"),
        sa.Index("ix_approval_requests_leave", "requester_id", "kind", "period_start", "period_end"),
    )

    id: Mapped[str] = id_column()
    org_id: Mapped[str] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"))
    form_id: Mapped[str] = mapped_column(sa.ForeignKey("approval_forms.id"))
    kind: Mapped[str] = mapped_column(sa.String(16))  # the form's builtin kind, or "custom"
    title: Mapped[str] = mapped_column(sa.String(120))
    requester_id: Mapped[str] = mapped_column(sa.ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(sa.String(12), default="pending")  # pending|approved|rejected|withdrawn
    fields: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)  # the form's, when submitted
    values: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    # [{"name", "mode", "approvers": [...], "skipped": bool, "status": "pending"|"approved"|...}]
    steps: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    current_step: Mapped[int] = mapped_column(sa.Integer, default=0)
    cc: Mapped[list[str]] = mapped_column(JSONType, default=list)
    cc_when: Mapped[str] = mapped_column(sa.String(8), default="finish")  # submit | finish | both
    # Leave, trips and overtime cover a period; in half-day slots (date ordinal × 2 + 0 am / 1 pm)
    # so overlaps are one indexed comparison.
    period_start: Mapped[int | None] = mapped_column(sa.Integer)
    period_end: Mapped[int | None] = mapped_column(sa.Integer)
    leave_type: Mapped[str | None] = mapped_column(sa.String(20))
    days: Mapped[float | None] = mapped_column(sa.Float)
    version: Mapped[int] = mapped_column(sa.Integer, default=0)
    created_at: Mapped[datetime] = created_at_column()
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ApprovalTask(Base):
    """One approver's part in one step."""

    __tablename__ = "approval_tasks"
    __table_args__ = (sa.Index("ix_approval_tasks_approver", "approver_id", "status"),)

    id: Mapped[str] = id_column()
    request_id: Mapped[str] = mapped_column(sa.ForeignKey("approval_requests.id", ondelete="CASCADE"), index=True)
    org_id: Mapped[str] = mapped_column(sa.String(26))
    step: Mapped[int] = mapped_column(sa.Integer)
    approver_id: Mapped[str] = mapped_column(sa.ForeignKey("users.id"))
    # waiting (a later step) | pending (it is their turn) | approved | rejected | transferred | cancelled
    status: Mapped[str] = mapped_column(sa.String(12), default="waiting")
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    acted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    pending_since: Mapped[datetime | None] = mapped_column(UTCDateTime())  # when it became their turn
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = created_at_column()


class ApprovalFile(Base):
    """A file attached to a request (so files can tell who may read it)."""

    __tablename__ = "approval_files"

    request_id: Mapped[str] = mapped_column(sa.ForeignKey("approval_requests.id", ondelete="CASCADE"), primary_key=True)
    file_id: Mapped[str] = mapped_column(sa.ForeignKey("files.id", ondelete="CASCADE"), primary_key=True, index=True)


class ApprovalActivity(Base):
    """The request's timeline: submitted, approved, rejected, transferred, comments…"""

    __tablename__ = "approval_activities"

    id: Mapped[str] = id_column()
    request_id: Mapped[str] = mapped_column(sa.ForeignKey("approval_requests.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[str | None] = mapped_column(sa.String(26))  # None: the system (a skipped step)
    action: Mapped[str] = mapped_column(sa.String(16))
    step: Mapped[int | None] = mapped_column(sa.Integer)
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    data: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    created_at: Mapped[datetime] = created_at_column()


class LeaveBalance(Base):
    """Days of one leave type a person may take in a year, and how many were taken."""

    __tablename__ = "leave_balances"

    org_id: Mapped[str] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[str] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    leave_type: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    year: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    quota_days: Mapped[float] = mapped_column(sa.Float, default=0)
    used_days: Mapped[float] = mapped_column(sa.Float, default=0)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
