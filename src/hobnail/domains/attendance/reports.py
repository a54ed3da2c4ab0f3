"""What people and admins read: a member's month, today's live board, the monthly summary
per person and department, and that summary as XLSX (Chinese headers for Chinese
organisations) or CSV (UTF-8 with a BOM, so Excel opens Chinese correctly)."""

from __future__ import annotations

from calendar import monthrange
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from hobnail.core import clock, tables
from hobnail.core.errors import ValidationFailed
from hobnail.db.session import Session
from hobnail.domains.accounts.access import Actor, access_member, require_admin
from hobnail.domains.attendance import engine, repository, results

LEAVE_TYPES = ("annual", "personal", "sick", "compensatory", "marriage", "maternity", "paternity", "bereavement")
COLUMNS = (
    ("name", "姓名", "Name"), ("departments", "部门", "Departments"), ("required_days", "应出勤天数", "Days required"),
    ("present_days", "出勤天数", "Days present"), ("late_count", "迟到次数", "Late (times)"),
    ("late_minutes", "迟到时长(分钟)", "Late (minutes)"), ("serious_late_count", "严重迟到次数", "Seriously late"),
    ("early_count", "早退次数", "Left early (times)"), ("early_minutes", "早退时长(分钟)", "Left early (minutes)"),
    ("absent_days", "旷工天数", "Absent (days)"), ("missing_punches", "缺卡次数", "Missing punches"),
    ("field_days", "外勤天数", "Field days"), ("trip_days", "出差天数", "Trip (days)"),
    ("overtime_hours", "加班时长(小时)", "Overtime (hours)"),
)  # fmt: skip
LEAVE_HEADERS = {
    "annual": "年假", "personal": "事假", "sick": "病假", "compensatory": "调休", "marriage": "婚假",
    "maternity": "产假", "paternity": "陪产假", "bereavement": "丧假",
}  # fmt: skip


def month_span(month: str) -> tuple[date, date]:
    try:
        year, number = (int(part) for part in month.split("-"))
        return date(year, number, 1), date(year, number, monthrange(year, number)[1])
    except ValueError:
        raise ValidationFailed("month looks like 2026-12.", code="invalid_month") from None


async def person_month(session: Session, actor: Actor, user_id: str, month: str) -> dict[str, Any]:
    """A person's calendar: each day's result and why, the plan of days still to come, the
    month's totals. Members see their own; admins anyone's."""
    if user_id != actor.user_id:
        require_admin(actor)
        await access_member(session, actor, user_id)
    first, last = month_span(month)
    ctx, views = await results.results_for(session, actor.org, [user_id], first, last)
    today = results.today_in(ctx)
    roster = await repository.roster(session, actor.org_id, [user_id], first, last)
    summary = engine.MonthSummary()
    days = []
    for day in results.days_between(first, last):
        view = views.get((user_id, day))
        if view is not None:
            summary.add(view["status"], view)
            days.append(view)
            continue
        found = ctx.rules_for(user_id, day)
        if found is None or day <= today:  # not in a group that day
            days.append({"day": day.isoformat(), "status": "none", "plan": None, "reasons": []})
            continue
        rostered = roster.get((user_id, day), engine.NOT_ROSTERED)
        plan = engine.plan_day(found[1], day, ctx.calendar, rostered)  # a day to come: what it will ask
        reasons = [plan.reason] if plan.reason else []
        days.append({"day": day.isoformat(), "status": "upcoming", "plan": plan.kind, "reasons": reasons})
    return {
        "user_id": user_id, "name": ctx.names.get(user_id, ""), "month": month, "in_group": user_id in ctx.group_of,
        "timezone": actor.org.timezone, "days": days, "summary": _summary_dict(summary),
    }  # fmt: skip


def _summary_dict(summary: engine.MonthSummary) -> dict[str, Any]:
    return {
        "required_days": summary.required_days, "present_days": summary.present_days,
        "late_count": summary.late_count, "late_minutes": summary.late_minutes,
        "serious_late_count": summary.serious_late_count, "early_count": summary.early_count,
        "early_minutes": summary.early_minutes, "absent_days": summary.absent_days,
        "missing_punches": summary.missing_punches, "field_days": summary.field_days,
        "trip_days": summary.trip_days, "overtime_hours": round(summary.overtime_hours, 2), "leave": summary.leave,
    }  # fmt: skip


BOARD_LISTS = ("in", "late", "not_in", "leave", "trip", "rest", "field", "absent", "early", "missing")


