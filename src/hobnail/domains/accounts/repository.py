"""SQL for the accounts domain. Nothing else in the domain writes queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date

import sqlalchemy as sa

from hobnail.db.session import Session
from hobnail.models import Department, DepartmentMember, Membership, Organization, User


async def count_organizations(session: Session) -> int:
    return int(await session.scalar(sa.select(sa.func.count()).select_from(Organization)) or 0)


async def user_by_email(session: Session, email: str) -> User | None:
    return await session.scalar(sa.select(User).where(sa.func.lower(User.email) == email.lower()))


async def user_by_phone(session: Session, phone: str) -> User | None:
    return await session.scalar(sa.select(User).where(User.phone == phone))


async def membership(session: Session, org_id: str, user_id: str) -> Membership | None:
    return await session.scalar(sa.select(Membership).where(Membership.org_id == org_id, Membership.user_id == user_id))


async def orgs_of_user(
    session: Session, user_id: str, *, active_only: bool = True
) -> list[tuple[Organization, Membership]]:
    query = (
        sa.select(Organization, Membership)
        .join(Membership, Membership.org_id == Organization.id)
        .where(Membership.user_id == user_id)
        .order_by(Membership.created_at)
    )
    if active_only:
        query = query.where(Membership.status == "active")
    return [(org, m) for org, m in (await session.execute(query)).all()]


async def count_memberships(session: Session, user_id: str) -> int:
    return int(
        await session.scalar(sa.select(sa.func.count()).select_from(Membership).where(Membership.user_id == user_id))
        or 0
    )


async def count_owners(session: Session, org_id: str) -> int:
    return int(
        await session.scalar(
            sa.select(sa.func.count())
            .select_from(Membership)
            .where(Membership.org_id == org_id, Membership.role == "owner", Membership.status == "active")
        )
        or 0
    )


# --- departments ---------------------------------------------------------------------------


async def departments(session: Session, org_id: str) -> list[Department]:
    return list(
        (
            await session.scalars(
                sa.select(Department)
                .where(Department.org_id == org_id)
                .order_by(Department.position, Department.created_at)
            )
        ).all()
    )


async def department_managers(session: Session, org_id: str) -> dict[str, list[str]]:
    """Active managers of each department (by department id)."""
    rows = await session.execute(
        sa.select(DepartmentMember.department_id, DepartmentMember.user_id)
        .join(
            Membership,
            sa.and_(Membership.user_id == DepartmentMember.user_id, Membership.org_id == DepartmentMember.org_id),
        )
        .where(DepartmentMember.org_id == org_id, DepartmentMember.is_manager.is_(True), Membership.status == "active")
        .order_by(DepartmentMember.created_at)
    )
    managers: dict[str, list[str]] = defaultdict(list)
    for department_id, user_id in rows.all():
        managers[department_id].append(user_id)
    return managers


async def set_department_managers(session: Session, department_id: str, user_ids: list[str]) -> None:
    await session.execute(
        sa.update(DepartmentMember)
        .where(DepartmentMember.department_id == department_id)
        .values(is_manager=DepartmentMember.user_id.in_(user_ids) if user_ids else False)
    )


async def work_start_dates(session: Session, org_id: str) -> dict[str, date | None]:
    rows = await session.execute(
        sa.select(Membership.user_id, Membership.work_start_on).where(
            Membership.org_id == org_id, Membership.status == "active", Membership.kind == "staff"
        )
    )
    return {user_id: started for user_id, started in rows.all()}


async def role_member_ids(session: Session, org_id: str) -> dict[str, list[str]]:
    rows = await session.execute(
        sa.select(Membership.role, Membership.user_id).where(
            Membership.org_id == org_id,
            Membership.status == "active",
            Membership.kind == "staff",
            Membership.role.in_(("owner", "admin")),
        )
    )
    roles: dict[str, list[str]] = defaultdict(list)
    for role, user_id in rows.all():
        roles[role].append(user_id)
    return roles


async def department_member_counts(session: Session, org_id: str) -> dict[str, int]:
    rows = await session.execute(
        sa.select(DepartmentMember.department_id, sa.func.count())
        .join(
            Membership,
            sa.and_(Membership.user_id == DepartmentMember.user_id, Membership.org_id == DepartmentMember.org_id),
        )
        .where(DepartmentMember.org_id == org_id, Membership.status == "active", Membership.kind == "staff")
        .group_by(DepartmentMember.department_id)
    )
    return {dept_id: int(count) for dept_id, count in rows.all()}


async def siblings(session: Session, org_id: str, parent_id: str | None) -> list[Department]:
    return list(
        (
            await session.scalars(
                sa.select(Department)
                .where(
                    Department.org_id == org_id,
                    Department.parent_id.is_(None) if parent_id is None else Department.parent_id == parent_id,
                )
                .order_by(Department.position, Department.created_at)
            )
        ).all()
    )


async def department_has_children(session: Session, department_id: str) -> bool:
    return (
        await session.scalar(sa.select(Department.id).where(Department.parent_id == department_id).limit(1))
    ) is not None


async def department_has_members(session: Session, department_id: str) -> bool:
    return (
        await session.scalar(
            sa.select(DepartmentMember.user_id).where(DepartmentMember.department_id == department_id).limit(1)
        )
    ) is not None


async def department_by_name(session: Session, org_id: str, parent_id: str | None, name: str) -> Department | None:
    parent_clause = Department.parent_id.is_(None) if parent_id is None else Department.parent_id == parent_id
    return await session.scalar(
        sa.select(Department).where(Department.org_id == org_id, parent_clause, Department.name == name)
    )


async def existing_department_ids(session: Session, org_id: str, ids: Iterable[str]) -> set[str]:
    wanted = list(set(ids))
    if not wanted:
        return set()
    return set(
        (
            await session.scalars(
                sa.select(Department.id).where(Department.org_id == org_id, Department.id.in_(wanted))
            )
        ).all()
    )


async def department_ids_by_user(session: Session, org_id: str, user_ids: Iterable[str]) -> dict[str, list[str]]:
    result: dict[str, list[str]] = defaultdict(list)
    wanted = list(user_ids)
    if not wanted:
        return result
    rows = await session.execute(
        sa.select(DepartmentMember.user_id, DepartmentMember.department_id)
        .where(DepartmentMember.org_id == org_id, DepartmentMember.user_id.in_(wanted))
        .order_by(DepartmentMember.created_at)
    )
    for user_id, dept_id in rows.all():
        result[user_id].append(dept_id)
    return result


async def set_user_departments(session: Session, org_id: str, user_id: str, department_ids: list[str]) -> None:
    await session.execute(
        sa.delete(DepartmentMember).where(DepartmentMember.org_id == org_id, DepartmentMember.user_id == user_id)
    )
    for dept_id in dict.fromkeys(department_ids):
        session.add(DepartmentMember(department_id=dept_id, user_id=user_id, org_id=org_id))
    await session.flush()


# --- members -----------------------------------------------------------------------------


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


async def search_members(
    session: Session,
    org_id: str,
    *,
    query: str | None,
    department_ids: list[str] | None,
    include_deactivated: bool,
    after: tuple[str, str] | None,
    limit: int,
) -> list[tuple[User, Membership]]:
    stmt = (
        sa.select(User, Membership)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.org_id == org_id, Membership.kind == "staff")
    )
    if not include_deactivated:
        stmt = stmt.where(Membership.status == "active")
    if department_ids is not None:
        stmt = stmt.where(
            User.id.in_(
                sa.select(DepartmentMember.user_id).where(
                    DepartmentMember.org_id == org_id, DepartmentMember.department_id.in_(department_ids)
                )
            )
        )
    if query:
        text = query.strip().lower()
        contains = f"%{_escape_like(text)}%"
        compact = _escape_like(text.replace(" ", ""))
        stmt = stmt.where(
            sa.or_(
                sa.func.lower(User.name).like(contains, escape="\\"),
                User.name_pinyin.like(contains, escape="\\"),
                sa.func.replace(User.name_pinyin, " ", "").like(f"{compact}%", escape="\\"),
                User.name_initials.like(f"{compact}%", escape="\\"),
                sa.func.lower(User.email).like(contains, escape="\\"),
                User.phone.like(contains, escape="\\"),
                sa.func.lower(Membership.title).like(contains, escape="\\"),
                Membership.employee_no == query.strip(),
            )
        )
    if after is not None:
        stmt = stmt.where(sa.tuple_(User.name_pinyin, User.id) > sa.tuple_(sa.literal(after[0]), sa.literal(after[1])))
    stmt = stmt.order_by(User.name_pinyin, User.id).limit(limit)
    return [(u, m) for u, m in (await session.execute(stmt)).all()]


async def active_member_ids(
    session: Session, org_id: str, user_ids: list[str], *, staff_only: bool = False
) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(user_ids), 900):  # stay under SQLite's bound-parameter limit
        chunk = list(set(user_ids[start : start + 900]))
        query = sa.select(Membership.user_id).where(
            Membership.org_id == org_id, Membership.status == "active", Membership.user_id.in_(chunk)
        )
        if staff_only:
            query = query.where(Membership.kind == "staff")
        found.update((await session.scalars(query)).all())
    return found


async def users_by_id(session: Session, user_ids: list[str]) -> dict[str, User]:
    found: dict[str, User] = {}
    wanted = list(set(user_ids))
    for start in range(0, len(wanted), 900):
        for user in (await session.scalars(sa.select(User).where(User.id.in_(wanted[start : start + 900])))).all():
            found[user.id] = user
    return found


async def active_department_member_ids(session: Session, org_id: str, department_id: str) -> list[str]:
    return list(
        (
            await session.scalars(
                sa.select(DepartmentMember.user_id)
                .join(
                    Membership,
                    sa.and_(Membership.user_id == DepartmentMember.user_id, Membership.org_id == org_id),
                )
                .where(
                    DepartmentMember.department_id == department_id,
                    Membership.status == "active",
                    Membership.kind == "staff",
                )
            )
        ).all()
    )


async def active_members_with_departments(
    session: Session, org_id: str, user_ids: Sequence[str] | None = None
) -> list[tuple[str, str, str | None]]:
    """(user id, name, department id or None) for every active member (of ``user_ids``, if
    given), one row per department."""
    query = (
        sa.select(Membership.user_id, User.name, DepartmentMember.department_id)
        .join(User, User.id == Membership.user_id)
        .outerjoin(
            DepartmentMember,
            sa.and_(DepartmentMember.user_id == Membership.user_id, DepartmentMember.org_id == org_id),
        )
        .where(Membership.org_id == org_id, Membership.status == "active", Membership.kind == "staff")
        .order_by(Membership.user_id, DepartmentMember.created_at)
    )
    if user_ids is None:
        return [tuple(row) for row in (await session.execute(query)).all()]  # type: ignore[misc]
    found: list[tuple[str, str, str | None]] = []
    wanted = list(user_ids)
    for start in range(0, len(wanted), 500):
        rows = await session.execute(query.where(Membership.user_id.in_(wanted[start : start + 500])))
        found += [(user_id, name, department_id) for user_id, name, department_id in rows.all()]
    return found
