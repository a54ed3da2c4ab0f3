"""SQL for the education domain. Nothing else in the domain writes queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

import sqlalchemy as sa

from hobnail.db.session import Session
from hobnail.models import (
    SchoolClass,
    SchoolClassInvitation,
    SchoolGrade,
    SchoolGuardian,
    SchoolGuardianship,
    SchoolStudent,
    SchoolSubjectTeacher,
)

CHUNK = 500  # stay well under SQLite's bound-parameter limit


def _chunks(values: Iterable[str]) -> list[list[str]]:
    unique = list(dict.fromkeys(values))
    return [unique[i : i + CHUNK] for i in range(0, len(unique), CHUNK)]


# --- grades and classes ----------------------------------------------------------------------


async def grades(session: Session, org_id: str) -> list[SchoolGrade]:
    rows = await session.scalars(
        sa.select(SchoolGrade)
        .where(SchoolGrade.org_id == org_id)
        .order_by(SchoolGrade.position, SchoolGrade.created_at)
    )
    return list(rows)


async def grade(session: Session, org_id: str, grade_id: str) -> SchoolGrade | None:
    return await session.scalar(sa.select(SchoolGrade).where(SchoolGrade.org_id == org_id, SchoolGrade.id == grade_id))


async def grade_by_name(session: Session, org_id: str, name: str) -> SchoolGrade | None:
    return await session.scalar(sa.select(SchoolGrade).where(SchoolGrade.org_id == org_id, SchoolGrade.name == name))


async def class_counts_by_grade(session: Session, org_id: str) -> dict[str, int]:
    rows = await session.execute(
        sa.select(SchoolClass.grade_id, sa.func.count())
        .where(SchoolClass.org_id == org_id)
        .group_by(SchoolClass.grade_id)
    )
    return {grade_id: int(count) for grade_id, count in rows.all()}


async def classes(
    session: Session, org_id: str, *, class_ids: Sequence[str] | None = None, grade_id: str | None = None
) -> list[SchoolClass]:
    """Classes in display order: by grade, then by their position in the grade."""
    query = (
        sa.select(SchoolClass)
        .join(SchoolGrade, SchoolGrade.id == SchoolClass.grade_id)
        .where(SchoolClass.org_id == org_id)
        .order_by(SchoolGrade.position, SchoolGrade.created_at, SchoolClass.position, SchoolClass.created_at)
    )
    if grade_id is not None:
        query = query.where(SchoolClass.grade_id == grade_id)
    if class_ids is not None:
        if not class_ids:
            return []
        query = query.where(SchoolClass.id.in_(list(class_ids)))
    return list(await session.scalars(query))


async def school_class(session: Session, org_id: str, class_id: str) -> SchoolClass | None:
    return await session.scalar(sa.select(SchoolClass).where(SchoolClass.org_id == org_id, SchoolClass.id == class_id))


async def class_by_name(session: Session, grade_id: str, name: str) -> SchoolClass | None:
    return await session.scalar(
        sa.select(SchoolClass).where(SchoolClass.grade_id == grade_id, SchoolClass.name == name)
    )


async def subject_teachers(session: Session, class_ids: Sequence[str]) -> dict[str, list[SchoolSubjectTeacher]]:
    found: dict[str, list[SchoolSubjectTeacher]] = defaultdict(list)
    for chunk in _chunks(class_ids):
        rows = await session.scalars(
            sa.select(SchoolSubjectTeacher)
            .where(SchoolSubjectTeacher.class_id.in_(chunk))
            .order_by(SchoolSubjectTeacher.subject)
        )
        for row in rows:
            found[row.class_id].append(row)
    return found


async def set_subject_teachers(session: Session, org_id: str, class_id: str, pairs: Sequence[tuple[str, str]]) -> None:
    """Replace the class's subject teachers with ``(subject, user_id)`` pairs."""
    await session.execute(sa.delete(SchoolSubjectTeacher).where(SchoolSubjectTeacher.class_id == class_id))
    for subject, user_id in pairs:
        session.add(SchoolSubjectTeacher(class_id=class_id, subject=subject, user_id=user_id, org_id=org_id))
    await session.flush()


async def taught_class_ids(session: Session, org_id: str, user_id: str) -> set[str]:
    head = await session.scalars(
        sa.select(SchoolClass.id).where(SchoolClass.org_id == org_id, SchoolClass.head_teacher_id == user_id)
    )
    subject = await session.scalars(
        sa.select(SchoolSubjectTeacher.class_id).where(
            SchoolSubjectTeacher.org_id == org_id, SchoolSubjectTeacher.user_id == user_id
        )
    )
    return set(head) | set(subject)


