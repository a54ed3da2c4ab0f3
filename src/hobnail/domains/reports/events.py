"""Events of work reports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from hobnail.events.base import DomainEvent


@dataclass(frozen=True, kw_only=True)
class ReportSubmitted(DomainEvent):
    """A report was sent (or edited before anyone read it): to its author and recipients."""

    type: ClassVar[str] = "report.submitted"
    report: dict[str, Any]


@dataclass(frozen=True, kw_only=True)
class ReportRead(DomainEvent):
    """A recipient opened the report: to the author."""

    type: ClassVar[str] = "report.read"
    report_id: str
    reader_id: str
    read_count: int
    recipient_count: int


@dataclass(frozen=True, kw_only=True)
class ReportCommented(DomainEvent):
    """To the author, the recipients and earlier commenters."""

    type: ClassVar[str] = "report.commented"
    report_id: str
    comment: dict[str, Any]


@dataclass(frozen=True, kw_only=True)
class ReportLiked(DomainEvent):
    """To the author."""

    type: ClassVar[str] = "report.liked"
    report_id: str
    user_id: str
    liked: bool
    like_count: int


@dataclass(frozen=True, kw_only=True)
class ReportReminder(DomainEvent):
    """A report is due soon and the person has not written it."""

    type: ClassVar[str] = "report.reminder"
    template_id: str
    name: str
    period_key: str
    deadline: str
