"""Clocking in and out: what today asks, whether a punch is allowed right now and why,
recording it with what looks odd, and admins reviewing flagged punches.

The first counted punch of a work day is the clock-in, later ones clock-outs (the last
one counts, as DingTalk's 更新打卡). A punch outside every fence and office network is a
field punch (外勤) when the rules allow it — with a note, and a photo if required — and
refused otherwise. Odd punches are recorded and flagged for review, never silently
dropped; an admin's rejection takes one out of the results.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from hobnail.core import clock
from hobnail.core.errors import Conflict, ValidationFailed
from hobnail.db.session import Session
from hobnail.domains.accounts.access import Actor, require_admin
from hobnail.domains.attendance import context, engine, events, location, repository, results
from hobnail.domains.attendance.access import access_punch_for_review
from hobnail.domains.attendance.rules import RuleError, check_coordinates
from hobnail.domains.files import service as files_service
from hobnail.events.base import topics
from hobnail.events.outbox import record
from hobnail.models import AttendancePunch


class NotInGroup(Conflict):
    code = "not_in_attendance_group"
    message = "You are not in an attendance group; ask an admin to add you."


class OutsideWindow(Conflict):
    code = "outside_punch_window"
    message = "Clocking in or out is not open now."


class OutsideArea(Conflict):
    code = "outside_area"
    message = "You are outside the office area and off the office network, and field clock-in is off."


class FieldNoteRequired(ValidationFailed):
    code = "field_note_required"
    message = "A field clock-in needs a note saying where and why."


class FieldPhotoRequired(ValidationFailed):
    code = "field_photo_required"
    message = "A field clock-in needs a photo."


class InvalidCoordinates(ValidationFailed):
    code = "invalid_coordinates"


def punch_view(punch: AttendancePunch) -> dict[str, Any]:
    return {
        "id": punch.id, "user_id": punch.user_id, "work_date": punch.work_date.isoformat(),
        "at": clock.isoformat(punch.at), "kind": punch.kind, "source": punch.source,
        "location_result": punch.location_result, "place": punch.place,
        "latitude": punch.latitude, "longitude": punch.longitude, "accuracy": punch.accuracy, "ip": punch.ip,
        "ssid": punch.ssid, "bssid": punch.bssid, "device_id": punch.device_id, "note": punch.note,
        "photo_file_id": punch.photo_file_id, "request_id": punch.request_id, "flags": punch.flags,
        "review": punch.review,
    }  # fmt: skip


def _plan_view(rules: Any, plan: engine.Plan, span: engine.Window) -> dict[str, Any]:
    return {
        "day": plan.day.isoformat(), "kind": plan.kind, "reason": plan.reason,
        "shift": {"id": plan.shift.id, "name": plan.shift.name, "start": plan.shift.start.strftime("%H:%M"),
                  "end": plan.shift.end.strftime("%H:%M")} if plan.shift else None,
        "flexible_hours": plan.flexible_minutes / 60 if plan.flexible_minutes else None,
        "opens": span.opens, "start": span.start, "end": span.end, "closes": span.closes,
    }  # fmt: skip


async def _situation(
    session: Session, actor: Actor, now: datetime
) -> tuple[context.OrgContext, context.Inputs, tuple[str, Any, engine.Plan, engine.Window] | None, date]:
    """The context, inputs around today, and the plan a punch now would count for."""
    today = results.today_in(ZoneInfo(actor.org.timezone), now)
    first, last = today - timedelta(days=1), today + timedelta(days=1)
    ctx = await context.load(session, actor.org, first, last, [actor.user_id])
    if actor.user_id not in ctx.group_of:
        raise NotInGroup()
    inputs = await context.load_inputs(session, actor.org_id, [actor.user_id], first, last)
    candidates = []
    for day in (first, today, last):
        planned = ctx.plan(actor.user_id, day, inputs)
        if planned is not None:
            group_id, rules, plan = planned
            candidates.append((group_id, rules, plan, engine.window(rules, plan, ctx.zone)))
    clocked_in = [day for (_user, day), rows in inputs.punches.items() if any(p.kind == "in" for p in rows)]
    chosen = engine.work_date(now, [(c[2], c[3]) for c in candidates], clocked_in)
    if chosen is not None:
        return ctx, inputs, next(c for c in candidates if c[2] is chosen[0]), today
    # No work window is open: on a rest day or holiday a punch counts for today (overtime
    # is applied from approvals, but the hours are recorded); otherwise it is refused.
    todays = next((c for c in candidates if c[2].day == today), None)
    if todays is not None and not todays[2].works:
        return ctx, inputs, todays, today
    return ctx, inputs, None, today


async def today(
    session: Session,
    actor: Actor,
    *,
    latitude: float | None = None,
    longitude: float | None = None,
    accuracy: float | None = None,
    ip: str = "",
    ssid: str = "",
    bssid: str = "",
) -> dict[str, Any]:
    """Today for the member: the plan, their punches, the result so far, and whether a punch
    right now (from the position given) would be allowed — and if not, why."""
    now = clock.now()
    try:
        ctx, inputs, situation, today_date = await _situation(session, actor, now)
    except NotInGroup:
        return {
            "in_group": False,
            "can_punch": False,
            "refusal": {"code": NotInGroup.code, "message": NotInGroup.message},
        }
    found = ctx.plan(actor.user_id, today_date, inputs)
    assert found is not None  # the person is in a group, so today has a plan once rules exist
    group_id, rules, plan = found
    span = engine.window(rules, plan, ctx.zone)
    punches = await repository.punches(
        session,
        actor.org_id,
        [actor.user_id],
        today_date - timedelta(days=1),
        today_date + timedelta(days=1),
        counted_only=False,
    )
    where = location.locate(rules.raw, latitude=latitude, longitude=longitude, ip=ip, ssid=ssid, bssid=bssid)
    refusal: dict[str, Any] | None = None
    next_kind = None
    if situation is None:
        refusal = {
            "code": OutsideWindow.code,
            "message": OutsideWindow.message,
            "opens": span.opens,
            "closes": span.closes,
        }
    else:
        counted = inputs.punches.get((actor.user_id, situation[2].day), [])
        next_kind = "out" if any(p.kind == "in" for p in counted) else "in"
        if where.result in ("outside", "unknown") and not rules.raw["field_allowed"]:
            refusal = {"code": OutsideArea.code, "message": OutsideArea.message}
    todays_absences = [a for a in inputs.absences.get(actor.user_id, []) if a.first_day <= today_date <= a.last_day]
    todays_punches = inputs.punches.get((actor.user_id, today_date), [])
    day_result = engine.evaluate(rules, plan, ctx.zone, todays_punches, todays_absences, now)
    return {
        "in_group": True, "group_id": group_id, "group_name": ctx.groups[group_id].group.name,
        "timezone": actor.org.timezone, "now": now, "plan": _plan_view(rules, plan, span),
        "punch_day": situation[2].day.isoformat() if situation else None,
        "punches": [punch_view(p) for p in punches if p.user_id == actor.user_id],
        "result": results.result_view(actor.user_id, group_id, day_result),
        "can_punch": refusal is None, "next_kind": next_kind, "refusal": refusal,
        "location": {"result": where.result, "name": where.name, "distance_m": where.distance_m},
        "field_allowed": rules.raw["field_allowed"], "field_photo_required": rules.raw["field_photo_required"],
        "places": rules.raw["places"],
    }  # fmt: skip


async def punch(
    session: Session,
    actor: Actor,
    *,
    latitude: float | None,
    longitude: float | None,
    accuracy: float | None,
    ip: str,
    ssid: str = "",
    bssid: str = "",
    device_id: str = "",
    note: str = "",
    photo_file_id: str | None = None,
    client_id: str | None = None,
    source: str = "web",
) -> dict[str, Any]:
    """Clock in or out now. A retry with the same ``client_id`` returns the first punch.
    Raises NotInGroup, OutsideWindow, OutsideArea (409), field note/photo and coordinate
    errors (422). Side effects: the punch, the day's stored result, attendance.punched."""
    if client_id:
        existing = await repository.punch_by_client_id(session, actor.user_id, client_id)
        if existing is not None:
            return {"punch": punch_view(existing), "day": None}
    if (latitude is None) != (longitude is None):
        raise InvalidCoordinates("Send both latitude and longitude, or neither.")
    if latitude is not None:
        try:
            check_coordinates(latitude, longitude)
        except RuleError as error:
            raise InvalidCoordinates(str(error), details={"field": error.field}) from None
    now = clock.now()
    _ctx, inputs, situation, _today = await _situation(session, actor, now)
    if situation is None:
        raise OutsideWindow()
    _group, rules, plan, _span = situation
    where = location.locate(rules.raw, latitude=latitude, longitude=longitude, ip=ip, ssid=ssid, bssid=bssid)
    result = where.result
    if result in ("outside", "unknown"):
        if not rules.raw["field_allowed"]:
            raise OutsideArea(details={"nearest": where.name, "distance_m": where.distance_m})
        if not note.strip():
            raise FieldNoteRequired()
        if rules.raw["field_photo_required"] and not photo_file_id:
            raise FieldPhotoRequired()
        result = "field"
    if photo_file_id:
        await files_service.attachable(session, actor, photo_file_id)
    previous = await repository.last_located_punch(session, actor.user_id)
    flags = location.honesty_flags(
        accuracy=accuracy, latitude=latitude, longitude=longitude, at=now,
        previous=location.Seen(previous.at, previous.latitude, previous.longitude)  # type: ignore[arg-type]
        if previous is not None else None,
        device_id=device_id, known_devices=sorted(await repository.known_devices(session, actor.user_id)),
    )  # fmt: skip
    counted = inputs.punches.get((actor.user_id, plan.day), [])
    row = AttendancePunch(
        org_id=actor.org_id, user_id=actor.user_id, work_date=plan.day, at=now,
        kind="out" if any(p.kind == "in" for p in counted) else "in", source=source, location_result=result,
        place=where.name if result in ("place", "network") else "", latitude=latitude, longitude=longitude,
        accuracy=accuracy, ip=ip[:45], ssid=ssid[:64], bssid=bssid[:17].lower(), device_id=device_id[:64],
        note=note.strip()[:500], photo_file_id=photo_file_id, flags=flags, review="pending" if flags else "",
        client_id=client_id, created_at=now,
    )  # fmt: skip
    session.add(row)
    await session.flush()
    return await _after_punch(session, actor.org, row, admins_too=True)


