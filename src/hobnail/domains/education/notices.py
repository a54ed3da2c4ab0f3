"""Notices (通知): a teacher writes to the families of one or more classes, or of chosen
students, with files, an optional deadline and a later release, and may ask them to
confirm (签收). The teacher sees per class who has read and confirmed, live, and can DING
the guardians who have not confirmed.

One recipient row per child (not per guardian): any of a child's guardians reads or
confirms for the family, as DingTalk's 家校通知 does. Children are taken from the
classes when the notice is released, so a scheduled notice reaches the class as it is then.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from hobnail.core import clock
from hobnail.core.errors import Conflict, NotFound, ValidationFailed
from hobnail.db.session import Session
from hobnail.domains.accounts import service as accounts_service
from hobnail.domains.accounts.access import Actor
from hobnail.domains.ding import service as ding_service
from hobnail.domains.education import events, repository
from hobnail.domains.education.access import access_class, access_student, require_school
from hobnail.domains.files import service as files_service
from hobnail.events.base import topics
from hobnail.events.outbox import record
from hobnail.jobs import queue
from hobnail.models import SchoolNotice, SchoolNoticeFile, SchoolNoticeRecipient, SchoolStudent

MAX_FILES = 9
MAX_TARGETS = 200
RELEASE_JOB = "education.notice_release"


class NoticeNotFound(NotFound):
    code = "notice_not_found"
    message = "No such notice."


class NoRecipients(ValidationFailed):
    code = "notice_without_recipients"
    message = "Choose at least one class or student."


class InThePast(ValidationFailed):
    code = "time_in_past"
    message = "That time has already passed."


class ConfirmationNotRequired(Conflict):
    code = "confirmation_not_required"
    message = "This notice does not ask to be confirmed."


class NoticeNotReleased(Conflict):
    code = "notice_not_released"
    message = "The notice has not been released yet."


class NothingToDing(Conflict):
    code = "nobody_to_ding"
    message = "Every family has confirmed, or none of the others has joined yet."


def _iso(moment: datetime | None) -> str | None:
    return clock.isoformat(moment) if moment else None


async def _names(session: Session, user_ids: Iterable[str | None]) -> dict[str, str]:
    users = await accounts_service.users_by_id(session, sorted(u for u in user_ids if u))
    return {u: user.name for u, user in users.items()}


def notice_view(notice: SchoolNotice, names: dict[str, str] | None = None) -> dict[str, Any]:
    return {
        "id": notice.id, "author_id": notice.author_id, "author_name": (names or {}).get(notice.author_id, ""),
        "title": notice.title, "body": notice.body,
        "files": notice.files, "class_ids": notice.class_ids, "student_ids": notice.student_ids,
        "require_confirm": notice.require_confirm, "deadline": _iso(notice.deadline),
        "release_at": _iso(notice.release_at), "status": notice.status, "sent_at": _iso(notice.sent_at),
        "created_at": _iso(notice.created_at),
    }  # fmt: skip


def _future(moment: datetime | None, field: str) -> datetime | None:
    if moment is None:
        return None
    moment = clock.ensure_aware(moment)
    if moment <= clock.now():
        raise InThePast(details={"field": field})
    return moment


async def create_notice(session: Session, actor: Actor, data: dict[str, Any]) -> dict[str, Any]:
    """Teachers (of every class and student named) and admins. Released now, or queued
    for ``release_at``. Raises ValidationFailed / NotFound."""
    require_school(actor)
    class_ids = list(dict.fromkeys(data.get("class_ids") or []))
    student_ids = list(dict.fromkeys(data.get("student_ids") or []))
    if not class_ids and not student_ids:
        raise NoRecipients()
    if len(class_ids) + len(student_ids) > MAX_TARGETS:
        raise ValidationFailed(f"At most {MAX_TARGETS} classes and students.", code="notice_too_many_recipients")
    for class_id in class_ids:
        (await access_class(session, actor, class_id)).require_teacher()
    for student_id in student_ids:
        _, found = await access_student(session, actor, student_id)
        found.require_teacher()
    file_ids = list(dict.fromkeys(data.get("file_ids") or []))
    if len(file_ids) > MAX_FILES:
        raise ValidationFailed(f"At most {MAX_FILES} files.", code="too_many_files")
    files = [await files_service.attachable(session, actor, f) for f in file_ids]
    deadline = _future(data.get("deadline"), "deadline")
    release_at = _future(data.get("release_at"), "release_at")
    if deadline and release_at and deadline <= release_at:
        raise ValidationFailed("The deadline must come after the release.", code="deadline_before_release")
    notice = SchoolNotice(
        org_id=actor.org_id, author_id=actor.user_id, title=data["title"].strip(),
        body=(data.get("body") or "").strip(), files=files, class_ids=class_ids, student_ids=student_ids,
        require_confirm=bool(data.get("require_confirm")), deadline=deadline, release_at=release_at,
        status="scheduled" if release_at else "sent", created_at=clock.now(),
    )  # fmt: skip
    session.add(notice)
    await session.flush()
    for file in files:
        session.add(SchoolNoticeFile(notice_id=notice.id, file_id=file["id"]))
    if release_at:
        await queue.enqueue(
            session, RELEASE_JOB, {"notice_id": notice.id}, run_at=release_at, dedupe_key=f"notice:{notice.id}"
        )
    else:
        await release(session, notice)
    return await notice_detail(session, actor, notice.id)


async def release(session: Session, notice: SchoolNotice) -> None:
    """Take the families from the classes and chosen students, and tell them."""
    students = await repository.students_of_classes(session, notice.class_ids)
    chosen = await repository.students_by_id(session, notice.org_id, notice.student_ids)
    by_id = {s.id: s for s in [*students, *chosen]}
    for student in by_id.values():
        session.add(
            SchoolNoticeRecipient(
                notice_id=notice.id, student_id=student.id, class_id=student.class_id, org_id=notice.org_id
            )
        )
    notice.status, notice.sent_at = "sent", clock.now()
    await session.flush()
    links = await repository.guardians_of_students(session, list(by_id))
    guardians = {g.user_id for pairs in links.values() for g, _ in pairs if g.user_id}
    audience = tuple(topics.user(u) for u in sorted(guardians | {notice.author_id}))
    view = notice_view(notice, await _names(session, {notice.author_id}))
    await record(session, events.NoticePublished(org_id=notice.org_id, audience=audience, notice=view))


async def release_job(session: Session, payload: dict[str, Any]) -> None:
    notice = await session.get(SchoolNotice, payload["notice_id"])
    if notice is not None and notice.status == "scheduled":
        await release(session, notice)


# --- reading --------------------------------------------------------------------------


async def _children_on(session: Session, actor: Actor, notice: SchoolNotice) -> list[SchoolNoticeRecipient]:
    """The recipient rows of the actor's own children on the notice."""
    children = [c.id for c in await repository.children_of_user(session, actor.org_id, actor.user_id)]
    if not children:
        return []
    return list(
        await session.scalars(
            sa.select(SchoolNoticeRecipient).where(
                SchoolNoticeRecipient.notice_id == notice.id, SchoolNoticeRecipient.student_id.in_(children)
            )
        )
    )


