"""Checks other domains add to submitting a request, without approvals importing them.

Attendance, for one, registers a check on make-up punches (the person is in an
attendance group, the day has begun, the group's monthly allowance is not used up).
A check raises a ``core.errors`` error to refuse; ``facts`` carries what approvals
already counted (``makeups_this_month``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

from hobnail.db.session import Session
from hobnail.domains.accounts.access import Actor

SubmitCheck = Callable[[Session, Actor, dict[str, Any], dict[str, Any]], Awaitable[None]]
# (session, actor, first day, last day) → {day: works?} for the actor, or None (no schedule)
WorkdayCalendar = Callable[[Session, Actor, date, date], Awaitable[dict[date, bool] | None]]

_checks: dict[str, list[SubmitCheck]] = defaultdict(list)
_calendars: list[WorkdayCalendar] = []


def register_workday_calendar(calendar: WorkdayCalendar) -> None:
    """Attendance tells approvals which days a person works, so leave counts only those."""
    if calendar not in _calendars:
        _calendars.append(calendar)


async def workdays(session: Session, actor: Actor, first: date, last: date) -> dict[date, bool] | None:
    for calendar in _calendars:
        found = await calendar(session, actor, first, last)
        if found is not None:
            return found
    return None


def register_submit_check(kind: str, check: SubmitCheck) -> None:
    if check not in _checks[kind]:
        _checks[kind].append(check)


async def run_submit_checks(
    session: Session, actor: Actor, kind: str, values: dict[str, Any], facts: dict[str, Any]
) -> None:
    for check in _checks.get(kind, ()):
        await check(session, actor, values, facts)
