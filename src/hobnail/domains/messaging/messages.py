"""Messages: send, edit, recall, pin, forward; history, read receipts, search, typing."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from hobnail.core import clock
from hobnail.core.errors import Conflict, Forbidden, TooManyRequests, ValidationFailed
from hobnail.core.pagination import decode_cursor, encode_cursor
from hobnail.db.session import Session
from hobnail.domains.accounts import service as accounts_service
from hobnail.domains.accounts.access import Actor
from hobnail.domains.files import service as files_service
from hobnail.domains.messaging import events, repository, timeline
from hobnail.domains.messaging.access import (
    ConversationNotFound,
    MessageNotFound,
    access_conversation,
    access_message,
    is_group_admin,
)
from hobnail.domains.messaging.conversations import ConversationDissolved, conversation_views, direct_peer, is_bot
from hobnail.domains.messaging.presenters import message_view, person_ref
from hobnail.domains.messaging.settings import messaging_settings
from hobnail.events import ephemeral
from hobnail.events.base import topics
from hobnail.events.outbox import record
from hobnail.models import Conversation, ConversationMember, Message, MessageMention

RECALL_WINDOW = timedelta(hours=24)
RATE_WINDOW = timedelta(seconds=10)
RATE_LIMIT = 30  # messages per person per RATE_WINDOW, across all chats

_MENTIONS: sa.Table = MessageMention.__table__  # type: ignore[assignment]


class EmptyMessage(ValidationFailed):
    code = "empty_message"
    message = "A message needs some text."


class MessageTooLong(ValidationFailed):
    code = "message_too_long"
    message = "The message is too long."


class MentionNotMember(ValidationFailed):
    code = "mention_not_member"
    message = "You can only @mention people in this chat."


class MentionAllForbidden(Forbidden):
    code = "mention_all_forbidden"
    message = "Only the group's owner and admins may @all here."


class OnlyAdminsSpeak(Forbidden):
    code = "only_admins_speak"
    message = "Only the group's owner and admins may send messages here right now."


class NotYourMessage(Forbidden):
    code = "not_your_message"
    message = "Only the sender may do that."


class EditWindowPassed(Conflict):
    code = "edit_window_passed"
    message = "This message can no longer be edited."


class RecallWindowPassed(Conflict):
    code = "recall_window_passed"
    message = "Messages can be recalled within 24 hours; a group admin can recall older ones."


class MessageRecalled(Conflict):
    code = "message_recalled"
    message = "This message was recalled."


class SystemMessage(Conflict):
    code = "system_message"
    message = "System lines cannot be changed."


class ReadReceiptsOff(Forbidden):
    code = "read_receipts_disabled"
    message = "Read receipts are turned off in this organisation."


class SendingTooFast(TooManyRequests):
    code = "rate_limited"
    message = "You are sending messages too fast; wait a moment."


ROBOT_MAX_BODY = 20_000


def _check_body(actor: Actor, body: str, *, may_be_empty: bool = False) -> str:
    """The text, stripped; a file message's caption may be empty."""
    text = body.strip()
    if not text and not may_be_empty:
        raise EmptyMessage(details={"field": "body"})
    limit = messaging_settings(actor.org).max_message_chars
    if len(text) > limit:
        raise MessageTooLong(f"Messages are at most {limit} characters.", details={"field": "body", "limit": limit})
    return text


async def _check_mentions(session: Session, conversation: Conversation, mentions: list[str]) -> list[str]:
    wanted = list(dict.fromkeys(mentions))
    if not wanted:
        return []
    members = set(await repository.member_ids(session, conversation.id))
    strangers = [m for m in wanted if m not in members]
    if strangers:
        raise MentionNotMember(details={"user_ids": strangers})
    return wanted


async def _views(
    session: Session, actor: Actor, conversation: Conversation, messages: list[Message]
) -> list[dict[str, Any]]:
    replies = await repository.messages_by_id(session, [m.reply_to_id for m in messages if m.reply_to_id])
    receipts: dict[int, tuple[int, int]] = {}
    if messaging_settings(actor.org).read_receipts:
        own = [m.seq for m in messages if m.sender_id == actor.user_id and m.kind in ("text", "file")]
        receipts = await repository.receipts(session, conversation.id, actor.user_id, own)
    return [message_view(m, reply_to=replies.get(m.reply_to_id or ""), receipt=receipts.get(m.seq)) for m in messages]


