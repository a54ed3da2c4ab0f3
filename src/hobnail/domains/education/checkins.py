"""Daily check-in forms (每日打卡): the school defines a form (temperature, health…) with a
time window on school days; each child's family fills it in once a day (again within the
window replaces it); teachers see per class who has and who has not, and remind the rest.

Days and windows are in the school's timezone. A form goes to every class, or to the
classes it names.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from hobnail.core import clock
from hobnail.core.errors import Conflict, NotFound, TooManyRequests, ValidationFailed
from hobnail.core.formfields import HHMM, FormError, check_fields, check_values
from hobnail.db.session import Session
from hobnail.domains.accounts.access import Actor
from hobnail.domains.education import events, repository
from hobnail.domains.education.access import access_class, require_school, require_school_admin
from hobnail.events.base import topics
from hobnail.events.outbox import record
from hobnail.models import SchoolCheckin, SchoolCheckinForm, SchoolCheckinReminder, SchoolStudent

CHECKIN_TYPES = ("text", "textarea", "number", "select", "multiselect", "time")
REMIND_GAP = timedelta(minutes=10)


class CheckinFormNotFound(NotFound):
    code = "checkin_form_not_found"
    message = "No such check-in form."


class CheckinClosed(Conflict):
    code = "checkin_closed"
    message = "Check-in for today is not open (outside its time window or not a school day)."


class RemindedRecently(TooManyRequests):
    code = "reminded_recently"
    message = "This class was reminded a moment ago."


def _zone(actor: Actor) -> ZoneInfo:
    return ZoneInfo(actor.org.timezone or "Asia/Shanghai")


def today(actor: Actor) -> date:
    return clock.now().astimezone(_zone(actor)).date()


def form_view(form: SchoolCheckinForm) -> dict[str, Any]:
    return {
        "id": form.id, "name": form.name, "fields": form.fields, "class_ids": form.class_ids,
        "weekdays": form.weekdays, "opens_at": form.opens_at, "closes_at": form.closes_at, "enabled": form.enabled,
        "created_at": clock.isoformat(form.created_at),
    }  # fmt: skip


def _check_design(data: dict[str, Any]) -> dict[str, Any]:
    try:
        fields = check_fields(data.get("fields"), CHECKIN_TYPES)
    except FormError as error:
        raise ValidationFailed(str(error), code="invalid_form", details={"field": error.field}) from None
    opens, closes = str(data.get("opens_at") or ""), str(data.get("closes_at") or "")
    if not HHMM.fullmatch(opens) or not HHMM.fullmatch(closes) or opens >= closes:
        raise ValidationFailed("The window is HH:MM to a later HH:MM.", code="invalid_window")
    weekdays = sorted(set(data.get("weekdays") or [1, 2, 3, 4, 5]))
    if not all(isinstance(d, int) and 1 <= d <= 7 for d in weekdays):
        raise ValidationFailed("weekdays are 1 (Monday) to 7.", code="invalid_weekdays")
    return {"fields": fields, "opens_at": opens, "closes_at": closes, "weekdays": weekdays}


async def _check_classes(session: Session, actor: Actor, class_ids: list[str]) -> list[str]:
    for class_id in class_ids:
        await access_class(session, actor, class_id)
    return list(dict.fromkeys(class_ids))


async def create_form(session: Session, actor: Actor, data: dict[str, Any]) -> dict[str, Any]:
    """Admins."""
    require_school_admin(actor)
    design = _check_design(data)
    class_ids = await _check_classes(session, actor, data.get("class_ids") or [])
    form = SchoolCheckinForm(
        org_id=actor.org_id, name=data["name"].strip(), class_ids=class_ids, enabled=True, created_by=actor.user_id,
        created_at=clock.now(), **design,
    )  # fmt: skip
    session.add(form)
    await session.flush()
    return form_view(form)


async def _form(session: Session, actor: Actor, form_id: str) -> SchoolCheckinForm:
    require_school(actor)
    form = await session.get(SchoolCheckinForm, form_id)
    if form is None or form.org_id != actor.org_id:
        raise CheckinFormNotFound()
    return form


async def update_form(session: Session, actor: Actor, form_id: str, data: dict[str, Any]) -> dict[str, Any]:
    """Admins: change the design, classes, or switch it off (``enabled``)."""
    require_school_admin(actor)
    form = await _form(session, actor, form_id)
    merged = {**form_view(form), **{k: v for k, v in data.items() if v is not None}}
    design = _check_design(merged)
    form.name = str(merged["name"]).strip()
    form.fields, form.opens_at, form.closes_at, form.weekdays = (
        design["fields"], design["opens_at"], design["closes_at"], design["weekdays"],
    )  # fmt: skip
    form.class_ids = await _check_classes(session, actor, list(merged.get("class_ids") or []))
    form.enabled = bool(merged["enabled"])
    await session.flush()
    return form_view(form)


async def list_forms(session: Session, actor: Actor) -> list[dict[str, Any]]:
    require_school(actor)
    rows = await session.scalars(
        sa.select(SchoolCheckinForm)
        .where(SchoolCheckinForm.org_id == actor.org_id)
        .order_by(SchoolCheckinForm.created_at)
    )
    return [form_view(f) for f in rows]


def _applies(form: SchoolCheckinForm, class_id: str) -> bool:
    return form.enabled and (not form.class_ids or class_id in form.class_ids)


def _open_now(actor: Actor, form: SchoolCheckinForm) -> bool:
    local = clock.now().astimezone(_zone(actor))
    opens, closes = time.fromisoformat(form.opens_at), time.fromisoformat(form.closes_at)
    return local.isoweekday() in form.weekdays and opens <= local.time().replace(tzinfo=None) < closes


def _entry_view(row: SchoolCheckin | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {"values": row.values, "submitted_by": row.submitted_by, "submitted_at": clock.isoformat(row.submitted_at)}


async def my_day(session: Session, actor: Actor) -> list[dict[str, Any]]:
    """Guardians: today's forms for each of my children, open or not, and what was sent."""
    require_school(actor)
    children = await repository.children_of_user(session, actor.org_id, actor.user_id)
    if not children:
        return []
    forms = list(
        await session.scalars(
            sa.select(SchoolCheckinForm).where(
                SchoolCheckinForm.org_id == actor.org_id, SchoolCheckinForm.enabled.is_(True)
            )
        )
    )
    day = today(actor)
    done = {
        (row.form_id, row.student_id): row
        for row in await session.scalars(
            sa.select(SchoolCheckin).where(
                SchoolCheckin.day == day, SchoolCheckin.student_id.in_([c.id for c in children])
            )
        )
    }
    out = []
    for form in forms:
        for child in children:
            if _applies(form, child.class_id) and day.isoweekday() in form.weekdays:
                out.append({
                    "form": form_view(form), "day": day.isoformat(), "open": _open_now(actor, form),
                    "student": {"id": child.id, "name": child.name, "class_id": child.class_id},
                    "entry": _entry_view(done.get((form.id, child.id))),
                })  # fmt: skip
    return out


