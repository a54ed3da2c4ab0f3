"""The school: switching it on, grades, classes and their teachers, and each person's home.

Admins change grades, classes and teachers. Teachers are active staff of the
organisation (not guardians). Every change records an event for the school's admins and
the teachers of the class concerned.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from hobnail.core.errors import Conflict, ValidationFailed
from hobnail.core.validation import check_name
from hobnail.db.session import Session
from hobnail.domains.accounts import service as accounts_service
from hobnail.domains.accounts.access import Actor, require_admin
from hobnail.domains.education import events, repository
from hobnail.domains.education.access import (
    access_class,
    access_grade,
    require_school,
    require_school_admin,
    visibility,
)
from hobnail.domains.education.presenters import class_view, grade_view, school_view, student_view
from hobnail.events.base import topics
from hobnail.events.outbox import record
from hobnail.models import SchoolClass, SchoolGrade

MAX_SUBJECTS = 30


class SchoolNotEmpty(Conflict):
    code = "school_not_empty"
    message = "Remove the school's grades and classes before turning the school off."


class GradeNameTaken(Conflict):
    code = "grade_name_taken"
    message = "The school already has a grade with that name."


class GradeNotEmpty(Conflict):
    code = "grade_not_empty"
    message = "Only a grade without classes can be deleted."


class ClassNameTaken(Conflict):
    code = "class_name_taken"
    message = "The grade already has a class with that name."


class ClassNotEmpty(Conflict):
    code = "class_not_empty"
    message = "Only a class without students can be deleted; move or withdraw them first."


class TeacherNotStaff(ValidationFailed):
    code = "teacher_not_staff"
    message = "Teachers must be active staff members of the organisation."


class DuplicateSubject(ValidationFailed):
    code = "duplicate_subject"
    message = "Each subject has one teacher per class."


# --- audiences ---------------------------------------------------------------------------------


async def class_audience(session: Session, org_id: str, class_id: str) -> tuple[str, ...]:
    """The school's admins and the class's teachers."""
    teachers = sorted(await repository.teacher_ids(session, class_id))
    return (topics.admins(org_id), *(topics.user(t) for t in teachers))


# --- the school --------------------------------------------------------------------------------


async def get_school(session: Session, actor: Actor) -> dict[str, Any]:
    """Whether the organisation is a school, with counts (for everyone in it)."""
    counts = await repository.count_rows(session, actor.org_id) if actor.org.kind == "school" else {}
    return school_view(actor.org, {"grade_count": 0, "class_count": 0, "student_count": 0, **counts})


async def set_school(session: Session, actor: Actor, *, enabled: bool) -> dict[str, Any]:
    """Admins make the organisation a school (or a company again, once it has no grades)."""
    require_admin(actor)
    org = actor.org
    wanted = "school" if enabled else "company"
    if org.kind != wanted:
        if not enabled and (await repository.count_rows(session, org.id))["grade_count"]:
            raise SchoolNotEmpty()
        org.kind = wanted
        await session.flush()
        view = await get_school(session, actor)
        await record(session, events.SchoolUpdated(org_id=org.id, audience=(topics.org(org.id),), school=view))
        return view
    return await get_school(session, actor)


# --- grades ------------------------------------------------------------------------------------


async def list_grades(session: Session, actor: Actor) -> list[dict[str, Any]]:
    """Admins see every grade; others the grades of the classes they see."""
    seen = await visibility(session, actor)
    grades = await repository.grades(session, actor.org_id)
    if seen.class_ids is None:
        counts = await repository.class_counts_by_grade(session, actor.org_id)
    else:  # the classes they see
        visible = await repository.classes(session, actor.org_id, class_ids=sorted(seen.class_ids))
        counts = dict(Counter(c.grade_id for c in visible))
        grades = [g for g in grades if g.id in counts]
    return [grade_view(g, counts.get(g.id, 0)) for g in grades]


async def _check_grade_name(session: Session, org_id: str, name: str, exclude_id: str | None = None) -> str:
    clean = check_name(name, "name", 50)
    existing = await repository.grade_by_name(session, org_id, clean)
    if existing is not None and existing.id != exclude_id:
        raise GradeNameTaken(details={"field": "name"})
    return clean


async def _announce_grade(session: Session, actor: Actor, grade: SchoolGrade, *, created: bool) -> dict[str, Any]:
    view = grade_view(grade, (await repository.class_counts_by_grade(session, actor.org_id)).get(grade.id, 0))
    event = events.GradeCreated if created else events.GradeUpdated
    await record(session, event(org_id=actor.org_id, audience=(topics.admins(actor.org_id),), grade=view))
    return view


async def create_grade(session: Session, actor: Actor, *, name: str, position: int | None = None) -> dict[str, Any]:
    require_school_admin(actor)
    clean = await _check_grade_name(session, actor.org_id, name)
    existing = await repository.grades(session, actor.org_id)
    grade = SchoolGrade(
        org_id=actor.org_id,
        name=clean,
        position=position if position is not None else max((g.position for g in existing), default=-1) + 1,
    )
    session.add(grade)
    await session.flush()
    return await _announce_grade(session, actor, grade, created=True)


async def update_grade(
    session: Session, actor: Actor, grade_id: str, *, name: str | None = None, position: int | None = None
) -> dict[str, Any]:
    grade = await access_grade(session, actor, grade_id)
    if name is not None:
        grade.name = await _check_grade_name(session, actor.org_id, name, grade.id)
    if position is not None:
        grade.position = position
    await session.flush()
    return await _announce_grade(session, actor, grade, created=False)


async def delete_grade(session: Session, actor: Actor, grade_id: str) -> None:
    grade = await access_grade(session, actor, grade_id)
    if await repository.classes(session, actor.org_id, grade_id=grade.id):
        raise GradeNotEmpty()
    await session.delete(grade)
    await session.flush()
    await record(
        session, events.GradeDeleted(org_id=actor.org_id, audience=(topics.admins(actor.org_id),), grade_id=grade_id)
    )


# --- classes -----------------------------------------------------------------------------------


async def class_views(session: Session, org_id: str, classes: list[SchoolClass]) -> list[dict[str, Any]]:
    """Classes with grade names, teachers and student counts, in a few queries."""
    if not classes:
        return []
    grades = {g.id: g for g in await repository.grades(session, org_id)}
    ids = [c.id for c in classes]
    subjects = await repository.subject_teachers(session, ids)
    counts = await repository.student_counts(session, ids)
    people_ids = [c.head_teacher_id for c in classes if c.head_teacher_id]
    people_ids += [s.user_id for rows in subjects.values() for s in rows]
    people = await accounts_service.users_by_id(session, people_ids)
    return [class_view(c, grades.get(c.grade_id), subjects.get(c.id, []), people, counts.get(c.id, 0)) for c in classes]


async def announce_class(session: Session, org_id: str, school_class: SchoolClass, *, created: bool = False) -> None:
    view = (await class_views(session, org_id, [school_class]))[0]
    event = events.ClassCreated if created else events.ClassUpdated
    audience = await class_audience(session, org_id, school_class.id)
    await record(session, event(org_id=org_id, audience=audience, school_class=view))


async def list_classes(session: Session, actor: Actor, *, grade_id: str | None = None) -> list[dict[str, Any]]:
    """The classes the actor sees: all (admins), taught ones (teachers), their children's (guardians)."""
    seen = await visibility(session, actor)
    classes = await repository.classes(
        session,
        actor.org_id,
        grade_id=grade_id,
        class_ids=None if seen.class_ids is None else sorted(seen.class_ids),
    )
    return await class_views(session, actor.org_id, classes)


