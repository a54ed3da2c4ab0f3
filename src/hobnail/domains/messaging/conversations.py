"""Chats: 1:1, groups, and the department and all-staff groups the directory manages."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from hobnail.core import clock
from hobnail.core.errors import Conflict, ValidationFailed
from hobnail.core.validation import check_name
from hobnail.db.session import Session
from hobnail.domains.accounts import service as accounts_service
from hobnail.domains.accounts.access import Actor
from hobnail.domains.messaging import events, repository, timeline
from hobnail.domains.messaging.access import (
    MANAGED_KINDS,
    GroupOwnerRequired,
    access_conversation,
    require_group_admin,
)
from hobnail.domains.messaging.presenters import message_view, person_ref, shared_conversation_fields
from hobnail.domains.messaging.settings import messaging_settings
from hobnail.events.base import topics
from hobnail.events.outbox import record
from hobnail.models import Conversation, ConversationMember
from hobnail.storage.base import Storage

BOT_ID_PREFIX = "bot"


class NotInOrganization(ValidationFailed):
    code = "member_not_found"
    message = "Some of these people are not active members of this organisation."


class GroupFull(ValidationFailed):
    code = "group_full"
    message = "The group would exceed the organisation's member limit."


class ManagedByDirectory(Conflict):
    code = "managed_by_directory"
    message = "Membership of department, all-staff and class groups follows the directory or the class roster."


class NotAGroup(Conflict):
    code = "not_a_group"
    message = "1:1 chats have no members to manage or settings to change."


class OwnerMustTransfer(Conflict):
    code = "owner_must_transfer"
    message = "Transfer ownership before leaving the group."


class ConversationDissolved(Conflict):
    code = "conversation_dissolved"
    message = "This group was dissolved."


# --- reading ----------------------------------------------------------------------------------


async def conversation_views(
    session: Session, actor: Actor, pairs: list[tuple[Conversation, ConversationMember]]
) -> list[dict[str, Any]]:
    """Conversations as one member sees them: unread counts, last message, the peer of a 1:1."""
    ids = [c.id for c, _ in pairs]
    counts = await repository.unread_counts(session, actor.user_id, ids)
    sizes = await repository.member_counts(session, ids)
    last = await repository.last_messages(session, [c for c, _ in pairs])
    peer_ids = {
        c.id: next((p for p in (c.direct_key or "").split(":") if p != actor.user_id), actor.user_id)
        for c, _ in pairs
        if c.kind == "direct"
    }
    people = await accounts_service.users_by_id(session, list(peer_ids.values()))
    receipts_on = messaging_settings(actor.org).read_receipts
    views = []
    for conversation, member in pairs:
        unread, mentions = counts.get(conversation.id, (0, 0))
        peer = people.get(peer_ids.get(conversation.id, ""))
        last_message = last.get(conversation.id)
        receipt = None
        if last_message is not None and receipts_on and last_message.sender_id == actor.user_id:
            receipt = (await repository.receipts(session, conversation.id, actor.user_id, [last_message.seq]))[
                last_message.seq
            ]
        views.append(
            {
                "id": conversation.id,
                "kind": conversation.kind,
                **shared_conversation_fields(conversation),
                "name": peer.name if conversation.kind == "direct" and peer else conversation.name,
                "department_id": conversation.department_id,
                "member_count": sizes.get(conversation.id, 0),
                "last_seq": conversation.last_seq,
                "last_message_at": conversation.last_message_at,
                "created_at": conversation.created_at,
                "peer": person_ref(peer) if conversation.kind == "direct" and peer else None,
                "my_role": member.role,
                "muted": member.muted,
                "read_seq": member.read_seq,
                "unread_count": unread,
                "mention_count": mentions,
                "last_message": message_view(last_message, receipt=receipt) if last_message else None,
            }
        )
    return views


async def list_conversations(session: Session, actor: Actor) -> dict[str, Any]:
    pairs = await repository.conversations_of_user(session, actor.org_id, actor.user_id)
    items = await conversation_views(session, actor, pairs)
    return {
        "items": items,
        "total_unread": sum(i["unread_count"] for i in items if not i["muted"]),
        "total_mentions": sum(i["mention_count"] for i in items),
    }


async def get_conversation(session: Session, actor: Actor, conversation_id: str) -> dict[str, Any]:
    pair = await access_conversation(session, actor, conversation_id)
    return (await conversation_views(session, actor, [pair]))[0]


async def list_members(
    session: Session, actor: Actor, conversation_id: str, *, query: str | None = None, limit: int | None = None
) -> list[dict[str, Any]]:
    """Members (owner and admins first), optionally those whose name or pinyin contains ``query``."""
    await access_conversation(session, actor, conversation_id)
    rows = await repository.members_with_users(session, conversation_id, query=query, limit=limit)
    return [
        {
            **person_ref(user),
            "user_id": user.id,
            "role": member.role,
            "joined_at": member.joined_at,
            "bot": user.kind == "bot",
        }
        for member, user in rows
    ]


# --- creating ---------------------------------------------------------------------------------


async def _check_people(session: Session, org_id: str, user_ids: list[str]) -> list[str]:
    wanted = list(dict.fromkeys(user_ids))
    found = await accounts_service.active_member_ids(session, org_id, wanted)
    missing = [u for u in wanted if u not in found]
    if missing:
        raise NotInOrganization(details={"user_ids": missing[:20]})
    return wanted


async def announce_joined(session: Session, conversation: Conversation, user_ids: list[str]) -> None:
    await record(
        session,
        events.MembersAdded(
            org_id=conversation.org_id,
            audience=(topics.chat(conversation.id), *(topics.user(u) for u in user_ids)),
            grant=topics.chat(conversation.id),
            resubscribe=tuple(user_ids),
            conversation_id=conversation.id,
            user_ids=user_ids,
            member_count=await repository.member_count(session, conversation.id),
        ),
    )


def direct_peer(conversation: Conversation, user_id: str) -> str | None:
    """The other person of a 1:1 chat."""
    if conversation.kind != "direct" or not conversation.direct_key:
        return None
    return next((p for p in conversation.direct_key.split(":") if p != user_id), None)


def is_bot(user_id: str) -> bool:
    """Bot user ids start with ``bot``, a prefix ordinary ids never have (their alphabet
    has no ``o``), so a bot is known without a query."""
    return user_id.startswith(BOT_ID_PREFIX)


async def open_direct(session: Session, actor: Actor, user_id: str, *, vouched_bot: bool = False) -> dict[str, Any]:
    """The 1:1 chat with ``user_id`` (created on first use; one per pair). ``vouched_bot``:
    the caller checked ``user_id`` is an enabled app's bot, which is no member of the
    directory."""
    if not vouched_bot:
        await _check_people(session, actor.org_id, [user_id])
    key = ":".join(sorted({actor.user_id, user_id}))
    conversation = await repository.by_direct_key(session, actor.org_id, key)
    if conversation is None:
        conversation = Conversation(org_id=actor.org_id, kind="direct", direct_key=key, created_at=clock.now())
        session.add(conversation)
        await session.flush()
        people = sorted({actor.user_id, user_id})
        await repository.add_members(session, conversation, people)
        for bot_id in filter(is_bot, people):
            await _mark_read_by_bot(session, conversation, bot_id)
        await announce_joined(session, conversation, people)
    return await get_conversation(session, actor, conversation.id)


async def create_group(session: Session, actor: Actor, *, name: str, member_ids: list[str]) -> dict[str, Any]:
    """A group owned by its creator. Side effect: a "created the group" line."""
    others = [u for u in await _check_people(session, actor.org_id, member_ids) if u != actor.user_id]
    if len(others) + 1 > messaging_settings(actor.org).max_group_members:
        raise GroupFull(details={"limit": messaging_settings(actor.org).max_group_members})
    conversation = Conversation(
        org_id=actor.org_id, kind="group", name=check_name(name), owner_id=actor.user_id, created_at=clock.now()
    )
    session.add(conversation)
    await session.flush()
    await repository.add_members(session, conversation, [actor.user_id], role="owner")
    await repository.add_members(session, conversation, others)
    await announce_joined(session, conversation, [actor.user_id, *others])
    await timeline.post_system(
        session, conversation, {"action": "group_created", "actor_id": actor.user_id, "user_ids": others}
    )
    return await get_conversation(session, actor, conversation.id)


# --- group settings and membership -----------------------------------------------------------


def _require_group(conversation: Conversation) -> None:
    if conversation.kind == "direct":
        raise NotAGroup()
    if conversation.dissolved_at is not None:
        raise ConversationDissolved()


async def announce_update(session: Session, conversation: Conversation, changed: list[str]) -> None:
    fields = shared_conversation_fields(conversation)
    await record(
        session,
        events.ConversationUpdated(
            org_id=conversation.org_id,
            audience=(topics.chat(conversation.id),),
            conversation_id=conversation.id,
            changes={k: fields[k] for k in changed},
        ),
    )


async def update_group(session: Session, actor: Actor, conversation_id: str, changes: dict[str, Any]) -> dict[str, Any]:
    """Name, announcement, who may add members or @all, whether only admins speak."""
    conversation, member = await access_conversation(session, actor, conversation_id)
    _require_group(conversation)
    require_group_admin(actor, conversation, member)
    changed: list[str] = []
    if changes.get("name") is not None:
        conversation.name = check_name(changes["name"])
        changed.append("name")
    if changes.get("announcement") is not None:
        conversation.announcement = changes["announcement"].strip()
        conversation.announcement_at = clock.now()
        changed.append("announcement")
    for key in ("who_can_add", "who_can_at_all", "only_admins_speak"):
        if changes.get(key) is not None:
            setattr(conversation, key, changes[key])
            changed.append(key)
    await session.flush()
    if changed:
        await announce_update(session, conversation, changed)
        if "name" in changed:
            await timeline.post_system(
                session, conversation, {"action": "renamed", "actor_id": actor.user_id, "name": conversation.name}
            )
        if "announcement" in changed and conversation.announcement:
            await timeline.post_system(session, conversation, {"action": "announcement", "actor_id": actor.user_id})
    return await get_conversation(session, actor, conversation_id)


async def set_group_avatar(
    session: Session, actor: Actor, conversation_id: str, *, data: bytes, storage: Storage, max_bytes: int
) -> dict[str, Any]:
    """Group owner/admins set the group's picture."""
    conversation, member = await access_conversation(session, actor, conversation_id)
    _require_group(conversation)
    require_group_admin(actor, conversation, member)
    conversation.avatar_key = await accounts_service.store_avatar_image(
        conversation.id, data=data, storage=storage, max_bytes=max_bytes
    )
    await session.flush()
    await announce_update(session, conversation, ["avatar_url"])
    return await get_conversation(session, actor, conversation_id)


