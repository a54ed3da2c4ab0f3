"""SQL for messaging."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import sqlalchemy as sa

from hobnail.db.session import Session
from hobnail.models import Conversation, ConversationMember, Message, MessageMention, StoredFile, User


async def member(session: Session, conversation_id: str, user_id: str) -> ConversationMember | None:
    return await session.get(ConversationMember, (conversation_id, user_id))


async def member_count(session: Session, conversation_id: str) -> int:
    return int(
        await session.scalar(
            sa.select(sa.func.count())
            .select_from(ConversationMember)
            .where(ConversationMember.conversation_id == conversation_id)
        )
        or 0
    )


async def member_counts(session: Session, conversation_ids: list[str]) -> dict[str, int]:
    if not conversation_ids:
        return {}
    rows = await session.execute(
        sa.select(ConversationMember.conversation_id, sa.func.count())
        .where(ConversationMember.conversation_id.in_(conversation_ids))
        .group_by(ConversationMember.conversation_id)
    )
    return {cid: int(n) for cid, n in rows.all()}


async def member_ids(session: Session, conversation_id: str) -> list[str]:
    return list(
        (
            await session.scalars(
                sa.select(ConversationMember.user_id).where(ConversationMember.conversation_id == conversation_id)
            )
        ).all()
    )


async def members_with_users(
    session: Session, conversation_id: str, *, query: str | None = None, limit: int | None = None
) -> list[tuple[ConversationMember, User]]:
    stmt = (
        sa.select(ConversationMember, User)
        .join(User, User.id == ConversationMember.user_id)
        .where(ConversationMember.conversation_id == conversation_id)
        .order_by(sa.case((ConversationMember.role == "member", 1), else_=0), User.name_pinyin, User.id)
    )
    if query:
        text = f"%{_escape_like(query.strip().lower())}%"
        compact = f"{_escape_like(query.strip().lower().replace(' ', ''))}%"
        stmt = stmt.where(
            sa.or_(
                sa.func.lower(User.name).like(text, escape="\\"),
                User.name_pinyin.like(text, escape="\\"),
                User.name_initials.like(compact, escape="\\"),
            )
        )
    if limit:
        stmt = stmt.limit(limit)
    return [(m, u) for m, u in (await session.execute(stmt)).all()]


async def add_members(
    session: Session, conversation: Conversation, user_ids: Iterable[str], role: str = "member"
) -> None:
    """Bulk insert (a 10,000-person group is one statement). Precondition: none is a member yet."""
    rows = [
        {"conversation_id": conversation.id, "user_id": uid, "org_id": conversation.org_id, "role": role,
         "joined_seq": conversation.last_seq, "read_seq": conversation.last_seq, "muted": False}
        for uid in user_ids
    ]  # fmt: skip
    if rows:
        await session.execute(sa.insert(ConversationMember), rows)


async def remove_members(session: Session, conversation_id: str, user_ids: Iterable[str]) -> None:
    await session.execute(
        sa.delete(ConversationMember).where(
            ConversationMember.conversation_id == conversation_id, ConversationMember.user_id.in_(list(user_ids))
        )
    )


async def by_direct_key(session: Session, org_id: str, key: str) -> Conversation | None:
    return await session.scalar(
        sa.select(Conversation).where(Conversation.org_id == org_id, Conversation.direct_key == key)
    )


async def department_group(session: Session, org_id: str, department_id: str) -> Conversation | None:
    return await session.scalar(
        sa.select(Conversation).where(Conversation.org_id == org_id, Conversation.department_id == department_id)
    )


async def all_staff_group(session: Session, org_id: str) -> Conversation | None:
    return await session.scalar(
        sa.select(Conversation).where(
            Conversation.org_id == org_id, Conversation.kind == "all_staff", Conversation.dissolved_at.is_(None)
        )
    )


async def managed_groups_of_user(session: Session, org_id: str, user_id: str) -> list[Conversation]:
    return list(
        (
            await session.scalars(
                sa.select(Conversation)
                .join(ConversationMember, ConversationMember.conversation_id == Conversation.id)
                .where(
                    Conversation.org_id == org_id,
                    Conversation.kind.in_(("department", "all_staff")),
                    ConversationMember.user_id == user_id,
                )
            )
        ).all()
    )


async def conversations_of_user(
    session: Session, org_id: str, user_id: str
) -> list[tuple[Conversation, ConversationMember]]:
    rows = await session.execute(
        sa.select(Conversation, ConversationMember)
        .join(ConversationMember, ConversationMember.conversation_id == Conversation.id)
        .where(Conversation.org_id == org_id, ConversationMember.user_id == user_id)
        .order_by(sa.func.coalesce(Conversation.last_message_at, Conversation.created_at).desc())
    )
    return [(c, m) for c, m in rows.all()]


async def conversation_ids_of_user(session: Session, org_id: str, user_id: str) -> list[str]:
    return list(
        (
            await session.scalars(
                sa.select(ConversationMember.conversation_id).where(
                    ConversationMember.org_id == org_id, ConversationMember.user_id == user_id
                )
            )
        ).all()
    )


async def unread_counts(session: Session, user_id: str, conversation_ids: list[str]) -> dict[str, tuple[int, int]]:
    """(unread messages, unread mentions) per conversation for one reader."""
    if not conversation_ids:
        return {}
    mine = sa.and_(ConversationMember.conversation_id == Message.conversation_id, ConversationMember.user_id == user_id)
    unread = await session.execute(
        sa.select(Message.conversation_id, sa.func.count())
        .join(ConversationMember, mine)
        .where(
            Message.conversation_id.in_(conversation_ids),
            Message.seq > ConversationMember.read_seq,
            Message.kind != "system",
            Message.sender_id != user_id,
        )
        .group_by(Message.conversation_id)
    )
    result = {cid: (int(n), 0) for cid, n in unread.all()}
    mentions = await session.execute(
        sa.select(MessageMention.conversation_id, sa.func.count())
        .join(
            ConversationMember,
            sa.and_(
                ConversationMember.conversation_id == MessageMention.conversation_id,
                ConversationMember.user_id == user_id,
            ),
        )
        .where(
            MessageMention.user_id == user_id,
            MessageMention.conversation_id.in_(conversation_ids),
            MessageMention.seq > ConversationMember.read_seq,
        )
        .group_by(MessageMention.conversation_id)
    )
    everyone = await session.execute(
        sa.select(Message.conversation_id, sa.func.count())
        .join(ConversationMember, mine)
        .where(
            Message.conversation_id.in_(conversation_ids),
            Message.seq > ConversationMember.read_seq,
            Message.mentions_all.is_(True),
            Message.recalled_at.is_(None),
            Message.sender_id != user_id,
        )
        .group_by(Message.conversation_id)
    )
    for rows in (mentions.all(), everyone.all()):
        for cid, n in rows:
            count, mention = result.get(cid, (0, 0))
            result[cid] = (count, mention + int(n))
    return result


async def next_seq(session: Session, conversation_id: str) -> int:
    """Take the conversation's next message number (the row lock orders concurrent sends)."""
    result = await session.execute(
        sa.update(Conversation)
        .where(Conversation.id == conversation_id)
        .values(last_seq=Conversation.last_seq + 1)
        .returning(Conversation.last_seq)
    )
    return int(result.scalar_one())