async def get_class(session: Session, actor: Actor, class_id: str) -> dict[str, Any]:
    """A class as the actor may see it, with how they relate to it."""
    found = await access_class(session, actor, class_id)
    view = (await class_views(session, actor.org_id, [found.school_class]))[0]
    view["my_roles"] = {
        "admin": found.is_admin, "head_teacher": found.is_head, "teacher": found.is_teacher,
        "guardian": bool(found.child_ids),
    }  # fmt: skip
    return view


async def _check_class_name(session: Session, grade_id: str, name: str, exclude_id: str | None = None) -> str:
    clean = check_name(name, "name", 50)
    existing = await repository.class_by_name(session, grade_id, clean)
    if existing is not None and existing.id != exclude_id:
        raise ClassNameTaken(details={"field": "name"})
    return clean


async def _check_staff(session: Session, actor: Actor, user_ids: list[str]) -> None:
    wanted = list(dict.fromkeys(user_ids))
    staff = await accounts_service.active_staff_ids(session, actor.org_id, wanted)
    strangers = [u for u in wanted if u not in staff]
    if strangers:
        raise TeacherNotStaff(details={"user_ids": strangers})


async def create_class(
    session: Session, actor: Actor, *, grade_id: str, name: str, head_teacher_id: str | None = None
) -> dict[str, Any]:
    grade = await access_grade(session, actor, grade_id)
    clean = await _check_class_name(session, grade.id, name)
    if head_teacher_id is not None:
        await _check_staff(session, actor, [head_teacher_id])
    siblings = await repository.classes(session, actor.org_id, grade_id=grade.id)
    school_class = SchoolClass(
        org_id=actor.org_id,
        grade_id=grade.id,
        name=clean,
        position=max((c.position for c in siblings), default=-1) + 1,
        head_teacher_id=head_teacher_id,
    )
    session.add(school_class)
    await session.flush()
    await announce_class(session, actor.org_id, school_class, created=True)
    return (await class_views(session, actor.org_id, [school_class]))[0]


