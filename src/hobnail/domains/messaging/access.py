"""Loading conversations and messages an actor may see (NotFound otherwise)."""

from __future__ import annotations

import sqlalchemy as sa

from hobnail.core.errors import Forbidden, NotFound
from hobnail.db.session import Session
from hobnail.domains.accounts.access import Actor
from hobnail.models import Conversation, ConversationMember, Message

MANAGED_KINDS = ("department", "all_staff", "class")  # members follow the directory or a roster


class ConversationNotFound(NotFound):
    code = "conversation_not_found"
    message = "No such chat, or you are not in it."


class MessageNotFound(NotFound):
    code = "message_not_found"
    message = "No such message."


class GroupAdminRequired(Forbidden):
    code = "group_admin_required"
    message = "Only the group's owner or admins may do that."


class GroupOwnerRequired(Forbidden):
    code = "group_owner_required"
    message = "Only the group's owner may do that."


async def access_conversation(
    session: Session, actor: Actor, conversation_id: str
) -> tuple[Conversation, ConversationMember]:
    row = (
        await session.execute(
            sa.select(Conversation, ConversationMember)
            .join(ConversationMember, ConversationMember.conversation_id == Conversation.id)
            .where(
                Conversation.id == conversation_id,
                Conversation.org_id == actor.org_id,
                ConversationMember.user_id == actor.user_id,
            )
        )
    ).first()
    if row is None:
        raise ConversationNotFound(details={"conversation_id": conversation_id})
    return row[0], row[1]


async def access_message(
    session: Session, actor: Actor, message_id: str
) -> tuple[Message, Conversation, ConversationMember]:
    message = await session.scalar(sa.select(Message).where(Message.id == message_id, Message.org_id == actor.org_id))
    if message is None:
        raise MessageNotFound(details={"message_id": message_id})
    try:
        conversation, member = await access_conversation(session, actor, message.conversation_id)
    except ConversationNotFound:
        raise MessageNotFound(details={"message_id": message_id}) from None
    return message, conversation, member


def is_group_admin(actor: Actor, conversation: Conversation, member: ConversationMember) -> bool:
    """Owners and admins of the group; for directory-managed groups, also the org's admins."""
    if member.role in ("owner", "admin"):
        return True
    return conversation.kind in MANAGED_KINDS and actor.is_admin


def require_group_admin(actor: Actor, conversation: Conversation, member: ConversationMember) -> None:
    if not is_group_admin(actor, conversation, member):
        raise GroupAdminRequired()
