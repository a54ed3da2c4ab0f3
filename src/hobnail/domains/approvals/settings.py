"""An organisation's approval rules, kept in ``organizations.settings["approvals"]``."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from hobnail.core.errors import ValidationFailed
from hobnail.db.session import Session
from hobnail.domains.accounts.access import Actor, require_admin
from hobnail.models import Organization


@dataclass(frozen=True)
class ApprovalSettings:
    remind_after_hours: int = 24  # remind an approver when a request waits this long (0: never)


def approval_settings(org: Organization) -> ApprovalSettings:
    stored = (org.settings or {}).get("approvals", {})
    known = {k: v for k, v in stored.items() if k in ApprovalSettings.__dataclass_fields__}
    return ApprovalSettings(**known)


async def update_approval_settings(session: Session, actor: Actor, changes: dict[str, Any]) -> ApprovalSettings:
    require_admin(actor)
    merged = {**asdict(approval_settings(actor.org)), **{k: v for k, v in changes.items() if v is not None}}
    if not 0 <= int(merged["remind_after_hours"]) <= 24 * 30:
        raise ValidationFailed("Remind after 0 (never) to 720 hours.", details={"field": "remind_after_hours"})
    actor.org.settings = {**(actor.org.settings or {}), "approvals": merged}
    await session.flush()
    return ApprovalSettings(**merged)