async def add_members(session: Session, actor: Actor, conversation_id: str, user_ids: list[str]) -> dict[str, Any]:
    conversation, member = await access_conversation(session, actor, conversation_id)
    _require_group(conversation)
    if conversation.kind in MANAGED_KINDS:
        raise ManagedByDirectory()
    if conversation.who_can_add == "admins":
        require_group_admin(actor, conversation, member)
    wanted = await _check_people(session, actor.org_id, user_ids)
    present = set(await repository.member_ids(session, conversation.id))
    new = [u for u in wanted if u not in present]
    if len(present) + len(new) > messaging_settings(actor.org).max_group_members:
        raise GroupFull(details={"limit": messaging_settings(actor.org).max_group_members})
    if new:
        await repository.add_members(session, conversation, new)
        await announce_joined(session, conversation, new)
        await timeline.post_system(
            session, conversation, {"action": "members_added", "actor_id": actor.user_id, "user_ids": new}
        )
    return await get_conversation(session, actor, conversation_id)


async def remove_members_of(
    session: Session, conversation: Conversation, user_ids: list[str], actor_id: str | None
) -> None:
    """Remove people (no permission checks: callers check). Side effects: events, a system line."""
    if not user_ids:
        return
    await repository.remove_members(session, conversation.id, user_ids)
    await record(
        session,
        events.MembersRemoved(
            org_id=conversation.org_id,
            audience=(topics.chat(conversation.id), *(topics.user(u) for u in user_ids)),
            revoke=topics.chat(conversation.id),
            resubscribe=tuple(user_ids),
            conversation_id=conversation.id,
            user_ids=user_ids,
            member_count=await repository.member_count(session, conversation.id),
        ),
    )
    await timeline.post_system(
        session, conversation, {"action": "members_removed", "actor_id": actor_id, "user_ids": user_ids}
    )


