"""Which days a person works, for approvals to count leave in working days: their group's
schedule with the holiday calendar and, in shift groups, their roster."""

from __future__ import annotations

from datetime import date

from hobnail.db.session import Session
from hobnail.domains.accounts.access import Actor
from hobnail.domains.attendance import calendar as holiday_calendar
from hobnail.domains.attendance import context, repository
from hobnail.domains.attendance.results import days_between


async def workdays_of(session: Session, actor: Actor, first: date, last: date) -> dict[date, bool] | None:
    """{day: works} for first…last, or None when the person is in no attendance group
    (approvals then counts Monday to Friday)."""
    ctx = await context.load(session, actor.org, first, last, [actor.user_id])
    if actor.user_id not in ctx.group_of:
        return None
    inputs = await context.load_inputs(session, actor.org_id, [actor.user_id], first, last)
    found: dict[date, bool] = {}
    for day in days_between(first, last):
        planned = ctx.plan(actor.user_id, day, inputs)
        found[day] = planned[2].works if planned is not None else day.weekday() < 5
    return found


async def org_workdays(session: Session, org_id: str, first: date, last: date) -> dict[date, bool]:
    """{day: a working day} for the organisation as a whole: Monday to Friday, with the
    holiday calendar (China's public holidays and 调休 working weekends, and the
    organisation's changes) applied. For work that follows the calendar but no one
    person's schedule (work report deadlines)."""
    overrides = await repository.calendar_overrides(session, org_id, first, last)
    entries = holiday_calendar.entries(first, last, overrides)
    found: dict[date, bool] = {}
    for day in days_between(first, last):
        entry = entries.get(day)
        found[day] = entry.kind == "workday" if entry is not None else day.weekday() < 5
    return found
