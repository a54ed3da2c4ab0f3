"""Departments (a tree per organisation) and members: the directory admins build."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from hobnail.core import clock
from hobnail.core.errors import Conflict, Forbidden, ValidationFailed
from hobnail.core.pagination import decode_cursor, encode_cursor
from hobnail.core.security import hash_password_async, hash_random_password
from hobnail.core.validation import check_name, normalize_email, normalize_phone
from hobnail.db.session import Session
from hobnail.domains.accounts import events, repository
from hobnail.domains.accounts.access import Actor, access_department, access_member, require_admin
from hobnail.domains.accounts.auth import check_password_strength, end_sessions_in_org
from hobnail.domains.accounts.presenters import department_view, member_view
from hobnail.domains.accounts.service import check_contact_free, new_user, set_user_name
from hobnail.events.base import topics
from hobnail.events.outbox import record
from hobnail.models import Department, Membership, User


class DepartmentCycle(ValidationFailed):
    code = "department_cycle"
    message = "A department cannot be moved under itself or one of its sub-departments."


class DepartmentNotEmpty(Conflict):
    code = "department_not_empty"
    message = "Only an empty department (no members, no sub-departments) can be deleted."


class DepartmentNameTaken(Conflict):
    code = "department_name_taken"
    message = "A department with that name already exists at that level."


class DuplicateMember(Conflict):
    code = "duplicate_member"
    message = "That person is already a member of this organisation."


class ContactRequired(ValidationFailed):
    code = "contact_required"
    message = "Give an e-mail address or a mobile number."


class LastOwner(Conflict):
    code = "last_owner"
    message = "An organisation needs at least one active owner."


class OwnerOnly(Forbidden):
    code = "owner_required"
    message = "Only an owner may change owners."


class CannotDeactivateSelf(Conflict):
    code = "cannot_deactivate_self"
    message = "You cannot deactivate yourself."


# --- departments -----------------------------------------------------------------------------


async def list_departments(session: Session, actor: Actor) -> list[dict[str, Any]]:
    if not actor.is_staff:  # a school's guardians and students do not see the staff directory
        return []
    counts = await repository.department_member_counts(session, actor.org_id)
    managers = await repository.department_managers(session, actor.org_id)
    return [
        department_view(d, counts.get(d.id, 0), managers.get(d.id))
        for d in await repository.departments(session, actor.org_id)
    ]


async def _announce_department(session: Session, actor: Actor, department: Department, created: bool = False) -> None:
    counts = await repository.department_member_counts(session, actor.org_id)
    managers = await repository.department_managers(session, actor.org_id)
    event_type = events.DepartmentCreated if created else events.DepartmentUpdated
    await record(
        session,
        event_type(
            org_id=actor.org_id,
            audience=(topics.org(actor.org_id),),
            department=department_view(department, counts.get(department.id, 0), managers.get(department.id)),
        ),
    )


class ManagerNotInDepartment(ValidationFailed):
    code = "manager_not_in_department"
    message = "A department's managers must be its members."


async def set_managers(session: Session, actor: Actor, department_id: str, user_ids: list[str]) -> dict[str, Any]:
    """Admins name a department's managers (主管) among its members; approvals ask them."""
    require_admin(actor)
    department = await access_department(session, actor, department_id)
    wanted = list(dict.fromkeys(user_ids))
    members = set(await repository.active_department_member_ids(session, actor.org_id, department.id))
    strangers = [u for u in wanted if u not in members]
    if strangers:
        raise ManagerNotInDepartment(details={"user_ids": strangers})
    await repository.set_department_managers(session, department.id, wanted)
    await session.flush()
    await _announce_department(session, actor, department)
    counts = await repository.department_member_counts(session, actor.org_id)
    return department_view(department, counts.get(department.id, 0), wanted)


async def announce_member_counts(session: Session, org_id: str, department_ids: set[str]) -> None:
    """Departments whose member count changed (someone joined, left or was deactivated)."""
    if not department_ids:
        return
    counts = await repository.department_member_counts(session, org_id)
    for department in await repository.departments(session, org_id):
        if department.id in department_ids:
            await record(
                session,
                events.DepartmentUpdated(
                    org_id=org_id,
                    audience=(topics.org(org_id),),
                    department=department_view(department, counts.get(department.id, 0)),
                ),
            )


