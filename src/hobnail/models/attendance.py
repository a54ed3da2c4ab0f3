"""Attendance (考勤): groups and their rules, rosters, the holiday calendar, punches, leave
and trips applied from approvals, and each person's result for each day.

Rules are versioned by the date they apply from, so changing them never rewrites a day
before that date. Results are stored (``attendance_days``) and recomputed when a punch,
a rule, a roster, the calendar or an approval changes; a periodic job closes each day
after it ends in the organisation's time zone.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from hobnail.db.base import Base, created_at_column, id_column
from hobnail.db.types import JSONType, UTCDateTime


class AttendanceGroup(Base):
    """Who follows which rules. A person belongs to the group that names them, else to the
    group of their nearest department that has one."""

    __tablename__ = "attendance_groups"

    id: Mapped[str] = id_column()
    org_id: Mapped[str] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(50))
    user_ids: Mapped[list[str]] = mapped_column(JSONType, default=list)
    department_ids: Mapped[list[str]] = mapped_column(JSONType, default=list)
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class AttendanceRules(Base):
    """One version of a group's rules, in force from ``effective_from`` until the next."""

    __tablename__ = "attendance_rules"

    group_id: Mapped[str] = mapped_column(sa.ForeignKey("attendance_groups.id", ondelete="CASCADE"), primary_key=True)
    effective_from: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    rules: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    created_at: Mapped[datetime] = created_at_column()


class AttendanceRoster(Base):
    """Which shift a person works on a day in a shift group (``shift_id`` None: rest)."""

    __tablename__ = "attendance_roster"

    org_id: Mapped[str] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[str] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    group_id: Mapped[str] = mapped_column(sa.ForeignKey("attendance_groups.id", ondelete="CASCADE"))
    shift_id: Mapped[str | None] = mapped_column(sa.String(20))


class AttendanceCalendarDay(Base):
    """An organisation's change to the public-holiday calendar: a day off (holiday) or a
    working day (e.g. a 调休 weekend), or ``normal`` to undo the built-in entry."""

    __tablename__ = "attendance_calendar"

    org_id: Mapped[str] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(10))  # holiday | workday | normal
    name: Mapped[str] = mapped_column(sa.String(50), default="")


class AttendancePunch(Base):
    """One clock-in or clock-out, as recorded, with where it was and what looked odd."""

    __tablename__ = "attendance_punches"
    __table_args__ = (
        sa.Index("ix_attendance_punches_user_day", "user_id", "work_date"),
        sa.Index("ix_attendance_punches_org_day", "org_id", "work_date"),
        sa.UniqueConstraint("user_id", "client_id"),
    )

    id: Mapped[str] = id_column()
    org_id: Mapped[str] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    work_date: Mapped[date] = mapped_column(sa.Date)  # the schedule day it counts for
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    kind: Mapped[str] = mapped_column(sa.String(4))  # in | out
    # web | api | approval (an approved make-up punch) | admin
    source: Mapped[str] = mapped_column(sa.String(10), default="web")
    # place | network | field | none (approval)
    location_result: Mapped[str] = mapped_column(sa.String(8))
    place: Mapped[str] = mapped_column(sa.String(50), default="")
    latitude: Mapped[float | None] = mapped_column(sa.Float)
    longitude: Mapped[float | None] = mapped_column(sa.Float)
    accuracy: Mapped[float | None] = mapped_column(sa.Float)
    ip: Mapped[str] = mapped_column(sa.String(45), default="")
    ssid: Mapped[str] = mapped_column(sa.String(64), default="")
    bssid: Mapped[str] = mapped_column(sa.String(17), default="")
    device_id: Mapped[str] = mapped_column(sa.String(64), default="")
    note: Mapped[str] = mapped_column(sa.String(500), default="")
    photo_file_id: Mapped[str | None] = mapped_column(sa.ForeignKey("files.id", ondelete="SET NULL"))
    request_id: Mapped[str | None] = mapped_column(sa.String(26))  # the make-up approval
    flags: Mapped[list[str]] = mapped_column(JSONType, default=list)
    # flagged punches wait for an admin: "" (nothing to review) | pending | accepted | rejected
    review: Mapped[str] = mapped_column(sa.String(8), default="")
    client_id: Mapped[str | None] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = created_at_column()


class AttendanceAbsence(Base):
    """Approved leave, a business trip or overtime, applied from an approval."""

    __tablename__ = "attendance_absences"
    __table_args__ = (sa.Index("ix_attendance_absences_user", "user_id", "first_day", "last_day"),)

    request_id: Mapped[str] = mapped_column(sa.String(26), primary_key=True)
    org_id: Mapped[str] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[str] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(10))  # leave | trip | overtime
    leave_type: Mapped[str] = mapped_column(sa.String(20), default="")
    first_day: Mapped[date] = mapped_column(sa.Date)
    last_day: Mapped[date] = mapped_column(sa.Date)
    first_half: Mapped[str] = mapped_column(sa.String(2), default="am")
    last_half: Mapped[str] = mapped_column(sa.String(2), default="pm")
    hours: Mapped[float] = mapped_column(sa.Float, default=0)  # overtime; leave by the hour
    # A leave by the hour: "10:00"–"12:00" on first_day (== last_day)
    start_time: Mapped[str | None] = mapped_column(sa.String(5))
    end_time: Mapped[str | None] = mapped_column(sa.String(5))


class AttendanceDay(Base):
    """A person's result for one day, and why (``detail``)."""

    __tablename__ = "attendance_days"
    __table_args__ = (sa.Index("ix_attendance_days_org_day", "org_id", "day"),)

    user_id: Mapped[str] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    org_id: Mapped[str] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"))
    group_id: Mapped[str | None] = mapped_column(sa.String(26))
    status: Mapped[str] = mapped_column(sa.String(14))
    required: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    present: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    late_minutes: Mapped[int] = mapped_column(sa.Integer, default=0)
    early_minutes: Mapped[int] = mapped_column(sa.Integer, default=0)
    absent_days: Mapped[float] = mapped_column(sa.Float, default=0)
    missing_punches: Mapped[int] = mapped_column(sa.Integer, default=0)
    overtime_minutes: Mapped[int] = mapped_column(sa.Integer, default=0)
    detail: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    computed_at: Mapped[datetime] = created_at_column()


class AttendanceReminder(Base):
    """A reminder already sent, so each goes once."""

    __tablename__ = "attendance_reminders"

    user_id: Mapped[str] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(4), primary_key=True)  # in | out