async def message_out(session: Session, actor: Actor, conversation: Conversation, message: Message) -> dict[str, Any]:
    return (await _views(session, actor, conversation, [message]))[0]


# Built once: the chat, the sender's membership and their recent sends (for the rate limit).
_ACCESS_FOR_SEND = (
    sa.select(
        Conversation,
        ConversationMember,
        sa.select(sa.func.count())
        .select_from(Message)
        .where(Message.sender_id == sa.bindparam("user_id"), Message.created_at >= sa.bindparam("since"))
        .scalar_subquery(),
    )
    .join(ConversationMember, ConversationMember.conversation_id == Conversation.id)
    .where(
        Conversation.id == sa.bindparam("conversation_id"),
        Conversation.org_id == sa.bindparam("org_id"),
        ConversationMember.user_id == sa.bindparam("user_id"),
    )
)


async def _access_for_send(
    session: Session, actor: Actor, conversation_id: str
) -> tuple[Conversation, ConversationMember, int]:
    """``access_conversation`` and the actor's recent sends (for the rate limit), one query."""
    params = {
        "conversation_id": conversation_id,
        "org_id": actor.org_id,
        "user_id": actor.user_id,
        "since": clock.now() - RATE_WINDOW,
    }
    row = (await session.execute(_ACCESS_FOR_SEND, params)).first()
    if row is None:
        raise ConversationNotFound(details={"conversation_id": conversation_id})
    return row[0], row[1], int(row[2] or 0)


async def _check_rate(session: Session, actor: Actor) -> None:
    if await repository.recent_sends(session, actor.user_id, clock.now() - RATE_WINDOW) >= RATE_LIMIT:
        raise SendingTooFast(retry_after=int(RATE_WINDOW.total_seconds()))


async def _store_mentions(session: Session, message: Message) -> None:
    rows = [
        {"message_id": message.id, "user_id": user_id, "conversation_id": message.conversation_id, "seq": message.seq}
        for user_id in message.mentions
        if user_id != message.sender_id
    ]
    if rows:
        conn = await session.connection()
        await conn.execute(_MENTIONS.insert(), rows)


def _with_direct_bot(conversation: Conversation, actor: Actor, mentions: list[str]) -> list[str]:
    """Every message to a bot in a 1:1 chat is for the bot, as if it @mentioned it (so it
    reaches the bot's app the same way)."""
    peer = direct_peer(conversation, actor.user_id)
    if peer is not None and is_bot(peer) and not is_bot(actor.user_id) and peer not in mentions:
        return [*mentions, peer]
    return mentions


async def _post(
    session: Session,
    actor: Actor,
    conversation: Conversation,
    member: ConversationMember,
    *,
    body: str,
    mentions: list[str],
    mention_all: bool,
    reply_to_id: str | None,
    client_msg_id: str | None,
    forwarded_from: dict[str, Any] | None = None,
    attachment: dict[str, Any] | None = None,
) -> tuple[Message, dict[str, Any]]:
    if conversation.dissolved_at is not None:
        raise ConversationDissolved()
    if conversation.only_admins_speak and not is_group_admin(actor, conversation, member):
        raise OnlyAdminsSpeak()
    text = _check_body(actor, body, may_be_empty=attachment is not None)
    if mention_all and conversation.who_can_at_all == "admins" and not is_group_admin(actor, conversation, member):
        raise MentionAllForbidden()
    replied = None
    if reply_to_id is not None:
        replied = (await repository.messages_by_id(session, [reply_to_id])).get(reply_to_id)
        if replied is None or replied.conversation_id != conversation.id:
            raise MessageNotFound("The message you reply to is not in this chat.", details={"field": "reply_to_id"})
    message = Message(
        org_id=actor.org_id,
        conversation_id=conversation.id,
        sender_id=actor.user_id,
        client_msg_id=client_msg_id,
        kind="file" if attachment else "text",
        body=text,
        search_text=_search_text(text, attachment),
        file_id=attachment["id"] if attachment else None,
        attachment=attachment,
        reply_to_id=reply_to_id,
        forwarded_from=forwarded_from,
        mentions=await _check_mentions(session, conversation, _with_direct_bot(conversation, actor, mentions)),
        mentions_all=mention_all,
        created_at=clock.now(),
    )
    read_receipts = messaging_settings(actor.org).read_receipts
    members = await timeline.append(session, conversation, message, count_members=read_receipts)
    await _store_mentions(session, message)
    # A new message's receipt needs no query of its own (the numbering counted the members):
    # everyone else was in the chat before it, and nobody has read it yet.
    receipt = ((members or 0) - 1, 0) if read_receipts else None
    view = message_view(message, reply_to=replied, receipt=receipt)
    await record(
        session,
        events.MessageSent(org_id=actor.org_id, audience=(topics.chat(conversation.id),), message=view),
    )
    # Sending means you have seen the chat up to here.
    await timeline.advance_read(session, actor.org, conversation, member, message.seq, quiet_if_nothing_skipped=True)
    return message, view


