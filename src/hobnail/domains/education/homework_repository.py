"""SQL for homework (家校本). Nothing else in the homework modules writes queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from hobnail.db.session import Session
from hobnail.models import (
    Homework,
    HomeworkClass,
    HomeworkFile,
    HomeworkSubmission,
    HomeworkSubmissionFile,
    SchoolGuardian,
    SchoolGuardianship,
    SchoolStudent,
)

CHUNK = 500  # stay well under SQLite's bound-parameter limit


def _chunks(values: Sequence[str]) -> list[list[str]]:
    unique = list(dict.fromkeys(values))
    return [unique[i : i + CHUNK] for i in range(0, len(unique), CHUNK)]


# --- homework ----------------------------------------------------------------------------------


async def homework(session: Session, org_id: str, homework_id: str) -> Homework | None:
    return await session.scalar(sa.select(Homework).where(Homework.org_id == org_id, Homework.id == homework_id))


async def class_ids(session: Session, homework_ids: Sequence[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    for chunk in _chunks(homework_ids):
        rows = await session.execute(
            sa.select(HomeworkClass.homework_id, HomeworkClass.class_id)
            .where(HomeworkClass.homework_id.in_(chunk))
            .order_by(HomeworkClass.class_id)
        )
        for homework_id, class_id in rows.all():
            found[homework_id].append(class_id)
    return found


async def files(session: Session, homework_ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    """The homework's attachments, as described when attached."""
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for chunk in _chunks(homework_ids):
        rows = await session.execute(
            sa.select(HomeworkFile.homework_id, HomeworkFile.file)
            .where(HomeworkFile.homework_id.in_(chunk))
            .order_by(HomeworkFile.position)
        )
        for homework_id, file in rows.all():
            found[homework_id].append(file)
    return found


def add_files(session: Session, homework_id: str, files: Sequence[dict[str, Any]]) -> None:
    for position, file in enumerate(files):
        session.add(HomeworkFile(homework_id=homework_id, file_id=file["id"], position=position, file=file))


async def page(
    session: Session,
    org_id: str,
    *,
    author_id: str | None = None,
    class_ids: Sequence[str] | None = None,
    homework_ids: Sequence[str] | None = None,
    before: tuple[datetime, str] | None = None,
    limit: int = 50,
) -> list[Homework]:
    """Newest first. ``author_id`` and ``class_ids`` are alternatives (either matches);
    ``homework_ids`` restricts further."""
    query = sa.select(Homework).where(Homework.org_id == org_id)
    either = []
    if author_id is not None:
        either.append(Homework.author_id == author_id)
    if class_ids is not None:
        either.append(
            Homework.id.in_(sa.select(HomeworkClass.homework_id).where(HomeworkClass.class_id.in_(list(class_ids))))
        )
    if either:
        query = query.where(sa.or_(*either))
    if homework_ids is not None:
        query = query.where(Homework.id.in_(list(homework_ids)))
    if before is not None:
        query = query.where(
            sa.or_(Homework.created_at < before[0], sa.and_(Homework.created_at == before[0], Homework.id < before[1]))
        )
    rows = await session.scalars(query.order_by(Homework.created_at.desc(), Homework.id.desc()).limit(limit))
    return list(rows)


async def waiting_by_homework(
    session: Session, org_id: str, author_id: str, class_ids: Sequence[str]
) -> dict[str, int]:
    """Submissions waiting to be graded by ``author_id``: on homework they assigned, or from
    students of ``class_ids`` (the classes they teach) that the homework was assigned to."""
    query = (
        sa.select(HomeworkSubmission.homework_id, sa.func.count())
        .join(Homework, Homework.id == HomeworkSubmission.homework_id)
        .join(SchoolStudent, SchoolStudent.id == HomeworkSubmission.student_id)
        .join(HomeworkClass, sa.and_(HomeworkClass.homework_id == HomeworkSubmission.homework_id,
                                     HomeworkClass.class_id == SchoolStudent.class_id))
        .where(
            HomeworkSubmission.org_id == org_id,
            HomeworkSubmission.status == "submitted",
            sa.or_(Homework.author_id == author_id, SchoolStudent.class_id.in_(list(class_ids))),
        )
        .group_by(HomeworkSubmission.homework_id)
    )  # fmt: skip
    return {homework_id: int(count) for homework_id, count in (await session.execute(query)).all()}


async def due_for_reminder(session: Session, now: datetime, horizon: datetime) -> list[Homework]:
    """Homework not reminded yet whose due time is between now and ``horizon``."""
    rows = await session.scalars(
        sa.select(Homework).where(
            Homework.reminded_at.is_(None),
            Homework.remind_before_minutes.is_not(None),
            Homework.due_at > now,
            Homework.due_at <= horizon,
        )
    )
    return list(rows)


