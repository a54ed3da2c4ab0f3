"""Groups whose members another domain decides (a school's class groups follow its
roster), the way department groups follow the directory.

The owning domain keeps the conversation's id and calls ``sync_managed_group`` whenever
the people change; nobody adds, removes or leaves by hand (``MANAGED_KINDS``). The
owner and admins it names are the group's owner and admins (they may mute the group,
pin, post announcements); everyone else is a member.
"""

from __future__ import annotations

import sqlalchemy as sa

from hobnail.core import clock
from hobnail.db.session import Session
from hobnail.domains.messaging import conversations, events, repository, timeline
from hobnail.events.base import topics
from hobnail.events.outbox import record
from hobnail.models import Conversation, ConversationMember

CLASS_KIND = "class"


async def sync_managed_group(
    session: Session,
    org_id: str,
    conversation_id: str | None,
    *,
    name: str,
    owner_id: str | None,
    admin_ids: set[str],
    member_ids: set[str],
) -> Conversation:
    """Create the group (when ``conversation_id`` is None or gone) or bring it in line:
    its name, who is in it, and who is owner and admin. ``member_ids`` need not repeat the
    owner and admins. Side effects: the usual membership events and system lines."""
    group = await session.get(Conversation, conversation_id) if conversation_id else None
    if group is None or group.org_id != org_id or group.dissolved_at is not None:
        group = Conversation(
            org_id=org_id, kind=CLASS_KIND, name=name[:100], owner_id=owner_id, who_can_add="admins",
            who_can_at_all="admins", created_at=clock.now(),
        )  # fmt: skip
        session.add(group)
        await session.flush()
    elif group.name != name[:100]:
        group.name = name[:100]
        await session.flush()
        await conversations.announce_update(session, group, ["name"])
    wanted = {u: "member" for u in member_ids} | {u: "admin" for u in admin_ids}
    if owner_id:
        wanted[owner_id] = "owner"
    present = {
        m.user_id: m
        for m in await session.scalars(
            sa.select(ConversationMember).where(ConversationMember.conversation_id == group.id)
        )
    }
    gone = sorted(u for u in present if u not in wanted)
    await conversations.remove_members_of(session, group, gone, None)
    for role in ("owner", "admin", "member"):
        new = sorted(u for u, r in wanted.items() if r == role and u not in present)
        if new:
            await repository.add_members(session, group, new, role=role)
            await conversations.announce_joined(session, group, new)
            await timeline.post_system(session, group, {"action": "members_added", "actor_id": None, "user_ids": new})
    for user_id, member in present.items():
        now_role = wanted.get(user_id)
        if now_role is not None and member.role != now_role:
            member.role = now_role
            await record(
                session,
                events.MemberRoleChanged(
                    org_id=org_id, audience=(topics.chat(group.id),), conversation_id=group.id, user_id=user_id,
                    role=now_role,
                ),
            )  # fmt: skip
    if group.owner_id != owner_id:
        group.owner_id = owner_id
        await conversations.announce_update(session, group, ["owner_id"])
    await session.flush()
    return group


async def dissolve_managed_group(session: Session, conversation_id: str | None) -> None:
    """The group's history stays, read-only (its class was deleted)."""
    group = await session.get(Conversation, conversation_id) if conversation_id else None
    if group is not None and group.dissolved_at is None:
        await conversations.dissolve_conversation(session, group, None)


async def managed_groups_of(session: Session, org_id: str, user_ids: set[str]) -> set[str]:
    """The live class groups these people are in."""
    if not user_ids:
        return set()
    rows = await session.scalars(
        sa.select(Conversation.id)
        .join(ConversationMember, ConversationMember.conversation_id == Conversation.id)
        .where(
            Conversation.org_id == org_id, Conversation.kind == CLASS_KIND, Conversation.dissolved_at.is_(None),
            ConversationMember.user_id.in_(sorted(user_ids)),
        )
    )  # fmt: skip
    return set(rows)


async def managed_group_ids(session: Session, org_id: str, kind: str) -> list[str]:
    """The live groups of one managed kind in an organisation."""
    rows = await session.scalars(
        sa.select(Conversation.id).where(
            Conversation.org_id == org_id, Conversation.kind == kind, Conversation.dissolved_at.is_(None)
        )
    )
    return list(rows)