async def _teaches_all(session: Session, actor: Actor, notice: SchoolNotice) -> bool:
    """The notice's author, admins, and teachers of a class it went to."""
    if actor.is_admin or notice.author_id == actor.user_id:
        return True
    taught = await repository.taught_class_ids(session, actor.org_id, actor.user_id)
    classes = set(notice.class_ids) | set(
        await session.scalars(
            sa.select(SchoolNoticeRecipient.class_id).where(SchoolNoticeRecipient.notice_id == notice.id).distinct()
        )
    )
    return bool(taught & classes)


async def access_notice(session: Session, actor: Actor, notice_id: str) -> tuple[SchoolNotice, bool, list[Any]]:
    """(notice, sees every family, the actor's own children's rows). NotFound for anyone
    else — and for families before it is released."""
    require_school(actor)
    notice = await session.get(SchoolNotice, notice_id)
    if notice is None or notice.org_id != actor.org_id:
        raise NoticeNotFound()
    if await _teaches_all(session, actor, notice):
        return notice, True, await _children_on(session, actor, notice)
    mine = await _children_on(session, actor, notice) if notice.status == "sent" else []
    if not mine:
        raise NoticeNotFound()
    return notice, False, mine


def _family_state(
    row: SchoolNoticeRecipient, student: SchoolStudent | None, names: dict[str, str] | None = None
) -> dict[str, Any]:
    return {
        "student_id": row.student_id, "name": student.name if student else "", "class_id": row.class_id,
        "read_at": _iso(row.read_at), "confirmed_at": _iso(row.confirmed_at), "confirmed_by": row.confirmed_by,
        "confirmed_by_name": (names or {}).get(row.confirmed_by or "", None),
    }  # fmt: skip


