"""Who wrote: for a template and a span of days, each person who should write it — on
time, late, or not at all — by department and per period (the trend), and as XLSX/CSV.

Admins see everyone; a department's managers see the people of the departments they
manage (and below). Daily reports are due on working days of the organisation's holiday
calendar (attendance's, China's public holidays and 调休 working weekends with the
organisation's changes); a period whose deadline has not passed is ``pending``, not missing.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from hobnail.core import clock, tables
from hobnail.core.errors import Forbidden, ValidationFailed
from hobnail.db.session import Session
from hobnail.domains.accounts import service as accounts_service
from hobnail.domains.accounts.access import Actor
from hobnail.domains.attendance import workdays as attendance_workdays
from hobnail.domains.reports import periods, repository
from hobnail.domains.reports.templates import DEFAULT_RULES, access_template

MAX_DAYS = 366
COLUMNS = (
    ("name", "姓名", "Name"), ("departments", "部门", "Departments"), ("due", "应交", "Due"),
    ("on_time", "按时提交", "On time"), ("late", "迟交", "Late"), ("missing", "未交", "Not written"),
    ("pending", "未到截止时间", "Not due yet"),
)  # fmt: skip


class StatsForbidden(Forbidden):
    code = "stats_forbidden"
    message = "Statistics are for admins and department managers."


async def _scope(session: Session, actor: Actor, department_id: str | None) -> set[str] | None:
    """The people the actor may see statistics of (None: everyone)."""
    if actor.is_admin:
        if department_id:
            return set(await accounts_service.department_member_ids(session, actor.org_id, [department_id]))
        return None
    managed = await accounts_service.managed_department_ids(session, actor.org_id, actor.user_id)
    if not managed:
        raise StatsForbidden()
    if department_id:
        allowed = set(await accounts_service.department_member_ids(session, actor.org_id, managed))
        wanted = set(await accounts_service.department_member_ids(session, actor.org_id, [department_id]))
        if not wanted <= allowed | {actor.user_id}:
            raise StatsForbidden()
        return wanted
    return set(await accounts_service.department_member_ids(session, actor.org_id, managed))


async def statistics(
    session: Session, actor: Actor, template_id: str, first: date, last: date, department_id: str | None = None
) -> dict[str, Any]:
    if last < first or (last - first).days >= MAX_DAYS:
        raise ValidationFailed("Choose up to a year, first before last.", code="invalid_range")
    template = await access_template(session, actor, template_id)
    scope = await _scope(session, actor, department_id)
    rules = {**DEFAULT_RULES, **template.rules}
    zone = ZoneInfo(actor.org.timezone)
    workdays = await attendance_workdays.org_workdays(session, actor.org_id, first, last)
    keys = periods.due_keys(rules["period"], first, last, workdays)
    reports = await repository.submitted_in(session, template.id, keys)
    writers: set[str] = set(rules["user_ids"])
    if rules["department_ids"]:
        writers |= set(await accounts_service.department_member_ids(session, actor.org_id, rules["department_ids"]))
    writers = (
        set(await accounts_service.active_member_ids(session, actor.org_id, sorted(writers))) if writers else set()
    )
    writers |= {r.author_id for r in reports}
    if scope is not None:
        writers &= scope
    directory = await accounts_service.directory_snapshot(session, actor.org_id, sorted(writers))
    written = {(r.author_id, r.period_key): r for r in reports}
    now = clock.now()
    deadlines = {k: periods.deadline(rules["period"], k, rules["deadline"], zone) for k in keys}
    required = set(rules["user_ids"]) | (
        set(await accounts_service.department_member_ids(session, actor.org_id, rules["department_ids"]))
        if rules["department_ids"] else set()
    )  # fmt: skip
    rows: list[dict[str, Any]] = []
    trend: dict[str, dict[str, Any]] = {
        k: {"key": k, "on_time": 0, "late": 0, "missing": 0, "pending": 0} for k in keys
    }
    for user_id in sorted(writers, key=lambda u: directory.names.get(u, "")):
        counts = {"due": 0, "on_time": 0, "late": 0, "missing": 0, "pending": 0}
        cells = {}
        for key in keys:
            report = written.get((user_id, key))
            if report is not None:
                state = "late" if report.late else "on_time"
            elif user_id not in required:
                continue
            else:
                due = deadlines[key]
                state = "pending" if due is not None and now <= due else "missing"
            counts["due"] += state != "pending"
            counts[state] += 1
            trend[key][state] += 1
            cells[key] = state
        rows.append({
            "user_id": user_id, "name": directory.names.get(user_id, ""),
            "departments": [directory.department_names.get(d, "") for d in directory.departments_of.get(user_id, [])],
            **counts, "periods": cells,
        })  # fmt: skip
    departments: dict[str, dict[str, Any]] = {}
    for row in rows:
        for name in row["departments"] or [""]:
            bucket = departments.setdefault(
                name, {"department": name, "people": 0, "on_time": 0, "late": 0, "missing": 0}
            )
            bucket["people"] += 1
            for state in ("on_time", "late", "missing"):
                bucket[state] += row[state]
    return {
        "template_id": template.id, "template_name": template.name, "period": rules["period"],
        "first": first.isoformat(), "last": last.isoformat(), "keys": keys, "rows": rows,
        "departments": sorted(departments.values(), key=lambda d: d["department"]), "trend": list(trend.values()),
    }  # fmt: skip


def _table(stats: dict[str, Any], chinese: bool) -> tuple[list[str], list[list[Any]]]:
    headers = [zh if chinese else en for _, zh, en in COLUMNS] + stats["keys"]
    words = {"on_time": "按时" if chinese else "on time", "late": "迟交" if chinese else "late",
             "missing": "未交" if chinese else "missing", "pending": "" }  # fmt: skip
    body = []
    for row in stats["rows"]:
        cells = [("、" if chinese else ", ").join(row[k]) if k == "departments" else row[k] for k, _, _ in COLUMNS]
        body.append(cells + [words.get(row["periods"].get(k, ""), "") for k in stats["keys"]])
    return headers, body


def to_xlsx(stats: dict[str, Any], chinese: bool) -> bytes:
    return tables.xlsx(("日志统计" if chinese else "Reports", *_table(stats, chinese)))


def to_csv(stats: dict[str, Any], chinese: bool) -> bytes:
    return tables.csv_bytes(*_table(stats, chinese))
