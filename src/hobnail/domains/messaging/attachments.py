"""Files in chats: who may read a file sent in a chat, and each chat's Files view."""

from __future__ import annotations

from typing import Any

from hobnail.db.session import Session
from hobnail.domains.accounts.access import Actor
from hobnail.domains.files import access as files_access
from hobnail.domains.messaging import repository
from hobnail.domains.messaging.access import access_conversation
from hobnail.domains.messaging.presenters import message_view


async def _member_sees_file(session: Session, actor: Actor, file_id: str) -> bool:
    return await repository.file_visible_to(session, actor.user_id, file_id)


async def _on_a_message(session: Session, file_id: str) -> bool:
    return await repository.file_on_a_message(session, file_id)


def register() -> None:
    """A member of a chat may read the files sent there, until the message is recalled;
    a file on a message (not recalled) cannot be deleted."""
    files_access.register_reader("messaging", _member_sees_file)
    files_access.register_referrer("messaging", _on_a_message)


async def conversation_files(
    session: Session, actor: Actor, conversation_id: str, *, q: str | None, before: int | None, limit: int
) -> dict[str, Any]:
    """The chat's files, newest first, optionally those whose name contains ``q``.
    ``before`` is the seq of the last item of the previous page."""
    conversation, _ = await access_conversation(session, actor, conversation_id)
    rows = await repository.file_messages(
        session, conversation.id, name_contains=(q or "").strip() or None, before_seq=before, limit=limit + 1
    )
    more = len(rows) > limit
    rows = rows[:limit]
    return {
        "items": [message_view(message) for message in rows],
        "next_before": rows[-1].seq if more and rows else None,
    }
