"""Form fields: what an admin may design, the built-in forms, and checking submitted values.

Pure functions of their arguments (dates come in as ISO strings), so hypothesis can check
them. Values that name people, departments or files are checked against the database by
the service afterwards.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

FIELD_TYPES = (
    "text", "textarea", "number", "amount", "date", "daterange", "select", "multiselect", "people",
    "department", "attachment",
)  # fmt: skip
MAX_FIELDS = 50
KEY = re.compile(r"[a-z][a-z0-9_]{0,39}")
LEAVE_TYPES = ("annual", "personal", "sick", "compensatory", "marriage", "maternity", "paternity", "bereavement")
# Types with a yearly quota: a request needs enough balance. The others are unlimited.
LIMITED_LEAVE = ("annual", "compensatory")
HALVES = ("am", "pm")


class FormError(ValueError):
    """A form design or a submitted value is not acceptable (``field`` says which)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def check_fields(fields: Any) -> list[dict[str, Any]]:
    """Validate an admin's field list; returns it cleaned."""
    if not isinstance(fields, list) or not fields:
        raise FormError("A form needs at least one field.")
    if len(fields) > MAX_FIELDS:
        raise FormError(f"At most {MAX_FIELDS} fields.")
    clean, keys = [], set()
    for index, raw in enumerate(fields):
        if not isinstance(raw, Mapping):
            raise FormError(f"Field {index + 1} is not an object.")
        key, kind = raw.get("key"), raw.get("type")
        if not isinstance(key, str) or not KEY.fullmatch(key) or key in keys:
            raise FormError(f"Field {index + 1}: key is a unique snake_case name.", field=str(key))
        if kind not in FIELD_TYPES:
            raise FormError(f"Field {key}: type is one of {', '.join(FIELD_TYPES)}.", field=key)
        label = str(raw.get("label") or "").strip()
        if not label or len(label) > 50:
            raise FormError(f"Field {key}: a label of 1–50 characters.", field=key)
        item: dict[str, Any] = {
            "key": key, "type": kind, "label": label, "required": bool(raw.get("required", False)),
            "help": str(raw.get("help") or "")[:200],
        }  # fmt: skip
        if kind in ("select", "multiselect"):
            options = raw.get("options")
            if not isinstance(options, list) or not options or not all(isinstance(o, str) and o for o in options):
                raise FormError(f"Field {key}: choices need options.", field=key)
            item["options"] = list(dict.fromkeys(options))
        keys.add(key)
        clean.append(item)
    return clean


def check_values(fields: Sequence[Mapping[str, Any]], values: Any) -> dict[str, Any]:
    """Values for a form's fields, type-checked and normalised. Unknown keys are refused."""
    if not isinstance(values, Mapping):
        raise FormError("values is an object of field keys.")
    known = {f["key"] for f in fields}
    unknown = [k for k in values if k not in known]
    if unknown:
        raise FormError(f"Unknown field {unknown[0]}.", field=unknown[0])
    clean: dict[str, Any] = {}
    for field in fields:
        key = field["key"]
        value = values.get(key)
        if value is None or value == "" or value == []:
            if field.get("required"):
                raise FormError(f"{field['label']} is required.", field=key)
            continue
        clean[key] = _check_value(field, value)
    return clean


def _check_value(field: Mapping[str, Any], value: Any) -> Any:
    key, kind = field["key"], field["type"]
    wrong = FormError(f"{field['label']}: not a valid {kind}.", field=key)
    if kind in ("text", "textarea"):
        if not isinstance(value, str) or len(value) > (200 if kind == "text" else 5000):
            raise wrong
        return value.strip()
    if kind in ("number", "amount"):
        if isinstance(value, bool) or not isinstance(value, int | float) or abs(value) > 1e12:
            raise wrong
        return round(float(value), 2) if kind == "amount" else value
    if kind == "date":
        return _iso_date(value, wrong).isoformat()
    if kind == "daterange":
        if not isinstance(value, Sequence) or isinstance(value, str) or len(value) != 2:
            raise wrong
        start, end = _iso_date(value[0], wrong), _iso_date(value[1], wrong)
        if end < start:
            raise FormError(f"{field['label']}: the end is before the start.", field=key)
        return [start.isoformat(), end.isoformat()]
    if kind == "select":
        if value not in field.get("options", []):
            raise wrong
        return value
    if kind == "multiselect":
        if not isinstance(value, list) or not all(v in field.get("options", []) for v in value):
            raise wrong
        return list(dict.fromkeys(value))
    # people, department, attachment: lists of ids, checked against the database later
    items = value if isinstance(value, list) else [value]
    if not items or len(items) > 50 or not all(isinstance(v, str) and 0 < len(v) <= 40 for v in items):
        raise wrong
    return list(dict.fromkeys(items))


def _iso_date(value: Any, error: FormError) -> date:
    if not isinstance(value, str):
        raise error
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        raise error from None


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