async def post_as_robot(
    session: Session,
    org_id: str,
    conversation_id: str,
    *,
    sender_id: str,
    body: str,
    card: dict[str, Any],
    mentions: list[str],
    mention_all: bool,
) -> dict[str, Any]:
    """A robot's message in a group (integrations checked the robot's token and security).
    The robot is no member, so no membership or speaking rules apply; @mentions of people
    not in the chat are dropped (as DingTalk does). Raises ConversationNotFound / ConversationDissolved."""
    conversation = await session.get(Conversation, conversation_id)
    if conversation is None or conversation.org_id != org_id:
        raise ConversationNotFound()
    if conversation.dissolved_at is not None:
        raise ConversationDissolved()
    members = set(await repository.member_ids(session, conversation.id)) if mentions else set()
    message = Message(
        org_id=org_id, conversation_id=conversation.id, sender_id=sender_id, kind="card", body=body[:ROBOT_MAX_BODY],
        search_text=body[:ROBOT_MAX_BODY].lower(), mentions=[m for m in dict.fromkeys(mentions) if m in members],
        mentions_all=mention_all, card=card, created_at=clock.now(),
    )  # fmt: skip
    await timeline.append(session, conversation, message)
    await _store_mentions(session, message)
    view = message_view(message)
    await record(session, events.MessageSent(org_id=org_id, audience=(topics.chat(conversation.id),), message=view))
    return view


async def send_message(
    session: Session,
    actor: Actor,
    conversation_id: str,
    *,
    body: str = "",
    mentions: list[str] | None = None,
    mention_all: bool = False,
    reply_to_id: str | None = None,
    client_msg_id: str | None = None,
    file_id: str | None = None,
) -> tuple[dict[str, Any], bool]:
    """Send a text message, or a file (a finished upload the actor may read) with an
    optional caption. A retry with the same ``client_msg_id`` returns the first message
    instead of sending again. Returns (message, created)."""
    conversation, member, recent = await _access_for_send(session, actor, conversation_id)
    if client_msg_id:
        existing = await repository.message_by_client_id(session, actor.user_id, client_msg_id)
        if existing is not None and existing.conversation_id == conversation.id:
            return await message_out(session, actor, conversation, existing), False
        if existing is not None:
            raise Conflict("That client_msg_id was used for another chat.", code="client_msg_id_reused")
    if recent >= RATE_LIMIT:
        raise SendingTooFast(retry_after=int(RATE_WINDOW.total_seconds()))
    attachment = await files_service.attachable(session, actor, file_id) if file_id else None
    _, view = await _post(
        session, actor, conversation, member, body=body, mentions=mentions or [], mention_all=mention_all,
        reply_to_id=reply_to_id, client_msg_id=client_msg_id, attachment=attachment,
    )  # fmt: skip
    return view, True


def _search_text(text: str, attachment: dict[str, Any] | None) -> str:
    """What search matches: the text, and a file's name."""
    return f"{text} {attachment['name']}".strip().lower() if attachment else text.lower()


async def forward_message(
    session: Session, actor: Actor, message_id: str, conversation_ids: list[str]
) -> list[dict[str, Any]]:
    """Copy a message into other chats the actor is in, saying where it came from."""
    original, source, _ = await access_message(session, actor, message_id)
    if original.kind == "system":
        raise SystemMessage()
    if original.recalled_at:
        raise MessageRecalled()
    sender = (await accounts_service.users_by_id(session, [original.sender_id or ""])).get(original.sender_id or "")
    origin = {
        "message_id": original.id,
        "conversation_id": source.id,
        "sender_id": original.sender_id,
        "sender_name": sender.name if sender else "",
        "sent_at": original.created_at.isoformat(),
    }
    forwarded = []
    for target_id in dict.fromkeys(conversation_ids):
        conversation, member = await access_conversation(session, actor, target_id)
        await _check_rate(session, actor)
        _, view = await _post(
            session, actor, conversation, member, body=original.body, mentions=[], mention_all=False,
            reply_to_id=None, client_msg_id=None, forwarded_from=origin, attachment=original.attachment,
        )  # fmt: skip
        forwarded.append(view)
    return forwarded