async def _check_name_free(
    session: Session, org_id: str, parent_id: str | None, name: str, exclude_id: str | None = None
) -> None:
    existing = await repository.department_by_name(session, org_id, parent_id, name)
    if existing is not None and existing.id != exclude_id:
        raise DepartmentNameTaken(details={"field": "name"})


async def create_department(session: Session, actor: Actor, *, name: str, parent_id: str | None) -> Department:
    require_admin(actor)
    clean_name = check_name(name)
    if parent_id is not None:
        await access_department(session, actor, parent_id)
    await _check_name_free(session, actor.org_id, parent_id, clean_name)
    siblings = await repository.siblings(session, actor.org_id, parent_id)
    department = Department(
        org_id=actor.org_id,
        parent_id=parent_id,
        name=clean_name,
        position=(max((s.position for s in siblings), default=-1) + 1),
    )
    session.add(department)
    await session.flush()
    await _announce_department(session, actor, department, created=True)
    return department


def _descendant_ids(all_departments: list[Department], root_id: str) -> set[str]:
    children: dict[str | None, list[str]] = {}
    for d in all_departments:
        children.setdefault(d.parent_id, []).append(d.id)
    found: set[str] = set()
    stack = [root_id]
    while stack:
        current = stack.pop()
        for child in children.get(current, []):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


async def update_department(
    session: Session,
    actor: Actor,
    department_id: str,
    *,
    name: str | None = None,
    parent_id: str | None = None,
    move_to_top: bool = False,
    position: int | None = None,
) -> Department:
    """Rename, move (never under itself or a descendant) and/or reorder among siblings."""
    require_admin(actor)
    department = await access_department(session, actor, department_id)
    new_parent = department.parent_id
    if move_to_top:
        new_parent = None
    elif parent_id is not None:
        await access_department(session, actor, parent_id)
        if parent_id == department.id or parent_id in _descendant_ids(
            await repository.departments(session, actor.org_id), department.id
        ):
            raise DepartmentCycle(details={"parent_id": parent_id})
        new_parent = parent_id
    new_name = check_name(name) if name is not None else department.name
    if new_name != department.name or new_parent != department.parent_id:
        await _check_name_free(session, actor.org_id, new_parent, new_name, exclude_id=department.id)
    moved = new_parent != department.parent_id
    department.name = new_name
    department.parent_id = new_parent
    if moved or position is not None:
        siblings = [s for s in await repository.siblings(session, actor.org_id, new_parent) if s.id != department.id]
        index = len(siblings) if position is None else min(position, len(siblings))
        siblings.insert(index, department)
        for i, sibling in enumerate(siblings):
            if sibling.position != i:
                sibling.position = i
                if sibling is not department:
                    await session.flush()
                    await _announce_department(session, actor, sibling)
    await session.flush()
    await _announce_department(session, actor, department)
    return department


async def delete_department(session: Session, actor: Actor, department_id: str) -> None:
    require_admin(actor)
    department = await access_department(session, actor, department_id)
    if await repository.department_has_children(session, department.id) or await repository.department_has_members(
        session, department.id
    ):
        raise DepartmentNotEmpty()
    await session.delete(department)
    await session.flush()
    await record(
        session,
        events.DepartmentDeleted(
            org_id=actor.org_id, audience=(topics.org(actor.org_id),), department_id=department_id
        ),
    )


# --- members -------------------------------------------------------------------------------


@dataclass
class NewMember:
    user: User
    membership: Membership
    department_ids: list[str]
    initial_password: str | None


async def _member_dict(session: Session, org_id: str, user: User, membership: Membership) -> dict[str, Any]:
    departments = await repository.department_ids_by_user(session, org_id, [user.id])
    return member_view(user, membership, departments.get(user.id, []))


async def announce_member(
    session: Session, org_id: str, user: User, membership: Membership, *, added: bool = False
) -> dict[str, Any]:
    """Tell the organisation (and the member's chats, through messaging's subscribers).
    Members who are not staff (a school's guardians) are not in the directory: no event."""
    view = await _member_dict(session, org_id, user, membership)
    if membership.kind != "staff":
        return view
    event_type = events.MemberAdded if added else events.MemberUpdated
    await record(
        session,
        event_type(
            org_id=org_id,
            audience=(topics.org(org_id), topics.user(user.id)),
            resubscribe=(user.id,),
            member=view,
        ),
    )
    return view