async def remove_member(session: Session, actor: Actor, conversation_id: str, user_id: str) -> None:
    conversation, member = await access_conversation(session, actor, conversation_id)
    _require_group(conversation)
    if conversation.kind in MANAGED_KINDS:
        raise ManagedByDirectory()
    if user_id == actor.user_id:
        await leave(session, actor, conversation_id)
        return
    require_group_admin(actor, conversation, member)
    target = await repository.member(session, conversation.id, user_id)
    if target is None:
        return
    if target.role == "owner" or (target.role == "admin" and member.role != "owner"):
        raise GroupOwnerRequired()
    await remove_members_of(session, conversation, [user_id], actor.user_id)


async def leave(session: Session, actor: Actor, conversation_id: str) -> None:
    conversation, member = await access_conversation(session, actor, conversation_id)
    _require_group(conversation)
    if conversation.kind in MANAGED_KINDS:
        raise ManagedByDirectory()
    if member.role == "owner":
        raise OwnerMustTransfer()
    await remove_members_of(session, conversation, [actor.user_id], actor.user_id)


async def set_role(session: Session, actor: Actor, conversation_id: str, user_id: str, role: str) -> None:
    conversation, member = await access_conversation(session, actor, conversation_id)
    _require_group(conversation)
    if member.role != "owner":
        raise GroupOwnerRequired()
    target = await repository.member(session, conversation.id, user_id)
    if target is None or target.role == "owner":
        raise ValidationFailed("That person is not a member of the group.", code="not_a_group_member")
    target.role = role
    await session.flush()
    await record(
        session,
        events.MemberRoleChanged(
            org_id=conversation.org_id,
            audience=(topics.chat(conversation.id),),
            conversation_id=conversation.id,
            user_id=user_id,
            role=role,
        ),
    )


