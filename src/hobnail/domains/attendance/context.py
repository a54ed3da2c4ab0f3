"""Everything the engine needs about an organisation, loaded at once: groups with their
rule versions, who belongs to which group, the holiday calendar, rosters, punches and
absences for a span of days.

Who belongs where: a group that names a person wins; otherwise the group of their nearest
department (walking up the tree) that has one; people in no group have no attendance.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

from hobnail.db.session import Session
from hobnail.domains.accounts import service as accounts_service
from hobnail.domains.attendance import calendar as holiday_calendar
from hobnail.domains.attendance import engine, repository
from hobnail.domains.attendance.rules import Rules
from hobnail.models import AttendanceGroup, Organization


@dataclass
class GroupState:
    group: AttendanceGroup
    starts: list[date] = field(default_factory=list)  # effective_from of each version, ascending
    versions: list[Rules] = field(default_factory=list)

    def rules_on(self, day: date) -> Rules | None:
        """The version in force on ``day`` (None before the first one)."""
        index = bisect.bisect_right(self.starts, day) - 1
        return self.versions[index] if index >= 0 else None


@dataclass
class Inputs:
    """Rosters, punches and absences of some people over some days."""

    roster: dict[tuple[str, date], str | None]
    punches: dict[tuple[str, date], list[engine.Punch]]
    absences: dict[str, list[engine.Absence]]


@dataclass
class OrgContext:
    org: Organization
    zone: ZoneInfo
    groups: dict[str, GroupState]
    group_of: dict[str, str]  # member → group id
    names: dict[str, str]
    departments_of: dict[str, list[str]]
    department_names: dict[str, str]
    department_parents: dict[str, str | None]
    calendar: dict[date, holiday_calendar.CalendarDay]

    def rules_for(self, user_id: str, day: date) -> tuple[str, Rules] | None:
        group_id = self.group_of.get(user_id)
        if group_id is None:
            return None
        rules = self.groups[group_id].rules_on(day)
        return (group_id, rules) if rules is not None else None

    def plan(self, user_id: str, day: date, inputs: Inputs) -> tuple[str, Rules, engine.Plan] | None:
        found = self.rules_for(user_id, day)
        if found is None:
            return None
        group_id, rules = found
        rostered = inputs.roster.get((user_id, day), engine.NOT_ROSTERED)
        return group_id, rules, engine.plan_day(rules, day, self.calendar, rostered)


def resolve_groups(
    groups: Sequence[AttendanceGroup], departments_of: dict[str, list[str]], parents: dict[str, str | None]
) -> dict[str, str]:
    """Each member's group: named in a group, else their nearest department's group."""
    by_department = {d: g.id for g in groups for d in g.department_ids}
    named = {u: g.id for g in groups for u in g.user_ids}
    found: dict[str, str] = {}
    for user_id, departments in departments_of.items():
        if user_id in named:
            found[user_id] = named[user_id]
            continue
        for department in departments:
            seen: set[str] = set()
            current: str | None = department
            while current is not None and current not in seen and current not in by_department:
                seen.add(current)
                current = parents.get(current)
            if current is not None and current in by_department:
                found[user_id] = by_department[current]
                break
    return found


async def load(
    session: Session, org: Organization, first: date, last: date, user_ids: Sequence[str] | None = None
) -> OrgContext:
    """The context for days ``first``…``last`` (the calendar one day wider on each side, for
    night shifts); ``user_ids`` limits the directory to those people."""
    groups = await repository.groups(session, org.id)
    states = {g.id: GroupState(g) for g in groups}
    for version in await repository.rule_versions(session, list(states)):
        state = states[version.group_id]
        state.starts.append(version.effective_from)
        state.versions.append(Rules.of(version.rules))
    directory = await accounts_service.directory_snapshot(session, org.id, user_ids)
    around = (first - timedelta(days=1), last + timedelta(days=1))
    overrides = await repository.calendar_overrides(session, org.id, *around)
    return OrgContext(
        org=org, zone=ZoneInfo(org.timezone), groups=states,
        group_of=resolve_groups(groups, directory.departments_of, directory.parents), names=directory.names,
        departments_of=directory.departments_of, department_names=directory.department_names,
        department_parents=directory.parents,
        calendar=holiday_calendar.entries(*around, overrides),
    )  # fmt: skip


def _time(value: str | None) -> time | None:
    return time(int(value[:2]), int(value[3:])) if value else None


async def load_inputs(session: Session, org_id: str, user_ids: Sequence[str] | None, first: date, last: date) -> Inputs:
    """Rosters, counted punches and absences for [first, last] (one day wider for rosters)."""
    roster = await repository.roster(session, org_id, user_ids, first - timedelta(days=1), last + timedelta(days=1))
    punches: dict[tuple[str, date], list[engine.Punch]] = defaultdict(list)
    for user_id, work_date, at, kind, where in await repository.punch_moments(session, org_id, user_ids, first, last):
        punches[(user_id, work_date)].append(engine.Punch(at, kind, where))
    absences: dict[str, list[engine.Absence]] = defaultdict(list)
    for a in await repository.absences(session, org_id, user_ids, first, last):
        absences[a.user_id].append(
            engine.Absence(
                a.kind,
                a.first_day,
                a.last_day,
                a.first_half,
                a.last_half,
                a.leave_type,
                a.hours,
                _time(a.start_time),
                _time(a.end_time),
            )
        )
    return Inputs(roster, punches, absences)