async def _check_department_ids(session: Session, actor: Actor, department_ids: list[str]) -> list[str]:
    wanted = list(dict.fromkeys(department_ids))
    found = await repository.existing_department_ids(session, actor.org_id, wanted)
    missing = [d for d in wanted if d not in found]
    if missing:
        raise ValidationFailed("Unknown department.", code="department_not_found", details={"department_ids": missing})
    return wanted


def _check_role_change(actor: Actor, old_role: str | None, new_role: str) -> None:
    if (new_role == "owner" or old_role == "owner") and not actor.is_owner and new_role != old_role:
        raise OwnerOnly()


async def add_member(
    session: Session,
    actor: Actor,
    *,
    name: str,
    email: str | None,
    phone: str | None,
    title: str = "",
    employee_no: str = "",
    role: str = "member",
    department_ids: list[str] | None = None,
    password: str | None = None,
    announce: bool = True,
    fast_initial_password: bool = False,
) -> NewMember:
    """Add a person by e-mail and/or phone. An existing account with that e-mail or phone
    joins this organisation (people may belong to several); otherwise an account is made
    with ``password`` or a generated one, returned once as ``initial_password``.
    """
    require_admin(actor)
    _check_role_change(actor, None, role)
    clean_email = normalize_email(email) if email else None
    clean_phone = normalize_phone(phone) if phone else None
    if not clean_email and not clean_phone:
        raise ContactRequired(details={"field": "email"})
    clean_name = check_name(name)
    wanted_departments = await _check_department_ids(session, actor, department_ids or [])
    by_email = await repository.user_by_email(session, clean_email) if clean_email else None
    by_phone = await repository.user_by_phone(session, clean_phone) if clean_phone else None
    if by_email and by_phone and by_email.id != by_phone.id:
        raise Conflict(
            "The e-mail address and the mobile number belong to two different accounts.",
            code="contact_mismatch",
        )
    user = by_email or by_phone
    initial_password: str | None = None
    existing: Membership | None = None
    if user is not None:
        existing = await repository.membership(session, actor.org_id, user.id)
        # A school's guardian who joins the staff keeps the one membership, now as staff.
        if existing is not None and existing.kind == "staff":
            raise DuplicateMember(details={"member_id": user.id})
    else:
        if password is not None:
            check_password_strength(password)
            initial_password = password
            user = await new_user(session, name=clean_name, email=clean_email, phone=clean_phone, password=password)
        else:
            # A generated password has ~72 random bits, so a cheap hash is as safe as the
            # default and keeps a 5,000-row import fast; sign-in upgrades it (rehash).
            initial_password = secrets.token_urlsafe(9)
            user = await new_user(
                session,
                name=clean_name,
                email=clean_email,
                phone=clean_phone,
                password=None,
                password_hash=hash_random_password(initial_password)
                if fast_initial_password
                else await hash_password_async(initial_password),
            )
    if existing is not None:
        membership = existing
        membership.kind, membership.role, membership.status, membership.deactivated_at = "staff", role, "active", None
        membership.title, membership.employee_no = title.strip(), employee_no.strip()
    else:
        membership = Membership(
            org_id=actor.org_id,
            user_id=user.id,
            role=role,
            title=title.strip(),
            employee_no=employee_no.strip(),
            created_at=clock.now(),
        )
        session.add(membership)
    await session.flush()
    await repository.set_user_departments(session, actor.org_id, user.id, wanted_departments)
    if announce:
        await announce_member(session, actor.org_id, user, membership, added=True)
        await announce_member_counts(session, actor.org_id, set(wanted_departments))
    return NewMember(user, membership, wanted_departments, initial_password)


async def get_member(session: Session, actor: Actor, user_id: str) -> dict[str, Any]:
    user, membership = await access_member(session, actor, user_id)
    return await _member_dict(session, actor.org_id, user, membership)


