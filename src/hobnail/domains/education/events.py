"""Events of the education domain (school setup). Names are ``resource.past_verb``.

Audiences: the school's admins and the teachers of the class concerned (their user
topics). Guardians are not told through these events (a payload carries every guardian's
phone number); their home (``GET /api/v1/school/me``) is fetched.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from hobnail.events.base import DomainEvent


@dataclass(frozen=True, kw_only=True)
class SchoolUpdated(DomainEvent):
    """The organisation was switched to (or from) being a school."""

    type: ClassVar[str] = "school.updated"
    school: dict[str, Any]


@dataclass(frozen=True, kw_only=True)
class GradeCreated(DomainEvent):
    type: ClassVar[str] = "school_grade.created"
    grade: dict[str, Any]


@dataclass(frozen=True, kw_only=True)
class GradeUpdated(DomainEvent):
    type: ClassVar[str] = "school_grade.updated"
    grade: dict[str, Any]


@dataclass(frozen=True, kw_only=True)
class GradeDeleted(DomainEvent):
    type: ClassVar[str] = "school_grade.deleted"
    grade_id: str


@dataclass(frozen=True, kw_only=True)
class ClassCreated(DomainEvent):
    type: ClassVar[str] = "school_class.created"
    school_class: dict[str, Any]


@dataclass(frozen=True, kw_only=True)
class ClassUpdated(DomainEvent):
    """Renamed, moved to another grade, new teachers, or its student count changed."""

    type: ClassVar[str] = "school_class.updated"
    school_class: dict[str, Any]


@dataclass(frozen=True, kw_only=True)
class ClassDeleted(DomainEvent):
    type: ClassVar[str] = "school_class.deleted"
    class_id: str


@dataclass(frozen=True, kw_only=True)
class StudentEnrolled(DomainEvent):
    type: ClassVar[str] = "student.enrolled"
    student: dict[str, Any]


@dataclass(frozen=True, kw_only=True)
class StudentUpdated(DomainEvent):
    """Name, number, class or guardians changed (or a guardian joined)."""

    type: ClassVar[str] = "student.updated"
    student: dict[str, Any]


@dataclass(frozen=True, kw_only=True)
class StudentWithdrawn(DomainEvent):
    type: ClassVar[str] = "student.withdrawn"
    student_id: str
    class_id: str


@dataclass(frozen=True, kw_only=True)
class RosterImported(DomainEvent):
    """A roster file enrolled ``student_count`` students at once (no per-student events)."""

    type: ClassVar[str] = "roster.imported"
    class_id: str
    student_count: int
    guardian_count: int


@dataclass(frozen=True, kw_only=True)
class GuardianJoined(DomainEvent):
    """A guardian redeemed a class code: now linked to their children (also to the guardian)."""

    type: ClassVar[str] = "guardian.joined"
    guardian_id: str
    user_id: str
    student_ids: list[str]
    class_id: str


# --- notices (通知) --------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class NoticePublished(DomainEvent):
    """A notice reached families: to its author and each guardian concerned (their user
    topics); ``notice`` is the guardian's view without other families."""

    type: ClassVar[str] = "school_notice.published"
    notice: dict[str, Any]


@dataclass(frozen=True, kw_only=True)
class NoticeProgress(DomainEvent):
    """A family read or confirmed: to the author and the class's teachers, with the
    class's counts (``read``, ``confirmed``, ``total``) and that student's state."""

    type: ClassVar[str] = "school_notice.progress"
    notice_id: str
    class_id: str
    student: dict[str, Any]
    counts: dict[str, int]


@dataclass(frozen=True, kw_only=True)
class NoticeConfirmed(DomainEvent):
    """A child's notice was confirmed: to all of the child's guardians (every device)."""

    type: ClassVar[str] = "school_notice.confirmed"
    notice_id: str
    student_id: str
    confirmed_at: str
    confirmed_by: str


# --- homework (家校本) ---------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class HomeworkAssigned(DomainEvent):
    """New homework: to the classes' teachers and the author (all classes), and to guardians
    (``homework.classes`` then lists only their own children's classes)."""

    type: ClassVar[str] = "homework.assigned"
    homework: dict[str, Any]


@dataclass(frozen=True, kw_only=True)
class HomeworkSubmitted(DomainEvent):
    """A child's work was handed in (or handed in again): to the author, the child's class's
    teachers, the child's guardians (and the student's own account)."""

    type: ClassVar[str] = "homework.submitted"
    homework_id: str
    submission: dict[str, Any]


@dataclass(frozen=True, kw_only=True)
class HomeworkWithdrawn(DomainEvent):
    """A submission was taken back before grading: same audience as ``homework.submitted``."""

    type: ClassVar[str] = "homework.withdrawn"
    homework_id: str
    submission: dict[str, Any]


@dataclass(frozen=True, kw_only=True)
class HomeworkGraded(DomainEvent):
    """A submission was graded (or re-graded, or marked excellent): same audience as
    ``homework.submitted``."""

    type: ClassVar[str] = "homework.graded"
    homework_id: str
    submission: dict[str, Any]


@dataclass(frozen=True, kw_only=True)
class HomeworkReminder(DomainEvent):
    """Homework is due soon and these children of the guardian have not handed it in: to
    that guardian's user topic, once per homework."""

    type: ClassVar[str] = "homework.reminder"
    homework_id: str
    title: str
    subject: str
    due_at: str
    students: list[dict[str, Any]]


# --- daily check-ins ------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class CheckinSubmitted(DomainEvent):
    """A family checked in: to the class's teachers (refresh the class's list)."""

    type: ClassVar[str] = "school_checkin.submitted"
    form_id: str
    class_id: str
    student_id: str
    day: str


@dataclass(frozen=True, kw_only=True)
class CheckinReminder(DomainEvent):
    """A teacher reminds families who have not checked in today (each guardian's topic)."""

    type: ClassVar[str] = "school_checkin.reminder"
    form_id: str
    name: str
    closes_at: str
    day: str
