"""Homework (家校本): who sees it, assigning it to classes, the lists and the detail.

- A teacher of a class (head or subject teacher) or an admin assigns homework to classes.
- The author and admins see and grade every class's work; another teacher of one of the
  classes sees and grades their own classes' students.
- A guardian (or a student with an account) sees homework of their children's classes,
  their own children's submissions, and the classmates' submissions marked excellent.

Anything else answers 404 ``homework_not_found``. Submitting and grading are in
``homework_submissions``; the reminder and file readers in ``homework_jobs``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from hobnail.core import clock
from hobnail.core.errors import NotFound, ValidationFailed
from hobnail.core.validation import check_name
from hobnail.db.session import Session
from hobnail.domains.accounts import service as accounts_service
from hobnail.domains.accounts.access import Actor
from hobnail.domains.education import events, repository
from hobnail.domains.education import homework_repository as hw_repository
from hobnail.domains.education.access import ClassTeacherRequired, access_class, require_school
from hobnail.domains.files import service as files_service
from hobnail.events.base import topics
from hobnail.events.outbox import record
from hobnail.models import Homework, HomeworkClass, HomeworkSubmission, SchoolStudent

DEFAULT_REMIND_BEFORE_MINUTES = 120
MAX_FILES = 20


class HomeworkNotFound(NotFound):
    code = "homework_not_found"
    message = "No such homework."


class DueInThePast(ValidationFailed):
    code = "homework_due_in_past"
    message = "The due time must be in the future."


@dataclass
class HomeworkAccess:
    """Homework the actor may see, and as what."""

    homework: Homework
    class_ids: list[str]  # the classes it was assigned to
    staff_class_ids: set[str]  # classes whose students' work the actor sees and grades
    children: list[SchoolStudent]  # the actor's children (or own student row) in those classes

    @property
    def child_ids(self) -> set[str]:
        return {c.id for c in self.children}

    @property
    def child_class_ids(self) -> set[str]:
        return {c.class_id for c in self.children}

    def sees_submission(self, submission: HomeworkSubmission, class_id: str) -> bool:
        """Teachers their classes' work; guardians their children's and the class's excellent work."""
        if class_id in self.staff_class_ids or submission.student_id in self.child_ids:
            return True
        return submission.status == "graded" and submission.excellent and class_id in self.child_class_ids

    def require_teacher(self) -> None:
        if not self.staff_class_ids:
            raise ClassTeacherRequired()


async def my_students(session: Session, actor: Actor) -> list[SchoolStudent]:
    """The actor's children, and their own student row if they are a student."""
    children = await repository.children_of_user(session, actor.org_id, actor.user_id)
    own = await hw_repository.own_student_rows(session, actor.org_id, actor.user_id)
    return list({s.id: s for s in [*children, *own]}.values())


def staff_classes(actor: Actor, homework: Homework, class_ids: list[str], taught: set[str]) -> set[str]:
    if actor.is_admin or homework.author_id == actor.user_id:
        return set(class_ids)
    return taught & set(class_ids)


async def access_homework(session: Session, actor: Actor, homework_id: str) -> HomeworkAccess:
    require_school(actor)
    found = await hw_repository.homework(session, actor.org_id, homework_id)
    if found is None:
        raise HomeworkNotFound(details={"homework_id": homework_id})
    class_ids = (await hw_repository.class_ids(session, [found.id])).get(found.id, [])
    taught = await repository.taught_class_ids(session, actor.org_id, actor.user_id)
    staff = staff_classes(actor, found, class_ids, taught)
    children = [s for s in await my_students(session, actor) if s.class_id in class_ids]
    if not staff and not children:
        raise HomeworkNotFound(details={"homework_id": homework_id})
    return HomeworkAccess(found, class_ids, staff, children)


# --- views -------------------------------------------------------------------------------------


async def class_refs(session: Session, org_id: str, class_ids: list[str]) -> dict[str, dict[str, Any]]:
    classes = await repository.classes(session, org_id, class_ids=class_ids)
    grades = {g.id: g.name for g in await repository.grades(session, org_id)} if classes else {}
    return {c.id: {"id": c.id, "name": c.name, "grade_name": grades.get(c.grade_id, "")} for c in classes}


def local_time(actor: Actor, value: datetime | None) -> str | None:
    return value.astimezone(ZoneInfo(actor.org.timezone)).isoformat() if value else None


async def homework_views(
    session: Session, actor: Actor, homeworks: list[Homework], shown_classes: dict[str, list[str]]
) -> dict[str, dict[str, Any]]:
    """Homework as the API shows it; ``shown_classes`` says which of its classes each lists."""
    ids = [h.id for h in homeworks]
    files = await hw_repository.files(session, ids)
    refs = await class_refs(session, actor.org_id, sorted({c for cs in shown_classes.values() for c in cs}))
    people = await accounts_service.users_by_id(session, sorted({h.author_id for h in homeworks}))
    views = {}
    for h in homeworks:
        author = people.get(h.author_id)
        views[h.id] = {
            "id": h.id,
            "title": h.title,
            "body": h.body,
            "subject": h.subject,
            "due_at": clock.isoformat(h.due_at) if h.due_at else None,
            "due_at_local": local_time(actor, h.due_at),
            "remind_before_minutes": h.remind_before_minutes,
            "reminded_at": clock.isoformat(h.reminded_at) if h.reminded_at else None,
            "author": {"id": h.author_id, "name": author.name if author else ""},
            "classes": [refs[c] for c in shown_classes.get(h.id, []) if c in refs],
            "files": files.get(h.id, []),
            "created_at": clock.isoformat(h.created_at),
        }
    return views