async def message_by_client_id(session: Session, sender_id: str, client_msg_id: str) -> Message | None:
    return await session.scalar(
        sa.select(Message).where(Message.sender_id == sender_id, Message.client_msg_id == client_msg_id)
    )


async def messages_by_id(session: Session, ids: Iterable[str]) -> dict[str, Message]:
    wanted = [i for i in set(ids) if i]
    if not wanted:
        return {}
    return {m.id: m for m in (await session.scalars(sa.select(Message).where(Message.id.in_(wanted)))).all()}


async def last_messages(session: Session, conversations: list[Conversation]) -> dict[str, Message]:
    pairs = [(c.id, c.last_seq) for c in conversations if c.last_seq > 0]
    if not pairs:
        return {}
    rows = await session.scalars(sa.select(Message).where(sa.tuple_(Message.conversation_id, Message.seq).in_(pairs)))
    return {m.conversation_id: m for m in rows.all()}


async def history(
    session: Session, conversation_id: str, *, before: int | None, after: int | None, limit: int
) -> list[Message]:
    query = sa.select(Message).where(Message.conversation_id == conversation_id)
    if after is not None:
        rows = await session.scalars(query.where(Message.seq > after).order_by(Message.seq).limit(limit))
        return list(rows.all())
    if before is not None:
        query = query.where(Message.seq < before)
    rows = await session.scalars(query.order_by(Message.seq.desc()).limit(limit))
    return list(reversed(rows.all()))


async def pinned(session: Session, conversation_id: str) -> list[Message]:
    rows = await session.scalars(
        sa.select(Message)
        .where(Message.conversation_id == conversation_id, Message.pinned_at.is_not(None))
        .order_by(Message.pinned_at.desc())
    )
    return list(rows.all())


async def receipts(
    session: Session, conversation_id: str, sender_id: str, seqs: list[int]
) -> dict[int, tuple[int, int]]:
    """(expected, read) for messages ``seqs`` of ``sender_id``, from the members' pointers."""
    if not seqs:
        return {}
    wanted = sa.union_all(*(sa.select(sa.literal(s, sa.BigInteger).label("seq")) for s in seqs)).subquery("wanted")
    rows = await session.execute(
        sa.select(
            wanted.c.seq,
            sa.func.count(ConversationMember.user_id),
            sa.func.sum(sa.case((ConversationMember.read_seq >= wanted.c.seq, 1), else_=0)),
        )
        .select_from(wanted)
        .join(
            ConversationMember,
            sa.and_(
                ConversationMember.conversation_id == conversation_id,
                ConversationMember.joined_seq < wanted.c.seq,
                ConversationMember.user_id != sender_id,
            ),
        )
        .group_by(wanted.c.seq)
    )
    found = {int(seq): (int(expected), int(read or 0)) for seq, expected, read in rows.all()}
    return {s: found.get(s, (0, 0)) for s in seqs}


