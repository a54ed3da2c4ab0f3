"""Daily results: computing them with the engine, storing them, and reading them back.

``recompute`` replaces the stored results of some people over some days (never days
after today: nothing has happened yet). ``compute`` does the same work without writing,
for today's live board and for days a closing job has not stored yet.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from hobnail.core import clock
from hobnail.db.session import Session
from hobnail.domains.attendance import context, engine, repository
from hobnail.models import AttendanceDay, Organization


def days_between(first: date, last: date) -> Iterable[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def today_in(ctx_or_zone: Any, now: datetime | None = None) -> date:
    zone = getattr(ctx_or_zone, "zone", ctx_or_zone)
    return (now or clock.now()).astimezone(zone).date()


def compute(
    ctx: context.OrgContext,
    inputs: context.Inputs,
    user_ids: Iterable[str],
    first: date,
    last: date,
    now: datetime,
) -> dict[tuple[str, date], tuple[str, engine.DayResult]]:
    """{(person, day): (group id, result)} for people in a group on each day."""
    found: dict[tuple[str, date], tuple[str, engine.DayResult]] = {}
    for user_id in user_ids:
        absences = inputs.absences.get(user_id, [])
        for day in days_between(first, last):
            planned = ctx.plan(user_id, day, inputs)
            if planned is None:
                continue
            group_id, rules, plan = planned
            mine = [a for a in absences if a.first_day <= day <= a.last_day]
            result = engine.evaluate(rules, plan, ctx.zone, inputs.punches.get((user_id, day), []), mine, now)
            found[(user_id, day)] = (group_id, result)
    return found


def _row(org_id: str, user_id: str, group_id: str, result: engine.DayResult, now: datetime) -> dict[str, Any]:
    return {
        "user_id": user_id, "day": result.day, "org_id": org_id, "group_id": group_id, "status": result.status,
        "required": result.required, "present": result.present, "late_minutes": result.late_minutes,
        "early_minutes": result.early_minutes, "absent_days": result.absent_days,
        "missing_punches": result.missing_punches, "overtime_minutes": result.overtime_minutes,
        "detail": result.detail(), "computed_at": now,
    }  # fmt: skip


async def recompute(
    session: Session, org: Organization, first: date, last: date, user_ids: Sequence[str] | None = None
) -> dict[tuple[str, date], tuple[str, engine.DayResult]]:
    """Recompute and store results for [first, min(last, today)] of ``user_ids`` (None:
    everyone in a group). Returns what was stored. Side effect: replaces those rows."""
    now = clock.now()
    ctx = await context.load(session, org, first, last, user_ids)
    last = min(last, today_in(ctx, now))
    if last < first:
        return {}
    people = list(user_ids) if user_ids is not None else sorted(ctx.group_of)
    # Everyone: one query per table for the organisation (IN lists of thousands cost more).
    inputs = await context.load_inputs(session, org.id, user_ids, first, last)
    # The engine is pure Python: in a thread, the event loop keeps serving while it runs.
    found = await asyncio.to_thread(compute, ctx, inputs, people, first, last, now)
    rows = [_row(org.id, user_id, group_id, result, now) for (user_id, _), (group_id, result) in found.items()]
    await repository.replace_days(session, org.id, people, first, last, rows)
    return found


def stored_view(row: AttendanceDay) -> dict[str, Any]:
    return {
        "day": row.day.isoformat(), "user_id": row.user_id, "group_id": row.group_id, "status": row.status,
        "required": row.required, "present": row.present, "late_minutes": row.late_minutes,
        "early_minutes": row.early_minutes, "absent_days": row.absent_days, "missing_punches": row.missing_punches,
        "overtime_minutes": row.overtime_minutes, **row.detail,
    }  # fmt: skip


def result_view(user_id: str, group_id: str, result: engine.DayResult) -> dict[str, Any]:
    return {
        "day": result.day.isoformat(), "user_id": user_id, "group_id": group_id, "status": result.status,
        "required": result.required, "present": result.present, "late_minutes": result.late_minutes,
        "early_minutes": result.early_minutes, "absent_days": result.absent_days,
        "missing_punches": result.missing_punches, "overtime_minutes": result.overtime_minutes, **result.detail(),
    }  # fmt: skip


async def results_for(
    session: Session, org: Organization, user_ids: Sequence[str] | None, first: date, last: date
) -> tuple[context.OrgContext, dict[tuple[str, date], dict[str, Any]]]:
    """Views of results for [first, min(last, today)]: the stored ones where final, else
    computed now (today, and days the closing job has not reached). Reads only."""
    now = clock.now()
    ctx = await context.load(session, org, first, last, user_ids)
    last = min(last, today_in(ctx, now))
    views: dict[tuple[str, date], dict[str, Any]] = {}
    if last < first:
        return ctx, views
    for row in await repository.stored_days(session, org.id, user_ids, first, last):
        if row.detail.get("final"):
            views[(row.user_id, row.day)] = stored_view(row)
    people = list(user_ids) if user_ids is not None else sorted(ctx.group_of)
    missing = [(u, d) for u in people for d in days_between(first, last) if (u, d) not in views]
    if missing:
        stale, since = sorted({u for u, _ in missing}), min(d for _, d in missing)
        inputs = await context.load_inputs(session, org.id, stale, since, last)
        computed = await asyncio.to_thread(compute, ctx, inputs, stale, since, last, now)
        for (user_id, day), (group_id, result) in computed.items():
            views.setdefault((user_id, day), result_view(user_id, group_id, result))
    return ctx, views