async def submit(session: Session, actor: Actor, form_id: str, student_id: str, values: Any) -> dict[str, Any]:
    """A guardian checks in for their child today, within the window (409 ``checkin_closed``
    otherwise); again within the window replaces the values."""
    form = await _form(session, actor, form_id)
    child: SchoolStudent | None = next(
        (c for c in await repository.children_of_user(session, actor.org_id, actor.user_id) if c.id == student_id),
        None,
    )
    if child is None or not _applies(form, child.class_id):
        raise NotFound("Not your child, or the form is not for their class.", code="student_not_found")
    if not _open_now(actor, form):
        raise CheckinClosed(details={"opens_at": form.opens_at, "closes_at": form.closes_at})
    try:
        clean = check_values(form.fields, values)
    except FormError as error:
        raise ValidationFailed(str(error), code="invalid_values", details={"field": error.field}) from None
    day, now = today(actor), clock.now()
    row = await session.scalar(
        sa.select(SchoolCheckin).where(
            SchoolCheckin.form_id == form.id, SchoolCheckin.student_id == child.id, SchoolCheckin.day == day
        )
    )
    if row is None:
        row = SchoolCheckin(
            org_id=actor.org_id, form_id=form.id, student_id=child.id, class_id=child.class_id, day=day,
            values=clean, submitted_by=actor.user_id, submitted_at=now,
        )  # fmt: skip
        try:
            async with session.begin_nested():  # two guardians at the same instant: the second one updates
                session.add(row)
                await session.flush()
        except sa.exc.IntegrityError:
            raise Conflict("Someone in the family just checked in; reload.", code="checkin_changed") from None
    else:
        row.values, row.submitted_by, row.submitted_at = clean, actor.user_id, now
        await session.flush()
    teachers = await repository.teacher_ids(session, child.class_id)
    await record(
        session,
        events.CheckinSubmitted(
            org_id=actor.org_id, audience=tuple(topics.user(u) for u in sorted(teachers)), form_id=form.id,
            class_id=child.class_id, student_id=child.id, day=day.isoformat(),
        ),
    )  # fmt: skip
    return {"form_id": form.id, "student_id": child.id, "day": day.isoformat(), "entry": _entry_view(row)}


