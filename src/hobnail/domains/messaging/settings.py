"""An organisation's messaging rules, kept in ``organizations.settings["messaging"]``."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from hobnail.db.session import Session
from hobnail.domains.accounts.access import Actor, require_admin
from hobnail.models import Organization


@dataclass(frozen=True)
class MessagingSettings:
    read_receipts: bool = True
    edit_window_minutes: int = 24 * 60
    max_group_members: int = 3000
    max_message_chars: int = 10_000


def messaging_settings(org: Organization) -> MessagingSettings:
    stored = (org.settings or {}).get("messaging", {})
    known = {k: v for k, v in stored.items() if k in MessagingSettings.__dataclass_fields__}
    return MessagingSettings(**known)


async def update_messaging_settings(session: Session, actor: Actor, changes: dict[str, Any]) -> MessagingSettings:
    require_admin(actor)
    merged = {**asdict(messaging_settings(actor.org)), **{k: v for k, v in changes.items() if v is not None}}
    # Reassign (not mutate) so SQLAlchemy sees the JSON change.
    actor.org.settings = {**(actor.org.settings or {}), "messaging": merged}
    await session.flush()
    return MessagingSettings(**merged)
