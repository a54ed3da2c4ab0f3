"""Handing in homework, withdrawing, grading, and the per-class statistics.

A child has one submission per homework: ``submitted`` → (``withdrawn`` → ``submitted``)*
→ ``graded``. Guardians (or the student's own account) submit and withdraw until it is
graded; after that both answer 409 ``homework_already_graded``. Work handed in after the
due time is accepted and marked ``late``. Teachers of the child's class (and the author
and admins) grade with a ``score`` (0–100, one decimal) or a ``level`` (A/B/C/D; 优/良/中/差
are taken as A/B/C/D), a comment with optional images, and may mark it ``excellent`` —
then every guardian of that class may see it.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from hobnail.core import clock
from hobnail.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from hobnail.db.session import Session
from hobnail.domains.accounts import service as accounts_service
from hobnail.domains.accounts.access import Actor
from hobnail.domains.education import events, repository
from hobnail.domains.education import homework_repository as hw_repository
from hobnail.domains.education.access import ClassTeacherRequired, StudentNotFound
from hobnail.domains.education.homework import (
    HomeworkAccess,
    access_homework,
    attachable_files,
    class_refs,
    state_of,
)
from hobnail.events.base import topics
from hobnail.events.outbox import record
from hobnail.models import Homework, HomeworkSubmission, SchoolStudent

LEVELS = {"A": "A", "B": "B", "C": "C", "D": "D", "优": "A", "良": "B", "中": "C", "差": "D"}
STATES = ("submitted", "late", "not_submitted", "graded")


class SubmissionNotFound(NotFound):
    code = "submission_not_found"
    message = "No such submission."


class HomeworkAlreadyGraded(Conflict):
    code = "homework_already_graded"
    message = "The work has been graded; it can no longer be changed or withdrawn."


class HomeworkAlreadySubmitted(Conflict):
    code = "homework_already_submitted"
    message = "The work has been handed in; withdraw it first to hand it in again."


class SubmissionWithdrawn(Conflict):
    code = "submission_withdrawn"
    message = "The work was withdrawn; it can be graded once it is handed in again."


class SubmissionChanged(Conflict):
    code = "submission_changed"
    message = "The submission changed meanwhile; reload and try again."


class SubmissionEmpty(ValidationFailed):
    code = "submission_empty"
    message = "Write something or attach a photo or file."


class InvalidGrade(ValidationFailed):
    code = "invalid_grade"
    message = "Grade with either a score from 0 to 100 or a level (A, B, C, D or 优, 良, 中, 差)."


class GuardianRequired(Forbidden):
    code = "homework_guardian_required"
    message = "Only the child's guardians (or the student) may hand in or withdraw the work."


# --- views -------------------------------------------------------------------------------------


async def submission_views(
    session: Session, found: HomeworkAccess, rows: list[tuple[HomeworkSubmission, SchoolStudent]]
) -> list[dict[str, Any]]:
    files = await hw_repository.submission_files(session, [s.id for s, _ in rows])
    people = await accounts_service.users_by_id(
        session, sorted({s.submitted_by for s, _ in rows} | {s.graded_by for s, _ in rows if s.graded_by})
    )

    def person(user_id: str | None) -> dict[str, Any] | None:
        return {"id": user_id, "name": people[user_id].name if user_id in people else ""} if user_id else None

    views = []
    for sub, student in rows:
        close = student.class_id in found.staff_class_ids or student.id in found.child_ids
        graded = sub.status == "graded"
        views.append({
            "id": sub.id,
            "homework_id": sub.homework_id,
            "student": {"id": student.id, "name": student.name, "class_id": student.class_id},
            "status": sub.status,
            "state": state_of(sub),
            "body": sub.body,
            "files": files.get(sub.id, {}).get("submission", []),
            "late": sub.late,
            "submitted_at": clock.isoformat(sub.submitted_at),
            # A classmate's guardian sees the shared (excellent) work, not who handed it in.
            "submitted_by": person(sub.submitted_by) if close else None,
            "withdrawn_at": clock.isoformat(sub.withdrawn_at) if sub.withdrawn_at and close else None,
            "excellent": graded and sub.excellent,
            "grade": {
                "score": sub.score,
                "level": sub.level,
                "comment": sub.comment,
                "files": files.get(sub.id, {}).get("comment", []),
                "graded_by": person(sub.graded_by),
                "graded_at": clock.isoformat(sub.graded_at) if sub.graded_at else None,
            } if graded else None,
            "version": sub.version,
        })  # fmt: skip
    return views


async def _view(
    session: Session, found: HomeworkAccess, sub: HomeworkSubmission, student: SchoolStudent
) -> dict[str, Any]:
    return (await submission_views(session, found, [(sub, student)]))[0]


async def _audience(session: Session, homework: Homework, student: SchoolStudent) -> tuple[str, ...]:
    """The author, the child's class's teachers, the child's guardians and the student."""
    users = {homework.author_id} | await repository.teacher_ids(session, student.class_id)
    users |= (await hw_repository.guardian_user_ids(session, [student.id])).get(student.id, set())
    if student.user_id:
        users.add(student.user_id)
    return tuple(topics.user(u) for u in sorted(users))