async def senders_between(session: Session, conversation_id: str, after: int, upto: int, reader_id: str) -> list[str]:
    rows = await session.scalars(
        sa.select(Message.sender_id)
        .where(
            Message.conversation_id == conversation_id,
            Message.seq > after,
            Message.seq <= upto,
            Message.kind != "system",
            Message.sender_id.is_not(None),
            Message.sender_id != reader_id,
        )
        .distinct()
    )
    return [s for s in rows.all() if s]


async def recent_sends(session: Session, sender_id: str, since: datetime) -> int:
    return int(
        await session.scalar(
            sa.select(sa.func.count())
            .select_from(Message)
            .where(Message.sender_id == sender_id, Message.created_at >= since)
        )
        or 0
    )


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


TRIGRAM = 3


async def search(
    session: Session,
    *,
    org_id: str,
    user_id: str,
    terms: list[str],
    conversation_id: str | None,
    sender_id: str | None,
    since: datetime | None,
    until: datetime | None,
    after: tuple[datetime, str] | None,
    limit: int,
) -> list[Message]:
    """Messages in the reader's chats containing every term (substring match, so Chinese
    needs no word segmentation). PostgreSQL serves it from a pg_trgm index; SQLite from an
    FTS5 trigram index for terms of three or more characters (shorter ones filter the rows
    it finds, or scan when every term is short)."""
    visible = sa.select(ConversationMember.conversation_id).where(
        ConversationMember.user_id == user_id, ConversationMember.org_id == org_id
    )
    query = sa.select(Message).where(
        Message.org_id == org_id,
        Message.conversation_id.in_(visible),
        Message.kind.in_(("text", "file", "card")),
        Message.recalled_at.is_(None),
    )
    for term in terms:
        query = query.where(Message.search_text.like(f"%{_escape_like(term)}%", escape="\\"))
    on_sqlite = session.sync_session.get_bind().dialect.name == "sqlite"
    indexed = [t for t in terms if len(t) >= TRIGRAM] if on_sqlite else []
    if indexed:
        phrase = " AND ".join('"' + t.replace('"', '""') + '"' for t in indexed)
        hits = sa.text("SELECT rowid FROM messages_fts WHERE messages_fts MATCH :phrase").bindparams(phrase=phrase)
        query = query.where(sa.literal_column("messages.rowid").in_(hits))
    if conversation_id:
        query = query.where(Message.conversation_id == conversation_id)
    if sender_id:
        query = query.where(Message.sender_id == sender_id)
    if since:
        query = query.where(Message.created_at >= since)
    if until:
        query = query.where(Message.created_at < until)
    if after:
        query = query.where(
            sa.or_(Message.created_at < after[0], sa.and_(Message.created_at == after[0], Message.id < after[1]))
        )
    rows = await session.scalars(query.order_by(Message.created_at.desc(), Message.id.desc()).limit(limit))
    return list(rows.all())


async def delete_mentions(session: Session, message_id: str) -> None:
    await session.execute(sa.delete(MessageMention).where(MessageMention.message_id == message_id))


async def file_visible_to(session: Session, user_id: str, file_id: str) -> bool:
    """Is the file on a message (not recalled) in a chat ``user_id`` is in?"""
    found = await session.scalar(
        sa.select(Message.id)
        .join(ConversationMember, ConversationMember.conversation_id == Message.conversation_id)
        .where(Message.file_id == file_id, Message.recalled_at.is_(None), ConversationMember.user_id == user_id)
        .limit(1)
    )
    return found is not None


async def file_on_a_message(session: Session, file_id: str) -> bool:
    found = await session.scalar(
        sa.select(Message.id).where(Message.file_id == file_id, Message.recalled_at.is_(None)).limit(1)
    )
    return found is not None


async def file_messages(
    session: Session, conversation_id: str, *, name_contains: str | None, before_seq: int | None, limit: int
) -> list[Message]:
    """File messages of a chat, newest first, optionally whose file name contains a text."""
    query = sa.select(Message).where(
        Message.conversation_id == conversation_id, Message.kind == "file", Message.recalled_at.is_(None)
    )
    if name_contains:
        query = query.join(StoredFile, StoredFile.id == Message.file_id).where(
            sa.func.lower(StoredFile.name).contains(name_contains.lower(), autoescape=True)
        )
    if before_seq is not None:
        query = query.where(Message.seq < before_seq)
    rows = await session.scalars(query.order_by(Message.seq.desc()).limit(limit))
    return list(rows.all())