async def _class_counts(session: Session, notice_id: str, class_id: str) -> dict[str, int]:
    row = (
        await session.execute(
            sa.select(
                sa.func.count(), sa.func.count(SchoolNoticeRecipient.read_at),
                sa.func.count(SchoolNoticeRecipient.confirmed_at),
            ).where(SchoolNoticeRecipient.notice_id == notice_id, SchoolNoticeRecipient.class_id == class_id)
        )
    ).one()  # fmt: skip
    return {"total": int(row[0]), "read": int(row[1]), "confirmed": int(row[2])}


async def notice_detail(session: Session, actor: Actor, notice_id: str) -> dict[str, Any]:
    """Teachers: every family per class (read, confirmed, by whom). Guardians: the notice
    and their own children's state."""
    notice, sees_all, mine = await access_notice(session, actor, notice_id)
    rows = mine
    if sees_all:
        rows = list(
            await session.scalars(sa.select(SchoolNoticeRecipient).where(SchoolNoticeRecipient.notice_id == notice.id))
        )
    names = await _names(session, {notice.author_id, *(r.confirmed_by for r in [*rows, *mine])})
    view = notice_view(notice, names)
    students = {s.id: s for s in await repository.students_by_id(session, actor.org_id, [r.student_id for r in mine])}
    view["my_children"] = [_family_state(r, students.get(r.student_id), names) for r in mine]
    if sees_all:
        everyone = {
            s.id: s for s in await repository.students_by_id(session, actor.org_id, [r.student_id for r in rows])
        }
        classes = {
            c.id: c
            for c in await repository.classes(session, actor.org_id, class_ids=sorted({r.class_id for r in rows}))
        }
        per_class: dict[str, dict[str, Any]] = {}
        for row in sorted(rows, key=lambda r: everyone[r.student_id].student_no if r.student_id in everyone else ""):
            entry = per_class.setdefault(
                row.class_id,
                {"class_id": row.class_id, "name": classes[row.class_id].name if row.class_id in classes else "",
                 "total": 0, "read": 0, "confirmed": 0, "families": []},
            )  # fmt: skip
            entry["total"] += 1
            entry["read"] += row.read_at is not None
            entry["confirmed"] += row.confirmed_at is not None
            entry["families"].append(_family_state(row, everyone.get(row.student_id), names))
        view["classes"] = list(per_class.values())
    return view


