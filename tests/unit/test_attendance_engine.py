"""The attendance result engine as pure functions: plans, windows, which day a punch counts
for, and how a day turned out — by tables, and by hypothesis for the invariants."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hobnail.domains.attendance.calendar import CalendarDay, builtin, builtin_years, entries
from hobnail.domains.attendance.engine import (
    NOT_ROSTERED,
    SEVERITY,
    Absence,
    DayResult,
    MonthSummary,
    Plan,
    Punch,
    Window,
    evaluate,
    local,
    plan_day,
    window,
    work_date,
)
from hobnail.domains.attendance.rules import Rules, check_rules

SHANGHAI = ZoneInfo("Asia/Shanghai")
NEW_YORK = ZoneInfo("America/New_York")
WEDNESDAY = date(2026, 6, 3)  # an ordinary working day: no holiday or 调休 near it
SATURDAY = date(2026, 6, 6)
STATUSES = {*SEVERITY, "pending", "leave", "trip", "rest", "holiday"}
PROPERTY = settings(max_examples=150, deadline=None)

NIGHT = {"id": "night", "name": "Night", "start": "22:00", "end": "06:00"}
EARLY = {"id": "early", "name": "Early", "start": "08:00", "end": "16:00"}
DAWN = {"id": "dawn", "name": "Dawn", "start": "07:00", "end": "15:00"}


def make_rules(**raw: Any) -> Rules:
    return Rules.of(check_rules(raw))


FIXED = make_rules()
FLEXIBLE = make_rules(kind="flexible")
SHIFTS = make_rules(kind="shift", shifts=[NIGHT, EARLY, DAWN])
CALENDAR_2026 = entries(date(2026, 1, 1), date(2026, 12, 31), {})


def at(day: date, hhmm: str, zone: ZoneInfo = SHANGHAI, *, seconds: int = 0) -> datetime:
    """A wall-clock time on ``day`` as a UTC instant."""
    hours, minutes = hhmm.split(":")
    return local(day, time(int(hours), int(minutes)), zone) + timedelta(seconds=seconds)


def punches(day: date, *items: tuple[str, str], location: str = "place") -> list[Punch]:
    """("in", "09:00") pairs on ``day``; "+06:05" means that time on the next day."""
    result = []
    for kind, hhmm in items:
        moment = at(day + timedelta(days=1), hhmm[1:]) if hhmm.startswith("+") else at(day, hhmm)
        result.append(Punch(moment, kind, location))
    return result


def judge(
    items: Sequence[Punch] = (),
    *,
    rules: Rules = FIXED,
    day: date = WEDNESDAY,
    absences: Sequence[Absence] = (),
    now: datetime | None = None,
    zone: ZoneInfo = SHANGHAI,
    rostered: object = NOT_ROSTERED,
    calendar: dict[date, CalendarDay] | None = None,
) -> DayResult:
    plan = plan_day(rules, day, CALENDAR_2026 if calendar is None else calendar, rostered)
    if now is None:  # well after the day's window has closed
        now = window(rules, plan, zone).closes + timedelta(hours=1)
    return evaluate(rules, plan, zone, list(items), list(absences), now)


def codes(result: DayResult) -> list[str]:
    return [reason["code"] for reason in result.reasons]


# ---------------------------------------------------------------- fixed schedule 09:00–18:00


@pytest.mark.parametrize(
    ("clock_in", "seconds", "status", "late", "absent_days", "code"),
    [
        ("07:00", 0, "normal", 0, 0, None),  # the moment clock-in opens
        ("08:55", 0, "normal", 0, 0, None),
        ("09:00", 0, "normal", 0, 0, None),
        ("09:04", 59, "normal", 0, 0, None),
        ("09:05", 0, "normal", 0, 0, None),  # exactly the 5 minutes' grace
        ("09:05", 1, "late", 6, 0, "late"),  # a second past grace rounds up to a whole minute
        ("09:06", 0, "late", 6, 0, "late"),
        ("09:29", 0, "late", 29, 0, "late"),
        ("09:29", 30, "serious_late", 30, 0, "serious_late"),
        ("09:30", 0, "serious_late", 30, 0, "serious_late"),
        ("10:59", 0, "serious_late", 119, 0, "serious_late"),
        ("11:00", 0, "absent", 120, 1.0, "absent_late"),  # 旷工迟到
        ("15:00", 0, "absent", 360, 1.0, "absent_late"),
    ],
)  # fmt: skip
def test_fixed_clock_in(
    clock_in: str, seconds: int, status: str, late: int, absent_days: float, code: str | None
) -> None:
    day = [*punches(WEDNESDAY, ("out", "18:00")), Punch(at(WEDNESDAY, clock_in, seconds=seconds), "in")]
    result = judge(day)
    assert (result.status, result.late_minutes, result.absent_days) == (status, late, absent_days)
    assert result.early_minutes == 0 and result.missing_punches == 0
    assert result.required and result.present and result.final
    assert result.required_minutes == 540
    if code is None:
        assert result.reasons == []
    else:
        assert result.reasons == [{"code": code, "minutes": late}]


@pytest.mark.parametrize(
    ("clock_out", "seconds", "status", "early"),
    [("18:00", 0, "normal", 0), ("23:00", 0, "normal", 0), ("17:59", 30, "early", 1), ("17:59", 0, "early", 1),
     ("17:00", 0, "early", 60), ("12:00", 0, "early", 360)],
)  # fmt: skip
def test_fixed_clock_out(clock_out: str, seconds: int, status: str, early: int) -> None:
    result = judge([*punches(WEDNESDAY, ("in", "08:50")), Punch(at(WEDNESDAY, clock_out, seconds=seconds), "out")])
    assert (result.status, result.early_minutes, result.late_minutes) == (status, early, 0)
    assert codes(result) == (["early"] if early else [])


def test_early_grace_forgives_a_few_minutes() -> None:
    rules = make_rules(early_grace_minutes=10)
    assert judge(punches(WEDNESDAY, ("in", "09:00"), ("out", "17:50")), rules=rules).status == "normal"
    result = judge(punches(WEDNESDAY, ("in", "09:00"), ("out", "17:49")), rules=rules)
    assert (result.status, result.early_minutes) == ("early", 11)


def test_late_and_early_on_one_day_show_the_late_but_keep_both() -> None:
    result = judge(punches(WEDNESDAY, ("in", "09:20"), ("out", "17:00")))
    assert (result.status, result.late_minutes, result.early_minutes) == ("late", 20, 60)
    assert codes(result) == ["late", "early"]


def test_first_in_and_last_out_count() -> None:
    day = punches(WEDNESDAY, ("in", "09:20"), ("out", "12:00"), ("in", "08:58"), ("out", "18:10"), ("out", "17:00"))
    result = judge(day)
    assert result.status == "normal"
    assert (result.in_at, result.out_at) == (at(WEDNESDAY, "08:58"), at(WEDNESDAY, "18:10"))
    assert result.worked_minutes == 552


def test_absent_late_zero_means_never_absent() -> None:
    rules = make_rules(absent_late_minutes=0)
    result = judge(punches(WEDNESDAY, ("in", "15:00"), ("out", "18:00")), rules=rules)
    assert (result.status, result.late_minutes, result.absent_days) == ("serious_late", 360, 0)


def test_missing_clock_out_after_the_window_closes() -> None:
    result = judge(punches(WEDNESDAY, ("in", "08:59")))
    assert (result.status, result.missing_punches, result.absent_days) == ("missing", 1, 0)
    assert codes(result) == ["missing_out"]
    assert result.final and result.out_at is None


def test_missing_clock_out_is_pending_until_the_window_closes() -> None:
    items = punches(WEDNESDAY, ("in", "08:59"))
    closes = at(WEDNESDAY, "18:00") + timedelta(minutes=FIXED.close_after)  # 24:00
    open_ = judge(items, now=closes - timedelta(seconds=1))
    assert (open_.status, open_.final, open_.missing_punches) == ("pending", False, 0)
    closed = judge(items, now=closes)
    assert (closed.status, closed.final, closed.missing_punches) == ("missing", True, 1)


def test_missing_clock_in() -> None:
    result = judge(punches(WEDNESDAY, ("out", "18:05")))
    assert (result.status, result.missing_punches, result.late_minutes) == ("missing", 1, 0)
    assert codes(result) == ["missing_in"]


def test_missing_both_sides_is_worse_than_late() -> None:
    result = judge([Punch(at(WEDNESDAY, "09:40"), "in")])
    assert result.status == "missing"
    assert result.late_minutes == 40 and "serious_late" in codes(result)


def test_no_punches_after_the_day_is_absent() -> None:
    result = judge()
    assert (result.status, result.absent_days, result.present, result.final) == ("absent", 1.0, False, True)
    assert codes(result) == ["no_punch"]


@pytest.mark.parametrize("now", ["06:00", "09:00", "10:00", "18:00", "23:59"])
def test_no_punches_while_the_day_is_open_is_pending(now: str) -> None:
    result = judge(now=at(WEDNESDAY, now))
    assert (result.status, result.absent_days, result.final) == ("pending", 0, False)
    assert result.reasons == []


def test_clocked_in_during_the_day_is_pending() -> None:
    result = judge(punches(WEDNESDAY, ("in", "08:40")), now=at(WEDNESDAY, "12:00"))
    assert (result.status, result.final, result.missing_punches) == ("pending", False, 0)


def test_late_shows_while_the_day_is_still_open() -> None:
    result = judge(punches(WEDNESDAY, ("in", "09:12")), now=at(WEDNESDAY, "12:00"))
    assert (result.status, result.late_minutes, result.final) == ("late", 12, False)


def test_early_leave_shows_while_the_day_is_open() -> None:
    items = punches(WEDNESDAY, ("in", "09:00"), ("out", "17:00"))
    for now in ("17:00", "17:30", "18:00", "23:59"):
        result = judge(items, now=at(WEDNESDAY, now))
        assert (result.status, result.early_minutes, result.final) == ("early", 60, False)
    # Punching out again at the end makes it right: the last clock-out counts.
    again = judge([*items, *punches(WEDNESDAY, ("out", "18:01"))], now=at(WEDNESDAY, "18:01"))
    assert (again.status, again.early_minutes) == ("normal", 0)


def test_field_punch() -> None:
    result = judge(punches(WEDNESDAY, ("in", "09:00"), ("out", "18:00"), location="field"))
    assert (result.status, result.field) == ("field", True)
    mixed = judge([*punches(WEDNESDAY, ("in", "09:00")), *punches(WEDNESDAY, ("out", "18:00"), location="field")])
    assert (mixed.status, mixed.field) == ("field", True)


def test_a_problem_outranks_field() -> None:
    result = judge(punches(WEDNESDAY, ("in", "09:10"), ("out", "18:00"), location="field"))
    assert (result.status, result.field, result.late_minutes) == ("late", True, 10)


def test_network_and_none_locations_are_not_field() -> None:
    result = judge(
        [
            *punches(WEDNESDAY, ("in", "09:00"), location="network"),
            *punches(WEDNESDAY, ("out", "18:00"), location="none"),
        ]
    )
    assert (result.status, result.field) == ("normal", False)


def test_weekly_rest_day() -> None:
    result = judge(punches(SATURDAY, ("in", "10:00"), ("out", "12:00")), day=SATURDAY)
    assert (result.status, result.plan, result.required, result.present) == ("rest", "rest", False, True)
    assert result.absent_days == 0 and result.late_minutes == 0
    assert codes(result) == ["weekly_rest"]


def test_custom_workdays() -> None:
    six_days = make_rules(workdays=[0, 1, 2, 3, 4, 5])
    assert plan_day(six_days, SATURDAY, {}).works
    assert not plan_day(six_days, SATURDAY + timedelta(days=1), {}).works


def test_window_and_result_instants() -> None:
    plan = plan_day(FIXED, WEDNESDAY, {})
    span = window(FIXED, plan, SHANGHAI)
    utc = datetime(2026, 6, 3, tzinfo=UTC)
    assert span == Window(
        utc - timedelta(hours=1), utc + timedelta(hours=1), utc + timedelta(hours=10), utc + timedelta(hours=16)
    )
    result = judge(punches(WEDNESDAY, ("in", "09:00"), ("out", "18:00")))
    assert (result.start_at, result.end_at, result.shift) == (span.start, span.end, "Day")
    assert result.detail() == {
        "plan": "work", "final": True, "worked_minutes": 540, "required_minutes": 540, "field": False, "leave": {},
        "trip_days": 0.0, "shift": "Day", "start_at": "2026-06-03T01:00:00Z", "end_at": "2026-06-03T10:00:00Z",
        "in_at": "2026-06-03T01:00:00Z", "out_at": "2026-06-03T10:00:00Z", "reasons": [],
    }  # fmt: skip


def test_open_and_close_minutes_come_from_the_rules() -> None:
    rules = make_rules(open_before_minutes=30, close_after_minutes=0)
    span = window(rules, plan_day(rules, WEDNESDAY, {}), SHANGHAI)
    assert (span.opens, span.closes) == (at(WEDNESDAY, "08:30"), at(WEDNESDAY, "18:00"))


# ---------------------------------------------------------------- shifts


def test_roster_decides_a_shift_groups_day() -> None:
    assert plan_day(SHIFTS, WEDNESDAY, {}).reason == {"code": "not_rostered"}
    assert plan_day(SHIFTS, WEDNESDAY, {}, None).reason == {"code": "rostered_rest"}
    assert plan_day(SHIFTS, WEDNESDAY, {}, "gone").reason == {"code": "unknown_shift", "shift": "gone"}
    for rostered in (NOT_ROSTERED, None, "gone"):
        assert plan_day(SHIFTS, WEDNESDAY, {}, rostered).kind == "rest"
    night = plan_day(SHIFTS, SATURDAY, {}, "night")  # the weekday rule does not apply
    assert night.works and night.shift == SHIFTS.shifts["night"] and night.reason is None


def test_shift_groups_ignore_the_holiday_calendar() -> None:
    plan = plan_day(SHIFTS, date(2026, 10, 1), CALENDAR_2026, "early")
    assert plan.kind == "work" and plan.shift == SHIFTS.shifts["early"]


def test_overnight_shift_counts_for_the_day_it_starts() -> None:
    span = window(SHIFTS, plan_day(SHIFTS, WEDNESDAY, {}, "night"), SHANGHAI)
    assert (span.start, span.end) == (at(WEDNESDAY, "22:00"), at(WEDNESDAY + timedelta(days=1), "06:00"))
    result = judge(punches(WEDNESDAY, ("in", "21:55"), ("out", "+06:05")), rules=SHIFTS, rostered="night")
    assert (result.status, result.day, result.shift) == ("normal", WEDNESDAY, "Night")
    assert (result.required_minutes, result.worked_minutes) == (480, 490)


def test_overnight_shift_late_and_early() -> None:
    result = judge(punches(WEDNESDAY, ("in", "22:45"), ("out", "+05:00")), rules=SHIFTS, rostered="night")
    assert (result.status, result.late_minutes, result.early_minutes) == ("serious_late", 45, 60)


def plans(rules: Rules, roster: dict[date, object], zone: ZoneInfo = SHANGHAI) -> list[tuple[Plan, Window]]:
    result = []
    for day, rostered in roster.items():
        plan = plan_day(rules, day, {}, rostered)
        result.append((plan, window(rules, plan, zone)))
    return result


THURSDAY = WEDNESDAY + timedelta(days=1)


@pytest.mark.parametrize("next_shift", ["early", "dawn"])
@pytest.mark.parametrize("reverse", [False, True])
def test_work_date_gives_the_morning_out_punch_to_the_night_shift(next_shift: str, reverse: bool) -> None:
    candidates = plans(SHIFTS, {WEDNESDAY: "night", THURSDAY: next_shift})
    if reverse:
        candidates.reverse()
    chosen = work_date(at(THURSDAY, "06:05"), candidates)
    assert chosen is not None and chosen[0].day == WEDNESDAY
    later = work_date(at(THURSDAY, "06:55"), candidates)  # still nearer the night shift's end
    assert later is not None and later[0].day == (WEDNESDAY if next_shift == "early" else THURSDAY)
    arriving = work_date(at(THURSDAY, "07:55"), candidates)
    assert arriving is not None and arriving[0].day == THURSDAY


@pytest.mark.parametrize("reverse", [False, True])
def test_a_tie_goes_to_the_day_already_clocked_in(reverse: bool) -> None:
    rules = make_rules(kind="shift", shifts=[NIGHT, {"id": "six", "name": "Six", "start": "06:00", "end": "14:00"}])
    candidates = plans(rules, {WEDNESDAY: "night", THURSDAY: "six"})
    if reverse:
        candidates.reverse()
    ending = work_date(at(THURSDAY, "06:00"), candidates, clocked_in=[WEDNESDAY])
    assert ending is not None and ending[0].day == WEDNESDAY  # the night shift's clock-out
    starting = work_date(at(THURSDAY, "06:00"), candidates, clocked_in=[WEDNESDAY, THURSDAY])
    assert starting is not None
    fresh = work_date(at(THURSDAY, "06:00"), candidates, clocked_in=[THURSDAY])
    assert fresh is not None and fresh[0].day == THURSDAY


@pytest.mark.parametrize("rest", [None, NOT_ROSTERED, "gone"])
def test_work_date_never_picks_a_rest_day(rest: object) -> None:
    candidates = plans(SHIFTS, {WEDNESDAY: "night", THURSDAY: rest})
    chosen = work_date(at(THURSDAY, "06:05"), candidates)
    assert chosen is not None and chosen[0].day == WEDNESDAY
    still_open = work_date(at(THURSDAY, "12:00"), candidates)  # the night shift's clock-out closes at 12:00
    assert still_open is not None and still_open[0].day == WEDNESDAY
    assert work_date(at(THURSDAY, "12:01"), candidates) is None  # inside the rest day's 04:00–04:00 only
    only_rest = plans(FIXED, {SATURDAY: None})
    assert work_date(at(SATURDAY, "10:00"), only_rest) is None


def test_work_date_window_edges() -> None:
    candidates = plans(FIXED, {WEDNESDAY: None})
    span = candidates[0][1]
    assert work_date(span.opens, candidates) is not None
    assert work_date(span.closes, candidates) is not None
    assert work_date(span.opens - timedelta(seconds=1), candidates) is None
    assert work_date(span.closes + timedelta(seconds=1), candidates) is None
    assert work_date(span.start, []) is None


def test_work_date_for_flexible_days_runs_from_four_to_four() -> None:
    candidates = plans(FLEXIBLE, {WEDNESDAY: None, THURSDAY: None})
    for moment, day in [
        (at(THURSDAY, "03:30"), WEDNESDAY),
        (at(THURSDAY, "04:30"), THURSDAY),
        (at(WEDNESDAY, "23:00"), WEDNESDAY),
    ]:
        chosen = work_date(moment, candidates)
        assert chosen is not None and chosen[0].day == day
    assert work_date(at(WEDNESDAY, "03:59"), candidates[:1]) is None


@pytest.mark.parametrize(
    ("day", "required"),
    [(date(2026, 3, 7), 420), (date(2026, 10, 31), 540), (date(2026, 6, 3), 480)],
    ids=["spring-forward", "fall-back", "no-change"],
)
def test_night_shift_across_a_daylight_saving_change(day: date, required: int) -> None:
    rules = make_rules(kind="shift", shifts=[NIGHT])
    next_day = day + timedelta(days=1)
    items = [Punch(at(day, "22:00", NEW_YORK), "in"), Punch(at(next_day, "06:00", NEW_YORK), "out")]
    result = judge(items, rules=rules, day=day, zone=NEW_YORK, rostered="night")
    assert (result.status, result.early_minutes, result.late_minutes) == ("normal", 0, 0)
    assert result.required_minutes == required == result.worked_minutes
    assert result.end_at == at(next_day, "06:00", NEW_YORK)
    a_minute_early = [items[0], Punch(at(next_day, "05:59", NEW_YORK), "out")]
    early = judge(a_minute_early, rules=rules, day=day, zone=NEW_YORK, rostered="night")
    assert (early.status, early.early_minutes) == ("early", 1)


def test_day_shift_on_the_change_day_is_its_wall_clock_hours() -> None:
    for day in (date(2026, 3, 8), date(2026, 11, 1)):  # both Sundays: work them by the weekday rule
        rules = make_rules(workdays=[6])
        result = judge(
            [Punch(at(day, "09:00", NEW_YORK), "in"), Punch(at(day, "18:00", NEW_YORK), "out")],
            rules=rules, day=day, zone=NEW_YORK,
        )  # fmt: skip
        assert (result.status, result.required_minutes) == ("normal", 540)


def test_flexible_day_across_a_daylight_saving_change_is_23_or_25_hours() -> None:
    # The change happens at 02:00, so it falls in the day that started at 04:00 the day before.
    for day, hours in [
        (date(2026, 3, 7), 23),
        (date(2026, 3, 8), 24),
        (date(2026, 10, 31), 25),
        (date(2026, 6, 3), 24),
    ]:
        span = window(FLEXIBLE, plan_day(make_rules(kind="flexible", workdays=list(range(7))), day, {}), NEW_YORK)
        assert span.end - span.start == timedelta(hours=hours)


# ---------------------------------------------------------------- flexible hours


@pytest.mark.parametrize(
    ("clock_in", "clock_out", "status", "early"),
    [("10:00", "18:00", "normal", 0), ("05:00", "13:00", "normal", 0), ("13:00", "+02:00", "normal", 0),
     ("10:00", "17:00", "early", 60), ("10:00", "17:59", "early", 1), ("09:00", "21:00", "normal", 0)],
)  # fmt: skip
def test_flexible_required_hours(clock_in: str, clock_out: str, status: str, early: int) -> None:
    result = judge(punches(WEDNESDAY, ("in", clock_in), ("out", clock_out)), rules=FLEXIBLE)
    assert (result.status, result.early_minutes, result.late_minutes) == (status, early, 0)
    assert result.required_minutes == 480 and result.shift == "" and result.start_at is None
    if early:
        assert result.reasons == [{"code": "short_hours", "minutes": early, "required": 480}]


def test_flexible_hours_setting_and_grace() -> None:
    rules = make_rules(kind="flexible", flex_hours=7.5, early_grace_minutes=10)
    assert judge(punches(WEDNESDAY, ("in", "10:00"), ("out", "17:20")), rules=rules).status == "normal"
    short = judge(punches(WEDNESDAY, ("in", "10:00"), ("out", "17:19")), rules=rules)
    assert (short.status, short.early_minutes, short.required_minutes) == ("early", 11, 450)


def test_flexible_day_runs_from_four_to_four() -> None:
    span = window(FLEXIBLE, plan_day(FLEXIBLE, WEDNESDAY, {}), SHANGHAI)
    assert span == Window(at(WEDNESDAY, "04:00"), at(WEDNESDAY, "04:00"), at(THURSDAY, "04:00"), at(THURSDAY, "04:00"))
    pending = judge(punches(WEDNESDAY, ("in", "10:00")), rules=FLEXIBLE, now=at(THURSDAY, "03:59"))
    assert (pending.status, pending.final) == ("pending", False)
    missing = judge(punches(WEDNESDAY, ("in", "10:00")), rules=FLEXIBLE, now=at(THURSDAY, "04:00"))
    assert (missing.status, missing.final, missing.missing_punches) == ("missing", True, 1)
    absent = judge(rules=FLEXIBLE, now=at(THURSDAY, "04:00"))
    assert (absent.status, absent.absent_days) == ("absent", 1.0)
    assert judge(rules=FLEXIBLE, now=at(THURSDAY, "03:00")).status == "pending"


def test_flexible_rest_day() -> None:
    assert judge(rules=FLEXIBLE, day=SATURDAY).status == "rest"


# ---------------------------------------------------------------- holidays and 调休 working days


def test_builtin_calendar_knows_2026() -> None:
    assert builtin_years()[0] == 2004 and builtin_years()[1] >= 2026
    assert builtin(date(2026, 10, 1)) == CalendarDay("holiday", "National Day", "builtin")
    assert builtin(date(2026, 10, 10)) == CalendarDay("workday", "National Day", "builtin")
    assert builtin(WEDNESDAY) is None
    assert builtin(date(2099, 10, 1)) is None  # a year the package does not know


@pytest.mark.parametrize(
    ("rules", "day", "kind", "code"),
    [(FIXED, date(2026, 10, 1), "holiday", "holiday"), (FIXED, date(2026, 10, 10), "work", "makeup_workday"),
     (FIXED, date(2026, 10, 8), "work", None), (FIXED, date(2026, 10, 11), "rest", "weekly_rest"),
     (FLEXIBLE, date(2026, 10, 1), "holiday", "holiday"), (FLEXIBLE, date(2026, 10, 10), "work", "makeup_workday"),
     (make_rules(holidays=False), date(2026, 10, 1), "work", None),
     (make_rules(holidays=False), date(2026, 10, 10), "rest", "weekly_rest"),
     (make_rules(workdays=[]), date(2026, 10, 10), "work", "makeup_workday"),
     (make_rules(workdays=[0, 1, 2, 3, 4, 5, 6]), date(2026, 10, 3), "holiday", "holiday")],
)  # fmt: skip
def test_holiday_calendar(rules: Rules, day: date, kind: str, code: str | None) -> None:
    plan = plan_day(rules, day, CALENDAR_2026)
    assert plan.kind == kind
    assert (plan.reason or {}).get("code") == code
    if code in ("holiday", "makeup_workday"):
        assert plan.reason == {"code": code, "name": "National Day", "source": "builtin"}
    if kind == "work":
        assert plan.shift == (None if rules.kind == "flexible" else rules.shift)
        assert plan.flexible_minutes == (480 if rules.kind == "flexible" else 0)


def test_makeup_workday_is_judged_like_any_working_day() -> None:
    saturday = date(2026, 10, 10)
    result = judge(punches(saturday, ("in", "09:15"), ("out", "18:00")), day=saturday)
    assert (result.status, result.late_minutes, result.required) == ("late", 15, True)
    assert codes(result) == ["makeup_workday", "late"]
    absent = judge(day=saturday)
    assert (absent.status, absent.absent_days) == ("absent", 1.0)


def test_holiday_is_not_judged() -> None:
    holiday = date(2026, 10, 1)
    for items in ([], punches(holiday, ("in", "11:00"))):
        result = judge(items, day=holiday)
        assert (result.status, result.plan, result.required, result.absent_days) == ("holiday", "holiday", False, 0)
        assert result.missing_punches == 0 and result.late_minutes == 0
        assert result.reasons == [{"code": "holiday", "name": "National Day", "source": "builtin"}]


def test_entries_are_the_days_that_differ_from_the_weekday_rule() -> None:
    october = entries(date(2026, 10, 1), date(2026, 10, 31), {})
    assert {d for d, e in october.items() if e.kind == "holiday"} == {date(2026, 10, d) for d in range(1, 8)}
    assert {d for d, e in october.items() if e.kind == "workday"} == {date(2026, 10, 10)}
    assert all(e.source == "builtin" for e in october.values())
    assert date(2026, 9, 20) not in october  # outside the range asked for


def test_org_overrides() -> None:
    overrides = {
        date(2026, 10, 10): ("normal", ""),  # undo the built-in 调休 Saturday
        date(2026, 10, 2): ("normal", ""),  # undo a built-in holiday: a Friday, so a working day
        WEDNESDAY: ("holiday", "Founders' Day"),
        SATURDAY: ("workday", "Stocktake"),
        date(2026, 10, 5): ("workday", "Audit"),  # a built-in holiday made a working day
        date(2027, 1, 5): ("holiday", "Out of range"),
    }
    calendar = entries(date(2026, 1, 1), date(2026, 12, 31), overrides)
    assert date(2026, 10, 10) not in calendar and date(2026, 10, 2) not in calendar
    assert date(2027, 1, 5) not in calendar
    assert calendar[WEDNESDAY] == CalendarDay("holiday", "Founders' Day", "org")
    assert plan_day(FIXED, date(2026, 10, 10), calendar).reason == {"code": "weekly_rest"}
    assert plan_day(FIXED, date(2026, 10, 2), calendar).kind == "work"
    assert plan_day(FIXED, date(2026, 10, 1), calendar).kind == "holiday"
    assert plan_day(FIXED, WEDNESDAY, calendar).reason == {"code": "holiday", "name": "Founders' Day", "source": "org"}
    assert plan_day(FIXED, SATURDAY, calendar).reason == {
        "code": "makeup_workday",
        "name": "Stocktake",
        "source": "org",
    }
    assert plan_day(FIXED, date(2026, 10, 5), calendar).kind == "work"
    assert plan_day(make_rules(holidays=False), WEDNESDAY, calendar).kind == "work"


def test_org_overrides_in_a_year_the_package_does_not_know() -> None:
    day = date(2099, 5, 1)
    calendar = entries(date(2099, 1, 1), date(2099, 12, 31), {day: ("holiday", "Labour Day")})
    assert calendar == {day: CalendarDay("holiday", "Labour Day", "org")}


# ---------------------------------------------------------------- leave, trips, overtime


def leave(
    first: date, last: date | None = None, first_half: str = "am", last_half: str = "pm", kind: str = "annual"
) -> Absence:
    return Absence("leave", first, last or first, first_half, last_half, leave_type=kind)


def test_full_day_leave() -> None:
    result = judge(absences=[leave(WEDNESDAY)])
    assert (result.status, result.absent_days, result.required, result.leave) == ("leave", 0, True, {"annual": 1.0})
    assert result.reasons == [{"code": "leave", "type": "annual", "half": "day"}]


def test_leave_over_several_days_covers_the_middle() -> None:
    absence = leave(WEDNESDAY - timedelta(days=2), THURSDAY, first_half="pm", last_half="am", kind="sick")
    assert judge(absences=[absence]).leave == {"sick": 1.0}
    first = judge(day=WEDNESDAY - timedelta(days=2), absences=[absence])
    assert (first.leave, first.absent_days) == ({"sick": 0.5}, 0.5)
    assert judge(day=THURSDAY, absences=[absence]).leave == {"sick": 0.5}
    assert judge(day=THURSDAY + timedelta(days=1), absences=[absence]).leave == {}


def test_leave_while_the_day_is_open_is_leave_not_pending() -> None:
    assert judge(absences=[leave(WEDNESDAY)], now=at(WEDNESDAY, "08:00")).status == "leave"


def test_leave_on_a_rest_day_or_holiday_takes_nothing() -> None:
    for day, status in [(SATURDAY, "rest"), (date(2026, 10, 1), "holiday")]:
        result = judge(day=day, absences=[leave(day)])
        assert (result.status, result.leave, result.trip_days) == (status, {}, 0)


@pytest.mark.parametrize(
    ("half", "clock_in", "clock_out", "status", "late", "early"),
    [("am", "13:30", "18:00", "normal", 0, 0), ("am", "13:35", "18:00", "normal", 0, 0),
     ("am", "13:36", "18:00", "late", 6, 0), ("am", "13:30", "17:30", "early", 0, 30),
     ("pm", "09:00", "13:30", "normal", 0, 0), ("pm", "09:00", "13:00", "early", 0, 30),
     ("pm", "09:30", "13:30", "serious_late", 30, 0)],
)  # fmt: skip
def test_half_day_leave_moves_the_required_hours(
    half: str, clock_in: str, clock_out: str, status: str, late: int, early: int
) -> None:
    absence = leave(WEDNESDAY, first_half=half, last_half=half)
    result = judge(punches(WEDNESDAY, ("in", clock_in), ("out", clock_out)), absences=[absence])
    assert (result.status, result.late_minutes, result.early_minutes) == (status, late, early)
    assert result.leave == {"annual": 0.5} and result.required_minutes == 270
    assert {"code": "leave", "type": "annual", "half": half} in result.reasons


@pytest.mark.parametrize("half", ["am", "pm"])
def test_half_day_leave_with_no_punches_is_half_a_day_absent(half: str) -> None:
    result = judge(absences=[leave(WEDNESDAY, first_half=half, last_half=half)])
    assert (result.status, result.absent_days, result.leave) == ("absent", 0.5, {"annual": 0.5})


def test_half_day_leave_and_absent_late_is_half_a_day() -> None:
    result = judge(punches(WEDNESDAY, ("in", "15:30"), ("out", "18:00")), absences=[leave(WEDNESDAY, last_half="am")])
    assert (result.status, result.late_minutes, result.absent_days) == ("absent", 120, 0.5)


def test_half_day_leave_on_a_flexible_day_halves_the_hours() -> None:
    absence = leave(WEDNESDAY, first_half="pm", last_half="pm")
    ok = judge(punches(WEDNESDAY, ("in", "10:00"), ("out", "14:00")), rules=FLEXIBLE, absences=[absence])
    assert (ok.status, ok.required_minutes) == ("normal", 240)
    short = judge(punches(WEDNESDAY, ("in", "10:00"), ("out", "13:00")), rules=FLEXIBLE, absences=[absence])
    assert (short.status, short.early_minutes) == ("early", 60)


def test_half_day_leave_on_a_night_shift_splits_it_in_instants() -> None:
    absence = leave(WEDNESDAY, first_half="am", last_half="am")
    result = judge(
        punches(WEDNESDAY, ("in", "+02:00"), ("out", "+06:00")), rules=SHIFTS, rostered="night", absences=[absence]
    )
    assert (result.status, result.required_minutes) == ("normal", 240)


def test_trip() -> None:
    trip = Absence("trip", WEDNESDAY, THURSDAY)
    result = judge(absences=[trip])
    assert (result.status, result.trip_days, result.leave, result.absent_days) == ("trip", 1.0, {}, 0)
    assert result.reasons == [{"code": "trip", "type": "", "half": "day"}]


def test_half_trip_half_leave() -> None:
    absences = [Absence("trip", WEDNESDAY, WEDNESDAY, "am", "am"), leave(WEDNESDAY, first_half="pm")]
    result = judge(absences=absences)
    assert (result.status, result.trip_days, result.leave, result.absent_days) == ("leave", 0.5, {"annual": 0.5}, 0)


def test_two_half_day_leaves_of_different_types() -> None:
    absences = [leave(WEDNESDAY, last_half="am", kind="sick"), leave(WEDNESDAY, first_half="pm")]
    result = judge(absences=absences)
    assert (result.status, result.leave) == ("leave", {"sick": 0.5, "annual": 0.5})


def test_half_day_trip_still_needs_the_other_half_worked() -> None:
    trip = Absence("trip", WEDNESDAY, WEDNESDAY, "pm", "pm")
    result = judge(punches(WEDNESDAY, ("in", "09:00"), ("out", "13:30")), absences=[trip])
    assert (result.status, result.trip_days) == ("normal", 0.5)


@pytest.mark.parametrize(("day", "status"), [(SATURDAY, "rest"), (WEDNESDAY, "normal"), (date(2026, 10, 1), "holiday")])
def test_approved_overtime_adds_minutes_even_on_a_rest_day(day: date, status: str) -> None:
    overtime = Absence("overtime", day, day, hours=3.5)
    result = judge(punches(day, ("in", "09:00"), ("out", "18:00")), day=day, absences=[overtime])
    assert (result.status, result.overtime_minutes) == (status, 210)
    assert {"code": "overtime", "hours": 3.5} in result.reasons


def test_overtime_counts_on_its_own_day_only() -> None:
    overtime = [Absence("overtime", SATURDAY, SATURDAY, hours=2), Absence("overtime", SATURDAY, SATURDAY, hours=1.25)]
    assert judge(day=SATURDAY, absences=overtime).overtime_minutes == 195
    assert judge(day=WEDNESDAY, absences=overtime).overtime_minutes == 0


# ---------------------------------------------------------------- make-up punches


def test_approved_makeup_punch_turns_missing_into_normal() -> None:
    clocked_in = punches(WEDNESDAY, ("in", "08:57"))
    before = judge(clocked_in)
    assert (before.status, before.missing_punches) == ("missing", 1)
    makeup = Punch(at(WEDNESDAY, "18:00"), "out", "none")  # approved two days later
    after = judge([*clocked_in, makeup], now=at(WEDNESDAY + timedelta(days=2), "10:00"))
    assert (after.status, after.missing_punches, after.field, after.final) == ("normal", 0, False, True)
    assert after.reasons == []


def test_makeup_clock_in_clears_absence() -> None:
    assert judge().status == "absent"
    result = judge([Punch(at(WEDNESDAY, "09:00"), "in", "none"), Punch(at(WEDNESDAY, "18:00"), "out", "none")])
    assert (result.status, result.absent_days) == ("normal", 0)


# ---------------------------------------------------------------- the month


def test_month_summary_adds_stored_days() -> None:
    overtime = Absence("overtime", WEDNESDAY, WEDNESDAY, hours=1.5)
    days = [
        judge(punches(WEDNESDAY, ("in", "09:10"), ("out", "17:00"))),
        judge(punches(WEDNESDAY, ("in", "09:40"), ("out", "18:00")), absences=[overtime]),
        judge(punches(WEDNESDAY, ("in", "09:00"))),
        judge(),
        judge(absences=[leave(WEDNESDAY, last_half="am")]),
        judge(absences=[leave(WEDNESDAY, kind="sick")]),
        judge(absences=[Absence("trip", WEDNESDAY, WEDNESDAY)]),
        judge(punches(WEDNESDAY, ("in", "09:00"), ("out", "18:00"), location="field")),
        judge(day=SATURDAY),
    ]  # fmt: skip
    summary = MonthSummary()
    for result in days:
        stored = {
            "required": result.required, "present": result.present, "late_minutes": result.late_minutes,
            "early_minutes": result.early_minutes, "absent_days": result.absent_days,
            "missing_punches": result.missing_punches, "overtime_minutes": result.overtime_minutes,
            "detail": result.detail(),
        }  # fmt: skip
        summary.add(result.status, stored)
    assert summary == MonthSummary(
        required_days=8, present_days=4, late_count=2, late_minutes=50, serious_late_count=1, early_count=1,
        early_minutes=60, absent_days=1.5, missing_punches=1, field_days=1, overtime_hours=1.5, trip_days=1.0,
        leave={"annual": 0.5, "sick": 1.0},
    )  # fmt: skip


# ---------------------------------------------------------------- properties

OFFSETS = st.integers(min_value=-120 * 60, max_value=600 * 60)  # seconds from the shift's start


def late_of(*offsets: int, rules: Rules = FIXED) -> DayResult:
    start = at(WEDNESDAY, "09:00")
    items = [Punch(start + timedelta(seconds=s), "in") for s in offsets]
    return judge([*items, Punch(at(WEDNESDAY, "18:00"), "out")], rules=rules)


@PROPERTY
@given(offset=OFFSETS, grace=st.integers(0, 29))
def test_late_minutes_follow_the_in_punch(offset: int, grace: int) -> None:
    rules = make_rules(late_grace_minutes=grace)
    result = late_of(offset, rules=rules)
    assert result.late_minutes >= 0
    if offset <= grace * 60:
        assert result.late_minutes == 0
        assert result.status == "normal"
    else:
        assert result.late_minutes == math.ceil(offset / 60) > grace
        assert result.status in ("late", "serious_late", "absent")


@PROPERTY
@given(later=OFFSETS, earlier_by=st.integers(min_value=0, max_value=300 * 60))
def test_an_earlier_in_punch_never_adds_lateness(later: int, earlier_by: int) -> None:
    alone = late_of(later)
    both = late_of(later, later - earlier_by)
    assert both.late_minutes <= alone.late_minutes
    assert both.absent_days <= alone.absent_days
    assert SEVERITY.index(both.status) >= SEVERITY.index(alone.status)


RULES_CHOICES = {
    "fixed": FIXED,
    "fixed-strict": make_rules(late_grace_minutes=0, absent_late_minutes=0, early_grace_minutes=15),
    "flexible": FLEXIBLE,
    "shift": SHIFTS,
}


@st.composite
def days(draw: st.DrawFn) -> tuple[Rules, Plan, ZoneInfo, list[Punch], list[Absence], datetime]:
    rules = RULES_CHOICES[draw(st.sampled_from(sorted(RULES_CHOICES)))]
    zone = draw(st.sampled_from([SHANGHAI, NEW_YORK]))
    day = draw(st.sampled_from([WEDNESDAY, SATURDAY, date(2026, 3, 7), date(2026, 10, 1), date(2026, 10, 10)]))
    rostered = draw(st.sampled_from([NOT_ROSTERED, None, "night", "early", "gone"]))
    plan = plan_day(rules, day, CALENDAR_2026, rostered)
    span = window(rules, plan, zone)
    length = int((span.closes - span.opens).total_seconds())
    at_ = st.integers(0, length).map(lambda s: span.opens + timedelta(seconds=s))
    punch = st.builds(
        Punch, at_, st.sampled_from(["in", "out"]), st.sampled_from(["place", "network", "field", "none"])
    )
    near = st.integers(-2, 2).map(lambda n: day + timedelta(days=n))
    half = st.sampled_from(["am", "pm"])
    absence = st.one_of(
        st.builds(
            Absence, st.sampled_from(["leave", "trip"]), near, near, half, half, st.sampled_from(["annual", "sick"])
        ),
        st.builds(Absence, st.just("overtime"), near, near, hours=st.floats(0, 12)),
    )
    now = span.opens + timedelta(seconds=draw(st.integers(-3600, length + 3600)))
    return rules, plan, zone, draw(st.lists(punch, max_size=5)), draw(st.lists(absence, max_size=3)), now


@PROPERTY
@given(days())
def test_day_result_invariants(case: tuple[Rules, Plan, ZoneInfo, list[Punch], list[Absence], datetime]) -> None:
    rules, plan, zone, items, absences, now = case
    result = evaluate(rules, plan, zone, items, absences, now)
    assert result.status in STATUSES
    assert result.absent_days in (0, 0.5, 1)
    assert result.late_minutes >= 0 and result.early_minutes >= 0 and result.worked_minutes >= 0
    assert 0 <= result.missing_punches <= 2
    assert result.final == (now >= window(rules, plan, zone).closes)
    assert result.required == plan.works
    assert result.plan == plan.kind
    assert all(isinstance(r.get("code"), str) for r in result.reasons)
    if not plan.works:
        assert result.status == plan.kind
        assert (result.absent_days, result.late_minutes, result.missing_punches, result.leave) == (0, 0, 0, {})
    if result.status == "pending":
        assert not result.final and result.absent_days == 0
    if not result.final:
        assert "no_punch" not in codes(result) and "missing_out" not in codes(result)
    if result.absent_days:
        assert result.status == "absent"
    if result.status in ("leave", "trip"):
        assert sum(result.leave.values()) + result.trip_days >= 1
    assert (
        result.in_at is None
        or result.out_at is None
        or result.worked_minutes == math.ceil(max(0, (result.out_at - result.in_at).total_seconds()) / 60)
    )
    # Evaluation does not depend on the order punches arrive in.
    again = evaluate(rules, plan, zone, list(reversed(items)), absences, now)
    assert again == result


@PROPERTY
@given(
    first=st.integers(0, 20), length=st.integers(-2, 20), first_half=st.sampled_from(["am", "pm"]),
    last_half=st.sampled_from(["am", "pm"]), probe=st.integers(-3, 45),
)  # fmt: skip
def test_halves_on_agrees_with_counting_half_days(
    first: int, length: int, first_half: str, last_half: str, probe: int
) -> None:
    base = date(2026, 2, 20)
    first_day, last_day = base + timedelta(days=first), base + timedelta(days=first + length)
    absence = Absence("leave", first_day, last_day, first_half, last_half)
    slots: set[tuple[date, str]] = set()
    day, half = first_day, first_half
    while (day, half) <= (last_day, last_half) and day <= last_day:  # "am" < "pm"
        slots.add((day, half))
        day, half = (day, "pm") if half == "am" else (day + timedelta(days=1), "am")
    probe_day = base + timedelta(days=probe)
    assert absence.halves_on(probe_day) == ((probe_day, "am") in slots, (probe_day, "pm") in slots)


@PROPERTY
@given(moment=st.integers(-3 * 86400, 4 * 86400), order=st.randoms(use_true_random=False))
def test_work_date_picks_an_open_work_window(moment: int, order: Any) -> None:
    roster: dict[date, object] = {
        WEDNESDAY - timedelta(days=1): "night",
        WEDNESDAY: None,
        THURSDAY: "early",
        THURSDAY + timedelta(days=1): "night",
    }
    candidates = plans(SHIFTS, roster)
    instant = datetime.combine(WEDNESDAY, time(), tzinfo=UTC) + timedelta(seconds=moment)
    chosen = work_date(instant, candidates)
    open_ = [(p, w) for p, w in candidates if p.works and w.opens <= instant <= w.closes]
    if not open_:
        assert chosen is None
        return
    assert chosen in open_
    shuffled = list(candidates)
    order.shuffle(shuffled)
    distance = [min(abs(instant - w.start), abs(instant - w.end)) for _, w in open_]
    if distance.count(min(distance)) == 1:  # no tie: the answer does not depend on the order
        assert work_date(instant, shuffled) == chosen


# ---------------------------------------------------------------- leave by the hour


def hourly(start: str, end: str, day: date = WEDNESDAY) -> Absence:
    h1, m1 = start.split(":")
    h2, m2 = end.split(":")
    return Absence(
        "leave", day, day, leave_type="annual", start_time=time(int(h1), int(m1)), end_time=time(int(h2), int(m2))
    )


@pytest.mark.parametrize(
    ("leave", "items", "status", "late", "early", "required"),
    [
        (("09:00", "11:00"), (("in", "11:04"), ("out", "18:00")), "normal", 0, 0, 420),  # the start moves to 11:00
        (("09:00", "11:00"), (("in", "11:20"), ("out", "18:00")), "late", 20, 0, 420),
        (("16:00", "18:00"), (("in", "09:00"), ("out", "16:00")), "normal", 0, 0, 420),  # the end moves to 16:00
        (("16:00", "18:00"), (("in", "09:00"), ("out", "15:00")), "early", 0, 60, 420),
        (("13:00", "15:00"), (("in", "09:00"), ("out", "18:00")), "normal", 0, 0, 420),  # inside the day
        (("19:00", "20:00"), (("in", "09:00"), ("out", "18:00")), "normal", 0, 0, 540),  # outside the work
    ],
)
def test_leave_by_the_hour(
    leave: tuple[str, str], items: tuple[tuple[str, str], ...], status: str, late: int, early: int, required: int
) -> None:
    result = judge(punches(WEDNESDAY, *items), absences=[hourly(*leave)])
    assert (result.status, result.late_minutes, result.early_minutes) == (status, late, early)
    assert result.required_minutes == required and result.leave == {
        "annual": 0.25 if leave != ("19:00", "20:00") else 0.12
    }
    assert result.reasons[0]["half"] == "hours"


def test_leave_by_the_hour_on_a_flexible_day_lowers_the_hours_required() -> None:
    result = judge(
        punches(WEDNESDAY, ("in", "09:00"), ("out", "15:00")), rules=FLEXIBLE, absences=[hourly("15:00", "17:00")]
    )
    assert result.required_minutes == 360 and result.status == "normal"


def test_leave_by_the_hour_on_another_day_changes_nothing() -> None:
    result = judge(punches(WEDNESDAY, ("in", "10:00"), ("out", "18:00")), absences=[hourly("09:00", "11:00", SATURDAY)])
    assert result.late_minutes == 60 and result.leave == {}
