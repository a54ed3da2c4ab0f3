"""Report periods: keys, deadlines, which periods fall due (pure)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from hobnail.domains.reports import periods

SHANGHAI = ZoneInfo("Asia/Shanghai")
days = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))


@given(day=days, period=st.sampled_from(["daily", "weekly", "monthly", "none"]))
@settings(max_examples=200, deadline=None)
def test_a_day_lies_in_its_periods_span(day: date, period: str) -> None:
    key = periods.period_key(period, day)
    first, last = periods.period_days(period, key)
    assert first <= day <= last
    assert periods.period_key(period, first) == key == periods.period_key(period, last)


@given(first=days, length=st.integers(0, 120), period=st.sampled_from(["daily", "weekly", "monthly"]))
@settings(max_examples=200, deadline=None)
def test_each_due_period_is_due_once_inside_the_span(first: date, length: int, period: str) -> None:
    last = first + timedelta(days=length)
    keys = periods.due_keys(period, first, last, lambda d: d.weekday() < 5)
    assert len(keys) == len(set(keys))
    assert all(first <= periods.due_day(period, k) <= last for k in keys)


def test_deadlines_are_in_the_organisations_zone() -> None:
    assert periods.deadline("daily", "2026-12-07", "20:00", SHANGHAI) == datetime(2026, 12, 7, 12, tzinfo=UTC)
    assert periods.deadline("weekly", "2026-12-07", "18:00", SHANGHAI) == datetime(2026, 12, 11, 10, tzinfo=UTC)
    assert periods.deadline("monthly", "2026-02", "20:00", SHANGHAI) == datetime(2026, 2, 28, 12, tzinfo=UTC)
    assert periods.deadline("none", "2026-12-07", "20:00", SHANGHAI) is None


def test_daily_reports_are_due_on_working_days_only() -> None:
    holiday = {date(2026, 10, 1): False, date(2026, 10, 10): True}  # a holiday; a 调休 Saturday
    keys = periods.due_keys("daily", date(2026, 9, 30), date(2026, 10, 11), holiday)
    assert keys[:2] == ["2026-09-30", "2026-10-02"] and "2026-10-10" in keys and "2026-10-11" not in keys