async def class_day(session: Session, actor: Actor, form_id: str, class_id: str, day: date | None) -> dict[str, Any]:
    """Teachers of the class and admins: who checked in on ``day`` (default today) and what,
    and who has not."""
    form = await _form(session, actor, form_id)
    (await access_class(session, actor, class_id)).require_teacher()
    day = day or today(actor)
    students = await repository.students_of_classes(session, [class_id])
    rows = {
        r.student_id: r
        for r in await session.scalars(
            sa.select(SchoolCheckin).where(SchoolCheckin.form_id == form.id, SchoolCheckin.day == day)
        )
    }
    done = [
        {"id": s.id, "name": s.name, "student_no": s.student_no, "entry": _entry_view(rows[s.id])}
        for s in students
        if s.id in rows
    ]
    missing = [{"id": s.id, "name": s.name, "student_no": s.student_no} for s in students if s.id not in rows]
    return {
        "form": form_view(form), "class_id": class_id, "day": day.isoformat(), "applies": _applies(form, class_id),
        "done": done, "missing": missing,
    }  # fmt: skip


async def remind(session: Session, actor: Actor, form_id: str, class_id: str) -> dict[str, Any]:
    """Teachers: remind the families of the class who have not checked in today (an event
    to each guardian who has joined; at most once per ten minutes per class)."""
    view = await class_day(session, actor, form_id, class_id, None)
    day, now = today(actor), clock.now()
    # Locked for the rest of the transaction, so two teachers pressing at once send one.
    last = await session.get(SchoolCheckinReminder, (form_id, class_id, day), with_for_update=True)
    if last is not None and now - last.reminded_at < REMIND_GAP:
        raise RemindedRecently(retry_after=int((REMIND_GAP - (now - last.reminded_at)).total_seconds()) + 1)
    if last is None:
        try:
            async with session.begin_nested():
                session.add(SchoolCheckinReminder(form_id=form_id, class_id=class_id, day=day, reminded_at=now))
                await session.flush()
        except sa.exc.IntegrityError:  # another teacher's reminder went first
            raise RemindedRecently(retry_after=int(REMIND_GAP.total_seconds())) from None
    else:
        last.reminded_at = now
        await session.flush()
    missing = [s["id"] for s in view["missing"]]
    links = await repository.guardians_of_students(session, missing)
    guardians = sorted({g.user_id for s in missing for g, _ in links.get(s, []) if g.user_id})
    if guardians:
        await record(
            session,
            events.CheckinReminder(
                org_id=actor.org_id, audience=tuple(topics.user(u) for u in guardians), form_id=form_id,
                name=view["form"]["name"], closes_at=view["form"]["closes_at"], day=view["day"],
            ),
        )  # fmt: skip
    return {"reminded": len(guardians), "missing": len(missing)}
