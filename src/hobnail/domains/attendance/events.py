"""Events of attendance. A punch goes to the person and the admins (the live board); a
recomputed day to the person; reminders to the person; group changes to the admins."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from hobnail.events.base import DomainEvent


@dataclass(frozen=True, kw_only=True)
class AttendancePunched(DomainEvent):
    """Someone clocked in or out (or an approved make-up punch was applied)."""

    type: ClassVar[str] = "attendance.punched"
    punch: dict[str, Any]
    day: dict[str, Any] | None


@dataclass(frozen=True, kw_only=True)
class AttendanceDayUpdated(DomainEvent):
    """A person's day changed for another reason than a punch: approved leave, a review."""

    type: ClassVar[str] = "attendance.day_updated"
    day: dict[str, Any]


@dataclass(frozen=True, kw_only=True)
class AttendanceReminder(DomainEvent):
    """Time to clock in (work starts soon) or out (work ended a while ago)."""

    type: ClassVar[str] = "attendance.reminder"
    kind: str  # in | out
    day: str
    at: str  # when work starts / ended


@dataclass(frozen=True, kw_only=True)
class AttendanceGroupUpdated(DomainEvent):
    """A group was created, changed (rules, members, roster) or deleted."""

    type: ClassVar[str] = "attendance.group_updated"
    group_id: str
    deleted: bool = False
