"""Organisations, first-run setup, and a person's own profile."""

from __future__ import annotations

import asyncio
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pypinyin import Style, lazy_pinyin

from hobnail.core.errors import Conflict, NotFound, PayloadTooLarge, ServiceUnavailable, ValidationFailed
from hobnail.core.security import hash_password_async, verify_password_async
from hobnail.core.validation import (
    check_hhmm,
    check_language,
    check_name,
    check_timezone,
    normalize_email,
    normalize_phone,
)
from hobnail.db.session import Session
from hobnail.domains.accounts import events, repository
from hobnail.domains.accounts.access import Actor, require_admin
from hobnail.domains.accounts.auth import AccountDeactivated, check_password_strength
from hobnail.domains.accounts.presenters import member_view, org_view
from hobnail.events.base import topics
from hobnail.events.outbox import record
from hobnail.models import Membership, Organization, User
from hobnail.storage.base import Storage, StorageError


class SetupAlreadyDone(Conflict):
    code = "setup_done"
    message = "This server already has an organisation; sign in instead."


class EmailTaken(Conflict):
    code = "email_taken"
    message = "Another account already uses that e-mail address."


class PhoneTaken(Conflict):
    code = "phone_taken"
    message = "Another account already uses that mobile number."


def pinyin_of(name: str) -> tuple[str, str]:
    """Full pinyin and initials of a name, lower case ("张三" → "zhang san", "zs")."""
    syllables = [s.lower() for s in lazy_pinyin(name, style=Style.NORMAL, errors="default") if s.strip()]
    words = " ".join(syllables).split()
    return " ".join(words)[:400], "".join(w[0] for w in words if w)[:100]


def set_user_name(user: User, name: str) -> None:
    user.name = check_name(name)
    user.name_pinyin, user.name_initials = pinyin_of(user.name)


async def check_contact_free(
    session: Session, *, email: str | None, phone: str | None, user_id: str | None = None
) -> None:
    if email:
        other = await repository.user_by_email(session, email)
        if other is not None and other.id != user_id:
            raise EmailTaken(details={"field": "email"})
    if phone:
        other = await repository.user_by_phone(session, phone)
        if other is not None and other.id != user_id:
            raise PhoneTaken(details={"field": "phone"})


async def new_user(
    session: Session,
    *,
    name: str,
    email: str | None,
    phone: str | None,
    password: str | None,
    password_hash: str | None = None,
) -> User:
    """Create an account. Precondition: e-mail and phone are normalised and free."""
    if password_hash is None and password:
        password_hash = await hash_password_async(password)
    user = User(email=email, phone=phone, password_hash=password_hash)
    set_user_name(user, name)
    session.add(user)
    await session.flush()
    return user


async def setup_needed(session: Session) -> bool:
    return await repository.count_organizations(session) == 0


async def new_organization(
    session: Session, owner: User, *, name: str, timezone: str, language: str
) -> tuple[Organization, Membership]:
    org = Organization(
        name=check_name(name, "name"),
        timezone=check_timezone(timezone),
        language=check_language(language),
        settings={},
    )
    session.add(org)
    await session.flush()
    membership = Membership(org_id=org.id, user_id=owner.id, role="owner")
    session.add(membership)
    await session.flush()
    await record(
        session,
        events.MemberAdded(
            org_id=org.id,
            audience=(topics.org(org.id),),
            resubscribe=(owner.id,),
            member=member_view(owner, membership, []),
        ),
    )
    return org, membership


async def do_setup(
    session: Session,
    *,
    org_name: str,
    timezone: str,
    language: str,
    owner_name: str,
    email: str,
    phone: str | None,
    password: str,
) -> tuple[User, Organization]:
    """First run: create the first organisation and its owner. Only while there is none."""
    if not await setup_needed(session):
        raise SetupAlreadyDone()
    normalized_email = normalize_email(email)
    normalized_phone = normalize_phone(phone) if phone else None
    check_password_strength(password)
    check_timezone(timezone)
    check_language(language)
    check_name(org_name, "org_name")
    await check_contact_free(session, email=normalized_email, phone=normalized_phone)
    user = await new_user(session, name=owner_name, email=normalized_email, phone=normalized_phone, password=password)
    user.language = language
    org, _ = await new_organization(session, user, name=org_name, timezone=timezone, language=language)
    return user, org


async def create_organization(
    session: Session, user: User, *, name: str, timezone: str, language: str
) -> tuple[Organization, Membership]:
    """Any signed-in person may start another organisation and owns it."""
    return await new_organization(session, user, name=name, timezone=timezone, language=language)


async def update_organization(
    session: Session, actor: Actor, *, name: str | None, timezone: str | None, language: str | None
) -> Organization:
    require_admin(actor)
    org = actor.org
    if name is not None:
        org.name = check_name(name)
    if timezone is not None:
        org.timezone = check_timezone(timezone)
    if language is not None:
        org.language = check_language(language)
    await session.flush()
    await record(
        session,
        events.OrganizationUpdated(org_id=org.id, audience=(topics.org(org.id),), organization=org_view(org)),
    )
    return org