async def _after_punch(session: Session, org: Any, row: AttendancePunch, *, admins_too: bool) -> dict[str, Any]:
    stored = await results.recompute(session, org, row.work_date, row.work_date, [row.user_id])
    found = stored.get((row.user_id, row.work_date))
    day = results.result_view(row.user_id, found[0], found[1]) if found else None
    audience = (topics.user(row.user_id), topics.admins(org.id)) if admins_too else (topics.user(row.user_id),)
    view = punch_view(row)
    await record(session, events.AttendancePunched(org_id=org.id, audience=audience, punch=view, day=day))
    return {"punch": view, "day": day}


async def my_punches(session: Session, actor: Actor, first: date, last: date) -> list[dict[str, Any]]:
    """Everything recorded about the member's punches (flags and reviews included)."""
    rows = await repository.punches(session, actor.org_id, [actor.user_id], first, last, counted_only=False)
    return [punch_view(p) for p in rows]


async def punches_to_review(session: Session, actor: Actor, review: str, limit: int) -> list[dict[str, Any]]:
    require_admin(actor)
    return [punch_view(p) for p in await repository.punches_for_review(session, actor.org_id, review, limit)]


async def review_punch(session: Session, actor: Actor, punch_id: str, decision: str) -> dict[str, Any]:
    """Admins accept or reject a flagged punch; a rejected one stops counting."""
    row = await access_punch_for_review(session, actor, punch_id)
    row.review = "accepted" if decision == "accept" else "rejected"
    await session.flush()
    return await _after_punch(session, actor.org, row, admins_too=True)


