"""Messages and conversations in the API's shapes (also the event payloads)."""

from __future__ import annotations

from typing import Any

from hobnail.core.clock import isoformat
from hobnail.domains.accounts.presenters import avatar_url
from hobnail.models import Conversation, Message, User

EXCERPT = 200


def reply_ref(message: Message | None) -> dict[str, Any] | None:
    if message is None:
        return None
    return {
        "id": message.id,
        "seq": message.seq,
        "sender_id": message.sender_id,
        "body": "" if message.recalled_at else message.body[:EXCERPT],
        "kind": message.kind,
        "file_name": (message.attachment or {}).get("name") if not message.recalled_at else None,
        "recalled": message.recalled_at is not None,
    }


def message_view(
    message: Message, *, reply_to: Message | None = None, receipt: tuple[int, int] | None = None
) -> dict[str, Any]:
    return {
        "id": message.id,
        "conversation_id": message.conversation_id,
        "seq": message.seq,
        "sender_id": message.sender_id,
        "kind": message.kind,
        "body": "" if message.recalled_at else message.body,
        "client_msg_id": message.client_msg_id,
        "reply_to": reply_ref(reply_to),
        "forwarded_from": message.forwarded_from,
        "file": None if message.recalled_at else message.attachment,
        "card": None if message.recalled_at else message.card,
        "mentions": [] if message.recalled_at else list(message.mentions or []),
        "mentions_all": bool(message.mentions_all) and not message.recalled_at,
        "created_at": isoformat(message.created_at),
        "edited_at": isoformat(message.edited_at) if message.edited_at else None,
        "recalled": message.recalled_at is not None,
        "recalled_by": message.recalled_by,
        "pinned": message.pinned_at is not None,
        "receipt": {"expected": receipt[0], "read": receipt[1]} if receipt is not None else None,
    }


def person_ref(user: User) -> dict[str, Any]:
    return {"id": user.id, "name": user.name, "avatar_url": avatar_url(user)}


def shared_conversation_fields(conversation: Conversation) -> dict[str, Any]:
    """What every member sees alike (sent in conversation.updated)."""
    return {
        "name": conversation.name,
        "avatar_url": f"/api/v1/avatars/{conversation.avatar_key}" if conversation.avatar_key else None,
        "announcement": conversation.announcement,
        "owner_id": conversation.owner_id,
        "who_can_add": conversation.who_can_add,
        "who_can_at_all": conversation.who_can_at_all,
        "only_admins_speak": conversation.only_admins_speak,
        "dissolved": conversation.dissolved_at is not None,
    }