def state_of(submission: HomeworkSubmission | None) -> str:
    """``not_submitted`` (also after withdrawing), ``submitted`` (waiting for a grade) or ``graded``."""
    if submission is None or submission.status == "withdrawn":
        return "not_submitted"
    return submission.status


def counts(students: list[SchoolStudent], submissions: dict[str, HomeworkSubmission]) -> dict[str, int]:
    found = {"student_count": len(students), "submitted": 0, "graded": 0, "not_submitted": 0, "late": 0}
    for student in students:
        submission = submissions.get(student.id)
        state = state_of(submission)
        found[state] += 1
        if state != "not_submitted" and submission is not None and submission.late:
            found["late"] += 1
    return found


def child_state(student: SchoolStudent, submission: HomeworkSubmission | None) -> dict[str, Any]:
    state = state_of(submission)
    graded = submission is not None and state == "graded"
    return {
        "student_id": student.id,
        "name": student.name,
        "class_id": student.class_id,
        "state": state,
        "submission_id": submission.id if submission else None,
        "late": bool(submission and state != "not_submitted" and submission.late),
        "score": submission.score if graded and submission else None,
        "level": submission.level if graded and submission else None,
        "excellent": bool(graded and submission and submission.excellent),
    }


# --- assigning ---------------------------------------------------------------------------------


def due_in_utc(actor: Actor, due_at: datetime | None) -> datetime | None:
    """A due time without an offset is in the school's timezone."""
    if due_at is None:
        return None
    if due_at.tzinfo is None:
        due_at = due_at.replace(tzinfo=ZoneInfo(actor.org.timezone))
    return clock.ensure_aware(due_at)


async def attachable_files(session: Session, actor: Actor, file_ids: list[str]) -> list[dict[str, Any]]:
    """Descriptions of finished files the actor may read (FileNotFound otherwise)."""
    wanted = list(dict.fromkeys(file_ids))
    if len(wanted) > MAX_FILES:
        raise ValidationFailed(f"At most {MAX_FILES} files.", code="too_many_files", details={"field": "file_ids"})
    return [await files_service.attachable(session, actor, file_id) for file_id in wanted]


async def assign_homework(
    session: Session,
    actor: Actor,
    *,
    class_ids: list[str],
    title: str,
    body: str = "",
    subject: str = "",
    due_at: datetime | None = None,
    file_ids: list[str] | None = None,
    remind_before_minutes: int | None = DEFAULT_REMIND_BEFORE_MINUTES,
) -> dict[str, Any]:
    """A teacher of each class (or an admin) assigns homework. Records ``homework.assigned``
    for the classes' teachers, the author and the guardians who have joined."""
    require_school(actor)
    wanted = list(dict.fromkeys(class_ids))
    if not wanted:
        raise ValidationFailed("Choose at least one class.", code="classes_required", details={"field": "class_ids"})
    for class_id in wanted:
        (await access_class(session, actor, class_id)).require_teacher()
    clean_title = check_name(title, "title", 120)
    due = due_in_utc(actor, due_at)
    if due is not None and due <= clock.now():
        raise DueInThePast(details={"field": "due_at"})
    files = await attachable_files(session, actor, file_ids or [])
    homework = Homework(
        org_id=actor.org_id,
        author_id=actor.user_id,
        subject=" ".join(subject.split())[:30],
        title=clean_title,
        body=body.strip(),
        due_at=due,
        remind_before_minutes=remind_before_minutes or None,
    )
    session.add(homework)
    await session.flush()
    for class_id in wanted:
        session.add(HomeworkClass(homework_id=homework.id, class_id=class_id, org_id=actor.org_id))
    hw_repository.add_files(session, homework.id, files)
    await session.flush()
    await _announce_assigned(session, actor, homework, sorted(wanted))
    return (await homework_views(session, actor, [homework], {homework.id: sorted(wanted)}))[homework.id]


async def _announce_assigned(session: Session, actor: Actor, homework: Homework, class_ids: list[str]) -> None:
    staff = {homework.author_id}
    for class_id in class_ids:
        staff |= await repository.teacher_ids(session, class_id)
    view = (await homework_views(session, actor, [homework], {homework.id: class_ids}))[homework.id]
    await record(
        session,
        events.HomeworkAssigned(
            org_id=actor.org_id, audience=tuple(topics.user(u) for u in sorted(staff)), homework=view
        ),
    )
    # Guardians hear only of their own children's classes: one event per set of classes.
    students = await repository.students_of_classes(session, class_ids)
    guardians = await hw_repository.guardian_user_ids(session, [s.id for s in students])
    classes_of: dict[str, set[str]] = {}
    for student in students:
        for user_id in guardians.get(student.id, set()) | ({student.user_id} if student.user_id else set()):
            if user_id not in staff:
                classes_of.setdefault(user_id, set()).add(student.class_id)
    groups: dict[tuple[str, ...], list[str]] = {}
    for user_id, seen in classes_of.items():
        groups.setdefault(tuple(sorted(seen)), []).append(user_id)
    for seen_classes, user_ids in sorted(groups.items()):
        shown = (await homework_views(session, actor, [homework], {homework.id: list(seen_classes)}))[homework.id]
        audience = tuple(topics.user(u) for u in sorted(user_ids))
        await record(session, events.HomeworkAssigned(org_id=actor.org_id, audience=audience, homework=shown))