async def edit_message(
    session: Session, actor: Actor, message_id: str, *, body: str, mentions: list[str] | None
) -> dict[str, Any]:
    message, conversation, _ = await access_message(session, actor, message_id)
    if message.kind == "system":
        raise SystemMessage()
    if message.sender_id != actor.user_id:
        raise NotYourMessage()
    if message.recalled_at:
        raise MessageRecalled()
    window = timedelta(minutes=messaging_settings(actor.org).edit_window_minutes)
    if clock.now() - message.created_at > window:
        raise EditWindowPassed()
    message.body = _check_body(actor, body, may_be_empty=message.attachment is not None)
    message.search_text = _search_text(message.body, message.attachment)
    message.edited_at = clock.now()
    if mentions is not None:
        message.mentions = await _check_mentions(session, conversation, mentions)
        await repository.delete_mentions(session, message.id)
        await _store_mentions(session, message)
    await session.flush()
    view = await message_out(session, actor, conversation, message)
    await record(
        session, events.MessageEdited(org_id=actor.org_id, audience=(topics.chat(conversation.id),), message=view)
    )
    return view


async def recall_message(session: Session, actor: Actor, message_id: str) -> dict[str, Any]:
    """The sender within 24 hours, or the group's owner/admins at any time. Everyone —
    including clients offline now — sees a "message recalled" line instead."""
    message, conversation, member = await access_message(session, actor, message_id)
    if message.kind == "system":
        raise SystemMessage()
    if message.recalled_at:
        return await message_out(session, actor, conversation, message)
    admin = conversation.kind != "direct" and is_group_admin(actor, conversation, member)
    if message.sender_id != actor.user_id and not admin:
        raise NotYourMessage()
    if not admin and clock.now() - message.created_at > RECALL_WINDOW:
        raise RecallWindowPassed()
    message.recalled_at = clock.now()
    message.recalled_by = actor.user_id
    message.body = ""
    message.search_text = ""
    message.mentions = []
    message.pinned_at = None
    await repository.delete_mentions(session, message.id)
    await session.flush()
    view = await message_out(session, actor, conversation, message)
    await record(
        session, events.MessageRecalled(org_id=actor.org_id, audience=(topics.chat(conversation.id),), message=view)
    )
    return view


async def set_pinned(session: Session, actor: Actor, message_id: str, pinned: bool) -> dict[str, Any]:
    """Pin to the chat's top. Groups: owner/admins; 1:1 chats: either person."""
    message, conversation, member = await access_message(session, actor, message_id)
    if message.kind == "system":
        raise SystemMessage()
    if message.recalled_at:
        raise MessageRecalled()
    if conversation.kind != "direct" and not is_group_admin(actor, conversation, member):
        raise Forbidden("Only the group's owner and admins may pin messages.", code="group_admin_required")
    if (message.pinned_at is not None) != pinned:
        message.pinned_at = clock.now() if pinned else None
        message.pinned_by = actor.user_id if pinned else None
        await session.flush()
        view = await message_out(session, actor, conversation, message)
        event_type = events.MessagePinned if pinned else events.MessageUnpinned
        await record(session, event_type(org_id=actor.org_id, audience=(topics.chat(conversation.id),), message=view))
        return view
    return await message_out(session, actor, conversation, message)


async def pinned_messages(session: Session, actor: Actor, conversation_id: str) -> list[dict[str, Any]]:
    conversation, _ = await access_conversation(session, actor, conversation_id)
    return await _views(session, actor, conversation, await repository.pinned(session, conversation.id))


