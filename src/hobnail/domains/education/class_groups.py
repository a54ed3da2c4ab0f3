"""Each class's two chats follow its roster: the teachers-and-guardians group (家校群) and
the teachers-and-students group (师生群).

A durable subscriber of the school's roster events (class created, renamed, teachers
changed, students enrolled, moved or withdrawn, a roster imported, a guardian joined)
brings the class's chats in line as a job after the change commits, as department groups
follow the directory. The head teacher owns both chats and the subject teachers are its
admins, so teachers can mute a group (only admins speak) or post its announcement;
members cannot add, remove or leave. Guardians see each other's names in the chat, never
their phone numbers (they are not in the staff directory).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from hobnail.db.session import Session
from hobnail.domains.education import repository
from hobnail.domains.messaging import managed
from hobnail.events.subscribers import subscribe
from hobnail.models import Organization, SchoolClass

CHAT_NAMES = {"zh-CN": ("{name} 家校群", "{name} 师生群"), "en": ("{name} · families", "{name} · students")}
ROSTER_EVENTS = (
    "school_class.created", "school_class.updated", "student.enrolled", "student.updated", "student.withdrawn",
    "roster.imported", "guardian.joined",
)  # fmt: skip


def chat_names(class_name: str, language: str | None) -> tuple[str, str]:
    guardians, students = CHAT_NAMES["en" if (language or "").startswith("en") else "zh-CN"]
    return guardians.format(name=class_name), students.format(name=class_name)


async def sync_class_groups(session: Session, org_id: str, class_id: str) -> None:
    """Create the class's chats if needed and set their members from the roster: teachers
    in both, guardians with an account in one, students with an account in the other."""
    school_class = await repository.school_class(session, org_id, class_id)
    org = await session.get(Organization, org_id)
    if school_class is None or org is None or org.kind != "school":
        return
    head = school_class.head_teacher_id
    teachers = await repository.teacher_ids(session, class_id)
    admins = teachers - {head} if head else teachers
    students = await repository.students_of_classes(session, [class_id])
    links = await repository.guardians_of_students(session, [s.id for s in students])
    guardian_users = {g.user_id for pairs in links.values() for g, _ in pairs if g.user_id} - teachers
    student_users = {s.user_id for s in students if s.user_id} - teachers
    guardians_name, students_name = chat_names(school_class.name, org.language)
    guardians_chat = await managed.sync_managed_group(
        session, org_id, school_class.guardians_chat_id, name=guardians_name, owner_id=head, admin_ids=admins,
        member_ids=guardian_users,
    )  # fmt: skip
    students_chat = await managed.sync_managed_group(
        session, org_id, school_class.students_chat_id, name=students_name, owner_id=head, admin_ids=admins,
        member_ids=student_users,
    )  # fmt: skip
    school_class.guardians_chat_id, school_class.students_chat_id = guardians_chat.id, students_chat.id
    await session.flush()


async def _classes_whose_chats_hold(session: Session, org_id: str, user_ids: set[str]) -> set[str]:
    chat_ids = await managed.managed_groups_of(session, org_id, user_ids)
    if not chat_ids:
        return set()
    rows = await session.scalars(
        sa.select(SchoolClass.id).where(
            SchoolClass.org_id == org_id,
            sa.or_(SchoolClass.guardians_chat_id.in_(chat_ids), SchoolClass.students_chat_id.in_(chat_ids)),
        )
    )
    return set(rows)


async def on_roster_changed(session: Session, event: dict[str, Any]) -> None:
    """The class the event names; for a student, also the classes whose chats still hold
    the student's family (a student who moved class takes their guardians along)."""
    org_id, data = event["org_id"], event["data"]
    class_ids = {data.get("class_id"), (data.get("student") or {}).get("class_id")}
    class_ids.add((data.get("school_class") or {}).get("id"))
    student_id = (data.get("student") or {}).get("id")
    if student_id:
        links = await repository.guardians_of_students(session, [student_id])
        family = {g.user_id for g, _ in links.get(student_id, []) if g.user_id}
        class_ids |= await _classes_whose_chats_hold(session, org_id, family)
    for class_id in sorted(c for c in class_ids if c):
        await sync_class_groups(session, org_id, class_id)


async def on_class_deleted(session: Session, event: dict[str, Any]) -> None:
    """A deleted class's chats are dissolved (history stays, read-only)."""
    org_id = event["org_id"]
    referenced = set()
    for guardians_chat, students_chat in await session.execute(
        sa.select(SchoolClass.guardians_chat_id, SchoolClass.students_chat_id).where(SchoolClass.org_id == org_id)
    ):
        referenced |= {guardians_chat, students_chat}
    for chat_id in await managed.managed_group_ids(session, org_id, managed.CLASS_KIND):
        if chat_id not in referenced:
            await managed.dissolve_managed_group(session, chat_id)


def register() -> None:
    for event_type in ROSTER_EVENTS:
        subscribe(event_type, "education.class_groups", on_roster_changed)
    subscribe("school_class.deleted", "education.class_groups_dissolve", on_class_deleted)