async def list_notices(session: Session, actor: Actor, *, box: str, limit: int) -> list[dict[str, Any]]:
    """``sent``: notices I wrote (admins: all), with counts. ``received``: my children's,
    newest first, each with my children's state."""
    require_school(actor)
    if box == "sent":
        query = sa.select(SchoolNotice).where(SchoolNotice.org_id == actor.org_id)
        if not actor.is_admin:
            query = query.where(SchoolNotice.author_id == actor.user_id)
        notices = list(await session.scalars(query.order_by(SchoolNotice.created_at.desc()).limit(limit)))
        counts = dict(
            (notice_id, (total, read, confirmed))
            for notice_id, total, read, confirmed in await session.execute(
                sa.select(
                    SchoolNoticeRecipient.notice_id, sa.func.count(), sa.func.count(SchoolNoticeRecipient.read_at),
                    sa.func.count(SchoolNoticeRecipient.confirmed_at),
                )
                .where(SchoolNoticeRecipient.notice_id.in_([n.id for n in notices]))
                .group_by(SchoolNoticeRecipient.notice_id)
            )
        )  # fmt: skip
        names = await _names(session, {n.author_id for n in notices})
        return [
            {**notice_view(n, names), "total": counts.get(n.id, (0, 0, 0))[0], "read": counts.get(n.id, (0, 0, 0))[1],
             "confirmed": counts.get(n.id, (0, 0, 0))[2]}
            for n in notices
        ]  # fmt: skip
    if box != "received":
        raise ValidationFailed("box is sent or received.", code="invalid_box")
    children = {c.id: c for c in await repository.children_of_user(session, actor.org_id, actor.user_id)}
    if not children:
        return []
    rows = list(
        await session.execute(
            sa.select(SchoolNotice, SchoolNoticeRecipient)
            .join(SchoolNoticeRecipient, SchoolNoticeRecipient.notice_id == SchoolNotice.id)
            .where(SchoolNoticeRecipient.student_id.in_(list(children)), SchoolNotice.status == "sent")
            .order_by(SchoolNotice.sent_at.desc())
        )
    )
    names = await _names(session, [*(n.author_id for n, _ in rows), *(r.confirmed_by for _, r in rows)])
    found: dict[str, dict[str, Any]] = {}
    for notice, row in rows:
        entry = found.setdefault(notice.id, {**notice_view(notice, names), "my_children": []})
        entry["my_children"].append(_family_state(row, children.get(row.student_id), names))
    return list(found.values())[:limit]


# --- families answer ------------------------------------------------------------------


async def _announce_progress(session: Session, notice: SchoolNotice, row: SchoolNoticeRecipient) -> None:
    teachers = await repository.teacher_ids(session, row.class_id)
    found = await repository.students_by_id(session, notice.org_id, [row.student_id])
    student = found[0] if found else None
    audience = tuple(topics.user(u) for u in sorted(teachers | {notice.author_id}))
    await record(
        session,
        events.NoticeProgress(
            org_id=notice.org_id, audience=audience, notice_id=notice.id, class_id=row.class_id,
            student=_family_state(row, student, await _names(session, {row.confirmed_by})),
            counts=await _class_counts(session, notice.id, row.class_id),
        ),
    )  # fmt: skip


async def mark_read(session: Session, actor: Actor, notice_id: str) -> dict[str, Any]:
    """A guardian opened the notice: their children's rows are read (once)."""
    notice, _, mine = await access_notice(session, actor, notice_id)
    for row in mine:
        if row.read_at is None:
            row.read_at = clock.now()
            await session.flush()
            await _announce_progress(session, notice, row)
    return await notice_detail(session, actor, notice_id)


async def confirm(session: Session, actor: Actor, notice_id: str, student_ids: list[str] | None) -> dict[str, Any]:
    """A guardian confirms for their children on the notice (all of them, or those named).
    Confirming again changes nothing. Raises ConfirmationNotRequired, NoticeNotFound."""
    notice, _, mine = await access_notice(session, actor, notice_id)
    if not mine:
        raise NoticeNotFound()  # a teacher with no child here has nothing to confirm
    if not notice.require_confirm:
        raise ConfirmationNotRequired()
    chosen = [r for r in mine if student_ids is None or r.student_id in student_ids]
    if not chosen:
        raise ValidationFailed("None of those children is on this notice.", code="not_your_child")
    now = clock.now()
    for row in chosen:
        if row.confirmed_at is not None:
            continue
        row.confirmed_at, row.confirmed_by, row.read_at = now, actor.user_id, row.read_at or now
        await session.flush()
        await _announce_progress(session, notice, row)
        links = await repository.guardians_of_students(session, [row.student_id])
        family = {g.user_id for g, _ in links.get(row.student_id, []) if g.user_id}
        await record(
            session,
            events.NoticeConfirmed(
                org_id=notice.org_id, audience=tuple(topics.user(u) for u in sorted(family)), notice_id=notice.id,
                student_id=row.student_id, confirmed_at=clock.isoformat(now), confirmed_by=actor.user_id,
            ),
        )  # fmt: skip
    return await notice_detail(session, actor, notice_id)