Announced = type[events.HomeworkSubmitted | events.HomeworkWithdrawn | events.HomeworkGraded]


async def _announce(
    session: Session, actor: Actor, event: Announced, found: HomeworkAccess, sub: HomeworkSubmission,
    student: SchoolStudent,
) -> dict[str, Any]:  # fmt: skip
    view: dict[str, Any] = await _view(session, found, sub, student)
    audience = await _audience(session, found.homework, student)
    await record(session, event(org_id=actor.org_id, audience=audience, homework_id=sub.homework_id, submission=view))
    return view


async def access_submission(
    session: Session, actor: Actor, homework_id: str, submission_id: str
) -> tuple[HomeworkAccess, HomeworkSubmission, SchoolStudent]:
    found = await access_homework(session, actor, homework_id)
    sub = await hw_repository.submission(session, found.homework.id, submission_id)
    student = await repository.student(session, actor.org_id, sub.student_id) if sub else None
    if sub is None or student is None or not found.sees_submission(sub, student.class_id):
        raise SubmissionNotFound(details={"submission_id": submission_id})
    return found, sub, student


async def _bump(session: Session, sub: HomeworkSubmission) -> None:
    """Guard against two people changing the submission at once."""
    if not await hw_repository.bump_version(session, sub.id, sub.version):
        raise SubmissionChanged()
    await session.refresh(sub)


# --- handing in --------------------------------------------------------------------------------


async def submit(
    session: Session, actor: Actor, homework_id: str, *, student_id: str, body: str, file_ids: list[str]
) -> dict[str, Any]:
    """A guardian (or the student) hands in the child's work, or hands it in again after
    withdrawing. Late after the due time. Records ``homework.submitted``."""
    found = await access_homework(session, actor, homework_id)
    student = next((c for c in found.children if c.id == student_id), None)
    if student is None:  # not my child, or not in the homework's classes
        raise StudentNotFound(details={"student_id": student_id})
    text = body.strip()
    if not text and not file_ids:
        raise SubmissionEmpty(details={"field": "body"})
    files = await attachable_files(session, actor, file_ids)
    now = clock.now()
    sub = await hw_repository.submission_of(session, found.homework.id, student.id)
    if sub is None:
        sub = HomeworkSubmission(
            org_id=actor.org_id, homework_id=found.homework.id, student_id=student.id, submitted_by=actor.user_id,
            submitted_at=now, body=text, comment="", late=False, excellent=False, version=0, status="submitted",
        )  # fmt: skip
        try:
            async with session.begin_nested():  # two guardians handing in at the same instant: one wins
                session.add(sub)
                await session.flush()
        except sa.exc.IntegrityError:
            raise HomeworkAlreadySubmitted() from None
    else:
        if sub.status == "graded":
            raise HomeworkAlreadyGraded()
        if sub.status == "submitted":
            raise HomeworkAlreadySubmitted()
        await _bump(session, sub)
        sub.status, sub.body, sub.submitted_by, sub.submitted_at = "submitted", text, actor.user_id, now
        sub.withdrawn_at = None
    sub.late = found.homework.due_at is not None and now > found.homework.due_at
    await hw_repository.set_submission_files(session, sub.id, "submission", files)
    return await _announce(session, actor, events.HomeworkSubmitted, found, sub, student)


async def withdraw(session: Session, actor: Actor, homework_id: str, submission_id: str) -> dict[str, Any]:
    """The child's guardian (or the student) takes the work back before it is graded.
    Records ``homework.withdrawn``; withdrawing twice changes nothing."""
    found, sub, student = await access_submission(session, actor, homework_id, submission_id)
    if student.id not in found.child_ids:
        raise GuardianRequired()
    if sub.status == "graded":
        raise HomeworkAlreadyGraded()
    if sub.status == "withdrawn":
        return await _view(session, found, sub, student)
    await _bump(session, sub)
    sub.status, sub.withdrawn_at = "withdrawn", clock.now()
    await session.flush()
    return await _announce(session, actor, events.HomeworkWithdrawn, found, sub, student)


# --- grading -----------------------------------------------------------------------------------


def check_grade(score: float | None, level: str | None) -> tuple[float | None, str | None]:
    if (score is None) == (level is None or not level.strip()):
        raise InvalidGrade(details={"field": "score"})
    if score is not None:
        if not 0 <= score <= 100:
            raise InvalidGrade(details={"field": "score"})
        return round(score, 1), None
    clean = LEVELS.get((level or "").strip().upper())
    if clean is None:
        raise InvalidGrade(details={"field": "level"})
    return None, clean


