"""Rows → API shapes (also the payloads of events, so a client applies both alike)."""

from __future__ import annotations

from typing import Any

from hobnail.core.clock import isoformat
from hobnail.models import (
    Organization,
    SchoolClass,
    SchoolGrade,
    SchoolGuardian,
    SchoolGuardianship,
    SchoolStudent,
    SchoolSubjectTeacher,
    User,
)


def school_view(org: Organization, counts: dict[str, int]) -> dict[str, Any]:
    return {"org_id": org.id, "name": org.name, "enabled": org.kind == "school", **counts}


def grade_view(grade: SchoolGrade, class_count: int = 0) -> dict[str, Any]:
    return {"id": grade.id, "name": grade.name, "position": grade.position, "class_count": class_count}


def _person(user_id: str | None, people: dict[str, User]) -> dict[str, Any] | None:
    if user_id is None:
        return None
    user = people.get(user_id)
    return {"id": user_id, "name": user.name if user else ""}


def class_view(
    school_class: SchoolClass,
    grade: SchoolGrade | None,
    subjects: list[SchoolSubjectTeacher],
    people: dict[str, User],
    student_count: int,
) -> dict[str, Any]:
    return {
        "id": school_class.id,
        "name": school_class.name,
        "grade_id": school_class.grade_id,
        "grade_name": grade.name if grade else "",
        "position": school_class.position,
        "head_teacher": _person(school_class.head_teacher_id, people),
        "subject_teachers": [
            {"subject": s.subject, "user_id": s.user_id, "name": people[s.user_id].name if s.user_id in people else ""}
            for s in subjects
        ],
        "student_count": student_count,
    }


def guardian_view(guardian: SchoolGuardian, link: SchoolGuardianship, *, show_phone: bool) -> dict[str, Any]:
    return {
        "id": guardian.id,
        "name": guardian.name,
        "relation": link.relation,
        "phone": guardian.phone if show_phone else None,
        "joined": guardian.user_id is not None,
        "joined_at": isoformat(guardian.joined_at) if guardian.joined_at else None,
    }


def student_view(
    student: SchoolStudent,
    guardians: list[tuple[SchoolGuardian, SchoolGuardianship]],
    *,
    viewer_id: str | None,
    show_phones: bool,
) -> dict[str, Any]:
    """Guardians' phone numbers only for staff who see the roster (and one's own)."""
    return {
        "id": student.id,
        "name": student.name,
        "student_no": student.student_no,
        "class_id": student.class_id,
        "joined": student.user_id is not None,  # the student has their own account
        "guardians": [
            guardian_view(g, link, show_phone=show_phones or (viewer_id is not None and g.user_id == viewer_id))
            for g, link in guardians
        ],
    }