async def history(
    session: Session,
    actor: Actor,
    conversation_id: str,
    *,
    before: int | None = None,
    after: int | None = None,
    around: str | None = None,
    limit: int = 50,
) -> dict[str, Any]:
    """A page of the timeline, oldest first: the latest, before/after a seq, or around a message."""
    conversation, _ = await access_conversation(session, actor, conversation_id)
    if around is not None:
        target = (await repository.messages_by_id(session, [around])).get(around)
        if target is None or target.conversation_id != conversation.id:
            raise MessageNotFound(details={"message_id": around})
        half = max(1, limit // 2)
        older = await repository.history(session, conversation.id, before=target.seq + 1, after=None, limit=half + 1)
        newer = await repository.history(
            session, conversation.id, before=None, after=target.seq, limit=limit - len(older)
        )
        messages = older + newer
    else:
        messages = await repository.history(session, conversation.id, before=before, after=after, limit=limit)
    first = messages[0].seq if messages else (after or 0) + 1
    last = messages[-1].seq if messages else (before or conversation.last_seq + 1) - 1
    return {
        "items": await _views(session, actor, conversation, messages),
        "has_before": first > 1,
        "has_after": last < conversation.last_seq,
    }


async def mark_read(session: Session, actor: Actor, conversation_id: str, seq: int) -> dict[str, int]:
    """The client has shown messages up to ``seq``."""
    conversation, member = await access_conversation(session, actor, conversation_id)
    await timeline.advance_read(session, actor.org, conversation, member, seq)
    if member.read_seq >= conversation.last_seq:
        return {"read_seq": member.read_seq, "unread_count": 0, "mention_count": 0}
    unread, mentions = (await repository.unread_counts(session, actor.user_id, [conversation.id])).get(
        conversation.id, (0, 0)
    )
    return {"read_seq": member.read_seq, "unread_count": unread, "mention_count": mentions}


async def receipt_lists(session: Session, actor: Actor, message_id: str) -> dict[str, list[dict[str, Any]]]:
    """Who has read one's own message, and who not yet (members who joined later are in neither)."""
    if not messaging_settings(actor.org).read_receipts:
        raise ReadReceiptsOff()
    message, conversation, _ = await access_message(session, actor, message_id)
    if message.sender_id != actor.user_id:
        raise NotYourMessage("Only the sender sees who has read a message.")
    read: list[dict[str, Any]] = []
    unread: list[dict[str, Any]] = []
    for member, user in await repository.members_with_users(session, conversation.id):
        if member.user_id == actor.user_id or member.joined_seq >= message.seq:
            continue
        (read if member.read_seq >= message.seq else unread).append(person_ref(user))
    return {"read": read, "unread": unread}


async def search_messages(
    session: Session,
    actor: Actor,
    *,
    query: str,
    conversation_id: str | None = None,
    sender_id: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    cursor: str | None = None,
    limit: int = 20,
) -> dict[str, Any]:
    """Messages the actor can see containing every word of ``query`` (Chinese or English)."""
    terms = [t for t in query.lower().split() if t]
    if not terms:
        raise ValidationFailed("Type something to search for.", code="empty_query", details={"field": "q"})
    after = None
    if cursor:
        created, last_id = decode_cursor(cursor, 2)
        try:
            after = (clock.ensure_aware(datetime.fromisoformat(str(created))), str(last_id))
        except ValueError:
            raise ValidationFailed("The cursor is not valid.", code="invalid_cursor") from None
    # A time without a zone is taken as UTC, like every time in the API.
    since = clock.ensure_aware(since) if since else None
    until = clock.ensure_aware(until) if until else None
    rows = await repository.search(
        session, org_id=actor.org_id, user_id=actor.user_id, terms=terms, conversation_id=conversation_id,
        sender_id=sender_id, since=since, until=until, after=after, limit=limit + 1,
    )  # fmt: skip
    more = len(rows) > limit
    rows = rows[:limit]
    chats: dict[str, tuple[Conversation, str]] = {}
    items = []
    for message in rows:
        if message.conversation_id not in chats:
            pair = await access_conversation(session, actor, message.conversation_id)
            view = (await conversation_views(session, actor, [pair]))[0]
            chats[message.conversation_id] = (pair[0], view["name"])
        conversation, name = chats[message.conversation_id]
        items.append({"message": await message_out(session, actor, conversation, message), "conversation_name": name})
    next_cursor = encode_cursor(rows[-1].created_at.isoformat(), rows[-1].id) if more and rows else None
    return {"items": items, "next_cursor": next_cursor}


async def typing(session: Session, actor: Actor, conversation_id: str) -> None:
    """Best effort: "X is typing" to whoever is connected; not stored, not replayed."""
    conversation, _ = await access_conversation(session, actor, conversation_id)
    await ephemeral.publish(
        "typing",
        org_id=actor.org_id,
        audience=(topics.chat(conversation.id),),
        data={"conversation_id": conversation.id, "user_id": actor.user_id},
    )
