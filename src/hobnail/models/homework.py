"""Homework (家校本): a teacher's assignment to one or more classes, one submission per
student (withdrawn and resubmitted in place until graded), and the files attached to
either (so files can tell who may read them)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from hobnail.db.base import Base, created_at_column, id_column
from hobnail.db.types import JSONType, UTCDateTime


class Homework(Base):
    """An assignment. ``due_at`` is optional; the reminder to guardians of students who have
    not submitted goes once, ``remind_before_minutes`` before it (``reminded_at`` marks it)."""

    __tablename__ = "homeworks"
    __table_args__ = (sa.Index("ix_homeworks_author", "org_id", "author_id", "created_at"),)

    id: Mapped[str] = id_column()
    org_id: Mapped[str] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"))
    author_id: Mapped[str] = mapped_column(sa.ForeignKey("users.id"))
    subject: Mapped[str] = mapped_column(sa.String(30), default="")
    title: Mapped[str] = mapped_column(sa.String(120))
    body: Mapped[str] = mapped_column(sa.Text, default="")
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    remind_before_minutes: Mapped[int | None] = mapped_column(sa.Integer)  # None: no reminder
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class HomeworkClass(Base):
    """A class the homework was assigned to."""

    __tablename__ = "homework_classes"

    homework_id: Mapped[str] = mapped_column(sa.ForeignKey("homeworks.id", ondelete="CASCADE"), primary_key=True)
    class_id: Mapped[str] = mapped_column(
        sa.ForeignKey("school_classes.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    org_id: Mapped[str] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"), index=True)


class HomeworkFile(Base):
    """A file attached to the assignment by the teacher."""

    __tablename__ = "homework_files"

    homework_id: Mapped[str] = mapped_column(sa.ForeignKey("homeworks.id", ondelete="CASCADE"), primary_key=True)
    file_id: Mapped[str] = mapped_column(sa.ForeignKey("files.id", ondelete="CASCADE"), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(sa.Integer, default=0)
    file: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)  # the file's description when attached


class HomeworkSubmission(Base):
    """One student's submission: ``submitted`` → (``withdrawn`` → ``submitted``)* → ``graded``.
    A grade is a ``score`` (0–100) or a ``level`` (A/B/C/D), with a comment."""

    __tablename__ = "homework_submissions"
    __table_args__ = (sa.UniqueConstraint("homework_id", "student_id"),)

    id: Mapped[str] = id_column()
    org_id: Mapped[str] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    homework_id: Mapped[str] = mapped_column(sa.ForeignKey("homeworks.id", ondelete="CASCADE"))
    student_id: Mapped[str] = mapped_column(sa.ForeignKey("school_students.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(sa.String(10), default="submitted")  # submitted | withdrawn | graded
    body: Mapped[str] = mapped_column(sa.Text, default="")
    submitted_by: Mapped[str] = mapped_column(sa.ForeignKey("users.id"))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    late: Mapped[bool] = mapped_column(sa.Boolean, default=False)  # submitted after due_at
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    score: Mapped[float | None] = mapped_column(sa.Float)
    level: Mapped[str | None] = mapped_column(sa.String(2))
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    excellent: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    graded_by: Mapped[str | None] = mapped_column(sa.ForeignKey("users.id"))
    graded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(sa.Integer, default=0)
    created_at: Mapped[datetime] = created_at_column()


class HomeworkSubmissionFile(Base):
    """A file on a submission: ``role`` is ``submission`` (the work: photos, files) or
    ``comment`` (images in the teacher's comment)."""

    __tablename__ = "homework_submission_files"

    submission_id: Mapped[str] = mapped_column(
        sa.ForeignKey("homework_submissions.id", ondelete="CASCADE"), primary_key=True
    )
    file_id: Mapped[str] = mapped_column(sa.ForeignKey("files.id", ondelete="CASCADE"), primary_key=True, index=True)
    role: Mapped[str] = mapped_column(sa.String(10), default="submission")
    position: Mapped[int] = mapped_column(sa.Integer, default=0)
    file: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)  # the file's description when attached