async def teacher_ids(session: Session, class_id: str) -> set[str]:
    """The head teacher and subject teachers of a class."""
    head = await session.scalar(sa.select(SchoolClass.head_teacher_id).where(SchoolClass.id == class_id))
    subject = await session.scalars(
        sa.select(SchoolSubjectTeacher.user_id).where(SchoolSubjectTeacher.class_id == class_id)
    )
    return ({head} if head else set()) | set(subject)


async def student_counts(session: Session, class_ids: Sequence[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for chunk in _chunks(class_ids):
        rows = await session.execute(
            sa.select(SchoolStudent.class_id, sa.func.count())
            .where(SchoolStudent.class_id.in_(chunk))
            .group_by(SchoolStudent.class_id)
        )
        found.update({class_id: int(count) for class_id, count in rows.all()})
    return found


async def class_has_students(session: Session, class_id: str) -> bool:
    return (
        await session.scalar(sa.select(SchoolStudent.id).where(SchoolStudent.class_id == class_id).limit(1))
    ) is not None


async def count_rows(session: Session, org_id: str) -> dict[str, int]:
    counts = {}
    for key, model in (("grade_count", SchoolGrade), ("class_count", SchoolClass), ("student_count", SchoolStudent)):
        counts[key] = int(
            await session.scalar(sa.select(sa.func.count()).select_from(model).where(model.org_id == org_id)) or 0
        )
    return counts


# --- students and guardians ------------------------------------------------------------------


async def students_of_classes(session: Session, class_ids: Sequence[str]) -> list[SchoolStudent]:
    found: list[SchoolStudent] = []
    for chunk in _chunks(class_ids):
        found += await session.scalars(
            sa.select(SchoolStudent)
            .where(SchoolStudent.class_id.in_(chunk))
            .order_by(SchoolStudent.student_no, SchoolStudent.id)
        )
    return found


async def students_by_id(session: Session, org_id: str, student_ids: Sequence[str]) -> list[SchoolStudent]:
    found: list[SchoolStudent] = []
    for chunk in _chunks(student_ids):
        found += await session.scalars(
            sa.select(SchoolStudent)
            .where(SchoolStudent.org_id == org_id, SchoolStudent.id.in_(chunk))
            .order_by(SchoolStudent.student_no, SchoolStudent.id)
        )
    return found


async def student(session: Session, org_id: str, student_id: str) -> SchoolStudent | None:
    return await session.scalar(
        sa.select(SchoolStudent).where(SchoolStudent.org_id == org_id, SchoolStudent.id == student_id)
    )


async def taken_student_nos(session: Session, org_id: str, numbers: Sequence[str]) -> dict[str, str]:
    """Of ``numbers``, those already used in the school, with the student who has each."""
    found: dict[str, str] = {}
    for chunk in _chunks(numbers):
        rows = await session.execute(
            sa.select(SchoolStudent.student_no, SchoolStudent.id).where(
                SchoolStudent.org_id == org_id, SchoolStudent.student_no.in_(chunk)
            )
        )
        found.update({number: student_id for number, student_id in rows.all()})
    return found


async def guardians_of_students(
    session: Session, student_ids: Sequence[str]
) -> dict[str, list[tuple[SchoolGuardian, SchoolGuardianship]]]:
    found: dict[str, list[tuple[SchoolGuardian, SchoolGuardianship]]] = defaultdict(list)
    for chunk in _chunks(student_ids):
        rows = await session.execute(
            sa.select(SchoolGuardian, SchoolGuardianship)
            .join(SchoolGuardianship, SchoolGuardianship.guardian_id == SchoolGuardian.id)
            .where(SchoolGuardianship.student_id.in_(chunk))
            .order_by(SchoolGuardianship.created_at, SchoolGuardian.id)
        )
        for guardian, link in rows.all():
            found[link.student_id].append((guardian, link))
    return found


async def guardians_by_phone(session: Session, org_id: str, phones: Sequence[str]) -> dict[str, SchoolGuardian]:
    found: dict[str, SchoolGuardian] = {}
    for chunk in _chunks(phones):
        rows = await session.scalars(
            sa.select(SchoolGuardian).where(SchoolGuardian.org_id == org_id, SchoolGuardian.phone.in_(chunk))
        )
        found.update({g.phone: g for g in rows})
    return found


async def guardian(session: Session, org_id: str, guardian_id: str) -> SchoolGuardian | None:
    return await session.scalar(
        sa.select(SchoolGuardian).where(SchoolGuardian.org_id == org_id, SchoolGuardian.id == guardian_id)
    )


async def child_counts(session: Session, guardian_ids: Sequence[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for chunk in _chunks(guardian_ids):
        rows = await session.execute(
            sa.select(SchoolGuardianship.guardian_id, sa.func.count())
            .where(SchoolGuardianship.guardian_id.in_(chunk))
            .group_by(SchoolGuardianship.guardian_id)
        )
        found.update({guardian_id: int(count) for guardian_id, count in rows.all()})
    return found


async def guardianship(session: Session, guardian_id: str, student_id: str) -> SchoolGuardianship | None:
    return await session.get(SchoolGuardianship, (guardian_id, student_id))


async def children_of_user(session: Session, org_id: str, user_id: str) -> list[SchoolStudent]:
    """The students ``user_id`` answers for, in display order: their children (as a linked
    guardian) and themselves (a student's own account) — what they see and hand in for."""
    rows = await session.scalars(
        sa.select(SchoolStudent)
        .join(SchoolGuardianship, SchoolGuardianship.student_id == SchoolStudent.id)
        .join(SchoolGuardian, SchoolGuardian.id == SchoolGuardianship.guardian_id)
        .where(SchoolGuardian.org_id == org_id, SchoolGuardian.user_id == user_id)
    )
    own = await session.scalars(
        sa.select(SchoolStudent).where(SchoolStudent.org_id == org_id, SchoolStudent.user_id == user_id)
    )
    found = list(dict.fromkeys([*rows, *own]))
    return sorted(found, key=lambda s: (s.student_no, s.id))


async def student_by_number(session: Session, org_id: str, class_id: str, student_no: str) -> SchoolStudent | None:
    return await session.scalar(
        sa.select(SchoolStudent).where(
            SchoolStudent.org_id == org_id, SchoolStudent.class_id == class_id, SchoolStudent.student_no == student_no
        )
    )


async def guardian_of_user(session: Session, org_id: str, user_id: str) -> SchoolGuardian | None:
    return await session.scalar(
        sa.select(SchoolGuardian).where(SchoolGuardian.org_id == org_id, SchoolGuardian.user_id == user_id)
    )


async def delete_guardian_if_orphaned(session: Session, guardian_id: str) -> bool:
    """A guardian with no children left is forgotten (their phone number with them)."""
    remaining = await session.scalar(
        sa.select(SchoolGuardianship.student_id).where(SchoolGuardianship.guardian_id == guardian_id).limit(1)
    )
    if remaining is not None:
        return False
    await session.execute(sa.delete(SchoolGuardian).where(SchoolGuardian.id == guardian_id))
    return True


async def orphaned_guardian_ids(session: Session, guardian_ids: Sequence[str]) -> list[str]:
    linked = set()
    for chunk in _chunks(guardian_ids):
        linked |= set(
            await session.scalars(
                sa.select(SchoolGuardianship.guardian_id).where(SchoolGuardianship.guardian_id.in_(chunk)).distinct()
            )
        )
    return [g for g in dict.fromkeys(guardian_ids) if g not in linked]


async def delete_guardians(session: Session, guardian_ids: Sequence[str]) -> None:
    for chunk in _chunks(guardian_ids):
        await session.execute(sa.delete(SchoolGuardian).where(SchoolGuardian.id.in_(chunk)))


# --- invitations -----------------------------------------------------------------------------


async def invitations_of_class(session: Session, class_id: str) -> list[SchoolClassInvitation]:
    rows = await session.scalars(
        sa.select(SchoolClassInvitation)
        .where(SchoolClassInvitation.class_id == class_id)
        .order_by(SchoolClassInvitation.created_at.desc())
    )
    return list(rows)


async def invitation(session: Session, org_id: str, invitation_id: str) -> SchoolClassInvitation | None:
    return await session.scalar(
        sa.select(SchoolClassInvitation).where(
            SchoolClassInvitation.org_id == org_id, SchoolClassInvitation.id == invitation_id
        )
    )


async def invitation_by_code(session: Session, code: str) -> SchoolClassInvitation | None:
    return await session.scalar(sa.select(SchoolClassInvitation).where(SchoolClassInvitation.code == code))