async def update_class(
    session: Session,
    actor: Actor,
    class_id: str,
    *,
    name: str | None = None,
    grade_id: str | None = None,
    position: int | None = None,
) -> dict[str, Any]:
    """Admins rename a class, move it to another grade (a new school year) or reorder it."""
    require_school_admin(actor)
    school_class = (await access_class(session, actor, class_id)).school_class
    new_grade = (await access_grade(session, actor, grade_id)).id if grade_id is not None else school_class.grade_id
    new_name = name if name is not None else school_class.name
    if new_grade != school_class.grade_id or name is not None:
        new_name = await _check_class_name(session, new_grade, new_name, school_class.id)
    school_class.name, school_class.grade_id = new_name, new_grade
    if position is not None:
        school_class.position = position
    await session.flush()
    await announce_class(session, actor.org_id, school_class)
    return (await class_views(session, actor.org_id, [school_class]))[0]


async def delete_class(session: Session, actor: Actor, class_id: str) -> None:
    require_school_admin(actor)
    school_class = (await access_class(session, actor, class_id)).school_class
    if await repository.class_has_students(session, school_class.id):
        raise ClassNotEmpty()
    audience = await class_audience(session, actor.org_id, school_class.id)
    await session.delete(school_class)
    await session.flush()
    await record(session, events.ClassDeleted(org_id=actor.org_id, audience=audience, class_id=class_id))


async def set_teachers(
    session: Session,
    actor: Actor,
    class_id: str,
    *,
    head_teacher_id: str | None,
    subject_teachers: list[tuple[str, str]],
) -> dict[str, Any]:
    """Admins name the head teacher (one, or none) and the subject teachers (one per
    subject) of a class, replacing the previous ones. Teachers must be active staff."""
    require_school_admin(actor)
    school_class = (await access_class(session, actor, class_id)).school_class
    pairs: list[tuple[str, str]] = []
    seen: set[str] = set()
    for subject, user_id in subject_teachers:
        clean = check_name(subject, "subject", 30)
        if clean in seen:
            raise DuplicateSubject(details={"subject": clean})
        seen.add(clean)
        pairs.append((clean, user_id))
    if len(pairs) > MAX_SUBJECTS:
        raise ValidationFailed(f"At most {MAX_SUBJECTS} subjects per class.", code="too_many_subjects")
    await _check_staff(session, actor, [u for _, u in pairs] + ([head_teacher_id] if head_teacher_id else []))
    # Former teachers hear the change too (they no longer see the class).
    before = await class_audience(session, actor.org_id, school_class.id)
    school_class.head_teacher_id = head_teacher_id
    await repository.set_subject_teachers(session, actor.org_id, school_class.id, pairs)
    view = (await class_views(session, actor.org_id, [school_class]))[0]
    after = await class_audience(session, actor.org_id, school_class.id)
    audience = tuple(dict.fromkeys((*after, *before)))
    await record(session, events.ClassUpdated(org_id=actor.org_id, audience=audience, school_class=view))
    return view


# --- home --------------------------------------------------------------------------------------


async def home(session: Session, actor: Actor) -> dict[str, Any]:
    """What the actor's school home shows: the classes they teach (with their roles) and
    their children with each child's class. Admins also get the school's counts."""
    require_school(actor)
    seen = await visibility(session, actor)
    taught = await repository.classes(session, actor.org_id, class_ids=sorted(seen.taught))
    child_classes = await repository.classes(
        session, actor.org_id, class_ids=sorted({c.class_id for c in seen.children})
    )
    views = {v["id"]: v for v in await class_views(session, actor.org_id, taught + child_classes)}
    teaching = []
    for school_class in taught:
        view = dict(views[school_class.id])
        view["my_roles"] = (["head_teacher"] if school_class.head_teacher_id == actor.user_id else []) + [
            s["subject"] for s in view["subject_teachers"] if s["user_id"] == actor.user_id
        ]
        teaching.append(view)
    guardians = await repository.guardians_of_students(session, [c.id for c in seen.children])
    children = []
    for child in seen.children:
        view = student_view(child, guardians.get(child.id, []), viewer_id=actor.user_id, show_phones=False)
        view["class"] = views.get(child.class_id)
        view["relation"] = next(
            (link.relation for g, link in guardians.get(child.id, []) if g.user_id == actor.user_id), None
        )
        view["is_me"] = child.user_id == actor.user_id  # a student's own account
        children.append(view)
    return {
        "school": await get_school(session, actor),
        "is_admin": actor.is_admin,
        "is_staff": actor.is_staff,
        "teaching": teaching,
        "children": children,
    }
