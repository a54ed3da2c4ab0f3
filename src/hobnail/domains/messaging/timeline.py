"""Putting messages on a conversation's timeline: numbering, system lines, read pointers."""

from __future__ import annotations

from typing import Any

import orjson

from hobnail.core import clock
from hobnail.db.session import Session
from hobnail.domains.messaging import events, repository
from hobnail.domains.messaging.presenters import message_view
from hobnail.domains.messaging.settings import messaging_settings
from hobnail.events.base import topics
from hobnail.events.outbox import record
from hobnail.models import Conversation, ConversationMember, Message, Organization


async def append(session: Session, conversation: Conversation, message: Message) -> Message:
    """Number ``message`` in its conversation and store it. Side effect: bumps last_seq."""
    message.seq = await repository.next_seq(session, conversation.id)
    conversation.last_seq = message.seq
    conversation.last_message_at = message.created_at
    session.add(message)
    await session.flush()
    return message


async def post_system(session: Session, conversation: Conversation, payload: dict[str, Any]) -> Message:
    """A system line ("X added Y"), stored as JSON the client renders in its language."""
    message = Message(
        org_id=conversation.org_id,
        conversation_id=conversation.id,
        sender_id=None,
        kind="system",
        body=orjson.dumps(payload).decode(),
        search_text="",
        mentions=[],
        created_at=clock.now(),
    )
    await append(session, conversation, message)
    await record(
        session,
        events.MessageSent(
            org_id=conversation.org_id, audience=(topics.chat(conversation.id),), message=message_view(message)
        ),
    )
    return message


async def announce_read_state(
    session: Session, org_id: str, member: ConversationMember, conversation: Conversation | None = None
) -> None:
    """Tell every device of the member their pointer, unread and @mention counts, mute."""
    if conversation is not None and member.read_seq >= conversation.last_seq:
        unread, mentions = 0, 0  # read to the end: nothing to count
    else:
        unread, mentions = (await repository.unread_counts(session, member.user_id, [member.conversation_id])).get(
            member.conversation_id, (0, 0)
        )
    await record(
        session,
        events.ReadStateChanged(
            org_id=org_id,
            audience=(topics.user(member.user_id),),
            conversation_id=member.conversation_id,
            read_seq=member.read_seq,
            unread_count=unread,
            mention_count=mentions,
            muted=member.muted,
        ),
    )


async def advance_read(
    session: Session,
    org: Organization,
    conversation: Conversation,
    member: ConversationMember,
    seq: int,
    *,
    quiet_if_nothing_skipped: bool = False,
) -> bool:
    """Move a member's read pointer forward to ``seq`` (never back, never past the end).

    Side effects: the reader's devices get their new unread counts; senders of the
    messages now read get ``message.read`` (when the organisation shows read receipts).
    Returns whether the pointer moved.
    """
    target = min(seq, conversation.last_seq)
    if target <= member.read_seq:
        return False
    previous = member.read_seq
    if quiet_if_nothing_skipped and previous == target - 1:
        # The sender had read everything before their own new message: the message.sent
        # event already tells their devices; no counts changed, nobody else's receipts.
        member.read_seq = target
        return True
    member.read_seq = target
    await session.flush()
    await announce_read_state(session, org.id, member, conversation)
    if messaging_settings(org).read_receipts:
        senders = await repository.senders_between(session, conversation.id, previous, target, member.user_id)
        if senders:
            await record(
                session,
                events.MessagesRead(
                    org_id=org.id,
                    audience=tuple(topics.user(s) for s in senders),
                    conversation_id=conversation.id,
                    reader_id=member.user_id,
                    reader_joined_seq=member.joined_seq,
                    from_seq=previous,
                    to_seq=target,
                ),
            )
    return True
