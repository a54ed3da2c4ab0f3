"""Schools (家校): grades, classes, their teachers, students, guardians, and the per-class
codes guardians join with. An organisation is a school when ``organizations.kind`` is
``school``; guardians are members with ``memberships.kind = 'guardian'`` (not staff)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from hobnail.db.base import Base, created_at_column, id_column
from hobnail.db.types import JSONType, UTCDateTime


class SchoolGrade(Base):
    """A year group (初一, 一年级)."""

    __tablename__ = "school_grades"
    __table_args__ = (sa.UniqueConstraint("org_id", "name"),)

    id: Mapped[str] = id_column()
    org_id: Mapped[str] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(50))
    position: Mapped[int] = mapped_column(sa.Integer, default=0)
    created_at: Mapped[datetime] = created_at_column()


class SchoolClass(Base):
    """A class (初一(3)班) in a grade, with at most one head teacher (班主任)."""

    __tablename__ = "school_classes"
    __table_args__ = (sa.UniqueConstraint("grade_id", "name"),)

    id: Mapped[str] = id_column()
    org_id: Mapped[str] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    grade_id: Mapped[str] = mapped_column(sa.ForeignKey("school_grades.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(50))
    position: Mapped[int] = mapped_column(sa.Integer, default=0)
    head_teacher_id: Mapped[str | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = created_at_column()
    # The class's two chats (家校群: teachers and guardians; 师生群: teachers and students),
    # whose members follow the roster. No foreign key: messaging owns conversations.
    guardians_chat_id: Mapped[str | None] = mapped_column(sa.String(26))
    students_chat_id: Mapped[str | None] = mapped_column(sa.String(26))


class SchoolSubjectTeacher(Base):
    """Who teaches a subject (语文, 数学) in a class: one teacher per subject."""

    __tablename__ = "school_subject_teachers"

    class_id: Mapped[str] = mapped_column(sa.ForeignKey("school_classes.id", ondelete="CASCADE"), primary_key=True)
    subject: Mapped[str] = mapped_column(sa.String(30), primary_key=True)
    user_id: Mapped[str] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    org_id: Mapped[str] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"), index=True)


class SchoolStudent(Base):
    """A student on a class roster. ``user_id`` is set once the student has an account."""

    __tablename__ = "school_students"
    __table_args__ = (sa.UniqueConstraint("org_id", "student_no"),)

    id: Mapped[str] = id_column()
    org_id: Mapped[str] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"))
    class_id: Mapped[str] = mapped_column(sa.ForeignKey("school_classes.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    # Unique within the school (学号 / 学籍号), compared as typed (trimmed).
    student_no: Mapped[str] = mapped_column(sa.String(32))
    user_id: Mapped[str | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = created_at_column()


class SchoolGuardian(Base):
    """A guardian as the school knows them: one per mobile number per school. ``user_id``
    is set when the person joins with a class code and that number."""

    __tablename__ = "school_guardians"
    __table_args__ = (sa.UniqueConstraint("org_id", "phone"),)

    id: Mapped[str] = id_column()
    org_id: Mapped[str] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"))
    phone: Mapped[str] = mapped_column(sa.String(20))  # normalised, +86…
    name: Mapped[str] = mapped_column(sa.String(100))
    user_id: Mapped[str | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = created_at_column()
    joined_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class SchoolGuardianship(Base):
    """A guardian's link to one child, with the relation (father, mother, …)."""

    __tablename__ = "school_guardianships"

    guardian_id: Mapped[str] = mapped_column(sa.ForeignKey("school_guardians.id", ondelete="CASCADE"), primary_key=True)
    student_id: Mapped[str] = mapped_column(
        sa.ForeignKey("school_students.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    org_id: Mapped[str] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    relation: Mapped[str] = mapped_column(sa.String(30))
    created_at: Mapped[datetime] = created_at_column()


class SchoolClassInvitation(Base):
    """A class's join code for guardians (shared in a parents' chat or as a link)."""

    __tablename__ = "school_class_invitations"

    id: Mapped[str] = id_column()
    org_id: Mapped[str] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    class_id: Mapped[str] = mapped_column(sa.ForeignKey("school_classes.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(sa.String(16), unique=True)
    created_by: Mapped[str] = mapped_column(sa.ForeignKey("users.id"))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = created_at_column()


class SchoolNotice(Base):
    """A notice (通知) from a teacher to the families of some classes or chosen students,
    optionally to be confirmed (签收) by a deadline, optionally released later."""

    __tablename__ = "school_notices"

    id: Mapped[str] = id_column()
    org_id: Mapped[str] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[str] = mapped_column(sa.ForeignKey("users.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(100))
    body: Mapped[str] = mapped_column(sa.Text, default="")
    files: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)  # file descriptions
    class_ids: Mapped[list[str]] = mapped_column(JSONType, default=list)  # whole classes
    student_ids: Mapped[list[str]] = mapped_column(JSONType, default=list)  # or chosen students
    require_confirm: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    deadline: Mapped[datetime | None] = mapped_column(UTCDateTime())
    release_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(sa.String(10), default="sent")  # scheduled | sent | recalled
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = created_at_column()


class SchoolNoticeRecipient(Base):
    """One child's family on a notice: when a guardian read it and confirmed it."""

    __tablename__ = "school_notice_recipients"
    __table_args__ = (sa.Index("ix_school_notice_recipients_student", "student_id", "notice_id"),)

    notice_id: Mapped[str] = mapped_column(sa.ForeignKey("school_notices.id", ondelete="CASCADE"), primary_key=True)
    student_id: Mapped[str] = mapped_column(sa.ForeignKey("school_students.id", ondelete="CASCADE"), primary_key=True)
    class_id: Mapped[str] = mapped_column(sa.String(26))
    org_id: Mapped[str] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"))
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    confirmed_by: Mapped[str | None] = mapped_column(sa.String(26))


class SchoolNoticeFile(Base):
    """A file attached to a notice (readable by whoever may read the notice)."""

    __tablename__ = "school_notice_files"

    notice_id: Mapped[str] = mapped_column(sa.ForeignKey("school_notices.id", ondelete="CASCADE"), primary_key=True)
    file_id: Mapped[str] = mapped_column(sa.String(26), primary_key=True, index=True)


class SchoolCheckinForm(Base):
    """A daily check-in form (每日打卡: temperature, health…) families fill in for each child
    on school days, between ``opens_at`` and ``closes_at`` (the school's local time)."""

    __tablename__ = "school_checkin_forms"

    id: Mapped[str] = id_column()
    org_id: Mapped[str] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(50))
    fields: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    class_ids: Mapped[list[str]] = mapped_column(JSONType, default=list)  # empty: every class
    weekdays: Mapped[list[int]] = mapped_column(JSONType, default=list)  # 1 = Monday … 7
    opens_at: Mapped[str] = mapped_column(sa.String(5))  # "HH:MM"
    closes_at: Mapped[str] = mapped_column(sa.String(5))
    enabled: Mapped[bool] = mapped_column(sa.Boolean, default=True)
    created_by: Mapped[str] = mapped_column(sa.String(26))
    created_at: Mapped[datetime] = created_at_column()


class SchoolCheckin(Base):
    """One child's check-in on one day (filled in again within the window: replaced)."""

    __tablename__ = "school_checkins"
    __table_args__ = (
        sa.UniqueConstraint("form_id", "student_id", "day"),
        sa.Index("ix_school_checkins_form_day", "form_id", "day"),
    )

    id: Mapped[str] = id_column()
    org_id: Mapped[str] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"))
    form_id: Mapped[str] = mapped_column(sa.ForeignKey("school_checkin_forms.id", ondelete="CASCADE"))
    student_id: Mapped[str] = mapped_column(sa.ForeignKey("school_students.id", ondelete="CASCADE"))
    class_id: Mapped[str] = mapped_column(sa.String(26))
    day: Mapped[date] = mapped_column(sa.Date)
    values: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    submitted_by: Mapped[str] = mapped_column(sa.String(26))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime())


class SchoolCheckinReminder(Base):
    """When a class was last reminded to check in on a day (one reminder per ten minutes,
    whichever server takes the request)."""

    __tablename__ = "school_checkin_reminders"

    form_id: Mapped[str] = mapped_column(sa.ForeignKey("school_checkin_forms.id", ondelete="CASCADE"), primary_key=True)
    class_id: Mapped[str] = mapped_column(sa.String(26), primary_key=True)
    day: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    reminded_at: Mapped[datetime] = mapped_column(UTCDateTime())