async def board(session: Session, actor: Actor, day: date | None = None) -> dict[str, Any]:
    """Admins: the day at a glance — who is in, late, not yet in, on leave or a trip, resting."""
    require_admin(actor)
    the_day = day or results.today_in(ZoneInfo(actor.org.timezone))
    ctx, views = await results.results_for(session, actor.org, None, the_day, the_day)
    lists: dict[str, list[dict[str, Any]]] = {k: [] for k in BOARD_LISTS}
    for (user_id, _), view in sorted(views.items(), key=lambda kv: ctx.names.get(kv[0][0], "")):
        person = {
            "user_id": user_id, "name": ctx.names.get(user_id, ""), "status": view["status"],
            "in_at": view.get("in_at"), "out_at": view.get("out_at"), "late_minutes": view["late_minutes"],
        }  # fmt: skip
        status = view["status"]
        if status in ("rest", "holiday"):
            lists["rest"].append(person)
        elif status in ("leave", "trip", "absent", "field", "early", "missing"):
            lists[status].append(person)
        elif view.get("in_at"):
            lists["late" if view["late_minutes"] else "in"].append(person)
        else:
            lists["not_in"].append(person)
    return {
        "day": the_day.isoformat(), "timezone": actor.org.timezone, "people": len(views),
        "counts": {k: len(v) for k, v in lists.items()}, "lists": lists,
    }  # fmt: skip


async def monthly(session: Session, actor: Actor, month: str, department_id: str | None = None) -> dict[str, Any]:
    """Admins: per person, the month's totals; people of one department (and below) when given."""
    require_admin(actor)
    first, last = month_span(month)
    ctx, views = await results.results_for(session, actor.org, None, first, last)
    people = sorted(ctx.group_of, key=lambda u: ctx.names.get(u, ""))
    if department_id is not None:
        wanted = _subtree(department_id, ctx.department_parents)
        people = [u for u in people if set(ctx.departments_of.get(u, [])) & wanted]
    rows = []
    for user_id in people:
        summary = engine.MonthSummary()
        for day in results.days_between(first, last):
            view = views.get((user_id, day))
            if view is not None:
                summary.add(view["status"], view)
        rows.append({
            "user_id": user_id, "name": ctx.names.get(user_id, ""),
            "departments": [ctx.department_names.get(d, "") for d in ctx.departments_of.get(user_id, [])],
            **_summary_dict(summary),
        })  # fmt: skip
    return {"month": month, "generated_at": clock.now(), "rows": rows, "departments": _by_department(rows)}


DEPARTMENT_SUMS = (
    "required_days", "present_days", "late_count", "late_minutes", "early_count", "early_minutes", "absent_days",
    "missing_punches", "field_days", "trip_days", "overtime_hours",
)  # fmt: skip


def _by_department(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The month per department (a person in two departments counts in both)."""
    found: dict[str, dict[str, Any]] = {}
    for row in rows:
        for name in row["departments"] or [""]:
            bucket = found.setdefault(
                name, {"department": name, "people": 0, "leave_days": 0.0, **dict.fromkeys(DEPARTMENT_SUMS, 0)}
            )
            bucket["people"] += 1
            for key in DEPARTMENT_SUMS:
                bucket[key] = round(bucket[key] + row[key], 2)
            bucket["leave_days"] = round(bucket["leave_days"] + sum(row["leave"].values()), 2)
    return sorted(found.values(), key=lambda d: d["department"])


def _subtree(department_id: str, parents: dict[str, str | None]) -> set[str]:
    wanted, changed = {department_id}, True
    while changed:
        changed = False
        for child, parent in parents.items():
            if parent in wanted and child not in wanted:
                wanted.add(child)
                changed = True
    return wanted


def _table(report: dict[str, Any], chinese: bool) -> tuple[list[str], list[list[Any]]]:
    leave_types = sorted({t for row in report["rows"] for t in row["leave"]}, key=lambda t: (t not in LEAVE_TYPES, t))
    headers = [zh if chinese else en for _, zh, en in COLUMNS]
    headers += [(f"{LEAVE_HEADERS.get(t, t)}(天)" if chinese else f"Leave: {t} (days)") for t in leave_types]
    body = []
    for row in report["rows"]:
        cells = [
            ("、" if chinese else ", ").join(row[key]) if key == "departments" else row[key] for key, _, _ in COLUMNS
        ]
        body.append(cells + [row["leave"].get(t, 0) for t in leave_types])
    return headers, body


def to_xlsx(report: dict[str, Any], chinese: bool) -> bytes:
    headers, body = _table(report, chinese)
    names = {
        "department": ("部门", "Department"),
        "people": ("人数", "People"),
        "leave_days": ("请假天数", "Leave (days)"),
    }
    names |= {key: (zh, en) for key, zh, en in COLUMNS}
    keys = ["department", "people", *DEPARTMENT_SUMS, "leave_days"]
    return tables.xlsx(
        (f"{report['month']} 月度汇总" if chinese else f"{report['month']} summary", headers, body),
        ("部门汇总" if chinese else "Departments", [names[k][0 if chinese else 1] for k in keys],
         ([row[k] for k in keys] for row in report["departments"])),
    )  # fmt: skip


def to_csv(report: dict[str, Any], chinese: bool) -> bytes:
    return tables.csv_bytes(*_table(report, chinese))
