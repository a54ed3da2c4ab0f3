"""The public-holiday calendar: mainland China's (法定节假日 and the 调休 working weekends
that replace them, from the ``chinesecalendar`` package, 2004 to the last year the State
Council has published) with each organisation's own changes on top.

An organisation's entry wins over the built-in one: ``holiday`` makes a day off,
``workday`` a working day, ``normal`` undoes a built-in entry (the weekday rule applies).
For years the package does not know yet, only the organisation's entries count.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from chinese_calendar import constants as cn

KINDS = ("holiday", "workday", "normal")

# The package's English names, shown in Chinese for Chinese organisations by the client.
NAMES_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}


@dataclass(frozen=True)
class CalendarDay:
    kind: str  # holiday | workday
    name: str
    source: str  # builtin | org


def builtin_years() -> tuple[int, int]:
    years = [d.year for d in cn.holidays]
    return min(years), max(years)


def builtin(day: date) -> CalendarDay | None:
    """The national calendar's entry for a day: a public holiday or a working weekend."""
    holiday = cn.holidays.get(day)
    if holiday is not None:
        return CalendarDay("holiday", str(holiday), "builtin")
    workday = cn.workdays.get(day)
    if workday is not None:
        return CalendarDay("workday", str(workday), "builtin")
    return None


def entries(first: date, last: date, overrides: Mapping[date, tuple[str, str]]) -> dict[date, CalendarDay]:
    """Every day from first to last that differs from the weekday rule, with the
    organisation's ``overrides`` ({day: (kind, name)}) applied."""
    result: dict[date, CalendarDay] = {}
    for table in (cn.holidays, cn.workdays):
        for day in table:
            if first <= day <= last:
                entry = builtin(day)
                if entry is not None:
                    result[day] = entry
    for day, (kind, name) in overrides.items():
        if not first <= day <= last:
            continue
        if kind == "normal":
            result.pop(day, None)
        else:
            result[day] = CalendarDay(kind, name, "org")
    return result