async def list_my_orgs(session: Session, user: User) -> list[tuple[Organization, Membership]]:
    return await repository.orgs_of_user(session, user.id, active_only=True)


# --- a person's own profile -------------------------------------------------------------


async def _announce_profile(session: Session, user: User) -> None:
    """A name or avatar change shows in every organisation the person belongs to."""
    for org, membership in await repository.orgs_of_user(session, user.id, active_only=False):
        if membership.kind != "staff":
            continue  # not in that organisation's directory
        departments = await repository.department_ids_by_user(session, org.id, [user.id])
        await record(
            session,
            events.MemberUpdated(
                org_id=org.id,
                audience=(topics.org(org.id), topics.user(user.id)),
                member=member_view(user, membership, departments.get(user.id, [])),
            ),
        )


async def update_profile(
    session: Session,
    user: User,
    *,
    name: str | None,
    language: str | None,
    timezone: str | None,
    quiet_hours_start: str | None = None,
    quiet_hours_end: str | None = None,
) -> User:
    if name is not None:
        set_user_name(user, name)
    # An empty string goes back to the organisation's default.
    if language is not None:
        user.language = check_language(language) if language else None
    if timezone is not None:
        user.timezone = check_timezone(timezone) if timezone else None
    for field, value in (("quiet_hours_start", quiet_hours_start), ("quiet_hours_end", quiet_hours_end)):
        if value is not None:
            setattr(user, field, check_hhmm(value, field) if value else None)
    await session.flush()
    await _announce_profile(session, user)
    return user


async def change_password(session: Session, user: User, *, current_password: str, new_password: str) -> None:
    if not await verify_password_async(user.password_hash, current_password):
        raise ValidationFailed(
            "The current password is wrong.", code="wrong_password", details={"field": "current_password"}
        )
    user.password_hash = await hash_password_async(check_password_strength(new_password, "new_password"))


_IMAGE_SIGNATURES = {
    b"\x89PNG\r\n\x1a\n": "png",
    b"\xff\xd8\xff": "jpg",
    b"GIF87a": "gif",
    b"GIF89a": "gif",
}


def _image_extension(data: bytes) -> str | None:
    for signature, ext in _IMAGE_SIGNATURES.items():
        if data.startswith(signature):
            return ext
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


AVATAR_KEY = re.compile(r"[A-Za-z0-9]+-[0-9a-f]{16}\.(png|jpg|gif|webp)")


async def store_avatar_image(owner_id: str, *, data: bytes, storage: Storage, max_bytes: int) -> str:
    """Check and store a PNG/JPEG/GIF/WebP image; returns its new, unguessable key (served by
    ``GET /api/v1/avatars/{key}``). Side effect: stores ``avatars/<key>`` in file storage,
    so every node serves it."""
    if len(data) > max_bytes:
        raise PayloadTooLarge(f"Avatars are at most {max_bytes // 1024} KiB.", code="avatar_too_large")
    ext = _image_extension(data)
    if ext is None:
        raise ValidationFailed("Use a PNG, JPEG, GIF or WebP image.", code="unsupported_image")
    key = f"{owner_id}-{secrets.token_hex(8)}.{ext}"
    try:
        await storage.put(f"avatars/{key}", data)
    except StorageError as exc:
        raise ServiceUnavailable("File storage is not available right now.", code="storage_unavailable") from exc
    return key


async def avatar_image(key: str, *, storage: Storage, legacy_dir: Path) -> bytes:
    """An avatar's bytes. Avatars stored before file storage existed are in ``legacy_dir``."""
    if not AVATAR_KEY.fullmatch(key):
        raise NotFound("No such avatar.", code="avatar_not_found")
    try:
        return b"".join([chunk async for chunk in storage.read(f"avatars/{key}")])
    except StorageError:
        legacy = legacy_dir / key
        if await asyncio.to_thread(legacy.is_file):
            return await asyncio.to_thread(legacy.read_bytes)
        raise NotFound("No such avatar.", code="avatar_not_found") from None


async def set_avatar(session: Session, user: User, *, data: bytes, storage: Storage, max_bytes: int) -> User:
    """A person's own avatar."""
    user.avatar_key = await store_avatar_image(user.id, data=data, storage=storage, max_bytes=max_bytes)
    await session.flush()
    await _announce_profile(session, user)
    return user


# --- for other domains ---------------------------------------------------------------------


async def active_member_ids(session: Session, org_id: str, user_ids: list[str]) -> set[str]:
    """Which of ``user_ids`` are active members of the organisation."""
    return await repository.active_member_ids(session, org_id, user_ids)


async def active_staff_ids(session: Session, org_id: str, user_ids: list[str]) -> set[str]:
    """Which of ``user_ids`` are active staff (not a school's guardians or students)."""
    return await repository.active_member_ids(session, org_id, user_ids, staff_only=True)


