"""DING events. Alerts go to each recipient's ``user:`` topic; progress to the sender's."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from hobnail.events.base import DomainEvent


@dataclass(frozen=True, kw_only=True)
class DingReceived(DomainEvent):
    """The alert: every open client of a recipient shows it until confirmed."""

    type: ClassVar[str] = "ding.received"
    ding: dict[str, Any]


@dataclass(frozen=True, kw_only=True)
class DingConfirmed(DomainEvent):
    """To the recipient's devices (clear the alert everywhere)."""

    type: ClassVar[str] = "ding.confirmed"
    ding_id: str
    confirmed_at: str


@dataclass(frozen=True, kw_only=True)
class DingProgress(DomainEvent):
    """To the sender: one recipient's state changed (delivered, an attempt, confirmed)."""

    type: ClassVar[str] = "ding.progress"
    ding_id: str
    confirmed: int
    total: int
    recipient: dict[str, Any]


@dataclass(frozen=True, kw_only=True)
class DingRecalled(DomainEvent):
    type: ClassVar[str] = "ding.recalled"
    ding_id: str


@dataclass(frozen=True, kw_only=True)
class DingReplied(DomainEvent):
    type: ClassVar[str] = "ding.replied"
    ding_id: str
    reply: dict[str, Any]
