"""SQL for attendance. Nothing else in the domain writes queries."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa

from hobnail.db.session import Session
from hobnail.models import (
    AttendanceAbsence,
    AttendanceCalendarDay,
    AttendanceDay,
    AttendanceGroup,
    AttendancePunch,
    AttendanceReminder,
    AttendanceRoster,
    AttendanceRules,
)

BATCH = 500  # rows per IN (...) list and per executemany batch


def _chunks(items: Sequence[Any], size: int = BATCH) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


async def groups(session: Session, org_id: str) -> list[AttendanceGroup]:
    rows = await session.scalars(
        sa.select(AttendanceGroup).where(AttendanceGroup.org_id == org_id).order_by(AttendanceGroup.created_at)
    )
    return list(rows)


async def group(session: Session, org_id: str, group_id: str) -> AttendanceGroup | None:
    return await session.scalar(
        sa.select(AttendanceGroup).where(AttendanceGroup.org_id == org_id, AttendanceGroup.id == group_id)
    )


async def rule_versions(session: Session, group_ids: Sequence[str]) -> list[AttendanceRules]:
    if not group_ids:
        return []
    rows = await session.scalars(
        sa.select(AttendanceRules)
        .where(AttendanceRules.group_id.in_(group_ids))
        .order_by(AttendanceRules.group_id, AttendanceRules.effective_from)
    )
    return list(rows)


async def calendar_overrides(session: Session, org_id: str, first: date, last: date) -> dict[date, tuple[str, str]]:
    rows = await session.execute(
        sa.select(AttendanceCalendarDay.day, AttendanceCalendarDay.kind, AttendanceCalendarDay.name).where(
            AttendanceCalendarDay.org_id == org_id, AttendanceCalendarDay.day.between(first, last)
        )
    )
    return {day: (kind, name) for day, kind, name in rows.all()}


async def roster(
    session: Session, org_id: str, user_ids: Sequence[str] | None, first: date, last: date
) -> dict[tuple[str, date], str | None]:
    query = sa.select(AttendanceRoster.user_id, AttendanceRoster.day, AttendanceRoster.shift_id).where(
        AttendanceRoster.org_id == org_id, AttendanceRoster.day.between(first, last)
    )
    found: dict[tuple[str, date], str | None] = {}
    for part in _chunks(user_ids) if user_ids is not None else [None]:
        scoped = query if part is None else query.where(AttendanceRoster.user_id.in_(part))
        for user_id, day, shift_id in (await session.execute(scoped)).all():
            found[(user_id, day)] = shift_id
    return found


async def punches(
    session: Session, org_id: str, user_ids: Sequence[str] | None, first: date, last: date, *, counted_only: bool = True
) -> list[AttendancePunch]:
    """Punches whose work date is in [first, last]; rejected ones left out when ``counted_only``."""
    query = (
        sa.select(AttendancePunch)
        .where(AttendancePunch.org_id == org_id, AttendancePunch.work_date.between(first, last))
        .order_by(AttendancePunch.at)
    )
    if counted_only:
        query = query.where(AttendancePunch.review != "rejected")
    found: list[AttendancePunch] = []
    for part in _chunks(user_ids) if user_ids is not None else [None]:
        scoped = query if part is None else query.where(AttendancePunch.user_id.in_(part))
        found += list(await session.scalars(scoped))
    return found


async def punch_moments(
    session: Session, org_id: str, user_ids: Sequence[str] | None, first: date, last: date
) -> list[tuple[str, date, Any, str, str]]:
    """(user, work date, at, kind, location) of counted punches — plain rows, no ORM objects,
    for recomputing many people at once."""
    table = AttendancePunch.__table__
    query = (
        sa.select(table.c.user_id, table.c.work_date, table.c.at, table.c.kind, table.c.location_result)
        .where(table.c.org_id == org_id, table.c.work_date.between(first, last), table.c.review != "rejected")
        .order_by(table.c.at)
    )
    found: list[tuple[str, date, Any, str, str]] = []
    for part in _chunks(user_ids) if user_ids is not None else [None]:
        scoped = query if part is None else query.where(table.c.user_id.in_(part))
        found += [tuple(row) for row in (await session.execute(scoped)).all()]  # type: ignore[misc]
    return found


async def punch_by_client_id(session: Session, user_id: str, client_id: str) -> AttendancePunch | None:
    return await session.scalar(
        sa.select(AttendancePunch).where(AttendancePunch.user_id == user_id, AttendancePunch.client_id == client_id)
    )


async def punch(session: Session, org_id: str, punch_id: str) -> AttendancePunch | None:
    return await session.scalar(
        sa.select(AttendancePunch).where(AttendancePunch.org_id == org_id, AttendancePunch.id == punch_id)
    )


async def last_located_punch(session: Session, user_id: str) -> AttendancePunch | None:
    return await session.scalar(
        sa.select(AttendancePunch)
        .where(AttendancePunch.user_id == user_id, AttendancePunch.latitude.is_not(None))
        .order_by(AttendancePunch.at.desc())
        .limit(1)
    )


async def known_devices(session: Session, user_id: str) -> set[str]:
    rows = await session.scalars(
        sa.select(AttendancePunch.device_id)
        .where(AttendancePunch.user_id == user_id, AttendancePunch.device_id != "")
        .distinct()
    )
    return set(rows)


async def punches_for_review(session: Session, org_id: str, review: str, limit: int) -> list[AttendancePunch]:
    rows = await session.scalars(
        sa.select(AttendancePunch)
        .where(AttendancePunch.org_id == org_id, AttendancePunch.review == review)
        .order_by(AttendancePunch.at.desc())
        .limit(limit)
    )
    return list(rows)


async def absences(
    session: Session, org_id: str, user_ids: Sequence[str] | None, first: date, last: date
) -> list[AttendanceAbsence]:
    query = sa.select(AttendanceAbsence).where(
        AttendanceAbsence.org_id == org_id, AttendanceAbsence.first_day <= last, AttendanceAbsence.last_day >= first
    )
    found: list[AttendanceAbsence] = []
    for part in _chunks(user_ids) if user_ids is not None else [None]:
        scoped = query if part is None else query.where(AttendanceAbsence.user_id.in_(part))
        found += list(await session.scalars(scoped))
    return found


async def replace_days(
    session: Session, org_id: str, user_ids: Sequence[str], first: date, last: date, rows: list[dict[str, Any]]
) -> None:
    """Stored results of these people for [first, last] become exactly ``rows``."""
    for part in _chunks(user_ids):
        await session.execute(
            sa.delete(AttendanceDay).where(
                AttendanceDay.org_id == org_id, AttendanceDay.user_id.in_(part), AttendanceDay.day.between(first, last)
            )
        )
    table: sa.Table = AttendanceDay.__table__  # type: ignore[assignment]
    for batch in _chunks(rows, 2000):  # Core, not the ORM's bulk path: a month of 10,000 people is 310,000 rows
        await session.execute(table.insert(), list(batch))


async def stored_days(
    session: Session, org_id: str, user_ids: Sequence[str] | None, first: date, last: date
) -> list[AttendanceDay]:
    query = sa.select(AttendanceDay).where(AttendanceDay.org_id == org_id, AttendanceDay.day.between(first, last))
    found: list[AttendanceDay] = []
    for part in _chunks(user_ids) if user_ids is not None else [None]:
        scoped = query if part is None else query.where(AttendanceDay.user_id.in_(part))
        found += list(await session.scalars(scoped))
    return found


async def set_roster(session: Session, org_id: str, group_id: str, entries: list[tuple[str, date, str | None]]) -> None:
    for user_id, day, _shift in entries:
        await session.execute(
            sa.delete(AttendanceRoster).where(AttendanceRoster.user_id == user_id, AttendanceRoster.day == day)
        )
    if entries:
        await session.execute(
            sa.insert(AttendanceRoster),
            [{"org_id": org_id, "user_id": u, "day": d, "group_id": group_id, "shift_id": s} for u, d, s in entries],
        )


async def reminded(session: Session, day: date, kind: str) -> set[str]:
    rows = await session.scalars(
        sa.select(AttendanceReminder.user_id).where(AttendanceReminder.day == day, AttendanceReminder.kind == kind)
    )
    return set(rows)
