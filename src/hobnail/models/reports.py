"""Work reports (日志): templates with their writing rules, reports, who received and read
them, comments and likes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from hobnail.db.base import Base, created_at_column, id_column
from hobnail.db.types import JSONType, UTCDateTime


class ReportTemplate(Base):
    __tablename__ = "report_templates"
    __table_args__ = (sa.UniqueConstraint("org_id", "builtin"),)

    id: Mapped[str] = id_column()
    org_id: Mapped[str] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    builtin: Mapped[str | None] = mapped_column(sa.String(10))  # daily | weekly | monthly; None: custom
    name: Mapped[str] = mapped_column(sa.String(50))
    description: Mapped[str] = mapped_column(sa.String(500), default="")
    fields: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    # {"manager": bool, "user_ids": [...], "chat_ids": [...]}: who gets a report by default
    recipients: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    # {"user_ids", "department_ids", "period": daily|weekly|monthly|none, "deadline": "20:00",
    #  "remind_before_minutes": 60}: who should write, how often, by when
    rules: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    enabled: Mapped[bool] = mapped_column(sa.Boolean, default=True)
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class WorkReport(Base):
    __tablename__ = "work_reports"
    __table_args__ = (
        sa.Index("ix_work_reports_author", "org_id", "author_id", "period_key"),
        sa.Index("ix_work_reports_template", "template_id", "period_key"),
        sa.UniqueConstraint("author_id", "client_id"),
    )

    id: Mapped[str] = id_column()
    org_id: Mapped[str] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"))
    template_id: Mapped[str] = mapped_column(sa.ForeignKey("report_templates.id", ondelete="CASCADE"))
    author_id: Mapped[str] = mapped_column(sa.ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(sa.String(10), default="draft")  # draft | submitted
    # The period written about: 2026-12-07 (daily), 2026-12-07 as the week's Monday (weekly), 2026-12 (monthly)
    period_key: Mapped[str] = mapped_column(sa.String(10))
    fields: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)  # the template's, when written
    values: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    chat_ids: Mapped[list[str]] = mapped_column(JSONType, default=list)
    search_text: Mapped[str] = mapped_column(sa.Text, default="")  # lower-cased values, for search
    late: Mapped[bool] = mapped_column(sa.Boolean, default=False)  # submitted after the deadline
    client_id: Mapped[str | None] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = created_at_column()
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ReportRecipient(Base):
    __tablename__ = "report_recipients"
    __table_args__ = (sa.Index("ix_report_recipients_inbox", "user_id", "read_at"),)

    report_id: Mapped[str] = mapped_column(sa.ForeignKey("work_reports.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[str] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ReportComment(Base):
    __tablename__ = "report_comments"

    id: Mapped[str] = id_column()
    report_id: Mapped[str] = mapped_column(sa.ForeignKey("work_reports.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[str] = mapped_column(sa.ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = created_at_column()


class ReportLike(Base):
    __tablename__ = "report_likes"

    report_id: Mapped[str] = mapped_column(sa.ForeignKey("work_reports.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[str] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[datetime] = created_at_column()


class ReportFile(Base):
    """A file attached to a report (so files can tell who may read it)."""

    __tablename__ = "report_files"

    report_id: Mapped[str] = mapped_column(sa.ForeignKey("work_reports.id", ondelete="CASCADE"), primary_key=True)
    file_id: Mapped[str] = mapped_column(sa.ForeignKey("files.id", ondelete="CASCADE"), primary_key=True, index=True)


class ReportReminder(Base):
    """A reminder already sent for a template's period, so each goes once."""

    __tablename__ = "report_reminders"

    template_id: Mapped[str] = mapped_column(sa.ForeignKey("report_templates.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[str] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    period_key: Mapped[str] = mapped_column(sa.String(10), primary_key=True)