async def users_by_id(session: Session, user_ids: list[str]) -> dict[str, User]:
    return await repository.users_by_id(session, user_ids)


async def active_department_members(session: Session, org_id: str, department_id: str) -> list[str]:
    return await repository.active_department_member_ids(session, org_id, department_id)


async def department_member_ids(session: Session, org_id: str, department_ids: list[str]) -> list[str]:
    """Active members of these departments and all their sub-departments.

    Raises ValidationFailed (department_not_found) for ids not of this organisation.
    """
    all_departments = await repository.departments(session, org_id)
    known = {d.id for d in all_departments}
    missing = [d for d in department_ids if d not in known]
    if missing:
        raise ValidationFailed("Unknown department.", code="department_not_found", details={"department_ids": missing})
    children: dict[str | None, list[str]] = {}
    for department in all_departments:
        children.setdefault(department.parent_id, []).append(department.id)
    wanted, stack = set(department_ids), list(department_ids)
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in wanted:
                wanted.add(child)
                stack.append(child)
    found: list[str] = []
    for department_id in sorted(wanted):
        found += await repository.active_department_member_ids(session, org_id, department_id)
    return list(dict.fromkeys(found))


async def manager_levels(session: Session, org_id: str, user_id: str, levels: int = 3) -> list[list[str]]:
    """The person's managers one, two, three… levels up the department tree (from their
    first department). Level 1 is their department's managers, or — when they manage it
    themselves — the parent department's; each next level goes one department further up."""
    own = (await repository.department_ids_by_user(session, org_id, [user_id])).get(user_id, [])
    if not own:
        return []
    parents = {d.id: d.parent_id for d in await repository.departments(session, org_id)}
    managers = await repository.department_managers(session, org_id)
    chain: list[list[str]] = []
    department: str | None = own[0]
    while department is not None and len(chain) < levels:
        found = [m for m in managers.get(department, []) if m != user_id]
        if found or chain:
            chain.append(found)
        department = parents.get(department)
    return chain


async def work_start_dates(session: Session, org_id: str) -> dict[str, date | None]:
    """Every active member, with when their working years began (None: not recorded)."""
    return await repository.work_start_dates(session, org_id)


async def role_member_ids(session: Session, org_id: str) -> dict[str, list[str]]:
    """Active owners and admins of the organisation, by role."""
    return await repository.role_member_ids(session, org_id)


async def colleague_ids(session: Session, org_id: str, user_id: str) -> set[str]:
    """Everyone in the person's departments (and their sub-departments)."""
    own = (await repository.department_ids_by_user(session, org_id, [user_id])).get(user_id, [])
    return set(await department_member_ids(session, org_id, own)) if own else set()


@dataclass(frozen=True)
class DirectorySnapshot:
    """The whole directory at once, for work over everyone (attendance, reports)."""

    parents: dict[str, str | None]  # department → parent department
    department_names: dict[str, str]
    departments_of: dict[str, list[str]]  # active member → their departments (maybe none)
    names: dict[str, str]  # active member → name


async def directory_snapshot(session: Session, org_id: str, user_ids: Sequence[str] | None = None) -> DirectorySnapshot:
    """Every department and every active member (or those of ``user_ids`` who are active)
    with their departments, in two queries."""
    departments = await repository.departments(session, org_id)
    departments_of: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    rows = await repository.active_members_with_departments(session, org_id, user_ids)
    for user_id, name, department_id in rows:
        names[user_id] = name
        own = departments_of.setdefault(user_id, [])
        if department_id is not None:
            own.append(department_id)
    return DirectorySnapshot(
        parents={d.id: d.parent_id for d in departments}, department_names={d.id: d.name for d in departments},
        departments_of=departments_of, names=names,
    )  # fmt: skip


async def managed_department_ids(session: Session, org_id: str, user_id: str) -> list[str]:
    """The departments this person manages (not their sub-departments)."""
    managers = await repository.department_managers(session, org_id)
    return [d for d, people in managers.items() if user_id in people]


async def add_non_staff_membership(session: Session, org_id: str, user: User, *, kind: str) -> Membership:
    """Make ``user`` a member of the organisation who is not staff (``guardian`` or
    ``student``) — not in the directory, no ``member.*`` event — or return their existing
    membership unchanged (staff who are also guardians stay staff).

    Raises ``AccountDeactivated`` if their membership here was deactivated.
    """
    membership = await repository.membership(session, org_id, user.id)
    if membership is None:
        membership = Membership(org_id=org_id, user_id=user.id, role="member", kind=kind)
        session.add(membership)
        await session.flush()
    elif membership.status != "active":
        raise AccountDeactivated()
    return membership


async def member_by_phone(session: Session, org_id: str, phone: str) -> User | None:
    """The active member with this mobile number (any common spelling), or None."""
    try:
        normalized = normalize_phone(phone)
    except ValidationFailed:
        return None
    user = await repository.user_by_phone(session, normalized)
    if user is None or not await repository.active_member_ids(session, org_id, [user.id]):
        return None
    return user
