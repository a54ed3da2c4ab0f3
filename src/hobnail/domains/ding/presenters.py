"""DINGs as the recipient and as the sender see them."""

from __future__ import annotations

from typing import Any

from hobnail.core.clock import isoformat
from hobnail.models import Ding, DingAttempt, DingRecipient, DingReply, User


def _time(value: Any) -> str | None:
    return isoformat(value) if value is not None else None


def person(user: User | None, user_id: str) -> dict[str, Any]:
    from hobnail.domains.accounts.presenters import avatar_url

    return {"id": user_id, "name": user.name if user else "", "avatar_url": avatar_url(user) if user else None}


def ding_view(ding: Ding, sender: User | None) -> dict[str, Any]:
    """What a recipient sees (the alert)."""
    return {
        "id": ding.id,
        "sender": person(sender, ding.sender_id),
        "body": "" if ding.recalled_at else ding.body,
        "channel": ding.channel,
        "critical": ding.critical,
        "status": ding.status,
        "source_message_id": ding.source_message_id,
        "file": None if ding.recalled_at else ding.attachment,
        "scheduled_at": _time(ding.scheduled_at),
        "sent_at": _time(ding.sent_at),
        "recalled_at": _time(ding.recalled_at),
    }


def attempt_view(attempt: DingAttempt) -> dict[str, Any]:
    return {
        "id": attempt.id,
        "channel": attempt.channel,
        "reason": attempt.reason,
        "status": attempt.status,
        "provider": attempt.provider,
        "error": attempt.error,
        "due_at": _time(attempt.due_at),
        "created_at": _time(attempt.created_at),
        "finished_at": _time(attempt.finished_at),
    }


def recipient_view(recipient: DingRecipient, user: User | None, attempts: list[DingAttempt]) -> dict[str, Any]:
    return {
        "user": person(user, recipient.user_id),
        "delivered_at": _time(recipient.delivered_at),
        "confirmed_at": _time(recipient.confirmed_at),
        "attempts": [attempt_view(a) for a in attempts],
    }


def reply_view(reply: DingReply, author: User | None) -> dict[str, Any]:
    return {
        "id": reply.id,
        "user_id": reply.user_id,
        "user": person(author, reply.user_id),
        "body": reply.body,
        "created_at": _time(reply.created_at),
    }
