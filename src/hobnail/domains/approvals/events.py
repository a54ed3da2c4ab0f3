"""Events of approvals. Each goes to the people involved; ``approval.finished`` also to the
admins, and it is what attendance listens to (approved leave, trips, overtime, make-up)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from hobnail.events.base import DomainEvent


@dataclass(frozen=True, kw_only=True)
class ApprovalUpdated(DomainEvent):
    """Submitted, a step decided, transferred, commented…: the request as it is now."""

    type: ClassVar[str] = "approval.updated"
    request: dict[str, Any]
    action: str


@dataclass(frozen=True, kw_only=True)
class ApprovalTaskAssigned(DomainEvent):
    """It is someone's turn to decide (their "waiting for me" list grows)."""

    type: ClassVar[str] = "approval.task_assigned"
    request: dict[str, Any]


@dataclass(frozen=True, kw_only=True)
class ApprovalFinished(DomainEvent):
    """Approved or rejected (or withdrawn). ``kind`` leave/overtime/trip/makeup tells
    attendance what to apply; ``period`` is [first, last] ISO dates for leave and trips."""

    type: ClassVar[str] = "approval.finished"
    request_id: str
    kind: str
    status: str
    requester_id: str
    values: dict[str, Any]
    period: list[str] | None
    days: float | None


@dataclass(frozen=True, kw_only=True)
class ApprovalReminder(DomainEvent):
    """A request has waited for this approver longer than the organisation allows."""

    type: ClassVar[str] = "approval.reminder"
    request_id: str
    title: str
    waiting_hours: int
