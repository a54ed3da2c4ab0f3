#!/usr/bin/env python3
"""Attendance month benchmark: compute and store a month of daily results for N people
with ``results.recompute`` (what the closing job runs), in this process, on SQLite.

    .venv/bin/python benchmarks/attendance.py                    # 10,000 people, October 2026
    .venv/bin/python benchmarks/attendance.py --people 1000      # smoke run, well under a minute
    .venv/bin/python benchmarks/attendance.py --people 1000 --profile /tmp/attendance.pstats
    .venv/bin/python benchmarks/attendance.py --database-url postgresql+asyncpg://…/empty_db

Set-up (not timed): a migrated database (``hobnail.db.migrate.upgrade``, as ``hobnail
migrate`` does), one organisation in Asia/Shanghai, N users with memberships in a
three-level department tree, three attendance groups covering the top departments (fixed
09:00-18:00 with China's holidays, so National Day 1-7 October and the make-up workday
on Saturday 10 October apply; three shifts incl. a night shift 22:00-06:00 with a roster
row for every person-day; flexible 8 h), rules effective from 1 October, punches for most
people on most work days (some late, early, missing, absent; field and rejected punches),
leave (full and half days, one across two half days), trips and overtime. All inserted
with SQLAlchemy Core through the app's engine factory, so SQLite runs with the server's
driver and pragmas. The clock is frozen at 3 November 10:00 so every day of the month is
final.

Timed: ``results.recompute(session, org, 1 Oct, 31 Oct)`` for everyone (user_ids None)
and the commit after it (``month_10k_s``, whatever --people is), then the same month again
over the stored rows (``again``) and the two days a 30-minute closing run recomputes
(``close_2_days``). The split between loading, the engine and storing is measured by
wrapping the functions ``recompute`` calls (module attributes; src/ is not changed).
``neighbours``: what the rest of a server process would see meanwhile (the job runner
shares the server's event loop): the longest stall of a 10 ms ticker, and how long
another session's write transaction waited (a BEGIN IMMEDIATE + ROLLBACK once a second).

Prints one JSON object on stdout, progress on stderr. Timings are printed, never asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import faulthandler
import gc
import io
import json
import os
import pstats
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from hobnail.core import clock
from hobnail.core.ids import new_id
from hobnail.db.engine import create_engine, create_sessionmaker
from hobnail.db.migrate import upgrade
from hobnail.domains.accounts import service as accounts_service
from hobnail.domains.attendance import calendar as holiday_calendar
from hobnail.domains.attendance import context, repository, results
from hobnail.domains.attendance.rules import check_rules
from hobnail.models import (
    AttendanceAbsence,
    AttendanceDay,
    AttendanceGroup,
    AttendancePunch,
    AttendanceRoster,
    AttendanceRules,
    Department,
    DepartmentMember,
    Membership,
    Organization,
    User,
)

ZONE = ZoneInfo("Asia/Shanghai")
FIRST, LAST = date(2026, 10, 1), date(2026, 10, 31)
NOW = datetime(2026, 11, 3, 10, 0, tzinfo=ZONE).astimezone(UTC)  # every October day is final
SET_UP_AT = datetime(2026, 9, 20, 10, 0, tzinfo=ZONE).astimezone(UTC)
GROUP_SHARES = (("fixed", 0.60), ("shift", 0.25), ("flexible", 0.15))
TEAM_SIZE = 100
BATCH = 5000  # rows per executemany in the set-up
MB = 2**20

RULES: dict[str, dict[str, Any]] = {
    "fixed": {
        "kind": "fixed", "workdays": [0, 1, 2, 3, 4], "holidays": True,
        "shift": {"id": "office", "name": "Office 9-6", "start": "09:00", "end": "18:00"},
    },
    "shift": {
        "kind": "shift",
        "shifts": [
            {"id": "early", "name": "Early", "start": "06:00", "end": "14:00"},
            {"id": "late", "name": "Late", "start": "14:00", "end": "22:00"},
            {"id": "night", "name": "Night", "start": "22:00", "end": "06:00"},
        ],
    },
    "flexible": {"kind": "flexible", "workdays": [0, 1, 2, 3, 4], "holidays": True, "flex_hours": 8},
}  # fmt: skip
SHIFT_TIMES = {"early": ((6, 0), (14, 0)), "late": ((14, 0), (22, 0)), "night": ((22, 0), (6, 0))}
ROTATION = ("early", "early", "late", "late", "night", "night", None, None)  # 8-day cycle, None: rest


def log(*parts: Any) -> None:
    print(f"[attendance {time.strftime('%H:%M:%S')}]", *parts, file=sys.stderr, flush=True)


def days(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def local(day: date, hour: int, minute: int) -> datetime:
    return datetime.combine(day, clock_time(hour, minute), ZONE).astimezone(UTC)


def rss_mb(field: str = "VmRSS") -> float | None:
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return round(int(line.split()[1]) * 1024 / MB, 1)
    return None


def reset_peak_rss() -> bool:
    """Linux: reset VmHWM to the current RSS, so the next peak is this phase's own."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