async def ding_unconfirmed(session: Session, actor: Actor, notice_id: str, class_id: str | None) -> dict[str, Any]:
    """Teachers: one DING to the guardians (with an account) of every child not yet
    confirmed — in one class or all. Returns the DING and the children whose families
    could not be reached (no guardian has joined)."""
    notice, sees_all, _ = await access_notice(session, actor, notice_id)
    if not sees_all:
        raise NoticeNotFound()
    if notice.status != "sent":
        raise NoticeNotReleased()
    if not notice.require_confirm:
        raise ConfirmationNotRequired()
    query = sa.select(SchoolNoticeRecipient).where(
        SchoolNoticeRecipient.notice_id == notice.id, SchoolNoticeRecipient.confirmed_at.is_(None)
    )
    if class_id:
        query = query.where(SchoolNoticeRecipient.class_id == class_id)
    waiting = [r.student_id for r in await session.scalars(query)]
    links = await repository.guardians_of_students(session, waiting)
    guardians = sorted({g.user_id for s in waiting for g, _ in links.get(s, []) if g.user_id})
    unreachable = [s for s in waiting if not any(g.user_id for g, _ in links.get(s, []))]
    if not guardians:
        raise NothingToDing(details={"unreachable_student_ids": unreachable})
    ding = await ding_service.send_ding(
        session, actor, body=f"请确认通知《{notice.title}》 / Please confirm the notice: {notice.title}",
        user_ids=guardians, department_ids=[], channel="in_app", policy=None, critical=False, scheduled_at=None,
        source_message_id=None, scope_checked=True,
    )  # fmt: skip
    return {"ding_id": ding["id"], "guardian_count": len(guardians), "unreachable_student_ids": unreachable}


async def home_counts(session: Session, actor: Actor) -> dict[str, int]:
    """For the home: ``notices_to_confirm`` (my children's notices asking for a confirmation
    I have not given) and ``notices_waiting`` (my notices still waiting for families)."""
    children = [c.id for c in await repository.children_of_user(session, actor.org_id, actor.user_id)]
    to_confirm = 0
    if children:
        to_confirm = int(
            await session.scalar(
                sa.select(sa.func.count(sa.distinct(SchoolNotice.id)))
                .join(SchoolNoticeRecipient, SchoolNoticeRecipient.notice_id == SchoolNotice.id)
                .where(
                    SchoolNoticeRecipient.student_id.in_(children), SchoolNoticeRecipient.confirmed_at.is_(None),
                    SchoolNotice.require_confirm.is_(True), SchoolNotice.status == "sent",
                )
            )
            or 0
        )  # fmt: skip
    waiting = int(
        await session.scalar(
            sa.select(sa.func.count(sa.distinct(SchoolNotice.id)))
            .join(SchoolNoticeRecipient, SchoolNoticeRecipient.notice_id == SchoolNotice.id)
            .where(
                SchoolNotice.org_id == actor.org_id, SchoolNotice.author_id == actor.user_id,
                SchoolNotice.require_confirm.is_(True), SchoolNoticeRecipient.confirmed_at.is_(None),
            )
        )
        or 0
    )  # fmt: skip
    return {"notices_to_confirm": to_confirm, "notices_waiting": waiting}