async def claim_reminder(session: Session, homework_id: str, now: datetime) -> bool:
    """Mark the homework reminded; False when another run already did (so it goes once)."""
    result = await session.execute(
        sa.update(Homework)
        .where(Homework.id == homework_id, Homework.reminded_at.is_(None))
        .values(reminded_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


# --- submissions -------------------------------------------------------------------------------


async def submission(session: Session, homework_id: str, submission_id: str) -> HomeworkSubmission | None:
    return await session.scalar(
        sa.select(HomeworkSubmission).where(
            HomeworkSubmission.homework_id == homework_id, HomeworkSubmission.id == submission_id
        )
    )


async def submission_of(session: Session, homework_id: str, student_id: str) -> HomeworkSubmission | None:
    return await session.scalar(
        sa.select(HomeworkSubmission).where(
            HomeworkSubmission.homework_id == homework_id, HomeworkSubmission.student_id == student_id
        )
    )


async def submissions(
    session: Session, homework_ids: Sequence[str], student_ids: Sequence[str] | None = None
) -> list[HomeworkSubmission]:
    found: list[HomeworkSubmission] = []
    for chunk in _chunks(homework_ids):
        query = sa.select(HomeworkSubmission).where(HomeworkSubmission.homework_id.in_(chunk))
        if student_ids is not None:
            if not student_ids:
                return []
            query = query.where(HomeworkSubmission.student_id.in_(list(student_ids)))
        found += await session.scalars(query.order_by(HomeworkSubmission.submitted_at, HomeworkSubmission.id))
    return found


async def bump_version(session: Session, submission_id: str, version: int) -> bool:
    """Move the submission to ``version + 1`` if it is still at ``version``."""
    result = await session.execute(
        sa.update(HomeworkSubmission)
        .where(HomeworkSubmission.id == submission_id, HomeworkSubmission.version == version)
        .values(version=version + 1)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def submission_files(
    session: Session, submission_ids: Sequence[str]
) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """``{submission_id: {role: [file description, …]}}`` in order."""
    found: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for chunk in _chunks(submission_ids):
        rows = await session.execute(
            sa.select(HomeworkSubmissionFile.submission_id, HomeworkSubmissionFile.role, HomeworkSubmissionFile.file)
            .where(HomeworkSubmissionFile.submission_id.in_(chunk))
            .order_by(HomeworkSubmissionFile.position)
        )
        for submission_id, role, file in rows.all():
            found[submission_id][role].append(file)
    return found


async def set_submission_files(
    session: Session, submission_id: str, role: str, files: Sequence[dict[str, Any]]
) -> None:
    """Replace the submission's files of ``role`` (``submission`` or ``comment``)."""
    await session.execute(
        sa.delete(HomeworkSubmissionFile).where(
            HomeworkSubmissionFile.submission_id == submission_id, HomeworkSubmissionFile.role == role
        )
    )
    for position, file in enumerate(files):
        session.add(
            HomeworkSubmissionFile(
                submission_id=submission_id, file_id=file["id"], role=role, position=position, file=file
            )
        )
    await session.flush()


# --- files -------------------------------------------------------------------------------------


async def homework_ids_with_file(session: Session, file_id: str) -> list[str]:
    return list(await session.scalars(sa.select(HomeworkFile.homework_id).where(HomeworkFile.file_id == file_id)))


async def submissions_with_file(session: Session, file_id: str) -> list[HomeworkSubmission]:
    rows = await session.scalars(
        sa.select(HomeworkSubmission)
        .join(HomeworkSubmissionFile, HomeworkSubmissionFile.submission_id == HomeworkSubmission.id)
        .where(HomeworkSubmissionFile.file_id == file_id)
    )
    return list(rows)


async def file_in_use(session: Session, file_id: str) -> bool:
    on_homework = await session.scalar(sa.select(HomeworkFile.file_id).where(HomeworkFile.file_id == file_id).limit(1))
    if on_homework is not None:
        return True
    on_submission = await session.scalar(
        sa.select(HomeworkSubmissionFile.file_id).where(HomeworkSubmissionFile.file_id == file_id).limit(1)
    )
    return on_submission is not None


# --- people ------------------------------------------------------------------------------------


async def own_student_rows(session: Session, org_id: str, user_id: str) -> list[SchoolStudent]:
    """Students whose own account is ``user_id`` (student accounts)."""
    rows = await session.scalars(
        sa.select(SchoolStudent).where(SchoolStudent.org_id == org_id, SchoolStudent.user_id == user_id)
    )
    return list(rows)


async def guardian_user_ids(session: Session, student_ids: Sequence[str]) -> dict[str, set[str]]:
    """``{student_id: {user_id of each joined guardian}}``."""
    found: dict[str, set[str]] = defaultdict(set)
    for chunk in _chunks(student_ids):
        rows = await session.execute(
            sa.select(SchoolGuardianship.student_id, SchoolGuardian.user_id)
            .join(SchoolGuardian, SchoolGuardian.id == SchoolGuardianship.guardian_id)
            .where(SchoolGuardianship.student_id.in_(chunk), SchoolGuardian.user_id.is_not(None))
        )
        for student_id, user_id in rows.all():
            if user_id is not None:
                found[student_id].add(user_id)
    return found
