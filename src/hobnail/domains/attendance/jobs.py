"""Attendance's background work: recomputing after a change, closing each day once it
has ended, and reminding people to clock in and out.

Closing: every 30 minutes, each organisation's days from the last closed one up to
yesterday are recomputed for everyone (a night shift's day can still change the next
morning); a day counts as closed two days after it ended, so each is recomputed a few
times and then left alone. The date closed through lives in the organisation's
settings (``attendance.closed_through``).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from hobnail.core import clock
from hobnail.db.session import Session
from hobnail.domains.attendance import context, engine, events, repository, results
from hobnail.domains.attendance.groups import RECOMPUTE
from hobnail.events.base import topics
from hobnail.events.outbox import record
from hobnail.jobs import queue, registry
from hobnail.models import AttendanceGroup, AttendanceReminder, Organization

CLOSE_EVERY = timedelta(minutes=30)
REMIND_EVERY = timedelta(minutes=5)
LOOK_BACK_DAYS = 7  # a first close, or after a long stop, starts at most this far back


SLICE = 1000  # people per recompute job: each is a short write transaction of its own


async def run_recompute(session: Session, payload: dict[str, Any]) -> None:
    """Recompute some people's days; "everyone" becomes one job per slice of people, so no
    transaction holds the (SQLite) write lock for minutes."""
    org = await session.get(Organization, payload["org_id"])
    if org is None:
        return
    first, last = date.fromisoformat(payload["first"]), date.fromisoformat(payload["last"])
    user_ids = payload.get("user_ids")
    if user_ids is None:
        await queue_slices(session, org, first, last)
        return
    await results.recompute(session, org, first, last, user_ids)


async def queue_slices(session: Session, org: Organization, first: date, last: date) -> None:
    ctx = await context.load(session, org, first, last)
    people = sorted(ctx.group_of)
    for start in range(0, len(people), SLICE):
        payload = {"org_id": org.id, "first": first.isoformat(), "last": last.isoformat(),
                   "user_ids": people[start : start + SLICE]}  # fmt: skip
        await queue.enqueue(session, RECOMPUTE, payload)


async def _orgs_with_groups(session: Session) -> list[Organization]:
    ids = sa.select(AttendanceGroup.org_id).distinct()
    return list(await session.scalars(sa.select(Organization).where(Organization.id.in_(ids))))


async def close_days(session: Session, _payload: dict[str, Any]) -> None:
    for org in await _orgs_with_groups(session):
        today = results.today_in(ZoneInfo(org.timezone))
        state = dict(org.settings.get("attendance") or {})
        closed = date.fromisoformat(state["closed_through"]) if state.get("closed_through") else None
        first = max(closed + timedelta(days=1) if closed else date.min, today - timedelta(days=LOOK_BACK_DAYS))
        yesterday = today - timedelta(days=1)
        if first > yesterday:
            continue
        await queue_slices(session, org, first, yesterday)
        state["closed_through"] = (today - timedelta(days=2)).isoformat()
        org.settings = {**org.settings, "attendance": state}
        await session.flush()


async def remind(session: Session, _payload: dict[str, Any]) -> None:
    """Before work starts, people who have not clocked in; after it ends, people who
    clocked in but not out. Each reminder once per person, day and kind."""
    now = clock.now()
    for org in await _orgs_with_groups(session):
        today = results.today_in(ZoneInfo(org.timezone), now)
        ctx = await context.load(session, org, today, today)
        people = sorted(ctx.group_of)
        inputs = await context.load_inputs(session, org.id, people, today, today)
        sent = {kind: await repository.reminded(session, today, kind) for kind in ("in", "out")}
        for user_id in people:
            planned = ctx.plan(user_id, today, inputs)
            if planned is None or planned[2].shift is None:
                continue
            _group, rules, plan = planned
            absences = [a for a in inputs.absences.get(user_id, []) if a.kind != "overtime"]
            if any(not a.by_the_hour and all(a.halves_on(today)) for a in absences):
                continue
            span = engine.window(rules, plan, ctx.zone)
            mine = inputs.punches.get((user_id, today), [])
            has_in, has_out = any(p.kind == "in" for p in mine), any(p.kind == "out" for p in mine)
            before, after = rules.raw["remind_before_minutes"], rules.raw["remind_after_minutes"]
            kind, at = None, None
            if before and not has_in and span.start - timedelta(minutes=before) <= now < span.start:
                kind, at = "in", span.start
            elif after and has_in and not has_out and span.end + timedelta(minutes=after) <= now < span.closes:
                kind, at = "out", span.end
            if kind is None or at is None or user_id in sent[kind]:
                continue
            session.add(AttendanceReminder(user_id=user_id, day=today, kind=kind))
            await record(
                session,
                events.AttendanceReminder(
                    org_id=org.id, audience=(topics.user(user_id),), kind=kind, day=today.isoformat(),
                    at=at.isoformat().replace("+00:00", "Z"),
                ),
            )  # fmt: skip
        await session.flush()


def register_jobs() -> None:
    registry.register(RECOMPUTE, run_recompute)
    registry.register("attendance.close_days", close_days, every=CLOSE_EVERY)
    registry.register("attendance.remind", remind, every=REMIND_EVERY)