async def grade(
    session: Session,
    actor: Actor,
    homework_id: str,
    submission_id: str,
    *,
    score: float | None = None,
    level: str | None = None,
    comment: str = "",
    file_ids: list[str] | None = None,
    excellent: bool = False,
    version: int | None = None,
) -> dict[str, Any]:
    """A teacher of the child's class (or the author, or an admin) grades handed-in work, or
    changes the grade. ``excellent`` shares it with the class's guardians. With ``version``,
    refuses (409 ``submission_changed``) if the work or its grade changed since that version
    — two teachers grading at once, or a family withdrawing meanwhile. Records
    ``homework.graded``."""
    found, sub, student = await access_submission(session, actor, homework_id, submission_id)
    if version is not None and version != sub.version:
        raise SubmissionChanged()
    if student.class_id not in found.staff_class_ids:
        raise ClassTeacherRequired()
    if sub.status == "withdrawn":
        raise SubmissionWithdrawn()
    clean_score, clean_level = check_grade(score, level)
    files = await attachable_files(session, actor, file_ids or [])
    await _bump(session, sub)
    sub.status, sub.score, sub.level, sub.comment = "graded", clean_score, clean_level, comment.strip()
    sub.excellent, sub.graded_by, sub.graded_at = excellent, actor.user_id, clock.now()
    await hw_repository.set_submission_files(session, sub.id, "comment", files)
    return await _announce(session, actor, events.HomeworkGraded, found, sub, student)


# --- reading -----------------------------------------------------------------------------------


async def list_submissions(
    session: Session, actor: Actor, homework_id: str, *, class_id: str | None = None, status: str | None = None
) -> list[dict[str, Any]]:
    """The submissions the actor may see (teachers: their classes'; guardians: their
    children's and the class's excellent ones), by class then hand-in time."""
    found = await access_homework(session, actor, homework_id)
    subs = await hw_repository.submissions(session, [found.homework.id])
    students = {s.id: s for s in await repository.students_by_id(session, actor.org_id, [s.student_id for s in subs])}
    rows = [
        (sub, students[sub.student_id])
        for sub in subs
        if sub.student_id in students
        and found.sees_submission(sub, students[sub.student_id].class_id)
        and (class_id is None or students[sub.student_id].class_id == class_id)
        and (status is None or sub.status == status)
    ]
    rows.sort(key=lambda r: (found.class_ids.index(r[1].class_id) if r[1].class_id in found.class_ids else 99,))
    return await submission_views(session, found, rows)


async def get_submission(session: Session, actor: Actor, homework_id: str, submission_id: str) -> dict[str, Any]:
    found, sub, student = await access_submission(session, actor, homework_id, submission_id)
    view: dict[str, Any] = await _view(session, found, sub, student)
    return view


async def statistics(session: Session, actor: Actor, homework_id: str) -> dict[str, Any]:
    """Per class the actor teaches (all classes for the author and admins): how many
    students handed in (waiting for a grade), were late (handed in or graded, after the due
    time), have not handed in (or withdrew), were graded — and who."""
    found = await access_homework(session, actor, homework_id)
    found.require_teacher()
    class_ids = [c for c in found.class_ids if c in found.staff_class_ids]
    refs = await class_refs(session, actor.org_id, class_ids)
    students = await repository.students_of_classes(session, class_ids)
    subs = {s.student_id: s for s in await hw_repository.submissions(session, [found.homework.id])}
    classes = []
    totals = dict.fromkeys(("student_count", *STATES), 0)
    for class_id in class_ids:
        lists: dict[str, list[dict[str, Any]]] = {state: [] for state in STATES}
        members = [s for s in students if s.class_id == class_id]
        for student in members:
            sub = subs.get(student.id)
            state = state_of(sub)
            entry = {
                "id": student.id, "name": student.name, "student_no": student.student_no,
                "submission_id": sub.id if sub and state != "not_submitted" else None,
                "submitted_at": clock.isoformat(sub.submitted_at) if sub and state != "not_submitted" else None,
                "late": bool(sub and state != "not_submitted" and sub.late),
                "excellent": bool(sub and state == "graded" and sub.excellent),
            }  # fmt: skip
            lists[state].append(entry)
            if entry["late"]:
                lists["late"].append(entry)
        counts = {state: len(lists[state]) for state in STATES}
        for key, value in (("student_count", len(members)), *counts.items()):
            totals[key] += value
        classes.append({"class": refs.get(class_id), "student_count": len(members), "counts": counts,
                        "students": lists})  # fmt: skip
    return {"homework_id": found.homework.id, "classes": classes, "totals": totals}
