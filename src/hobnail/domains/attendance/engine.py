"""The result engine: what a day asks of a person, which day a punch counts for, and how
the day turned out. Pure functions of rules, calendar, roster, punches, absences and the
time now, so they can be tested by tables and by hypothesis.

Wall-clock times become instants in the organisation's zone (``zoneinfo``), so a night
shift across a daylight-saving change is as long as it really was. Results carry
``reasons``: codes with parameters, for the client to say why in the reader's language.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from hobnail.domains.attendance.calendar import CalendarDay
from hobnail.domains.attendance.rules import Rules, Shift

FLEX_DAY_STARTS = time(4, 0)
NOT_ROSTERED = object()  # a shift group's person with no roster entry for the day
# Worst first: the status a day shows when several things went wrong.
SEVERITY = ("absent", "missing", "serious_late", "late", "early", "field", "normal")


@dataclass(frozen=True)
class Plan:
    """What one day asks: work (a shift, or flexible hours) or not (rest, holiday)."""

    day: date
    kind: str  # work | rest | holiday
    shift: Shift | None = None
    flexible_minutes: int = 0
    reason: dict[str, Any] | None = None  # e.g. {"code": "holiday", "name": "National Day"}

    @property
    def works(self) -> bool:
        return self.kind == "work"


@dataclass(frozen=True)
class Window:
    """A work plan in instants: clock-in opens, the work starts and ends, clock-out closes."""

    opens: datetime
    start: datetime
    end: datetime
    closes: datetime


@dataclass(frozen=True)
class Punch:
    at: datetime
    kind: str  # in | out
    location: str = "place"  # place | network | field | none


@dataclass(frozen=True)
class Absence:
    kind: str  # leave | trip | overtime
    first_day: date
    last_day: date
    first_half: str = "am"
    last_half: str = "pm"
    leave_type: str = ""
    hours: float = 0.0
    start_time: time | None = None  # a leave by the hour, on first_day
    end_time: time | None = None

    @property
    def by_the_hour(self) -> bool:
        return self.start_time is not None and self.end_time is not None

    def halves_on(self, day: date) -> tuple[bool, bool]:
        """(morning covered, afternoon covered) on ``day``."""
        first = self.first_day.toordinal() * 2 + (self.first_half == "pm")
        last = self.last_day.toordinal() * 2 + (self.last_half == "pm")
        morning = day.toordinal() * 2
        return first <= morning <= last, first <= morning + 1 <= last


@dataclass
class DayResult:
    day: date
    status: str
    plan: str  # work | rest | holiday
    required: bool = False
    present: bool = False
    final: bool = True  # the day's window has closed; nothing more can change it by itself
    late_minutes: int = 0
    early_minutes: int = 0
    absent_days: float = 0.0
    missing_punches: int = 0
    overtime_minutes: int = 0
    worked_minutes: int = 0
    required_minutes: int = 0
    field: bool = False
    leave: dict[str, float] = dataclasses.field(default_factory=dict)
    trip_days: float = 0.0
    shift: str = ""
    start_at: datetime | None = None
    end_at: datetime | None = None
    in_at: datetime | None = None
    out_at: datetime | None = None
    reasons: list[dict[str, Any]] = dataclasses.field(default_factory=list)

    def detail(self) -> dict[str, Any]:
        """The JSON kept with a stored result."""
        return {
            "plan": self.plan, "final": self.final, "worked_minutes": self.worked_minutes,
            "required_minutes": self.required_minutes, "field": self.field, "leave": self.leave,
            "trip_days": self.trip_days, "shift": self.shift, "start_at": _iso(self.start_at),
            "end_at": _iso(self.end_at), "in_at": _iso(self.in_at), "out_at": _iso(self.out_at),
            "reasons": self.reasons,
        }  # fmt: skip


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment else None


def plan_day(rules: Rules, day: date, calendar: Mapping[date, CalendarDay], rostered: object = NOT_ROSTERED) -> Plan:
    """What ``day`` asks under ``rules``. ``rostered`` is a shift id, None (rostered rest)
    or NOT_ROSTERED; only shift groups read it. Fixed and flexible groups follow their
    workdays, then the holiday calendar when the rules say so."""
    if rules.kind == "shift":
        if rostered is NOT_ROSTERED:
            return Plan(day, "rest", reason={"code": "not_rostered"})
        if rostered is None:
            return Plan(day, "rest", reason={"code": "rostered_rest"})
        shift = rules.shifts.get(str(rostered))
        if shift is None:
            return Plan(day, "rest", reason={"code": "unknown_shift", "shift": rostered})
        return Plan(day, "work", shift=shift)
    works = day.weekday() in rules.workdays
    reason: dict[str, Any] | None = None
    entry = calendar.get(day) if rules.holidays else None
    if entry is not None and entry.kind == "holiday":
        return Plan(day, "holiday", reason={"code": "holiday", "name": entry.name, "source": entry.source})
    if entry is not None and entry.kind == "workday":
        works, reason = True, {"code": "makeup_workday", "name": entry.name, "source": entry.source}
    if not works:
        return Plan(day, "rest", reason={"code": "weekly_rest"})
    if rules.kind == "flexible":
        return Plan(day, "work", flexible_minutes=rules.flex_minutes, reason=reason)
    return Plan(day, "work", shift=rules.shift, reason=reason)


def local(day: date, moment: time, zone: ZoneInfo) -> datetime:
    """A wall-clock time on a day in ``zone``, as a UTC instant (a time skipped by a
    daylight-saving change counts from before the change, as zoneinfo's fold=0 does)."""
    return datetime.combine(day, moment, tzinfo=zone).astimezone(UTC)


def window(rules: Rules, plan: Plan, zone: ZoneInfo) -> Window:
    """The instants of a day. Rest days and flexible days run from 04:00 to 04:00."""
    if plan.shift is None:
        start = local(plan.day, FLEX_DAY_STARTS, zone)
        end = local(plan.day + timedelta(days=1), FLEX_DAY_STARTS, zone)
        return Window(start, start, end, end)
    start = local(plan.day, plan.shift.start, zone)
    end = local(plan.day + timedelta(days=1 if plan.shift.overnight else 0), plan.shift.end, zone)
    return Window(start - timedelta(minutes=rules.open_before), start, end, end + timedelta(minutes=rules.close_after))


def work_date(
    moment: datetime, candidates: Iterable[tuple[Plan, Window]], clocked_in: Iterable[date] = ()
) -> tuple[Plan, Window] | None:
    """The day a punch at ``moment`` counts for, among the plans of the days around it
    (yesterday's night shift, today's). Work windows containing the moment come first; of
    those, the one whose start or end is nearest; on a tie, a day the person has clocked
    in on (``clocked_in``), so a night shift ending at 06:00 gets the 06:00 punch before a
    shift starting at 06:00 does. None: no work window is open."""
    open_days = set(clocked_in)
    best: tuple[tuple[float, int], tuple[Plan, Window]] | None = None
    for plan, span in candidates:
        if not plan.works or not span.opens <= moment <= span.closes:
            continue
        distance = min(abs((moment - span.start).total_seconds()), abs((moment - span.end).total_seconds()))
        key = (distance, 0 if plan.day in open_days else 1)
        if best is None or key < best[0]:
            best = (key, (plan, span))
    return best[1] if best else None


def _minutes(delta: timedelta) -> int:
    return max(0, math.ceil(delta.total_seconds() / 60))


def evaluate(
    rules: Rules,
    plan: Plan,
    zone: ZoneInfo,
    punches: Sequence[Punch],
    absences: Sequence[Absence],
    now: datetime,
) -> DayResult:
    """How the day turned out (or is turning out, before its window closes)."""
    span = window(rules, plan, zone)
    punches = sorted(punches, key=lambda p: p.at)
    result = DayResult(plan.day, "normal", plan.kind, final=now >= span.closes)
    if plan.reason:
        result.reasons.append(plan.reason)
    if plan.shift is not None:
        result.shift, result.start_at, result.end_at = plan.shift.name, span.start, span.end
    result.present = bool(punches)
    result.field = any(p.location == "field" for p in punches)
    ins = [p for p in punches if p.kind == "in"]
    outs = [p for p in punches if p.kind == "out"]
    result.in_at = ins[0].at if ins else None
    result.out_at = outs[-1].at if outs else None
    if result.in_at and result.out_at:
        result.worked_minutes = _minutes(result.out_at - result.in_at)
    am_off = pm_off = False
    hourly: list[Absence] = []
    for absence in absences:
        if absence.kind == "overtime":
            if absence.first_day == plan.day:
                result.overtime_minutes += round(absence.hours * 60)
                result.reasons.append({"code": "overtime", "hours": absence.hours})
            continue
        if absence.by_the_hour:
            if absence.first_day == plan.day and absence.kind == "leave":
                hourly.append(absence)
            continue
        am, pm = absence.halves_on(plan.day)
        if not (am or pm):
            continue
        am_off, pm_off = am_off or am, pm_off or pm
        if plan.works:
            share = 0.5 * (am + pm)
            if absence.kind == "leave":
                result.leave[absence.leave_type] = result.leave.get(absence.leave_type, 0) + share
            else:
                result.trip_days += share
            result.reasons.append(
                {"code": absence.kind, "type": absence.leave_type, "half": "day" if am and pm else "am" if am else "pm"}
            )
    if not plan.works:
        result.status = plan.kind
        return result
    result.required = True
    if am_off and pm_off:
        result.status = "trip" if result.trip_days and not result.leave else "leave"
        return result
    start, end = span.start, span.end
    required = _minutes(end - start) if plan.shift else plan.flexible_minutes
    if am_off or pm_off:
        middle = start + (end - start) / 2
        start, end = (middle, end) if am_off else (start, middle)
        required //= 2
    for absence in hourly:
        start, end, required = _excuse_hours(plan, result, absence, zone, start, end, required)
    result.required_minutes = required
    statuses = _judge(rules, plan, result, start, end, required, now, span)
    if (am_off or pm_off) and result.absent_days:
        result.absent_days = 0.5
    worst = min(statuses, key=SEVERITY.index) if statuses else "normal"
    if worst == "normal" and result.field:
        worst = "field"
    if worst == "normal" and not result.final and result.out_at is None:
        worst = "pending"
    result.status = worst
    return result


def _excuse_hours(
    plan: Plan, result: DayResult, absence: Absence, zone: ZoneInfo, start: datetime, end: datetime, required: int
) -> tuple[datetime, datetime, int]:
    """A leave by the hour: hours / 8 days of leave; a leave over the start moves the start
    to its end, one over the end moves the end to its start; required time shrinks by the
    leave's overlap with the work (flexible days: by its length)."""
    assert absence.start_time is not None and absence.end_time is not None
    leave_start, leave_end = local(plan.day, absence.start_time, zone), local(plan.day, absence.end_time, zone)
    days = round(absence.hours / 8, 2) if absence.hours else round(_minutes(leave_end - leave_start) / 480, 2)
    result.leave[absence.leave_type] = round(result.leave.get(absence.leave_type, 0) + days, 2)
    result.reasons.append({
        "code": "leave", "type": absence.leave_type, "half": "hours",
        "from": absence.start_time.strftime("%H:%M"), "to": absence.end_time.strftime("%H:%M"),
    })  # fmt: skip
    if plan.shift is None:
        return start, end, max(0, required - _minutes(leave_end - leave_start))
    overlap = _minutes(min(end, leave_end) - max(start, leave_start)) if leave_start < end and start < leave_end else 0
    if leave_start <= start < leave_end:
        start = leave_end
    if leave_start < end <= leave_end:
        end = leave_start
    return start, end, max(0, required - overlap)


def _judge(
    rules: Rules,
    plan: Plan,
    result: DayResult,
    start: datetime,
    end: datetime,
    required: int,
    now: datetime,
    span: Window,
) -> list[str]:
    """The day's problems, as statuses (empty: all well so far)."""
    statuses: list[str] = []
    if not result.present:
        if result.final:
            result.absent_days = 1.0
            result.reasons.append({"code": "no_punch"})
            return ["absent"]
        return []
    if result.in_at is None:
        result.missing_punches += 1
        result.reasons.append({"code": "missing_in"})
        statuses.append("missing")
    if result.out_at is None and result.final:
        result.missing_punches += 1
        result.reasons.append({"code": "missing_out"})
        statuses.append("missing")
    if plan.shift is None:  # flexible: enough hours between the first and the last punch
        if result.in_at and result.out_at:
            short = required - result.worked_minutes
            if short > rules.early_grace:
                result.early_minutes = short
                result.reasons.append({"code": "short_hours", "minutes": short, "required": required})
                statuses.append("early")
        return statuses
    if result.in_at is not None and result.in_at > start:
        late = _minutes(result.in_at - start)
        if late > rules.late_grace:
            result.late_minutes = late
            if rules.absent_late and late >= rules.absent_late:
                result.absent_days = 1.0
                result.reasons.append({"code": "absent_late", "minutes": late})
                statuses.append("absent")
            elif late >= rules.serious_late:
                result.reasons.append({"code": "serious_late", "minutes": late})
                statuses.append("serious_late")
            else:
                result.reasons.append({"code": "late", "minutes": late})
                statuses.append("late")
    if result.out_at is not None and result.out_at < end:
        early = _minutes(end - result.out_at)
        if early > rules.early_grace:
            result.early_minutes = early
            result.reasons.append({"code": "early", "minutes": early})
            statuses.append("early")
    return statuses


@dataclass
class MonthSummary:
    """One person's month, summed from their day results."""

    required_days: float = 0
    present_days: float = 0
    late_count: int = 0
    late_minutes: int = 0
    serious_late_count: int = 0
    early_count: int = 0
    early_minutes: int = 0
    absent_days: float = 0
    missing_punches: int = 0
    field_days: int = 0
    overtime_hours: float = 0
    trip_days: float = 0
    leave: dict[str, float] = dataclasses.field(default_factory=dict)

    def add(self, status: str, result: Mapping[str, Any]) -> None:
        """Add a day's result view (columns and detail side by side, as results.py builds them)."""
        if result["required"]:
            self.required_days += 1
        if result["present"]:
            self.present_days += 1
        if result["late_minutes"]:
            self.late_count += 1
            self.late_minutes += result["late_minutes"]
        if status == "serious_late":
            self.serious_late_count += 1
        if result["early_minutes"]:
            self.early_count += 1
            self.early_minutes += result["early_minutes"]
        self.absent_days += result["absent_days"]
        self.missing_punches += result["missing_punches"]
        self.overtime_hours += result["overtime_minutes"] / 60
        detail = result.get("detail") or result
        if detail.get("field"):
            self.field_days += 1
        self.trip_days += detail.get("trip_days", 0)
        for leave_type, days in (detail.get("leave") or {}).items():
            self.leave[leave_type] = self.leave.get(leave_type, 0) + days
