"""An organisation's DING rules, kept in ``organizations.settings["ding"]``."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from hobnail.core.errors import ValidationFailed
from hobnail.db.session import Session
from hobnail.domains.accounts.access import Actor, require_admin
from hobnail.models import Organization

CHANNELS = ("in_app", "sms", "voice", "email")
MAX_STEPS = 5


def _default_policy() -> list[dict[str, Any]]:
    return [
        {"after_minutes": 5, "channel": "sms"},
        {"after_minutes": 15, "channel": "voice", "fallback": "sms"},
    ]


@dataclass(frozen=True)
class DingSettings:
    member_scope: str = "department"  # members may DING their departments' people; admins anyone
    caps: dict[str, int] = field(default_factory=lambda: {"in_app": 200, "sms": 20, "voice": 20, "email": 200})
    per_hour: int = 30  # DINGs a person may send per hour
    monthly_quota: dict[str, int] = field(default_factory=lambda: {"sms": 1000, "voice": 200})
    allow_critical: bool = True  # senders may mark a DING critical: SMS/voice ignore quiet hours
    default_policy: list[dict[str, Any]] = field(default_factory=_default_policy)


def ding_settings(org: Organization) -> DingSettings:
    stored = (org.settings or {}).get("ding", {})
    known = {k: v for k, v in stored.items() if k in DingSettings.__dataclass_fields__}
    return DingSettings(**known)


def check_policy(steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Steps wait longer one after another, 1 minute to 1 day, at most five."""
    if len(steps) > MAX_STEPS:
        raise ValidationFailed(f"At most {MAX_STEPS} escalation steps.", code="invalid_policy")
    previous = 0
    clean = []
    for step in steps:
        after = int(step.get("after_minutes", 0))
        channel = step.get("channel")
        fallback = step.get("fallback")
        if channel not in CHANNELS or channel == "in_app" or (fallback is not None and fallback not in CHANNELS):
            raise ValidationFailed("Escalation steps use sms, voice or email.", code="invalid_policy")
        if not 1 <= after <= 1440 or after <= previous:
            raise ValidationFailed(
                "Each step waits 1 to 1440 minutes after sending, later than the step before.",
                code="invalid_policy",
            )
        previous = after
        clean.append({"after_minutes": after, "channel": channel, **({"fallback": fallback} if fallback else {})})
    return clean


async def update_ding_settings(session: Session, actor: Actor, changes: dict[str, Any]) -> DingSettings:
    require_admin(actor)
    merged = {**asdict(ding_settings(actor.org)), **{k: v for k, v in changes.items() if v is not None}}
    if merged["member_scope"] not in ("department", "org"):
        raise ValidationFailed("member_scope is department or org.", code="invalid_scope")
    merged["default_policy"] = check_policy(merged["default_policy"])
    actor.org.settings = {**(actor.org.settings or {}), "ding": merged}
    await session.flush()
    return DingSettings(**merged)
