"""Report periods: which period a day belongs to, when a period's report is due, and
which periods fall due in a span of days. Pure; days are the organisation's.

- daily: one report per working day (the holiday calendar decides), due that day at the
  deadline (default 20:00);
- weekly: keyed by the week's Monday, due on its Friday at the deadline;
- monthly: keyed ``2026-12``, due on the month's last day at the deadline;
- none: no schedule; a report is keyed by the day it is written and never late.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

PERIODS = ("daily", "weekly", "monthly", "none")


def period_key(period: str, day: date) -> str:
    if period == "weekly":
        return (day - timedelta(days=day.weekday())).isoformat()
    if period == "monthly":
        return day.strftime("%Y-%m")
    return day.isoformat()


def period_days(period: str, key: str) -> tuple[date, date]:
    """The first and last day a key covers. Raises ValueError for a malformed key."""
    if period == "monthly":
        year, month = (int(part) for part in key.split("-"))
        return date(year, month, 1), date(year, month, monthrange(year, month)[1])
    first = date.fromisoformat(key)
    if period == "weekly":
        if first.weekday() != 0:
            raise ValueError("A weekly key is a Monday.")
        return first, first + timedelta(days=6)
    return first, first


def due_day(period: str, key: str) -> date:
    first, last = period_days(period, key)
    return first + timedelta(days=4) if period == "weekly" else last


def deadline(period: str, key: str, at: str, zone: ZoneInfo) -> datetime | None:
    """When a period's report is due, as a UTC instant (None: never late)."""
    if period == "none":
        return None
    hours, minutes = (int(part) for part in at.split(":"))
    return datetime.combine(due_day(period, key), time(hours, minutes), tzinfo=zone).astimezone(UTC)


def due_keys(period: str, first: date, last: date, workdays: Mapping[date, bool] | Callable[[date], bool]) -> list[str]:
    """Keys of the periods whose due day lies in [first, last]. Daily reports are due on
    working days only."""
    works = workdays if callable(workdays) else (lambda d: workdays.get(d, d.weekday() < 5))
    keys: list[str] = []
    day = first
    while day <= last:
        key = period_key(period, day)
        if period != "none" and due_day(period, key) == day and (period != "daily" or works(day)):
            keys.append(key)
        day += timedelta(days=1)
    return keys