async def update_member(session: Session, actor: Actor, user_id: str, changes: dict[str, Any]) -> dict[str, Any]:
    """Admins edit name, contacts, title, number, role and departments."""
    require_admin(actor)
    user, membership = await access_member(session, actor, user_id)
    if "role" in changes and changes["role"] is not None and changes["role"] != membership.role:
        _check_role_change(actor, membership.role, changes["role"])
        if membership.role == "owner" and await repository.count_owners(session, actor.org_id) <= 1:
            raise LastOwner()
        membership.role = changes["role"]
    if changes.get("name") is not None:
        set_user_name(user, changes["name"])
    if "email" in changes or "phone" in changes:
        new_email = user.email
        if "email" in changes:
            new_email = normalize_email(changes["email"]) if changes["email"] else None
        new_phone = user.phone
        if "phone" in changes:
            new_phone = normalize_phone(changes["phone"]) if changes["phone"] else None
        if not new_email and not new_phone:
            raise ContactRequired()
        await check_contact_free(session, email=new_email, phone=new_phone, user_id=user.id)
        user.email, user.phone = new_email, new_phone
    if changes.get("title") is not None:
        membership.title = changes["title"].strip()
    if changes.get("employee_no") is not None:
        membership.employee_no = changes["employee_no"].strip()
    if changes.get("work_start_on") is not None:
        membership.work_start_on = changes["work_start_on"]
    affected: set[str] = set()
    if changes.get("department_ids") is not None:
        wanted = await _check_department_ids(session, actor, changes["department_ids"])
        before = (await repository.department_ids_by_user(session, actor.org_id, [user.id])).get(user.id, [])
        await repository.set_user_departments(session, actor.org_id, user.id, wanted)
        affected = set(before) ^ set(wanted)
    await session.flush()
    view = await announce_member(session, actor.org_id, user, membership)
    await announce_member_counts(session, actor.org_id, affected)
    return view


async def set_member_status(session: Session, actor: Actor, user_id: str, *, active: bool) -> dict[str, Any]:
    """Deactivate (cannot sign in here; history kept; sessions ended) or reactivate a member."""
    require_admin(actor)
    user, membership = await access_member(session, actor, user_id)
    if not active:
        if user.id == actor.user_id:
            raise CannotDeactivateSelf()
        if membership.role == "owner":
            if not actor.is_owner:
                raise OwnerOnly()
            if await repository.count_owners(session, actor.org_id) <= 1:
                raise LastOwner()
        if membership.status == "active":
            membership.status = "deactivated"
            membership.deactivated_at = clock.now()
            await end_sessions_in_org(session, actor.org_id, user.id)
    elif membership.status != "active":
        membership.status = "active"
        membership.deactivated_at = None
    await session.flush()
    view = await announce_member(session, actor.org_id, user, membership)
    await announce_member_counts(session, actor.org_id, set(view["department_ids"]))
    return view


async def search_members(
    session: Session,
    actor: Actor,
    *,
    query: str | None = None,
    department_id: str | None = None,
    recursive: bool = False,
    include_deactivated: bool = False,
    cursor: str | None = None,
    limit: int = 50,
) -> tuple[list[dict[str, Any]], str | None]:
    """Directory search by name (characters, pinyin, initials), phone, e-mail, title. Staff
    only; guardians and students (who are not staff) find nobody."""
    if not actor.is_staff:
        return [], None
    department_ids: list[str] | None = None
    if department_id is not None:
        await access_department(session, actor, department_id)
        department_ids = [department_id]
        if recursive:
            department_ids += sorted(
                _descendant_ids(await repository.departments(session, actor.org_id), department_id)
            )
    after = None
    if cursor:
        sort_key, last_id = decode_cursor(cursor, 2)
        after = (str(sort_key), str(last_id))
    rows = await repository.search_members(
        session,
        actor.org_id,
        query=query,
        department_ids=department_ids,
        include_deactivated=include_deactivated and actor.is_admin,
        after=after,
        limit=limit + 1,
    )
    more = len(rows) > limit
    rows = rows[:limit]
    departments = await repository.department_ids_by_user(session, actor.org_id, [u.id for u, _ in rows])
    items = [member_view(u, m, departments.get(u.id, [])) for u, m in rows]
    next_cursor = encode_cursor(rows[-1][0].name_pinyin, rows[-1][0].id) if more and rows else None
    return items, next_cursor
