"""Who may see and change what in a school, and the only way to load its rows.

- Admins (owners and admins of the organisation) see and change everything.
- A teacher (a class's head teacher or one of its subject teachers) sees the classes they
  teach and all their students; the head teacher also manages the roster.
- A guardian sees their own children, and of their children's classes only the class
  itself (name, grade, teachers) — not the other students.

Every ``access_*`` raises ``NotFound`` whether the row is missing, belongs to another
organisation, or is one the actor may not see, so ids cannot be probed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hobnail.core.errors import Forbidden, NotFound
from hobnail.db.session import Session
from hobnail.domains.accounts.access import Actor
from hobnail.domains.education import repository
from hobnail.models import SchoolClass, SchoolGrade, SchoolStudent


class SchoolNotEnabled(NotFound):
    code = "school_not_enabled"
    message = "This organisation is not a school. An admin can turn that on (PUT /api/v1/school)."


class GradeNotFound(NotFound):
    code = "grade_not_found"
    message = "No such grade."


class ClassNotFound(NotFound):
    code = "class_not_found"
    message = "No such class."


class StudentNotFound(NotFound):
    code = "student_not_found"
    message = "No such student."


class ClassManagerRequired(Forbidden):
    code = "class_manager_required"
    message = "Only the school's admins and the class's head teacher may do that."


class ClassTeacherRequired(Forbidden):
    code = "class_teacher_required"
    message = "Only the school's admins and the class's teachers may do that."


class SchoolAdminRequired(Forbidden):
    code = "admin_required"
    message = "Only the school's admins may do that."


def require_school(actor: Actor) -> None:
    if actor.org.kind != "school":
        raise SchoolNotEnabled()


def require_school_admin(actor: Actor) -> None:
    require_school(actor)
    if not actor.is_admin:
        raise SchoolAdminRequired()


@dataclass
class ClassAccess:
    """A class the actor may see, and as what."""

    school_class: SchoolClass
    is_admin: bool
    is_head: bool
    is_teacher: bool  # head or subject teacher
    child_ids: set[str] = field(default_factory=set)  # the actor's own children in the class

    @property
    def can_manage(self) -> bool:
        """Enrol and edit students and guardians, import the roster."""
        return self.is_admin or self.is_head

    @property
    def sees_roster(self) -> bool:
        """See every student of the class (with guardians' phone numbers)."""
        return self.is_admin or self.is_teacher

    def require_manager(self) -> None:
        if not self.can_manage:
            raise ClassManagerRequired()

    def require_teacher(self) -> None:
        if not self.sees_roster:
            raise ClassTeacherRequired()


@dataclass
class Visibility:
    """Which classes the actor sees (``None``: all of them, as an admin), and why."""

    class_ids: set[str] | None
    taught: set[str]
    children: list[SchoolStudent]

    def sees(self, class_id: str) -> bool:
        return self.class_ids is None or class_id in self.class_ids


async def visibility(session: Session, actor: Actor) -> Visibility:
    require_school(actor)
    taught = await repository.taught_class_ids(session, actor.org_id, actor.user_id)
    children = await repository.children_of_user(session, actor.org_id, actor.user_id)
    if actor.is_admin:
        return Visibility(None, taught, children)
    return Visibility(taught | {c.class_id for c in children}, taught, children)


async def access_class(session: Session, actor: Actor, class_id: str) -> ClassAccess:
    require_school(actor)
    found = await repository.school_class(session, actor.org_id, class_id)
    if found is None:
        raise ClassNotFound(details={"class_id": class_id})
    is_head = found.head_teacher_id == actor.user_id
    is_teacher = is_head or actor.user_id in await repository.teacher_ids(session, found.id)
    child_ids = {
        c.id for c in await repository.children_of_user(session, actor.org_id, actor.user_id) if c.class_id == found.id
    }
    if not (actor.is_admin or is_teacher or child_ids):
        raise ClassNotFound(details={"class_id": class_id})
    return ClassAccess(found, actor.is_admin, is_head, is_teacher, child_ids)


async def access_student(session: Session, actor: Actor, student_id: str) -> tuple[SchoolStudent, ClassAccess]:
    """The student and their class, for admins, the class's teachers and the student's guardians."""
    require_school(actor)
    found = await repository.student(session, actor.org_id, student_id)
    if found is None:
        raise StudentNotFound(details={"student_id": student_id})
    try:
        class_access = await access_class(session, actor, found.class_id)
    except ClassNotFound:
        raise StudentNotFound(details={"student_id": student_id}) from None
    if not class_access.sees_roster and found.id not in class_access.child_ids:
        raise StudentNotFound(details={"student_id": student_id})
    return found, class_access


async def access_grade(session: Session, actor: Actor, grade_id: str) -> SchoolGrade:
    """A grade, for admins (who are the only ones to change grades)."""
    require_school_admin(actor)
    found = await repository.grade(session, actor.org_id, grade_id)
    if found is None:
        raise GradeNotFound(details={"grade_id": grade_id})
    return found
