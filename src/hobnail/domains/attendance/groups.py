"""Admins: attendance groups, their rules (versioned by the day they apply from), rosters
and the organisation's holiday calendar.

A change never rewrites the past: rules apply from today or a later day, rosters can be
set from today on; each change queues a recompute of the days it touches that have begun.
Moving people from another group is an explicit choice (``move``), not a side effect.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from hobnail.core import clock
from hobnail.core.errors import Conflict, ValidationFailed
from hobnail.db.session import Session
from hobnail.domains.accounts import service as accounts_service
from hobnail.domains.accounts.access import Actor, require_admin
from hobnail.domains.attendance import calendar as holiday_calendar
from hobnail.domains.attendance import context, engine, events, repository
from hobnail.domains.attendance.access import access_group
from hobnail.domains.attendance.results import today_in
from hobnail.domains.attendance.rules import RuleError, Rules, check_rules
from hobnail.events.base import topics
from hobnail.events.outbox import record
from hobnail.jobs import queue
from hobnail.models import AttendanceCalendarDay, AttendanceGroup, AttendanceRoster, AttendanceRules

RECOMPUTE = "attendance.recompute"


class InvalidRules(ValidationFailed):
    code = "invalid_rules"


class RulesInPast(ValidationFailed):
    code = "rules_in_past"
    message = "Rules apply from today or a later day; past days keep the rules they had."


class AlreadyInGroup(Conflict):
    code = "already_in_group"
    message = "Some of these people or departments belong to another attendance group; send move=true to move them."


class RosterError(ValidationFailed):
    code = "invalid_roster"


def _zone_today(actor: Actor) -> date:
    return today_in(ZoneInfo(actor.org.timezone))


async def group_view(session: Session, group: AttendanceGroup, today: date) -> dict[str, Any]:
    versions = await repository.rule_versions(session, [group.id])
    current = next((v for v in reversed(versions) if v.effective_from <= today), None)
    upcoming = [v for v in versions if v.effective_from > today]
    shown = current or (upcoming[0] if upcoming else None)
    return {
        "id": group.id, "name": group.name, "user_ids": group.user_ids, "department_ids": group.department_ids,
        "rules": shown.rules if shown else None,
        "effective_from": shown.effective_from.isoformat() if shown else None,
        "upcoming": [{"effective_from": v.effective_from.isoformat(), "rules": v.rules} for v in upcoming],
    }  # fmt: skip


async def list_groups(session: Session, actor: Actor) -> list[dict[str, Any]]:
    require_admin(actor)
    today = _zone_today(actor)
    return [await group_view(session, g, today) for g in await repository.groups(session, actor.org_id)]


async def get_group(session: Session, actor: Actor, group_id: str) -> dict[str, Any]:
    return await group_view(session, await access_group(session, actor, group_id), _zone_today(actor))


def _clean_rules(raw: Any) -> dict[str, Any]:
    try:
        return check_rules(raw)
    except RuleError as error:
        raise InvalidRules(str(error), details={"field": error.field}) from None


async def _check_members(
    session: Session, actor: Actor, group_id: str | None, user_ids: list[str], department_ids: list[str], move: bool
) -> None:
    """Members must be active, departments this organisation's; someone else's members
    move only when ``move`` (and leave that group)."""
    user_ids, department_ids = list(dict.fromkeys(user_ids)), list(dict.fromkeys(department_ids))
    active = await accounts_service.active_member_ids(session, actor.org_id, user_ids)
    if len(active) != len(user_ids):
        raise ValidationFailed(
            "Some people are not active members.", code="member_not_found",
            details={"user_ids": [u for u in user_ids if u not in active]},
        )  # fmt: skip
    if department_ids:
        await accounts_service.department_member_ids(session, actor.org_id, department_ids)  # 422 on unknown ids
    # A person is in another group if it names them or covers them through a department.
    everyone = await groups_of(session, actor, user_ids)
    clashes: list[AttendanceGroup] = []
    for other in await repository.groups(session, actor.org_id):
        covered = {u for u in user_ids if everyone.get(u) == other.id}
        if other.id != group_id and (covered or set(other.department_ids) & set(department_ids)):
            clashes.append(other)
    if clashes and not move:
        raise AlreadyInGroup(details={"group_ids": [g.id for g in clashes], "group_names": [g.name for g in clashes]})
    for other in clashes:
        other.user_ids = [u for u in other.user_ids if u not in user_ids]
        other.department_ids = [d for d in other.department_ids if d not in department_ids]


async def groups_of(session: Session, actor: Actor, user_ids: list[str]) -> dict[str, str]:
    """The group each of these people is in now."""
    today = _zone_today(actor)
    return (await context.load(session, actor.org, today, today, user_ids)).group_of


async def _queue_recompute(session: Session, org_id: str, first: date, last: date, user_ids: list[str] | None) -> None:
    if last >= first:
        payload = {"org_id": org_id, "first": first.isoformat(), "last": last.isoformat(), "user_ids": user_ids}
        await queue.enqueue(session, RECOMPUTE, payload)


async def _announce(session: Session, actor: Actor, group_id: str, deleted: bool = False) -> None:
    await record(
        session,
        events.AttendanceGroupUpdated(
            org_id=actor.org_id, audience=(topics.admins(actor.org_id),), group_id=group_id, deleted=deleted
        ),
    )


async def create_group(session: Session, actor: Actor, changes: dict[str, Any]) -> dict[str, Any]:
    """A new group with its first rules, from ``effective_from`` (default today)."""
    require_admin(actor)
    today = _zone_today(actor)
    effective = changes.get("effective_from") or today
    if effective < today:
        raise RulesInPast()
    rules = _clean_rules(changes.get("rules") or {})
    user_ids, department_ids = changes.get("user_ids") or [], changes.get("department_ids") or []
    await _check_members(session, actor, None, user_ids, department_ids, bool(changes.get("move")))
    group = AttendanceGroup(
        org_id=actor.org_id, name=changes["name"], user_ids=list(dict.fromkeys(user_ids)),
        department_ids=list(dict.fromkeys(department_ids)), created_at=clock.now(),
    )  # fmt: skip
    session.add(group)
    await session.flush()
    session.add(AttendanceRules(group_id=group.id, effective_from=effective, rules=rules, created_at=clock.now()))
    await session.flush()
    await _queue_recompute(session, actor.org_id, effective, today, None)
    await _announce(session, actor, group.id)
    return await group_view(session, group, today)


async def update_group(session: Session, actor: Actor, group_id: str, changes: dict[str, Any]) -> dict[str, Any]:
    """Rename, change members (at once), or give new rules from ``effective_from`` (today
    or later; a later version already scheduled is replaced)."""
    group = await access_group(session, actor, group_id)
    today = _zone_today(actor)
    if changes.get("name"):
        group.name = changes["name"]
    if "user_ids" in changes or "department_ids" in changes:
        user_ids = changes.get("user_ids", group.user_ids) or []
        department_ids = changes.get("department_ids", group.department_ids) or []
        await _check_members(session, actor, group.id, user_ids, department_ids, bool(changes.get("move")))
        group.user_ids, group.department_ids = list(dict.fromkeys(user_ids)), list(dict.fromkeys(department_ids))
        await _queue_recompute(session, actor.org_id, today, today, None)
    if changes.get("rules") is not None:
        effective = changes.get("effective_from") or today
        if effective < today:
            raise RulesInPast()
        rules = _clean_rules(changes["rules"])
        await session.execute(
            sa.delete(AttendanceRules).where(
                AttendanceRules.group_id == group.id, AttendanceRules.effective_from >= effective
            )
        )
        session.add(AttendanceRules(group_id=group.id, effective_from=effective, rules=rules, created_at=clock.now()))
        await _queue_recompute(session, actor.org_id, effective, today, None)
    group.updated_at = clock.now()
    await session.flush()
    await _announce(session, actor, group.id)
    return await group_view(session, group, today)


async def delete_group(session: Session, actor: Actor, group_id: str) -> None:
    """Its members have no attendance from now on; stored results of past days stay."""
    group = await access_group(session, actor, group_id)
    await session.execute(sa.delete(AttendanceRoster).where(AttendanceRoster.group_id == group.id))
    await session.delete(group)
    await session.flush()
    await _announce(session, actor, group_id, deleted=True)


async def group_members(session: Session, actor: Actor, group_id: str) -> list[dict[str, Any]]:
    """The people the group covers today (named, or through their departments)."""
    group = await access_group(session, actor, group_id)
    today = _zone_today(actor)
    ctx = await context.load(session, actor.org, today, today)
    return [{"id": u, "name": ctx.names.get(u, "")} for u, g in sorted(ctx.group_of.items()) if g == group.id]


async def get_roster(session: Session, actor: Actor, group_id: str, first: date, last: date) -> dict[str, Any]:
    group = await access_group(session, actor, group_id)
    if last < first or (last - first).days > 62:
        raise RosterError("A roster is read for at most 62 days at a time.")
    members = [m["id"] for m in await group_members(session, actor, group_id)]
    entries = await repository.roster(session, actor.org_id, members, first, last)
    return {
        "group_id": group.id, "first": first.isoformat(), "last": last.isoformat(), "user_ids": members,
        "entries": [{"user_id": u, "day": d.isoformat(), "shift_id": s} for (u, d), s in sorted(entries.items())],
    }  # fmt: skip


async def set_roster(session: Session, actor: Actor, group_id: str, entries: list[dict[str, Any]]) -> dict[str, Any]:
    """Set who works which shift on which day (``shift_id`` null: rest). From today on only;
    two consecutive shifts of one person may not overlap. All or nothing."""
    group = await access_group(session, actor, group_id)
    today = _zone_today(actor)
    versions = await repository.rule_versions(session, [group.id])
    members = {m["id"] for m in await group_members(session, actor, group_id)}
    parsed: dict[tuple[str, date], str | None] = {}
    for index, entry in enumerate(entries):
        user_id, day, shift_id = entry["user_id"], entry["day"], entry.get("shift_id")
        where = {"index": index, "user_id": user_id, "day": day.isoformat()}
        if user_id not in members:
            raise RosterError("This person is not in the group.", details=where)
        if day < today:
            raise RosterError(
                "Past days cannot be rostered; the roster starts today.", code="roster_in_past", details=where
            )
        rules = next((Rules.of(v.rules) for v in reversed(versions) if v.effective_from <= day), None)
        if shift_id is not None and (rules is None or rules.kind != "shift" or shift_id not in rules.shifts):
            raise RosterError("No such shift in this group's rules for that day.", code="unknown_shift", details=where)
        parsed[(user_id, day)] = shift_id
    if not parsed:
        raise RosterError("Send at least one entry.")
    first, last = min(d for _, d in parsed), max(d for _, d in parsed)
    existing = await repository.roster(session, actor.org_id, sorted({u for u, _ in parsed}), first, last)
    merged = {**existing, **parsed}
    _check_overlaps(merged, versions, actor.org.timezone)
    await repository.set_roster(session, actor.org_id, group.id, [(u, d, s) for (u, d), s in parsed.items()])
    await _queue_recompute(session, actor.org_id, first, min(last, today), sorted({u for u, _ in parsed}))
    await _announce(session, actor, group.id)
    return await get_roster(session, actor, group_id, first, last)


def _check_overlaps(roster: dict[tuple[str, date], str | None], versions: list[AttendanceRules], timezone: str) -> None:
    zone = ZoneInfo(timezone)
    for (user_id, day), shift_id in sorted(roster.items()):
        following = roster.get((user_id, day + timedelta(days=1)))
        if shift_id is None or following is None:
            continue
        rules = next((Rules.of(v.rules) for v in reversed(versions) if v.effective_from <= day), None)
        later = next(
            (Rules.of(v.rules) for v in reversed(versions) if v.effective_from <= day + timedelta(days=1)), None
        )
        if rules is None or later is None or shift_id not in rules.shifts or following not in later.shifts:
            continue
        this = engine.window(rules, engine.Plan(day, "work", shift=rules.shifts[shift_id]), zone)
        then = engine.window(later, engine.Plan(day + timedelta(days=1), "work", shift=later.shifts[following]), zone)
        if then.start < this.end:
            names = rules.shifts[shift_id].name, later.shifts[following].name
            raise RosterError(
                f"{names[0]} on {day.isoformat()} overlaps {names[1]} the next day.",
                code="roster_overlap", details={"user_id": user_id, "day": day.isoformat()},
            )  # fmt: skip


async def get_calendar(session: Session, actor: Actor, year: int) -> dict[str, Any]:
    """The year's holidays and working weekends: built-in (China) with the org's changes."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    overrides = await repository.calendar_overrides(session, actor.org_id, first, last)
    low, high = holiday_calendar.builtin_years()
    days = holiday_calendar.entries(first, last, overrides)
    return {
        "year": year, "builtin_known": low <= year <= high,
        "days": [
            {"day": d.isoformat(), "kind": e.kind, "name": e.name, "source": e.source,
             "name_zh": holiday_calendar.NAMES_ZH.get(e.name, e.name)}
            for d, e in sorted(days.items())
        ],
        "changes": [{"day": d.isoformat(), "kind": k, "name": n} for d, (k, n) in sorted(overrides.items())],
    }  # fmt: skip


async def set_calendar_day(session: Session, actor: Actor, day: date, kind: str, name: str) -> dict[str, Any]:
    """Make a day a holiday, a working day, or ``normal`` (undo the built-in entry);
    ``reset`` removes the organisation's change. Days before today cannot change."""
    require_admin(actor)
    today = _zone_today(actor)
    if day < today:
        raise ValidationFailed("Past days keep their calendar.", code="calendar_in_past")
    existing = await session.get(AttendanceCalendarDay, (actor.org_id, day))
    if kind == "reset":
        if existing is not None:
            await session.delete(existing)
    elif existing is None:
        session.add(AttendanceCalendarDay(org_id=actor.org_id, day=day, kind=kind, name=name))
    else:
        existing.kind, existing.name = kind, name
    await session.flush()
    if day == today:
        await _queue_recompute(session, actor.org_id, today, today, None)
    return await get_calendar(session, actor, day.year)
