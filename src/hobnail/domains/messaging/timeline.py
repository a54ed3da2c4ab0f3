"""Putting messages on a conversation's timeline: numbering, system lines, read pointers."""

from __future__ import annotations

from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value

from hobnail.core import clock
from hobnail.core.ids import new_id
from hobnail.db.session import Session
from hobnail.domains.messaging import events, repository
from hobnail.domains.messaging.presenters import message_view
from hobnail.domains.messaging.settings import messaging_settings
from hobnail.events.base import topics
from hobnail.events.outbox import record
from hobnail.models import Conversation, ConversationMember, Message, Organization

# Core statements for the message path (no unit-of-work flush per message; see GUIDE).
_CONVERSATIONS: sa.Table = Conversation.__table__  # type: ignore[assignment]
_MEMBERS: sa.Table = ConversationMember.__table__  # type: ignore[assignment]
_MESSAGES: sa.Table = Message.__table__  # type: ignore[assignment]
_MESSAGE_KEYS = tuple(column.key for column in _MESSAGES.columns)
# What the model's column defaults would give a message that does not say.
_MESSAGE_DEFAULTS: dict[str, Any] = {"kind": "text", "body": "", "search_text": "", "mentions_all": False}

# Take the next number and note the time in one statement (the row lock orders concurrent
# sends); optionally also count the members, for a new message's read receipt.
_NUMBER = (
    sa.update(_CONVERSATIONS)
    .where(_CONVERSATIONS.c.id == sa.bindparam("b_conversation_id"))
    .values(last_seq=_CONVERSATIONS.c.last_seq + 1, last_message_at=sa.bindparam("at"))
)
_NUMBER_ONLY = _NUMBER.returning(_CONVERSATIONS.c.last_seq)
_NUMBER_AND_COUNT = _NUMBER.returning(
    _CONVERSATIONS.c.last_seq,
    sa.select(sa.func.count())
    .select_from(_MEMBERS)
    .where(_MEMBERS.c.conversation_id == sa.bindparam("b_conversation_id"))
    .scalar_subquery(),
)
_SET_READ = (
    sa.update(_MEMBERS)
    .where(_MEMBERS.c.conversation_id == sa.bindparam("b_conversation_id"), _MEMBERS.c.user_id == sa.bindparam("uid"))
    .values(read_seq=sa.bindparam("new_read_seq"))
)


async def append(
    session: Session, conversation: Conversation, message: Message, *, count_members: bool = False
) -> int | None:
    """Number ``message`` in its conversation and store it. Side effect: bumps last_seq.

    ``message`` stays a plain (transient) object; it is inserted with Core. Returns the
    conversation's member count when ``count_members``, else None."""
    await session.flush()  # whatever the unit of work holds (a chat created just now) goes first
    for key, value in _MESSAGE_DEFAULTS.items():
        if getattr(message, key) is None:
            setattr(message, key, value)
    if message.id is None:
        message.id = new_id()
    if message.mentions is None:
        message.mentions = []
    if message.created_at is None:
        message.created_at = clock.now()
    conn = await session.connection()
    statement = _NUMBER_AND_COUNT if count_members else _NUMBER_ONLY
    row = (await conn.execute(statement, {"b_conversation_id": conversation.id, "at": message.created_at})).one()
    message.seq = int(row[0])
    set_committed_value(conversation, "last_seq", message.seq)
    set_committed_value(conversation, "last_message_at", message.created_at)
    state = message.__dict__
    await conn.execute(_MESSAGES.insert(), {key: state[key] for key in _MESSAGE_KEYS if key in state})
    return int(row[1]) if count_members else None


async def set_read_seq(session: Session, member: ConversationMember, read_seq: int) -> None:
    """Store a member's read pointer (Core; the loaded row is kept in step)."""
    if not sa.inspect(member).persistent:  # not in the database yet: the unit of work writes it
        member.read_seq = read_seq
        await session.flush()
        return
    conn = await session.connection()
    await conn.execute(
        _SET_READ, {"b_conversation_id": member.conversation_id, "uid": member.user_id, "new_read_seq": read_seq}
    )
    set_committed_value(member, "read_seq", read_seq)


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
        await set_read_seq(session, member, target)
        return True
    await set_read_seq(session, member, target)
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
