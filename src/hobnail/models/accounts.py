"""People, organisations, departments, sessions and tokens."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from hobnail.db.base import Base, created_at_column, id_column
from hobnail.db.types import JSONType, UTCDateTime


class User(Base):
    """A person. One account may belong to several organisations through memberships."""

    __tablename__ = "users"

    id: Mapped[str] = id_column()
    email: Mapped[str | None] = mapped_column(sa.String(254), unique=True)
    phone: Mapped[str | None] = mapped_column(sa.String(20), unique=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    # Lower-case full pinyin and initials ("zhang san", "zs") so the directory finds 张三 by either.
    name_pinyin: Mapped[str] = mapped_column(sa.String(400), default="")
    name_initials: Mapped[str] = mapped_column(sa.String(100), default="")
    password_hash: Mapped[str | None] = mapped_column(sa.String(200))
    language: Mapped[str | None] = mapped_column(sa.String(10))
    timezone: Mapped[str | None] = mapped_column(sa.String(64))
    avatar_key: Mapped[str | None] = mapped_column(sa.String(100))
    # "22:00" to "07:30" in the person's time zone: SMS and voice DING steps wait till the end.
    quiet_hours_start: Mapped[str | None] = mapped_column(sa.String(5))
    quiet_hours_end: Mapped[str | None] = mapped_column(sa.String(5))
    kind: Mapped[str] = mapped_column(sa.String(16), default="person")  # person | bot
    created_at: Mapped[datetime] = created_at_column()


class Organization(Base):
    __tablename__ = "organizations"

    id: Mapped[str] = id_column()
    name: Mapped[str] = mapped_column(sa.String(100))
    timezone: Mapped[str] = mapped_column(sa.String(64), default="Asia/Shanghai")
    language: Mapped[str] = mapped_column(sa.String(10), default="zh-CN")
    kind: Mapped[str] = mapped_column(sa.String(16), default="company")  # company | school
    settings: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    created_at: Mapped[datetime] = created_at_column()


class Membership(Base):
    """A user's place in one organisation: role, title, status."""

    __tablename__ = "memberships"
    __table_args__ = (sa.UniqueConstraint("org_id", "user_id"),)

    id: Mapped[str] = id_column()
    org_id: Mapped[str] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[str] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(sa.String(16), default="member")  # owner | admin | member
    title: Mapped[str] = mapped_column(sa.String(100), default="")
    employee_no: Mapped[str] = mapped_column(sa.String(64), default="")
    # When their working years began (for annual leave by years of service); optional.
    work_start_on: Mapped[date | None] = mapped_column(sa.Date)
    status: Mapped[str] = mapped_column(sa.String(16), default="active")  # active | deactivated
    # staff | guardian | student: only staff are in the directory (lists, search, departments,
    # the all-staff and department chats); schools add guardians and students.
    kind: Mapped[str] = mapped_column(sa.String(16), default="staff", server_default="staff")
    created_at: Mapped[datetime] = created_at_column()
    deactivated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Department(Base):
    __tablename__ = "departments"

    id: Mapped[str] = id_column()
    org_id: Mapped[str] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[str | None] = mapped_column(sa.ForeignKey("departments.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    position: Mapped[int] = mapped_column(sa.Integer, default=0)
    created_at: Mapped[datetime] = created_at_column()


class DepartmentMember(Base):
    __tablename__ = "department_members"

    department_id: Mapped[str] = mapped_column(sa.ForeignKey("departments.id", ondelete="CASCADE"), primary_key=True)
    # Indexed on its own too: "the departments of these people" is asked for every member at once.
    user_id: Mapped[str] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    org_id: Mapped[str] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    is_manager: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    created_at: Mapped[datetime] = created_at_column()


class Invitation(Base):
    __tablename__ = "invitations"

    id: Mapped[str] = id_column()
    org_id: Mapped[str] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(sa.String(16), unique=True)
    created_by: Mapped[str] = mapped_column(sa.ForeignKey("users.id"))
    department_id: Mapped[str | None] = mapped_column(sa.ForeignKey("departments.id", ondelete="SET NULL"))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = created_at_column()


class JoinRequest(Base):
    """An applicant who used an invitation; an admin approves or rejects."""

    __tablename__ = "join_requests"

    id: Mapped[str] = id_column()
    org_id: Mapped[str] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    invitation_id: Mapped[str] = mapped_column(sa.ForeignKey("invitations.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(sa.String(100))
    phone: Mapped[str] = mapped_column(sa.String(20))
    email: Mapped[str | None] = mapped_column(sa.String(254))
    password_hash: Mapped[str | None] = mapped_column(sa.String(200))
    status: Mapped[str] = mapped_column(sa.String(16), default="pending")  # pending|approved|rejected
    decided_by: Mapped[str | None] = mapped_column(sa.ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    user_id: Mapped[str | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = created_at_column()


class WebSession(Base):
    """A browser sign-in. The cookie holds a secret; only its digest is stored."""

    __tablename__ = "web_sessions"

    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)  # sha256 of the cookie value
    user_id: Mapped[str] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    org_id: Mapped[str | None] = mapped_column(sa.ForeignKey("organizations.id", ondelete="SET NULL"))
    csrf_token: Mapped[str] = mapped_column(sa.String(64))
    user_agent: Mapped[str] = mapped_column(sa.String(300), default="")
    created_at: Mapped[datetime] = created_at_column()
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ApiToken(Base):
    """A personal API token, bound to one organisation; shown once, stored as a digest."""

    __tablename__ = "api_tokens"

    id: Mapped[str] = id_column()
    user_id: Mapped[str] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    org_id: Mapped[str] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(sa.String(100))
    digest: Mapped[str] = mapped_column(sa.String(64), unique=True)
    prefix: Mapped[str] = mapped_column(sa.String(16))
    created_at: Mapped[datetime] = created_at_column()
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class LoginThrottle(Base):
    """Failed sign-ins per identifier: slowed after a few, locked for a while after many."""

    __tablename__ = "login_throttles"

    key: Mapped[str] = mapped_column(sa.String(300), primary_key=True)
    failures: Mapped[int] = mapped_column(sa.Integer, default=0)
    last_failure_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
