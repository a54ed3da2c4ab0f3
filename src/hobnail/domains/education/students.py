"""Students on class rosters and their guardians.

A guardian is one mobile number per school (``school_guardians``) linked to up to
``MAX_CHILDREN`` students, each link with a relation; a student may have several
guardians. Admins and the class's head teacher change the roster; teachers of the class
read it (with guardians' numbers); a guardian reads only their own children.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from hobnail.core import clock
from hobnail.core.errors import Conflict, NotFound, ValidationFailed
from hobnail.core.validation import check_name
from hobnail.db.session import Session
from hobnail.domains.accounts.access import Actor
from hobnail.domains.education import events, repository
from hobnail.domains.education.access import ClassAccess, access_class, access_student
from hobnail.domains.education.presenters import student_view
from hobnail.domains.education.service import announce_class, class_audience
from hobnail.events.outbox import record
from hobnail.models import SchoolGuardian, SchoolGuardianship, SchoolStudent

MAX_CHILDREN = 10
MAX_GUARDIANS = 6  # per student

# Relation codes and the words people type for them (in a form or a roster file).
RELATIONS: dict[str, tuple[str, ...]] = {
    "father": ("父亲", "爸爸", "father", "dad"),
    "mother": ("母亲", "妈妈", "mother", "mom", "mum"),
    "grandfather": ("爷爷", "祖父", "grandfather", "paternal grandfather"),
    "grandmother": ("奶奶", "祖母", "grandmother", "paternal grandmother"),
    "maternal_grandfather": ("外公", "姥爷", "外祖父", "maternal grandfather"),
    "maternal_grandmother": ("外婆", "姥姥", "外祖母", "maternal grandmother"),
    "other": ("其他", "其它", "监护人", "other", "guardian"),
}
_RELATION_WORDS = {word.lower(): code for code, words in RELATIONS.items() for word in (code, *words)}
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_PHONE_NOISE = re.compile(r"[\s\-()]")


class StudentNoTaken(Conflict):
    code = "student_no_taken"
    message = "Another student of the school already has that student number."


class GuardianChildLimit(ValidationFailed):
    code = "guardian_child_limit"
    message = f"A guardian can be linked to at most {MAX_CHILDREN} students."


class TooManyGuardians(ValidationFailed):
    code = "too_many_guardians"
    message = f"A student can have at most {MAX_GUARDIANS} guardians."


class GuardianAlreadyLinked(Conflict):
    code = "guardian_already_linked"
    message = "That guardian is already linked to this student."


class GuardianNotFound(NotFound):
    code = "guardian_not_found"
    message = "No such guardian of this student."


def check_relation(value: str, field: str = "relation") -> str:
    """A relation code from a code or a word such as 父亲 / 妈妈 / 外婆."""
    code = _RELATION_WORDS.get(" ".join(value.split()).lower())
    if code is None:
        raise ValidationFailed(
            "Relation must be one of 父亲, 母亲, 爷爷, 奶奶, 外公, 外婆, 其他 "
            "(or father, mother, grandfather, grandmother, maternal_grandfather, maternal_grandmother, other).",
            code="invalid_relation",
            details={"field": field},
        )
    return code


def check_mainland_mobile(value: str, field: str = "phone") -> str:
    """A mainland China mobile number (11 digits from 13…19, optionally +86), as ``+86…``."""
    digits = _PHONE_NOISE.sub("", value.strip())
    for prefix in ("+86", "0086", "86"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 11:
            digits = digits[len(prefix) :]
            break
    if not _MOBILE.match(digits):
        raise ValidationFailed(
            f"'{value}' is not a mainland China mobile number.", code="invalid_phone", details={"field": field}
        )
    return f"+86{digits}"


def check_student_no(value: str, field: str = "student_no") -> str:
    number = value.strip()
    if not number:
        raise ValidationFailed("A student number is required.", code="student_no_required", details={"field": field})
    if len(number) > 32 or any(ch.isspace() for ch in number):
        raise ValidationFailed(
            "Student numbers are at most 32 characters, without spaces.",
            code="invalid_student_no",
            details={"field": field},
        )
    return number


@dataclass(frozen=True)
class GuardianIn:
    name: str
    phone: str
    relation: str

    def checked(self, prefix: str = "") -> GuardianIn:
        return GuardianIn(
            name=check_name(self.name, f"{prefix}name"),
            phone=check_mainland_mobile(self.phone, f"{prefix}phone"),
            relation=check_relation(self.relation, f"{prefix}relation"),
        )


# --- views -------------------------------------------------------------------------------------


async def students_view(
    session: Session, actor: Actor | None, students: list[SchoolStudent], *, show_phones: bool
) -> list[dict[str, Any]]:
    guardians = await repository.guardians_of_students(session, [s.id for s in students])
    viewer = actor.user_id if actor else None
    return [student_view(s, guardians.get(s.id, []), viewer_id=viewer, show_phones=show_phones) for s in students]


async def staff_view(session: Session, student: SchoolStudent) -> dict[str, Any]:
    """The roster view (with every guardian's number), as events carry it."""
    return (await students_view(session, None, [student], show_phones=True))[0]


async def announce_student(
    session: Session, org_id: str, student: SchoolStudent, *, enrolled: bool = False, extra_class: str | None = None
) -> dict[str, Any]:
    view = await staff_view(session, student)
    audience = await class_audience(session, org_id, student.class_id)
    if extra_class is not None:
        audience = tuple(dict.fromkeys((*audience, *await class_audience(session, org_id, extra_class))))
    event = events.StudentEnrolled if enrolled else events.StudentUpdated
    await record(session, event(org_id=org_id, audience=audience, student=view))
    return view


# --- reading -----------------------------------------------------------------------------------


async def list_students(session: Session, actor: Actor, class_id: str) -> list[dict[str, Any]]:
    """Teachers and admins: the whole roster with guardians' numbers. A guardian: their own
    children in the class (their own number only)."""
    found = await access_class(session, actor, class_id)
    students = await repository.students_of_classes(session, [found.school_class.id])
    if not found.sees_roster:
        students = [s for s in students if s.id in found.child_ids]
    return await students_view(session, actor, students, show_phones=found.sees_roster)


async def get_student(session: Session, actor: Actor, student_id: str) -> dict[str, Any]:
    student, found = await access_student(session, actor, student_id)
    return (await students_view(session, actor, [student], show_phones=found.sees_roster))[0]


# --- changing ----------------------------------------------------------------------------------


async def check_student_no_free(session: Session, org_id: str, student_no: str, exclude_id: str | None = None) -> None:
    taken = await repository.taken_student_nos(session, org_id, [student_no])
    if student_no in taken and taken[student_no] != exclude_id:
        raise StudentNoTaken(details={"field": "student_no", "student_no": student_no})


async def link_guardian(
    session: Session, org_id: str, student: SchoolStudent, guardian_in: GuardianIn, *, limit_check: bool = True
) -> SchoolGuardian:
    """Link a (checked) guardian to the student: the school's guardian with that number, or
    a new one. Raises ``GuardianChildLimit`` beyond ``MAX_CHILDREN`` children."""
    guardian = (await repository.guardians_by_phone(session, org_id, [guardian_in.phone])).get(guardian_in.phone)
    if guardian is None:
        guardian = SchoolGuardian(org_id=org_id, phone=guardian_in.phone, name=guardian_in.name)
        session.add(guardian)
        await session.flush()
    else:
        if await repository.guardianship(session, guardian.id, student.id) is not None:
            raise GuardianAlreadyLinked(details={"phone": guardian_in.phone})
        if limit_check and (await repository.child_counts(session, [guardian.id])).get(guardian.id, 0) >= MAX_CHILDREN:
            raise GuardianChildLimit(details={"phone": guardian_in.phone, "limit": MAX_CHILDREN})
    session.add(
        SchoolGuardianship(
            guardian_id=guardian.id, student_id=student.id, org_id=org_id, relation=guardian_in.relation,
            created_at=clock.now(),
        )
    )  # fmt: skip
    await session.flush()
    return guardian


async def enrol_student(
    session: Session, actor: Actor, class_id: str, *, name: str, student_no: str, guardians: list[GuardianIn]
) -> dict[str, Any]:
    """Admins and the head teacher add a student (with guardians) to the class."""
    found = await access_class(session, actor, class_id)
    found.require_manager()
    clean_name = check_name(name)
    number = check_student_no(student_no)
    checked = [g.checked(f"guardians.{i}.") for i, g in enumerate(guardians)]
    if len(checked) > MAX_GUARDIANS:
        raise TooManyGuardians()
    phones = [g.phone for g in checked]
    if len(set(phones)) != len(phones):
        raise GuardianAlreadyLinked("The same guardian is listed twice.", code="duplicate_guardian")
    await check_student_no_free(session, actor.org_id, number)
    student = SchoolStudent(org_id=actor.org_id, class_id=found.school_class.id, name=clean_name, student_no=number)
    session.add(student)
    await session.flush()
    for guardian_in in checked:
        await link_guardian(session, actor.org_id, student, guardian_in)
    view = await announce_student(session, actor.org_id, student, enrolled=True)
    await announce_class(session, actor.org_id, found.school_class)
    return view


async def update_student(
    session: Session,
    actor: Actor,
    student_id: str,
    *,
    name: str | None = None,
    student_no: str | None = None,
    class_id: str | None = None,
) -> dict[str, Any]:
    """Rename, renumber, or move to another class (the actor must manage both classes)."""
    student, found = await access_student(session, actor, student_id)
    found.require_manager()
    if name is not None:
        student.name = check_name(name)
    if student_no is not None:
        number = check_student_no(student_no)
        await check_student_no_free(session, actor.org_id, number, exclude_id=student.id)
        student.student_no = number
    moved_from: ClassAccess | None = None
    if class_id is not None and class_id != student.class_id:
        target = await access_class(session, actor, class_id)
        target.require_manager()
        moved_from = found
        student.class_id = target.school_class.id
    await session.flush()
    view = await announce_student(
        session, actor.org_id, student, extra_class=moved_from.school_class.id if moved_from else None
    )
    if moved_from is not None:
        await announce_class(session, actor.org_id, moved_from.school_class)
        target_class = await repository.school_class(session, actor.org_id, student.class_id)
        if target_class is not None:
            await announce_class(session, actor.org_id, target_class)
    return view


async def withdraw_student(session: Session, actor: Actor, student_id: str) -> None:
    """Remove a student from the school (their guardian links go; guardians left without
    children are forgotten)."""
    student, found = await access_student(session, actor, student_id)
    found.require_manager()
    guardian_ids = [
        g.id for g, _ in (await repository.guardians_of_students(session, [student.id])).get(student.id, [])
    ]
    audience = await class_audience(session, actor.org_id, student.class_id)
    await session.delete(student)
    await session.flush()
    await repository.delete_guardians(session, await repository.orphaned_guardian_ids(session, guardian_ids))
    await record(
        session,
        events.StudentWithdrawn(
            org_id=actor.org_id, audience=audience, student_id=student_id, class_id=found.school_class.id
        ),
    )
    await announce_class(session, actor.org_id, found.school_class)


async def add_guardian(session: Session, actor: Actor, student_id: str, guardian_in: GuardianIn) -> dict[str, Any]:
    student, found = await access_student(session, actor, student_id)
    found.require_manager()
    checked = guardian_in.checked()
    existing = (await repository.guardians_of_students(session, [student.id])).get(student.id, [])
    if len(existing) >= MAX_GUARDIANS:
        raise TooManyGuardians()
    await link_guardian(session, actor.org_id, student, checked)
    return await announce_student(session, actor.org_id, student)


async def _link_of(
    session: Session, student: SchoolStudent, guardian_id: str
) -> tuple[SchoolGuardian, SchoolGuardianship]:
    for guardian, link in (await repository.guardians_of_students(session, [student.id])).get(student.id, []):
        if guardian.id == guardian_id:
            return guardian, link
    raise GuardianNotFound(details={"guardian_id": guardian_id})


async def update_guardian(
    session: Session, actor: Actor, student_id: str, guardian_id: str, *, name: str | None, relation: str | None
) -> dict[str, Any]:
    """Change a guardian's relation to this student, or their name (as the school knows it)."""
    student, found = await access_student(session, actor, student_id)
    found.require_manager()
    guardian, link = await _link_of(session, student, guardian_id)
    if relation is not None:
        link.relation = check_relation(relation)
    if name is not None:
        guardian.name = check_name(name)
    await session.flush()
    return await announce_student(session, actor.org_id, student)


async def remove_guardian(session: Session, actor: Actor, student_id: str, guardian_id: str) -> dict[str, Any]:
    student, found = await access_student(session, actor, student_id)
    found.require_manager()
    guardian, link = await _link_of(session, student, guardian_id)
    await session.delete(link)
    await session.flush()
    await repository.delete_guardian_if_orphaned(session, guardian.id)
    return await announce_student(session, actor.org_id, student)
