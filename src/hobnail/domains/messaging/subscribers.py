"""Department and all-staff groups follow the directory.

Registered as durable event subscribers (``events.subscribers``): each runs as a job
after the accounts event commits, so the directory never waits for messaging, and a
crash only delays the sync.
"""

from __future__ import annotations

from typing import Any

from hobnail.core import clock
from hobnail.db.session import Session
from hobnail.domains.accounts import service as accounts_service
from hobnail.domains.messaging import conversations, repository
from hobnail.events.subscribers import subscribe
from hobnail.models import Conversation, Organization


async def _all_staff(session: Session, org_id: str) -> Conversation:
    group = await repository.all_staff_group(session, org_id)
    if group is None:
        org = await session.get(Organization, org_id)
        group = Conversation(org_id=org_id, kind="all_staff", name=org.name if org else "", created_at=clock.now())
        session.add(group)
        await session.flush()
    return group


async def _department_group(session: Session, org_id: str, department: dict[str, Any]) -> Conversation:
    group = await repository.department_group(session, org_id, department["id"])
    if group is None:
        group = Conversation(
            org_id=org_id, kind="department", name=department["name"], department_id=department["id"],
            created_at=clock.now(),
        )  # fmt: skip
        session.add(group)
        await session.flush()
    return group


async def _add(session: Session, group: Conversation, user_ids: list[str]) -> None:
    present = set(await repository.member_ids(session, group.id))
    new = [u for u in user_ids if u not in present]
    if new:
        await repository.add_members(session, group, new)
        await conversations.announce_joined(session, group, new)


async def on_department_saved(session: Session, event: dict[str, Any]) -> None:
    """A department group for every department; renamed with it; members as the directory says."""
    org_id, department = event["org_id"], event["data"]["department"]
    group = await _department_group(session, org_id, department)
    if group.name != department["name"] and group.dissolved_at is None:
        group.name = department["name"]
        await session.flush()
        await conversations.announce_update(session, group, ["name"])
    await _add(session, group, await accounts_service.active_department_members(session, org_id, department["id"]))


async def on_department_deleted(session: Session, event: dict[str, Any]) -> None:
    group = await repository.department_group(session, event["org_id"], event["data"]["department_id"])
    if group is not None and group.dissolved_at is None:
        await conversations.dissolve_conversation(session, group, None)


async def on_member_changed(session: Session, event: dict[str, Any]) -> None:
    """Join the all-staff group and one's departments' groups; leave the others (and all,
    when deactivated). History stays with the group."""
    org_id, member = event["org_id"], event["data"]["member"]
    user_id = member["id"]
    active = member["status"] == "active"
    wanted: set[str] = set()
    if active:
        wanted.add((await _all_staff(session, org_id)).id)
        for department_id in member["department_ids"]:
            group = await repository.department_group(session, org_id, department_id)
            if group is not None and group.dissolved_at is None:
                wanted.add(group.id)
                await _add(session, group, [user_id])
        await _add(session, await _all_staff(session, org_id), [user_id])
    for group in await repository.managed_groups_of_user(session, org_id, user_id):
        if group.id not in wanted:
            await conversations.remove_members_of(session, group, [user_id], None)


def register() -> None:
    subscribe("department.created", "messaging.department_group", on_department_saved)
    subscribe("department.updated", "messaging.department_group", on_department_saved)
    subscribe("department.deleted", "messaging.department_group_dissolve", on_department_deleted)
    subscribe("member.added", "messaging.member_groups", on_member_changed)
    subscribe("member.updated", "messaging.member_groups", on_member_changed)
