"""Homework's background part: the reminder before the due time, and who may read the
files attached to homework and submissions (registered where the app or worker starts)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from hobnail.core import clock
from hobnail.core.errors import NotFound
from hobnail.db.session import Session
from hobnail.domains.accounts.access import Actor
from hobnail.domains.education import events, repository
from hobnail.domains.education import homework_repository as hw_repository
from hobnail.domains.education.homework import access_homework, state_of
from hobnail.domains.files import access as files_access
from hobnail.events.base import topics
from hobnail.events.outbox import record
from hobnail.jobs import registry

EVERY = timedelta(minutes=5)
MAX_REMIND_BEFORE = timedelta(days=7)


async def remind(session: Session, _payload: dict[str, Any]) -> None:
    """Once per homework, ``remind_before_minutes`` before it is due: tell each joined
    guardian (and student account) whose child has not handed it in (``homework.reminder``
    to their user topic, listing those children)."""
    now = clock.now()
    for homework in await hw_repository.due_for_reminder(session, now, now + MAX_REMIND_BEFORE):
        assert homework.due_at is not None and homework.remind_before_minutes is not None
        if now < homework.due_at - timedelta(minutes=homework.remind_before_minutes):
            continue
        if not await hw_repository.claim_reminder(session, homework.id, now):
            continue  # another run got there first
        class_ids = (await hw_repository.class_ids(session, [homework.id])).get(homework.id, [])
        students = await repository.students_of_classes(session, class_ids)
        done = {
            s.student_id
            for s in await hw_repository.submissions(session, [homework.id])
            if state_of(s) != "not_submitted"
        }
        missing = [s for s in students if s.id not in done]
        guardians = await hw_repository.guardian_user_ids(session, [s.id for s in missing])
        children_of: dict[str, list[dict[str, Any]]] = {}
        for student in missing:
            for user_id in sorted(guardians.get(student.id, set()) | ({student.user_id} if student.user_id else set())):
                children_of.setdefault(user_id, []).append(
                    {"id": student.id, "name": student.name, "class_id": student.class_id}
                )
        for user_id, children in sorted(children_of.items()):
            await record(
                session,
                events.HomeworkReminder(
                    org_id=homework.org_id, audience=(topics.user(user_id),), homework_id=homework.id,
                    title=homework.title, subject=homework.subject, due_at=clock.isoformat(homework.due_at),
                    students=children,
                ),
            )  # fmt: skip
    await session.flush()


async def _reads_homework_file(session: Session, actor: Actor, file_id: str) -> bool:
    """Anyone who sees the homework reads its files; a submission's files (and the grade's
    images) whoever sees the submission."""
    if actor.org.kind != "school":
        return False
    for homework_id in await hw_repository.homework_ids_with_file(session, file_id):
        try:
            await access_homework(session, actor, homework_id)
            return True
        except NotFound:
            continue
    for submission in await hw_repository.submissions_with_file(session, file_id):
        if submission.org_id != actor.org_id:
            continue
        try:
            found = await access_homework(session, actor, submission.homework_id)
        except NotFound:
            continue
        student = await repository.student(session, actor.org_id, submission.student_id)
        if student is not None and found.sees_submission(submission, student.class_id):
            return True
    return False


async def _on_homework(session: Session, file_id: str) -> bool:
    return await hw_repository.file_in_use(session, file_id)


def register() -> None:
    registry.register("education.homework_remind", remind, every=EVERY)
    files_access.register_reader("homework", _reads_homework_file)
    files_access.register_referrer("homework", _on_homework)
