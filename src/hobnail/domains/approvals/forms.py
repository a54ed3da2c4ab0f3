"""Form fields: what an admin may design, the built-in forms, and checking submitted values.

Pure functions of their arguments (dates come in as ISO strings), so hypothesis can check
them. Values that name people, departments or files are checked against the database by
the service afterwards.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from hobnail.core.formfields import APPROVAL_TYPES as FIELD_TYPES
from hobnail.core.formfields import FormError, check_fields, check_values

__all__ = ["FIELD_TYPES", "FormError", "check_fields", "check_values"]

LEAVE_TYPES = ("annual", "personal", "sick", "compensatory", "marriage", "maternity", "paternity", "bereavement")
# Types with a yearly quota: a request needs enough balance. The others are unlimited.
LIMITED_LEAVE = ("annual", "compensatory")
HALVES = ("am", "pm")


def slot(day: date, half: str) -> int:
    """A half-day as one integer, so periods compare with < and >."""
    return day.toordinal() * 2 + HALVES.index(half)


def leave_days(
    start: date, start_half: str, end: date, end_half: str, is_workday: Callable[[date], bool] | None = None
) -> tuple[int, int, float]:
    """(first slot, last slot, working days) of a leave from one half-day to another.
    Only working days count: ``is_workday`` (the person's attendance schedule, holidays
    included) or, without one, Monday to Friday."""
    first, last = slot(start, start_half), slot(end, end_half)
    if last < first:
        raise FormError("The leave ends before it starts.", field="end")
    if last - first > 2 * 366:
        raise FormError("A leave is at most a year.", field="end")
    works = is_workday or (lambda day: day.weekday() < 5)
    halves = sum(1 for s in range(first, last + 1) if works(date.fromordinal(s // 2)))
    if halves == 0:
        raise FormError("The leave covers no working day.", field="start")
    return first, last, halves / 2


WORKDAY_HOURS = 8  # an hourly leave counts hours / 8 days against the balance


def hourly_leave(day: date, start_time: str, end_time: str) -> tuple[int, int, float]:
    """(first slot, last slot, days) of a leave by the hour on one day: the half-days it
    touches (morning before 12:00, afternoon after), and hours / 8 days, to the hundredth."""
    start = int(start_time[:2]) * 60 + int(start_time[3:])
    end = int(end_time[:2]) * 60 + int(end_time[3:])
    if end <= start:
        raise FormError("The leave ends before it starts.", field="end_time")
    first = slot(day, "am" if start < 12 * 60 else "pm")
    last = slot(day, "pm" if end > 12 * 60 else "am")
    return first, last, round((end - start) / 60 / WORKDAY_HOURS, 2)


def _field(key: str, kind: str, label: str, required: bool = True, **extra: Any) -> dict[str, Any]:
    return {"key": key, "type": kind, "label": label, "required": required, "help": "", **extra}


BUILTIN: dict[str, dict[str, Any]] = {
    "leave": {
        "name": "Leave 请假",
        "fields": [
            _field("leave_type", "select", "Leave type 假期类型", options=list(LEAVE_TYPES)),
            _field("start", "date", "From 开始日期"),
            _field("start_half", "select", "From half 开始时段", options=list(HALVES)),
            _field("end", "date", "To 结束日期"),
            _field("end_half", "select", "To half 结束时段", options=list(HALVES)),
            _field("start_time", "time", "From time 开始时间（按小时请假）", required=False),
            _field("end_time", "time", "To time 结束时间（按小时请假）", required=False),
            _field("reason", "textarea", "Reason 请假事由"),
            _field("attachments", "attachment", "Attachments 附件", required=False),
        ],
    },
    "overtime": {
        "name": "Overtime 加班",
        "fields": [
            _field("date", "date", "Date 加班日期"),
            _field("hours", "number", "Hours 加班时长（小时）"),
            _field("reason", "textarea", "Reason 加班原因"),
        ],
    },
    "trip": {
        "name": "Business trip 出差",
        "fields": [
            _field("destination", "text", "Destination 目的地"),
            _field("dates", "daterange", "Dates 出差日期"),
            _field("reason", "textarea", "Purpose 出差事由"),
        ],
    },
    "makeup": {
        "name": "Make-up punch 补卡",
        "fields": [
            _field("date", "date", "Day 补卡日期"),
            _field("punch", "select", "Which punch 补卡班次", options=["clock_in", "clock_out"]),
            _field("reason", "textarea", "Reason 补卡理由"),
        ],
        "settings": {"per_month": 3},
    },
    "general": {
        "name": "General request 通用审批",
        "fields": [
            _field("subject", "text", "Subject 申请内容"),
            _field("details", "textarea", "Details 详细说明", required=False),
            _field("attachments", "attachment", "Attachments 附件", required=False),
        ],
    },
}
DEFAULT_FLOW: dict[str, Any] = {
    "nodes": [{"name": "Manager 直属主管", "type": "manager", "level": 1, "mode": "any"}],
    "when_empty": "admins",
    "cc": [],
    "cc_when": "finish",
}


def now_year(moment: datetime) -> int:
    return moment.year