async def apply_makeup(session: Session, org: Any, *, user_id: str, day: date, which: str, request_id: str) -> None:
    """An approved make-up punch (补卡) becomes a punch at the planned start or end of that
    day's work (09:00 / 18:00 when the day asks none). Runs once per request."""
    client_id = f"approval:{request_id}"
    if await repository.punch_by_client_id(session, user_id, client_id) is not None:
        return
    ctx = await context.load(session, org, day, day, [user_id])
    inputs = await context.load_inputs(session, org.id, [user_id], day, day)
    planned = ctx.plan(user_id, day, inputs)
    if planned is not None and planned[2].works:
        span = engine.window(planned[1], planned[2], ctx.zone)
        at = span.start if which == "clock_in" else span.end
    else:
        at = engine.local(day, datetime.strptime("09:00" if which == "clock_in" else "18:00", "%H:%M").time(), ctx.zone)
    row = AttendancePunch(
        org_id=org.id, user_id=user_id, work_date=day, at=at, kind="in" if which == "clock_in" else "out",
        source="approval", location_result="none", request_id=request_id, client_id=client_id, created_at=clock.now(),
    )  # fmt: skip
    session.add(row)
    await session.flush()
    await _after_punch(session, org, row, admins_too=False)


class MakeupNotAllowed(Conflict):
    code = "makeup_not_allowed"


async def check_makeup_request(session: Session, actor: Actor, values: dict[str, Any], facts: dict[str, Any]) -> None:
    """Registered with approvals: a make-up punch is for a day that has begun, by someone
    in an attendance group, within their group's monthly allowance."""
    day = date.fromisoformat(values["date"])
    zone = ZoneInfo(actor.org.timezone)
    if day > results.today_in(zone):
        raise MakeupNotAllowed("A make-up punch is for today or an earlier day.", details={"field": "date"})
    ctx = await context.load(session, actor.org, day, day, [actor.user_id])
    found = ctx.rules_for(actor.user_id, day)
    if found is None:
        raise NotInGroup()
    allowance = int(found[1].raw["makeup_per_month"])
    if facts.get("makeups_this_month", 0) >= allowance:
        raise MakeupNotAllowed(
            f"Your attendance group allows {allowance} make-up punches a month.",
            code="makeup_limit_reached", details={"limit": allowance},
        )  # fmt: skip