async def transfer_ownership(session: Session, actor: Actor, conversation_id: str, user_id: str) -> dict[str, Any]:
    conversation, member = await access_conversation(session, actor, conversation_id)
    _require_group(conversation)
    if member.role != "owner":
        raise GroupOwnerRequired()
    target = await repository.member(session, conversation.id, user_id)
    if target is None or target.user_id == actor.user_id:
        raise ValidationFailed("Choose another member of the group.", code="not_a_group_member")
    member.role, target.role = "admin", "owner"
    conversation.owner_id = user_id
    await session.flush()
    for changed in (member, target):
        await record(
            session,
            events.MemberRoleChanged(
                org_id=conversation.org_id,
                audience=(topics.chat(conversation.id),),
                conversation_id=conversation.id,
                user_id=changed.user_id,
                role=changed.role,
            ),
        )
    await announce_update(session, conversation, ["owner_id"])
    await timeline.post_system(
        session, conversation, {"action": "owner_changed", "actor_id": actor.user_id, "user_ids": [user_id]}
    )
    return await get_conversation(session, actor, conversation_id)


async def dissolve(session: Session, actor: Actor, conversation_id: str) -> None:
    """End a group: it stays readable, nobody can send. Owner only (org admins for managed groups)."""
    conversation, member = await access_conversation(session, actor, conversation_id)
    _require_group(conversation)
    if member.role != "owner" and not (conversation.kind in MANAGED_KINDS and actor.is_admin):
        raise GroupOwnerRequired()
    await dissolve_conversation(session, conversation, actor.user_id)


async def dissolve_conversation(session: Session, conversation: Conversation, actor_id: str | None) -> None:
    await timeline.post_system(session, conversation, {"action": "dissolved", "actor_id": actor_id})
    conversation.dissolved_at = clock.now()
    await session.flush()
    await record(
        session,
        events.ConversationDissolved(
            org_id=conversation.org_id, audience=(topics.chat(conversation.id),), conversation_id=conversation.id
        ),
    )


async def set_muted(session: Session, actor: Actor, conversation_id: str, muted: bool) -> dict[str, Any]:
    """Mute: no notifications; still counted as unread (not in the total badge)."""
    _, member = await access_conversation(session, actor, conversation_id)
    member.muted = muted
    await session.flush()
    await timeline.announce_read_state(session, actor.org_id, member)
    return await get_conversation(session, actor, conversation_id)


BOT_READ_SEQ = 2**62  # a bot "has read" everything, so read receipts never wait for it


async def _mark_read_by_bot(session: Session, conversation: Conversation, bot_user_id: str) -> None:
    await session.execute(
        sa.update(ConversationMember)
        .where(ConversationMember.conversation_id == conversation.id, ConversationMember.user_id == bot_user_id)
        .values(read_seq=BOT_READ_SEQ)
    )


async def add_bot(
    session: Session, conversation: Conversation, bot_user_id: str, *, actor_id: str, bot_name: str
) -> None:
    """Put an app's bot in a group so people can @mention it (idempotent), with an "X added
    the bot" line (carrying the bot's name: it is in no directory). The bot counts as
    having read every message. Raises ConversationDissolved."""
    if conversation.dissolved_at is not None:
        raise ConversationDissolved()
    if bot_user_id in set(await repository.member_ids(session, conversation.id)):
        return
    await repository.add_members(session, conversation, [bot_user_id])
    await _mark_read_by_bot(session, conversation, bot_user_id)
    await announce_joined(session, conversation, [bot_user_id])
    await timeline.post_system(
        session, conversation,
        {"action": "members_added", "actor_id": actor_id, "user_ids": [bot_user_id], "names": {bot_user_id: bot_name}},
    )  # fmt: skip


async def conversation_ids_of(session: Session, org_id: str, user_id: str) -> list[str]:
    """The chats a person is in (for other domains that share things into chats)."""
    return await repository.conversation_ids_of_user(session, org_id, user_id)


async def member_ids(session: Session, conversation_id: str) -> list[str]:
    return list(await repository.member_ids(session, conversation_id))