# --- the data ---------------------------------------------------------------------------------


class Person:
    __slots__ = ("id", "index", "kind", "named", "second_team", "team")

    def __init__(self, index: int, kind: str) -> None:
        self.id, self.index, self.kind = new_id(), index, kind
        self.team = ""
        self.second_team: str | None = None
        self.named = False  # named in the flexible group although their department is fixed


class World:
    """Everything generated: ids and rows of the directory, groups and rules; the month's
    punches, roster and absences are generated per slice of people (``month_rows``)."""

    def __init__(self, people: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.org_id = new_id()
        self.calendar = holiday_calendar.entries(FIRST - timedelta(days=1), LAST + timedelta(days=1), {})
        self.people: list[Person] = []
        self.departments: list[dict[str, Any]] = []
        self.group_ids = {kind: new_id() for kind, _ in GROUP_SHARES}
        self.top: dict[str, str] = {}
        counts = self._counts(people)
        index = 0
        for position, (kind, _share) in enumerate(GROUP_SHARES):
            top = self._department(f"{kind.title()} division", None, position)
            self.top[kind] = top
            teams_n = max(1, round(counts[kind] / TEAM_SIZE))
            branches = [self._department(f"{kind} branch {b + 1}", top, b) for b in range(min(4, teams_n))]
            teams = [self._department(f"{kind} team {t + 1}", branches[t % len(branches)], t) for t in range(teams_n)]
            for n in range(counts[kind]):
                person = Person(index, kind)
                person.team = teams[n % teams_n]
                if n % 25 == 7 and teams_n > 1:  # 4 %: also in a second team of the same division
                    person.second_team = teams[(n + 1) % teams_n]
                if kind == "fixed" and n % 200 == 3:  # 0.5 %: named in the flexible group, which wins
                    person.named, person.kind = True, "flexible"
                self.people.append(person)
                index += 1

    @staticmethod
    def _counts(people: int) -> dict[str, int]:
        counts = {kind: int(people * share) for kind, share in GROUP_SHARES}
        counts["fixed"] += people - sum(counts.values())
        return counts

    def _department(self, name: str, parent: str | None, position: int) -> str:
        department_id = new_id()
        self.departments.append({
            "id": department_id, "org_id": self.org_id, "parent_id": parent, "name": name,
            "position": position, "created_at": SET_UP_AT,
        })  # fmt: skip
        return department_id

    # directory, groups, rules

    def directory_rows(self) -> dict[Any, list[dict[str, Any]]]:
        users, members, department_members = [], [], []
        team_has_manager: set[str] = set()
        for p in self.people:
            users.append({
                "id": p.id, "email": f"p{p.index:06d}@attendance-bench.example", "phone": None,
                "name": f"员工{p.index:06d}", "name_pinyin": f"yuan gong {p.index:06d}", "name_initials": "yg",
                "password_hash": None, "language": None, "timezone": None, "avatar_key": None,
                "quiet_hours_start": None, "quiet_hours_end": None, "kind": "person", "created_at": SET_UP_AT,
            })  # fmt: skip
            members.append({
                "id": new_id(), "org_id": self.org_id, "user_id": p.id, "role": "owner" if p.index == 0 else "member",
                "title": "", "employee_no": f"E{p.index:06d}", "work_start_on": None, "status": "active",
                "created_at": SET_UP_AT, "deactivated_at": None,
            })  # fmt: skip
            for offset, team in enumerate(t for t in (p.team, p.second_team) if t):
                manager = offset == 0 and team not in team_has_manager
                if manager:
                    team_has_manager.add(team)
                department_members.append({
                    "department_id": team, "user_id": p.id, "org_id": self.org_id, "is_manager": manager,
                    "created_at": SET_UP_AT + timedelta(seconds=offset),
                })  # fmt: skip
        return {User: users, Membership: members, Department: self.departments, DepartmentMember: department_members}

    def group_rows(self) -> dict[Any, list[dict[str, Any]]]:
        groups, versions = [], []
        for position, (kind, _share) in enumerate(GROUP_SHARES):
            named = [p.id for p in self.people if p.named] if kind == "flexible" else []
            groups.append({
                "id": self.group_ids[kind], "org_id": self.org_id, "name": f"{kind.title()} hours",
                "user_ids": named, "department_ids": [self.top[kind]],
                "created_at": SET_UP_AT + timedelta(seconds=position), "updated_at": None,
            })  # fmt: skip
            versions.append({
                "group_id": self.group_ids[kind], "effective_from": FIRST, "rules": check_rules(RULES[kind]),
                "created_at": SET_UP_AT,
            })  # fmt: skip
        return {AttendanceGroup: groups, AttendanceRules: versions}

    # the month

    def works(self, day: date) -> bool:
        """A working day for the fixed and flexible groups (Monday-Friday and the calendar)."""
        entry = self.calendar.get(day)
        if entry is not None:
            return entry.kind == "workday"
        return day.weekday() < 5

    def month_rows(self, people: list[Person], counts: Counter[str]) -> dict[Any, list[dict[str, Any]]]:
        """Roster, punches and absences of some people for the month."""
        rng = self.rng
        punches: list[dict[str, Any]] = []
        roster: list[dict[str, Any]] = []
        absences: list[dict[str, Any]] = []

        def punch(user_id: str, work_date: date, at: datetime, kind: str, review: str = "") -> None:
            at = at + timedelta(seconds=rng.randrange(60))
            location = "field" if rng.random() < 0.01 else "place"
            punches.append({
                "id": new_id(), "org_id": self.org_id, "user_id": user_id, "work_date": work_date, "at": at,
                "kind": kind, "source": "web", "location_result": location,
                "place": "" if location == "field" else "HQ", "latitude": None, "longitude": None,
                "accuracy": None, "ip": "", "ssid": "", "bssid": "", "device_id": "", "note": "",
                "photo_file_id": None, "request_id": None, "flags": ["far"] if review else [],
                "review": review, "client_id": None, "created_at": at,
            })  # fmt: skip
            counts["punches_rejected" if review else "punches"] += 1

        def absence(user_id: str, kind: str, first: date, last: date, first_half: str = "am",
                    last_half: str = "pm", leave_type: str = "", hours: float = 0.0,
                    between: tuple[str, str] | None = None) -> None:  # fmt: skip
            absences.append({
                "request_id": new_id(), "org_id": self.org_id, "user_id": user_id, "kind": kind,
                "leave_type": leave_type, "first_day": first, "last_day": last, "first_half": first_half,
                "last_half": last_half, "hours": hours, "start_time": between[0] if between else None,
                "end_time": between[1] if between else None,
            })  # fmt: skip
            counts[f"absences_{kind}{'_by_the_hour' if between else ''}"] += 1

        for person in people:
            # The work plan: (day, start, end) of each work day; shift people get a roster.
            plan: list[tuple[date, datetime | None, datetime | None]] = []
            rest_days: list[date] = []
            if person.kind == "shift":
                offset = person.index % len(ROTATION)
                for day in days(FIRST - timedelta(days=1), LAST + timedelta(days=1)):
                    shift = ROTATION[(day.toordinal() + offset) % len(ROTATION)]
                    roster.append({
                        "org_id": self.org_id, "user_id": person.id, "day": day,
                        "group_id": self.group_ids["shift"], "shift_id": shift,
                    })  # fmt: skip
                    counts["roster_rows"] += 1
                    if not FIRST <= day <= LAST:
                        continue
                    if shift is None:
                        rest_days.append(day)
                        continue
                    (sh, sm), (eh, em) = SHIFT_TIMES[shift]
                    end_day = day + timedelta(days=1) if (eh, em) <= (sh, sm) else day
                    plan.append((day, local(day, sh, sm), local(end_day, eh, em)))
            else:
                for day in days(FIRST, LAST):
                    if not self.works(day):
                        rest_days.append(day)
                    elif person.kind == "fixed":
                        plan.append((day, local(day, 9, 0), local(day, 18, 0)))
                    else:
                        plan.append((day, None, None))

            # Leave, trips and overtime: {day: "day" | "am" | "pm"} off.
            off: dict[date, str] = {}
            workdays = [d for d, _, _ in plan]
            draw = rng.random()
            if workdays and draw < 0.05:  # annual leave, 1-3 whole work days
                k = rng.randrange(len(workdays))
                span = workdays[k : k + rng.randint(1, 3)]
                absence(person.id, "leave", span[0], span[-1], leave_type="annual")
                off.update({d: "day" for d in span})
            elif workdays and draw < 0.09:  # half a day of personal leave
                day, half = rng.choice(workdays), rng.choice(("am", "pm"))
                absence(person.id, "leave", day, day, half, half, leave_type="personal")
                off[day] = half
            elif len(workdays) > 1 and draw < 0.10:  # sick: the afternoon of one day and the next morning
                k = rng.randrange(len(workdays) - 1)
                absence(person.id, "leave", workdays[k], workdays[k + 1], "pm", "am", leave_type="sick")
                off[workdays[k]], off[workdays[k + 1]] = "pm", "am"
            elif len(workdays) > 1 and draw < 0.12:  # a two-day business trip
                k = rng.randrange(len(workdays) - 1)
                absence(person.id, "trip", workdays[k], workdays[k + 1])
                off[workdays[k]] = off[workdays[k + 1]] = "day"
            elif workdays and draw < 0.14 and person.kind != "shift":  # two hours off, at the start or the end
                day, early = rng.choice(workdays), rng.random() < 0.5
                if person.kind == "fixed":
                    between = ("09:00", "11:00") if early else ("16:00", "18:00")
                else:
                    between = ("10:00", "12:00")
                absence(person.id, "leave", day, day, leave_type="personal", hours=2.0, between=between)
                off[day] = "hours_am" if early else "hours_pm"
            overtime: dict[date, float] = {}
            if rng.random() < 0.10:
                for _ in range(rng.randint(1, 2)):
                    if rest_days and rng.random() < 0.4:
                        day, hours = rng.choice(rest_days), 4.0
                    elif workdays:
                        day, hours = rng.choice(workdays), 2.0
                    else:
                        continue
                    if day in overtime or day in off:
                        continue
                    overtime[day] = hours
                    absence(person.id, "overtime", day, day, hours=hours)

            # Punches: rest days only with overtime; work days by a drawn scenario.
            for day in rest_days:
                if day in overtime:
                    punch(person.id, day, local(day, 10, rng.randrange(10)), "in")
                    punch(person.id, day, local(day, 14, 5 + rng.randrange(20)), "out")
            for day, start, end in plan:
                half = off.get(day)
                if half == "day":
                    counts["days_off"] += 1
                    continue
                if start is None or end is None:  # flexible: they choose when
                    start = local(day, 7, 30) + timedelta(minutes=rng.randrange(180))
                    end = start + timedelta(hours=8)
                    flexible = True
                else:
                    flexible = False
                if half in ("hours_am", "hours_pm"):  # two hours less: arrive later or leave earlier
                    if flexible:
                        end -= timedelta(hours=2)
                    elif half == "hours_am":
                        start += timedelta(hours=2)
                    else:
                        end -= timedelta(hours=2)
                elif half is not None:  # the other half of the day only
                    middle = start + (end - start) / 2
                    start, end = (middle, end) if half == "am" else (start, middle)
                    if flexible:
                        end = start + timedelta(hours=4)
                if day in overtime:
                    end += timedelta(hours=overtime[day])
                scenario = rng.random()
                in_at = start - timedelta(minutes=rng.randint(1, 30))
                out_at = end + timedelta(minutes=rng.randint(0, 40))
                if flexible:
                    in_at = start
                if scenario < 0.015:
                    counts["scenario_absent"] += 1
                    continue
                if scenario < 0.025:
                    counts["scenario_missing_in"] += 1
                    in_at = None
                elif scenario < 0.045:
                    counts["scenario_missing_out"] += 1
                    out_at = None
                elif scenario < 0.085 and not flexible:
                    counts["scenario_late"] += 1
                    in_at = start + timedelta(minutes=rng.randint(6, 29))
                elif scenario < 0.095 and not flexible:
                    counts["scenario_serious_late"] += 1
                    in_at = start + timedelta(minutes=rng.randint(30, 110))
                elif scenario < 0.098 and not flexible:
                    counts["scenario_absent_late"] += 1
                    in_at = start + timedelta(minutes=rng.randint(121, 200))
                elif scenario < 0.128:
                    counts["scenario_early"] += 1
                    out_at = end - timedelta(minutes=rng.randint(5, 60))
                else:
                    counts["scenario_normal"] += 1
                if in_at is not None:
                    punch(person.id, day, in_at, "in")
                    if rng.random() < 0.015:  # clocked in twice
                        punch(person.id, day, in_at + timedelta(minutes=rng.randint(1, 5)), "in")
                if out_at is not None:
                    punch(person.id, day, out_at, "out")
                if rng.random() < 0.002:  # a rejected punch, which does not count
                    punch(person.id, day, start + timedelta(hours=2), "out", review="rejected")
        return {AttendanceRoster: roster, AttendancePunch: punches, AttendanceAbsence: absences}


async def insert(session: Any, rows_by_model: dict[Any, list[dict[str, Any]]]) -> None:
    for model, rows in rows_by_model.items():
        unknown = set(rows[0]) - set(model.__table__.columns.keys()) if rows else set()
        if unknown:  # an older schema (another checkout on PYTHONPATH), e.g. no leave by the hour
            rows = [{k: v for k, v in row.items() if k not in unknown} for row in rows]
        for start in range(0, len(rows), BATCH):
            await session.execute(sa.insert(model), rows[start : start + BATCH])


async def set_up(sessionmaker: Any, world: World) -> tuple[Counter[str], float]:
    started = time.perf_counter()
    counts: Counter[str] = Counter()
    async with sessionmaker() as session:
        await session.execute(
            sa.insert(Organization),
            [{"id": world.org_id, "name": "Attendance bench Ltd", "timezone": "Asia/Shanghai", "language": "zh-CN",
              "kind": "company", "settings": {}, "created_at": SET_UP_AT}],
        )  # fmt: skip
        directory = world.directory_rows()
        await insert(session, directory)
        await insert(session, world.group_rows())
        await session.commit()
    counts["departments"] = len(world.departments)
    counts["department_members"] = len(directory[DepartmentMember])
    log(f"directory: {len(world.people)} people, {len(world.departments)} departments")
    slice_size = 1000
    for start in range(0, len(world.people), slice_size):
        rows = world.month_rows(world.people[start : start + slice_size], counts)
        async with sessionmaker() as session:
            await insert(session, rows)
            await session.commit()
        if (start // slice_size) % 5 == 4:
            log(f"month data: {start + slice_size} people, {counts['punches']} punches")
    return counts, time.perf_counter() - started


# --- measuring ---------------------------------------------------------------------------------


class Split:
    """Wall time spent inside the functions ``recompute`` calls, found by wrapping them."""

    # (module, attribute, label): the outer steps, then steps inside them
    TARGETS = (
        (context, "load", "load_context_s"),
        (accounts_service, "directory_snapshot", "directory_s"),
        (context, "load_inputs", "load_inputs_s"),
        (repository, "roster", "roster_query_s"),
        (repository, "punches", "punches_query_s"),
        (repository, "absences", "absences_query_s"),
        (results, "compute", "compute_s"),
        (repository, "replace_days", "store_s"),
    )

    def __init__(self) -> None:
        self.seconds: defaultdict[str, float] = defaultdict(float)
        self.saved: list[tuple[Any, str, Any]] = []
        self.gc_started = 0.0

    def __enter__(self) -> Split:
        for module, name, label in self.TARGETS:
            original = getattr(module, name)
            self.saved.append((module, name, original))
            setattr(module, name, self._timed(original, label))
        gc.callbacks.append(self._gc)
        return self

    def __exit__(self, *_exc: object) -> None:
        for module, name, original in reversed(self.saved):
            setattr(module, name, original)
        self.saved.clear()
        gc.callbacks.remove(self._gc)

    def _timed(self, function: Callable[..., Any], label: str) -> Callable[..., Any]:
        seconds = self.seconds
        if asyncio.iscoroutinefunction(function):

            async def timed_async(*args: Any, **kwargs: Any) -> Any:
                started = time.perf_counter()
                try:
                    return await function(*args, **kwargs)
                finally:
                    seconds[label] += time.perf_counter() - started

            return timed_async

        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                seconds[label] += time.perf_counter() - started

        return timed

    def watch_session(self, session: Any) -> None:
        """Time each statement the session executes (SQL, plus building ORM objects for
        selects), by kind: select, delete, insert."""
        original = session.execute
        seconds = self.seconds

        async def execute(statement: Any, *args: Any, **kwargs: Any) -> Any:
            kind = "select"
            if isinstance(statement, sa.Insert | sa.Delete):
                kind = "insert" if isinstance(statement, sa.Insert) else "delete"
            started = time.perf_counter()
            try:
                return await original(statement, *args, **kwargs)
            finally:
                seconds[f"sql_{kind}_s"] += time.perf_counter() - started
                seconds[f"sql_{kind}_statements"] += 1

        session.execute = execute

    def _gc(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self.gc_started = time.perf_counter()
        else:
            self.seconds["gc_s"] += time.perf_counter() - self.gc_started
            self.seconds[f"gc_gen{info['generation']}_runs"] += 1


class Neighbours:
    """What the rest of a ``hobnail serve`` process would see meanwhile (the job runner runs
    on the server's event loop): the longest stall of a 10 ms ticker on this loop and, with
    ``probe``, how long a write transaction of another session waits (once a second: BEGIN
    IMMEDIATE, which takes SQLite's write lock, then ROLLBACK)."""

    TICK = 0.01

    def __init__(self, sessionmaker: Any, probe: bool) -> None:
        self.sessionmaker, self.probe = sessionmaker, probe
        self.stalls: list[float] = []
        self.waits: list[float] = []
        self.failed = 0
        self.error = ""
        self.stop = asyncio.Event()
        self.tasks: list[asyncio.Task[None]] = []

    async def __aenter__(self) -> Neighbours:
        self.tasks.append(asyncio.create_task(self._tick()))
        if self.probe:
            self.tasks.append(asyncio.create_task(self._write()))
        await asyncio.sleep(0)
        return self

    async def __aexit__(self, *_exc: object) -> None:
        self.stop.set()
        await asyncio.wait_for(asyncio.gather(*self.tasks), 60)  # a probe in flight ends once the lock is free

    async def _tick(self) -> None:
        last = time.perf_counter()
        while not self.stop.is_set():
            await asyncio.sleep(self.TICK)
            now = time.perf_counter()
            self.stalls.append(now - last - self.TICK)
            last = now

    async def _write(self) -> None:
        while not self.stop.is_set():
            started = time.perf_counter()
            try:
                async with self.sessionmaker() as other:
                    await other.execute(sa.text("SELECT 1"))  # the transaction begins: BEGIN IMMEDIATE on SQLite
                    await other.rollback()
            except sa.exc.OperationalError as error:
                self.failed += 1
                self.error = self.error or str(error.orig)[:80]
            self.waits.append(time.perf_counter() - started)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.stop.wait(), 1.0)

    def report(self) -> dict[str, Any]:
        long = [s for s in self.stalls if s >= 0.1]
        found: dict[str, Any] = {
            "loop_max_stall_s": round(max(self.stalls, default=0.0), 2),
            "loop_stalls_over_100ms": len(long),
            "loop_stalled_s": round(sum(long), 1),
        }
        if self.probe:
            found["write_probes"] = len(self.waits)
            found["write_probes_failed"] = self.failed
            found["write_wait_max_s"] = round(max(self.waits, default=0.0), 2)
            if self.error:
                found["write_error"] = self.error
        return found


async def timed_recompute(
    sessionmaker: Any,
    org_id: str,
    first: date,
    last: date,
    profile: cProfile.Profile | None = None,
    probe: bool = False,
) -> dict[str, Any]:
    """One recompute of everyone over [first, last] and its commit, with the split."""
    gc.collect()
    peak_reset = reset_peak_rss()
    rss_before = rss_mb()
    cpu_before = time.process_time()
    async with Neighbours(sessionmaker, probe) as neighbours, sessionmaker() as session:
        org = await session.get(Organization, org_id)
        assert org is not None
        with Split() as split:
            split.watch_session(session)
            started = time.perf_counter()
            if profile is not None:
                profile.enable()
            found = await results.recompute(session, org, first, last)
            if profile is not None:
                profile.disable()
            computed = time.perf_counter()
            await session.commit()
            committed = time.perf_counter()
    cpu = time.process_time() - cpu_before
    recompute_s, commit_s = computed - started, committed - computed
    s = split.seconds
    parts = {
        "load_context_s": s["load_context_s"],
        "directory_s": s["directory_s"],
        "load_inputs_s": s["load_inputs_s"],
        "roster_query_s": s["roster_query_s"],
        "punches_query_s": s["punches_query_s"],
        "absences_query_s": s["absences_query_s"],
        "compute_s": s["compute_s"],
        # building the row dicts (DayResult.detail() per row) and the rest of recompute
        "rows_s": recompute_s - s["load_context_s"] - s["load_inputs_s"] - s["compute_s"] - s["store_s"],
        "store_s": s["store_s"],
        "delete_s": s["sql_delete_s"],
        "insert_s": s["sql_insert_s"],
        "commit_s": commit_s,
        "sql_select_s": s["sql_select_s"],
        "gc_s": s["gc_s"],
    }
    return {
        "seconds": recompute_s + commit_s,
        "recompute_s": recompute_s,
        "rows": len(found),
        "split": {k: round(v, 3) for k, v in parts.items()},
        "statements": {k: int(s[f"sql_{k}_statements"]) for k in ("select", "delete", "insert")},
        "gc_runs": {f"gen{g}": int(s[f"gc_gen{g}_runs"]) for g in range(3)},
        "cpu_s": round(cpu, 2),
        "neighbours": neighbours.report(),
        "rss_before_mb": rss_before,
        "peak_rss_mb": rss_mb("VmHWM") if peak_reset else None,
        "found": found,
    }


def summary(found: dict[Any, Any], group_kinds: dict[str, str]) -> tuple[dict[str, int], dict[str, int]]:
    people_by_group: dict[str, set[str]] = {}
    statuses: Counter[str] = Counter()
    for (user_id, _day), (group_id, result) in found.items():
        people_by_group.setdefault(group_kinds[group_id], set()).add(user_id)
        statuses[result.status] += 1
    return {k: len(v) for k, v in people_by_group.items()}, dict(statuses.most_common())


def prefixed(counts: Counter[str], prefix: str) -> dict[str, int]:
    return {k.removeprefix(prefix): v for k, v in sorted(counts.items()) if k.startswith(prefix)}


def hobnail_source() -> dict[str, str]:
    import hobnail

    info = {"path": str(Path(hobnail.__file__).parent)}
    with contextlib.suppress(Exception):
        git = subprocess.run(
            ["git", "-C", info["path"], "describe", "--always", "--dirty"],
            capture_output=True, text=True, timeout=10, check=False,
        )  # fmt: skip
        if git.returncode == 0:
            info["git"] = git.stdout.strip()
    return info


def profile_report(profile: cProfile.Profile, path: str) -> None:
    profile.dump_stats(path)
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats(order).print_stats(30)
        log(f"profile by {order} (full stats in {path}):\n{out.getvalue()}")


def loadavg() -> list[float] | None:
    with contextlib.suppress(OSError):
        return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]
    return None


async def run(args: argparse.Namespace, url: str) -> dict[str, Any]:
    load_start = loadavg()
    started = time.perf_counter()
    await upgrade(url)
    migrate_s = time.perf_counter() - started
    log(f"migrated {url.split('@')[-1]} in {migrate_s:.1f} s")
    clock.freeze(SET_UP_AT)
    engine = create_engine(url)
    sessionmaker = create_sessionmaker(engine)
    try:
        world = World(args.people, args.seed)
        counts, setup_s = await set_up(sessionmaker, world)
        log(f"set up in {setup_s:.1f} s: {counts['punches']} punches, {counts['roster_rows']} roster rows")
        if engine.dialect.name == "sqlite":  # start from an empty WAL (the pool's connections are idle)
            with contextlib.closing(sqlite3.connect(url.split("///", 1)[1])) as raw:
                raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        setup_peak_rss = rss_mb("VmHWM")  # before timed_recompute resets the high-water mark
        clock.freeze(NOW)
        group_kinds = {v: k for k, v in world.group_ids.items()}

        profile = cProfile.Profile() if args.profile else None
        log(f"recompute {FIRST}..{LAST} for everyone")
        month = await timed_recompute(sessionmaker, world.org_id, FIRST, LAST, profile, probe=not args.no_probe)
        log(f"month: {month['seconds']:.2f} s, {month['rows']} rows, split {month['split']}")
        if profile is not None:
            profile_report(profile, args.profile)
        group_mix, status_mix = summary(month.pop("found"), group_kinds)

        extra: dict[str, Any] = {}
        if not args.no_again:
            again = await timed_recompute(sessionmaker, world.org_id, FIRST, LAST)
            again.pop("found")
            log(f"month again (replacing stored rows): {again['seconds']:.2f} s")
            two = await timed_recompute(
                sessionmaker, world.org_id, LAST - timedelta(days=1), LAST, probe=not args.no_probe
            )
            two.pop("found")
            log(f"two days (a closing run): {two['seconds']:.2f} s")
            extra = {
                "again": {k: again[k] for k in ("seconds", "rows", "split", "cpu_s", "peak_rss_mb")},
                "close_2_days": {k: two[k] for k in ("seconds", "rows", "split", "cpu_s", "neighbours")},
            }
            extra["again"]["seconds"] = round(extra["again"]["seconds"], 2)
            extra["close_2_days"]["seconds"] = round(extra["close_2_days"]["seconds"], 2)
        async with sessionmaker() as session:
            stored = await session.scalar(
                sa.select(sa.func.count()).select_from(AttendanceDay).where(AttendanceDay.org_id == world.org_id)
            )
    finally:
        await engine.dispose()
        clock.reset()

    seconds = month["seconds"]
    database_mb = None
    if url.startswith("sqlite"):
        path = Path(url.split("///", 1)[1])
        database_mb = round(sum(p.stat().st_size for p in path.parent.glob(path.name + "*")) / MB, 1)
    return {
        "people": args.people,
        "days": (LAST - FIRST).days + 1,
        "month": FIRST.strftime("%Y-%m"),
        "month_10k_s": round(seconds, 2),
        "recompute_s": round(month["recompute_s"], 2),
        "commit_s": month["split"]["commit_s"],
        "rows_stored": stored,
        "results": month["rows"],
        "results_per_s": round(month["rows"] / seconds) if seconds else None,
        "us_per_result": round(seconds / month["rows"] * 1e6, 1) if month["rows"] else None,
        "split": month["split"],
        "statements": month["statements"],
        "gc_runs": month["gc_runs"],
        "cpu_s": month["cpu_s"],
        "neighbours": month["neighbours"],
        "rss_before_mb": month["rss_before_mb"],
        "peak_rss_mb": month["peak_rss_mb"],
        "setup_peak_rss_mb": setup_peak_rss,
        **extra,
        "group_mix": group_mix,
        "status_mix": status_mix,
        "inputs": {
            "departments": counts["departments"],
            "department_members": counts["department_members"],
            "named_in_group": sum(1 for p in world.people if p.named),
            "punches": counts["punches"],
            "punches_rejected": counts["punches_rejected"],
            "roster_rows": counts["roster_rows"],
            "absences": prefixed(counts, "absences_"),
            "scenarios": prefixed(counts, "scenario_"),
            "work_days_off": counts["days_off"],
        },
        "setup_s": round(setup_s, 1),
        "migrate_s": round(migrate_s, 1),
        "profiled": bool(args.profile),
        "database": url.split(":", 1)[0].split("+", 1)[0],
        "database_mb": database_mb,
        "python": sys.version.split()[0],
        "sqlite": sqlite3.sqlite_version,
        "sqlalchemy": sa.__version__,
        "cores": os.cpu_count(),
        "loadavg_start": load_start,
        "loadavg_end": loadavg(),
        "hobnail_source": hobnail_source(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=10000)
    parser.add_argument(
        "--database-url", default="",
        help="an empty database to fill (default: a fresh SQLite file in a temporary directory, removed after)",
    )  # fmt: skip
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile", default="", help="cProfile the month's recompute; write pstats to this file")
    parser.add_argument(
        "--no-probe", action="store_true", help="no write probe (another session's BEGIN IMMEDIATE once a second)"
    )
    parser.add_argument("--no-again", action="store_true", help="skip the second month run and the two-day run")
    parser.add_argument("--keep", action="store_true", help="keep the temporary SQLite database")
    parser.add_argument("--timeout", type=float, default=3600, help="watchdog: exit after this many seconds")
    args = parser.parse_args()
    faulthandler.dump_traceback_later(args.timeout, exit=True)
    work_dir = None
    url = args.database_url
    if not url:
        work_dir = Path(tempfile.mkdtemp(prefix="attendance-bench-"))
        url = f"sqlite+aiosqlite:///{work_dir / 'hobnail.db'}"
    try:
        result = asyncio.run(run(args, url))
    finally:
        if work_dir is not None:
            if args.keep:
                log(f"kept {work_dir}")
            else:
                shutil.rmtree(work_dir, ignore_errors=True)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
